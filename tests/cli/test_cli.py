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
    assert (code, output) == (0, "4 plans checked: no problems\n")


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


# --- what the environment and the arguments may hold ---------------------------------


def _tiny_project(tmp_path: Path) -> Path:
    import shutil

    (tmp_path / "plans").mkdir()
    shutil.copy(CASES / "valid" / "minimal" / "plan.yaml", tmp_path / "plans" / "shop.yaml")
    return tmp_path


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """The CLI in a process of its own: serve waits for changes when it is not stopped."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "crisisplan", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1e9", " 1767225600", "1767225600.5", "\uff11\uff12", "99999999999999", "9" * 5_000]
)
def test_a_source_date_epoch_that_cannot_be_used_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from tests.conftest import invoke as run

    folder = _tiny_project(tmp_path)
    shown = value if len(value) <= 40 and value.isprintable() else repr(value[:40])[1:-1] + "..."
    message = f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (up to the end of 2199), not '{shown}'"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for engine in ("mkdocs", "zensical"):
        code, out, err = run("build", "--no-pdf", "--engine", engine, cwd=folder)
        assert (code, out) == (2, ""), err
        assert message in err
        assert "hint: unset it, or set it as reproducible builds do: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in err
        assert "MkDocs" not in err and "Traceback" not in err
        assert not (folder / "site").exists()


def test_serve_names_a_source_date_epoch_it_cannot_use_and_stops(tmp_path: Path) -> None:
    folder = _tiny_project(tmp_path)
    port = _free_port()
    code, out, err = _run("serve", "--dev-addr", f"127.0.0.1:{port}", cwd=folder, env={"SOURCE_DATE_EPOCH": "abc"})
    assert (code, out) == (2, ""), err
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (up to the end of 2199), not 'abc'" in err


def test_check_dates_nothing_and_ignores_source_date_epoch(tmp_path: Path) -> None:
    folder = _tiny_project(tmp_path)
    code, out, err = _run("check", cwd=folder, env={"SOURCE_DATE_EPOCH": "abc"})
    assert (code, out, err) == (0, "1 plan checked: no problems\n", "")


def test_a_usable_source_date_epoch_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import invoke as run

    folder = _tiny_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    code, out, err = run("build", "--no-pdf", cwd=folder)
    assert code == 0, out + err


@pytest.mark.parametrize("command", ["build", "serve"])
def test_standard_input_is_for_check_only(tmp_path: Path, command: str) -> None:
    folder = _tiny_project(tmp_path)
    # A process of its own: a serve that took '-' for a file would wait for changes.
    args = ("--dev-addr", f"127.0.0.1:{_free_port()}") if command == "serve" else ("--no-pdf",)
    code, out, err = _run(command, "-", *args, cwd=folder, env={})
    assert (code, out) == (2, ""), err
    assert (
        f"- (a plan on standard input) works only for 'crisisplan check'; give the plan's file or folder, "
        f"like crisisplan {command} plans/acme.yaml"
    ) in err
    assert "no such file" not in err


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("build", "--no-pdf"),
        ("serve",),
        ("review", "outage", "--date", "2026-11-01"),
        ("review", "outage"),
        ("drill", "outage"),
        ("scenarios",),
        ("statement", "outage"),
    ],
)
@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "2200-01-01", "yesterday"])
def test_a_today_outside_the_dates_plans_hold_is_refused_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], day: str
) -> None:
    from tests.conftest import invoke as run

    folder = _tiny_project(tmp_path)
    monkeypatch.setenv("CRISISPLAN_TODAY", day)
    code, out, err = run(*command, cwd=folder)
    assert (code, out) == (2, ""), err
    assert "CRISISPLAN_TODAY must be a date" in err and f"not '{day}'" in err
    assert sorted(p.name for p in folder.iterdir()) == ["plans"]
