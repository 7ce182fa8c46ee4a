"""crisisplan.yaml: the project's check settings, in one place; the command line wins."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES, invoke

NEVER_DRILLED = (CASES / "invalid" / "cp711-never-drilled" / "plan.yaml").read_text()


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "shop.yaml").write_text(NEVER_DRILLED, encoding="utf-8")
    (tmp_path / "crisisplan.yaml").write_text(config, encoding="utf-8")
    return tmp_path


CP711 = (
    "plans/shop.yaml:52:9: {severity} CP711: scenario 'outage' has never been drilled\n"
    "  hint: run crisisplan drill outage, hold the exercise, then record it under drills:; "
    "until then, plan it: drills: [{{planned: YYYY-MM-DD, scenario: outage}}]\n"
)


def test_mistakes_in_the_settings_are_reported_where_they_are(tmp_path: Path) -> None:
    folder = _project(
        tmp_path,
        "plans: [plans, plan]\nformat: txt\nstirct: true\ncodes:\n  CP171: off\n  CP711: eror\n  CP001: off\n",
    )
    code, out, err = invoke("check", cwd=folder)
    assert (code, err) == (1, "")
    assert out == (
        "crisisplan.yaml:1:16: error CP011: 'plan' does not exist\n"
        "  hint: give a plan file or folder, relative to crisisplan.yaml\n"
        "crisisplan.yaml:2:9: error CP104: 'txt' is not a known format\n"
        "  hint: did you mean 'text'?\n"
        "crisisplan.yaml:3:1: error CP102: crisisplan.yaml has no setting 'stirct'\n"
        "  hint: did you mean 'strict'?\n"
        "crisisplan.yaml:5:3: error CP104: unknown code 'CP171'\n"
        "  hint: did you mean 'CP711'? (crisisplan checks lists them)\n"
        "crisisplan.yaml:6:10: error CP104: 'eror' is not a severity\n"
        "  hint: did you mean 'error'?\n"
        "crisisplan.yaml:7:3: error CP104: CP001's severity cannot be changed: the plan must be readable "
        "and follow the format to be checked at all\n"
        "  hint: remove it from codes:\n"
        + CP711.format(severity="warning")
        + "1 plan checked: 6 errors, 1 warning\n"
    )


def test_a_code_made_an_error_fails_and_one_set_off_is_gone(tmp_path: Path) -> None:
    folder = _project(tmp_path, "codes:\n  CP711: error\n")
    code, out, _ = invoke("check", cwd=folder)
    assert (code, out) == (1, CP711.format(severity="error") + "1 plan checked: 1 error\n")
    (folder / "crisisplan.yaml").write_text("codes:\n  CP711: off\n", encoding="utf-8")
    code, out, _ = invoke("check", "--strict", cwd=folder)
    assert (code, out) == (0, "1 plan checked: no problems\n")


def test_strict_and_format_come_from_the_settings_and_the_command_line_wins(tmp_path: Path) -> None:
    folder = _project(tmp_path, "plans: plans/shop.yaml\nformat: json\nstrict: true\n")
    code, out, _ = invoke("check", cwd=folder)
    assert code == 1
    assert json.loads(out)["plans"] == ["plans/shop.yaml"]
    code, out, _ = invoke("check", "--no-strict", "--format", "text", cwd=folder)
    assert (code, out) == (0, CP711.format(severity="warning") + "1 plan checked: 1 warning\n")


def test_the_settings_file_is_never_read_as_a_plan(tmp_path: Path) -> None:
    folder = _project(tmp_path, "codes:\n  CP711: off\n")
    (folder / "shop.yaml").write_text(NEVER_DRILLED, encoding="utf-8")
    code, out, _ = invoke("check", ".", cwd=folder)
    assert (code, out) == (0, "2 plans checked: no problems\n")


def test_an_empty_settings_file_sets_nothing(tmp_path: Path) -> None:
    folder = _project(tmp_path, "# nothing yet\n")
    code, out, _ = invoke("check", cwd=folder)
    assert (code, out) == (0, CP711.format(severity="warning") + "1 plan checked: 1 warning\n")


# --- the settings file stays inside the repository (CP015) ---------------------------

OUTSIDE_TEXT = "hunter2-password: Jane Doe +44 20 7946 0999\n"


def _repository(tmp_path: Path, config: str) -> Path:
    """A git repository with a plan and crisisplan.yaml, and a secret beside it."""
    import subprocess

    folder = tmp_path / "company"
    folder.mkdir()
    _project(folder, config)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (tmp_path / "secret.yaml").write_text(OUTSIDE_TEXT, encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "plan.yaml").write_text(OUTSIDE_TEXT, encoding="utf-8")
    return folder


OUTSIDE_HINT = (
    "  hint: give a plan file or folder inside the repository, relative to crisisplan.yaml, like plans: [plans]; "
    "a plan elsewhere can be named on the command line: crisisplan check PATH\n"
)


@pytest.mark.parametrize(
    ("listed", "column"),
    [("../secret.yaml", 9), ("{tmp}/secret.yaml", 9), ("../secrets", 9), ("plans/../../secret.yaml", 9)],
)
def test_plans_outside_the_repository_are_not_read(tmp_path: Path, listed: str, column: int) -> None:
    listed = listed.format(tmp=tmp_path)
    folder = _repository(tmp_path, f"plans: [{listed}]\n")
    for output_format in ("text", "sarif", "github", "json"):
        code, out, err = invoke("check", "--format", output_format, cwd=folder)
        assert code == 1
        assert "hunter2" not in out + err and "Jane" not in out + err
    code, out, _ = invoke("check", cwd=folder)
    assert out == (
        f"crisisplan.yaml:1:{column}: error CP015: '{listed}' is outside the repository; "
        "crisisplan.yaml names only plans inside it\n" + OUTSIDE_HINT + "0 plans checked: 1 error\n"
    )
    # Nor built: the build reads the same settings.
    code, out, err = invoke("build", "--no-pdf", cwd=folder)
    assert code == 1 and "hunter2" not in out + err
    assert not (folder / "site").exists()


def test_a_link_in_the_repository_that_leads_out_is_not_followed(tmp_path: Path) -> None:
    folder = _repository(tmp_path, "plans: [plans, plans/elsewhere, .git]\n")
    (folder / "plans" / "elsewhere").symlink_to(tmp_path / "secrets", target_is_directory=True)
    code, out, _ = invoke("check", cwd=folder)
    assert code == 1 and "hunter2" not in out
    assert "crisisplan.yaml:1:16: error CP015: 'plans/elsewhere' is outside the repository" in out
    assert "crisisplan.yaml:1:33: error CP015: '.git' is in the repository's .git folder; crisisplan does not read it" in out


def test_a_settings_file_linked_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    folder = _repository(tmp_path, "")
    (folder / "crisisplan.yaml").unlink()
    (folder / "crisisplan.yaml").symlink_to(tmp_path / "secret.yaml")
    code, out, err = invoke("check", "--format", "sarif", cwd=folder)
    assert "hunter2" not in out + err
    code, out, _ = invoke("check", cwd=folder)
    assert code == 1
    assert out.startswith(
        "crisisplan.yaml:1:1: error CP015: this is a link to a file outside the repository; crisisplan does not read it\n"
        "  hint: replace the link with the settings file itself: crisisplan reads its settings only from inside the repository\n"
    )
    # A link inside the repository is read as the file itself.
    (folder / "settings").mkdir()
    (folder / "settings" / "crisisplan.yaml").write_text("codes:\n  CP711: off\n", encoding="utf-8")
    (folder / "crisisplan.yaml").unlink()
    (folder / "crisisplan.yaml").symlink_to("settings/crisisplan.yaml")
    assert invoke("check", "--strict", cwd=folder)[:2] == (0, "1 plan checked: no problems\n")


def test_plans_given_on_the_command_line_may_be_anywhere(tmp_path: Path) -> None:
    folder = _repository(tmp_path, "plans: [../secret.yaml]\n")
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "elsewhere")
    code, out, _ = invoke("check", str(tmp_path / "elsewhere"), cwd=folder)
    # The settings' own mistake is still reported; the plan named here is checked.
    assert code == 1 and out.endswith("1 plan checked: 1 error\n")
    assert "CP015: '../secret.yaml' is outside the repository" in out


def test_a_path_the_file_system_cannot_take_is_an_error_not_a_crash(tmp_path: Path) -> None:
    folder = _project(tmp_path, "plans: [" + "x" * 5_000 + "]\n")
    code, out, err = invoke("check", cwd=folder)
    assert code == 1 and "unexpectedly" not in out + err
    assert out.startswith("crisisplan.yaml:1:9: error CP011: '" + "x" * 53 + "…" + "x" * 106 + "' cannot be used as a path:")


def test_a_settings_file_that_is_a_list_says_what_it_holds(tmp_path: Path) -> None:
    folder = _project(tmp_path, "- plans\n")
    code, out, _ = invoke("check", cwd=folder)
    assert code == 1
    assert out.startswith(
        "crisisplan.yaml:1:1: error CP010: the file holds a list; crisisplan.yaml holds a mapping of settings\n"
        "  hint: crisisplan.yaml holds settings as keys at the left margin, like plans: [plans] and strict: true\n"
    )
