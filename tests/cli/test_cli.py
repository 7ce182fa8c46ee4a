"""The CLI as users and CI see it: exact output per format, exit codes, help."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crisisplan.check.codes import all_codes
from crisisplan.cli import cli
from tests.conftest import CASES

CASE = CASES / "invalid" / "folder-plan-misspelt-role"


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    here = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.output


def test_text_format() -> None:
    code, output = invoke("check", ".", cwd=CASE)
    assert code == 1
    assert output == (
        "scenarios/outage.yaml:7:12: error CP201: unknown role 'socail'\n"
        "  hint: did you mean 'social'?\n"
        "1 plan checked: 1 error\n"
    )


def test_json_format() -> None:
    code, output = invoke("check", ".", "--format", "json", cwd=CASE)
    assert code == 1
    assert json.loads(output) == {
        "version": 1,
        "plans": ["."],
        "summary": {"plans": 1, "errors": 1, "warnings": 0, "accepted": 0},
        "accepted": [],
        "diagnostics": [
            {
                "path": "scenarios/outage.yaml",
                "line": 7,
                "column": 12,
                "severity": "error",
                "code": "CP201",
                "name": "unknown-role",
                "message": "unknown role 'socail'",
                "hint": "did you mean 'social'?",
            }
        ],
    }


def test_github_format() -> None:
    code, output = invoke("check", ".", "--format", "github", cwd=CASE)
    assert code == 1
    assert output == (
        "::error title=CP201 unknown-role,file=scenarios/outage.yaml,line=7,col=12::"
        "unknown role 'socail'%0Adid you mean 'social'?\n"
        "1 plan checked: 1 error\n"
    )


def test_warnings_pass_unless_strict() -> None:
    case = CASES / "invalid" / "cp605-not-approved"
    assert invoke("check", ".", cwd=case)[0] == 0
    assert invoke("check", ".", "--strict", cwd=case)[0] == 1


def test_clean_plans_exit_zero(root: Path) -> None:
    code, output = invoke("check", "--strict", cwd=root)
    assert (code, output) == (0, "3 plans checked: no problems\n")


def test_a_scenario_file_stands_for_its_whole_plan() -> None:
    code, output = invoke("check", "scenarios/outage.yaml", cwd=CASE)
    assert code == 1
    assert output.startswith("scenarios/outage.yaml:7:12: error CP201:")


def test_unknown_format_is_a_usage_error() -> None:
    code, output = invoke("check", "--format", "xml")
    assert code == 2
    assert "'xml' is not one of 'text', 'json', 'github', 'sarif', 'gitlab'" in output


def test_no_plans_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("check", cwd=tmp_path)
    assert code == 2
    assert "there is no plans/ folder here" in output


def test_missing_path_names_it(tmp_path: Path) -> None:
    code, output = invoke("check", "nowhere.yaml", cwd=tmp_path)
    assert code == 1
    assert output.startswith("nowhere.yaml:1:1: error CP011: no such file or folder\n")


def test_bad_today_override_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.setenv("CRISISPLAN_TODAY", "yesterday")
    code, output = invoke("check", cwd=root)
    assert code == 2
    assert "CRISISPLAN_TODAY must be a date" in output


def test_checks_lists_every_code() -> None:
    code, output = invoke("checks")
    assert code == 0
    for info in all_codes():
        assert f"{info.code}  " in output


def test_explain_shows_the_checks_documentation() -> None:
    code, output = invoke("explain", "CP201")
    assert code == 0
    assert output.startswith(
        "CP201 unknown-role (error)\n\nA role id that no role in roles: has "
        "(or, where a contact may stand, no contact in contacts: either)."
    )
    assert "Fails:" in output and "Passes:" in output
    assert invoke("explain", "unknown-role")[1] == output
    assert invoke("explain", "CP999")[0] == 2


def test_every_command_has_help_text() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, name
        code, output = invoke(name, "--help")
        assert code == 0, name
        assert "Usage:" in output
