"""crisisplan.yaml: the project's check settings, in one place; the command line wins."""

from __future__ import annotations

import json
from pathlib import Path

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
