"""The day checks are judged on: CRISISPLAN_TODAY, read in one place for CLI and core."""

from __future__ import annotations

import datetime as dt

import pytest

from crisisplan.plan.today import TodayError, today
from tests.conftest import TODAY, invoke


def test_the_suite_runs_on_a_fixed_day() -> None:
    # conftest sets it for every test and every subprocess, so no verdict moves with the calendar.
    assert today() == dt.date.fromisoformat(TODAY)


def test_without_the_variable_it_is_the_real_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRISISPLAN_TODAY")
    assert today() == dt.date.today()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "CRISISPLAN_TODAY must be a date like 2026-11-22, not 'yesterday'"),
        ("0001-01-01", "CRISISPLAN_TODAY must be a date from 1970 to 2199, not '0001-01-01'"),
        ("2200-01-01", "CRISISPLAN_TODAY must be a date from 1970 to 2199, not '2200-01-01'"),
    ],
)
def test_a_day_that_cannot_be_used_is_named(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("CRISISPLAN_TODAY", value)
    with pytest.raises(TodayError, match=message):
        today()
    code, out, err = invoke("check", "plans")
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
