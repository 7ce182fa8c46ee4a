"""Every check documents itself and is shown failing by a case folder; README lists it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisplan.check.checks import all_checks
from crisisplan.check.codes import all_codes
from tests.conftest import CASES

CHECKS = all_checks()


@pytest.mark.parametrize("check", CHECKS, ids=[c.code for c in CHECKS])
def test_check_is_documented_with_a_failing_and_a_passing_example(check: object) -> None:
    from crisisplan.check.checks import Check

    assert isinstance(check, Check)
    assert check.summary
    assert "Fails:" in check.doc
    assert "Passes:" in check.doc


@pytest.mark.parametrize("info", all_codes(), ids=[c.code for c in all_codes()])
def test_every_code_has_a_failing_case(info: object) -> None:
    from crisisplan.check.codes import CodeInfo

    assert isinstance(info, CodeInfo)
    if info.code in ("CP007", "CP011", "CP012", "CP014"):
        pytest.skip("made on the fly in test_bad_input: too big for git, an absent path, or a pipe")
    if info.code == "CP901":
        pytest.skip("reported by build --audience public, not by check: tests/test_public_leaks.py")
    if info.code == "CP107":
        pytest.skip("fallback for schema keywords the plan schema does not use")
    prefix = info.code.lower() + "-"
    cases = [p for p in (CASES / "invalid").iterdir() if p.name.startswith(prefix)]
    assert cases, f"add tests/cases/invalid/{prefix}<what>/"
    assert any(info.code in (case / "expected.txt").read_text() for case in cases)


def test_readme_lists_every_code(root: Path) -> None:
    readme = (root / "README.md").read_text()
    for info in all_codes():
        assert f"`{info.code}`" in readme, info.code
