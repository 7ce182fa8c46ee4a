"""Data-driven: each folder under cases/invalid holds a plan with mistakes and the exact
report expected for it; each folder under cases/valid a plan that must pass --strict.

To add a case, add a folder. Set CRISISPLAN_UPDATE_EXPECTED=1 to write expected.txt
for a new case, then read it before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from crisisplan.cli import cli
from tests.conftest import CASES

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def run_check(folder: Path, *options: str) -> tuple[int, str]:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(cli, ["check", ".", *options], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_reports_exactly_what_is_expected(case: Path) -> None:
    code, output = run_check(case)
    expected_file = case / "expected.txt"
    if os.environ.get("CRISISPLAN_UPDATE_EXPECTED"):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    has_errors = " error " in output
    assert code == (1 if has_errors else 0)
    # Every case holds at least one problem, so --strict always fails it.
    strict_code, _ = run_check(case, "--strict")
    assert strict_code == 1


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case_passes_strict(case: Path) -> None:
    code, output = run_check(case, "--strict")
    assert output == "1 plan checked: no problems\n"
    assert code == 0
