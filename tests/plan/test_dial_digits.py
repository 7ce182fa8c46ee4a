"""Emergency lines are written as people dial them, not in international form."""

from __future__ import annotations

import pytest

from crisisplan.plan.values import dial_digits


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("112", "112"),
        ("911", "911"),
        # A vanity number: the letters are keypad digits, and the bracketed repeat is not dialled twice.
        ("328-COPS (2677)", "3282677"),
        ("1-800-FLOWERS", "18003569377"),
        ("+45 70 10 20 30", "+4570102030"),
        ("(555) 123-4567", "5551234567"),
        ("*#06#", "*#06#"),
    ],
)
def test_a_number_is_dialled_as_written(written: str, dialled: str) -> None:
    assert dial_digits(written) == dialled


@pytest.mark.parametrize("written", ["", "the police", "-", "7", "+", "<svg/onload=__pwn=1>", "1 2 <b>"])
def test_words_and_fragments_cannot_be_dialled(written: str) -> None:
    assert dial_digits(written) == ""
