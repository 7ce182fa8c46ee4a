"""`crisisplan check --output-file PATH`: the report in --format goes to PATH, the text
report to the terminal, so one CI run can save SARIF (or GitLab's report) and still show
people the problems in its log.

PATH is replaced in one step, and never written through a symbolic link, over a plan
or as a YAML file that would be read as one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, invoke

CASE = CASES / "invalid" / "folder-plan-misspelt-role"
TEXT = (
    "scenarios/outage.yaml:7:12: error CP201: unknown role 'socail'\n"
    "  hint: did you mean 'social'?\n"
    "1 plan checked: 1 error\n"
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A folder plan with one problem, as its own repository."""
    folder = tmp_path / "plan"
    shutil.copytree(CASE, folder)
    (folder / ".git").mkdir()
    return folder


@pytest.mark.parametrize("output_format", ["sarif", "gitlab", "json", "github"])
def test_the_file_holds_the_format_and_the_terminal_the_text(plan: Path, output_format: str) -> None:
    alone = invoke("check", ".", "--format", output_format, cwd=plan)
    assert invoke("check", ".", "--format", output_format, "--output-file", "report.out", cwd=plan) == (1, TEXT, "")
    # Byte for byte what --format prints without --output-file.
    assert (plan / "report.out").read_text("utf-8") == alone[1]
    assert sorted(p.name for p in plan.iterdir()) == [".git", "expected.txt", "plan.yaml", "report.out", "scenarios"]


def test_quiet_applies_to_both(plan: Path) -> None:
    assert invoke("check", "-q", ".", "--format", "github", "--output-file", "annotations.txt", cwd=plan) == (
        1,
        "scenarios/outage.yaml:7:12: error CP201: unknown role 'socail'\n  hint: did you mean 'social'?\n",
        "",
    )
    assert (plan / "annotations.txt").read_text("utf-8") == (
        "::error title=CP201 unknown-role,file=scenarios/outage.yaml,line=7,col=12::"
        "unknown role 'socail'%0Adid you mean 'social'?\n"
    )


def test_a_clean_run_writes_an_empty_report(tmp_path: Path) -> None:
    shutil.copy(ROOT / "plans" / "segarkita.yaml", tmp_path)
    assert invoke("check", "segarkita.yaml", "--format", "gitlab", "--output-file", "gl-code-quality-report.json", cwd=tmp_path) == (
        0,
        "1 plan checked: no problems\n",
        "",
    )
    assert (tmp_path / "gl-code-quality-report.json").read_text("utf-8") == "[]\n"


def test_an_old_report_is_replaced_and_folders_are_made(plan: Path) -> None:
    (plan / "reports").mkdir()
    (plan / "reports" / "crisisplan.sarif").write_text("old", "utf-8")
    assert invoke("check", ".", "--format", "sarif", "--output-file", "reports/crisisplan.sarif", cwd=plan)[:2] == (1, TEXT)
    assert json.loads((plan / "reports" / "crisisplan.sarif").read_text("utf-8"))["version"] == "2.1.0"
    # Nothing left beside it: the new report was staged, then renamed over the old one.
    assert sorted(p.name for p in (plan / "reports").iterdir()) == ["crisisplan.sarif"]
    assert invoke("check", ".", "--format", "json", "--output-file", "out/ci/crisisplan.json", cwd=plan)[:2] == (1, TEXT)
    assert json.loads((plan / "out" / "ci" / "crisisplan.json").read_text("utf-8"))["summary"]["errors"] == 1
    # Outside the folder crisisplan runs in, too.
    assert invoke("check", ".", "--format", "gitlab", "--output-file", "../gitlab.json", cwd=plan)[:2] == (1, TEXT)
    assert json.loads((plan.parent / "gitlab.json").read_text("utf-8"))[0]["check_name"] == "CP201"


# --- refused -------------------------------------------------------------------------------


def test_never_through_a_link(plan: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", "utf-8")
    (plan / "report.sarif").symlink_to(outside)
    assert invoke("check", ".", "--format", "sarif", "--output-file", "report.sarif", cwd=plan) == (
        2,
        "",
        "error: report.sarif is a symbolic link; crisisplan does not write through links\n"
        "  hint: remove the link, or choose another file name\n",
    )
    assert outside.read_text("utf-8") == "secret"
    assert (plan / "report.sarif").is_symlink()


def test_never_through_a_linked_folder(plan: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (plan / "reports").symlink_to(elsewhere, target_is_directory=True)
    assert invoke("check", ".", "--format", "sarif", "--output-file", "reports/crisisplan.sarif", cwd=plan) == (
        2,
        "",
        "error: reports is a symbolic link; crisisplan does not write through links\n"
        "  hint: replace the link with a real folder, or write the report elsewhere\n",
    )
    assert list(elsewhere.iterdir()) == []


def test_never_over_a_plan(plan: Path) -> None:
    before = (plan / "scenarios" / "outage.yaml").read_bytes()
    assert invoke("check", ".", "--format", "sarif", "--output-file", "scenarios/outage.yaml", cwd=plan) == (
        2,
        "",
        "error: scenarios/outage.yaml is one of the plans checked; crisisplan does not write a report over a plan\n"
        "  hint: give another file name, like crisisplan.sarif\n",
    )
    assert (plan / "scenarios" / "outage.yaml").read_bytes() == before


def test_never_over_a_plan_whatever_its_name(tmp_path: Path) -> None:
    text = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
    (tmp_path / "plan.txt").write_text(text, "utf-8")
    assert invoke("check", "plan.txt", "--format", "gitlab", "--output-file", "./plan.txt", cwd=tmp_path) == (
        2,
        "",
        "error: plan.txt is one of the plans checked; crisisplan does not write a report over a plan\n"
        "  hint: give another file name, like gl-code-quality-report.json\n",
    )
    assert (tmp_path / "plan.txt").read_text("utf-8") == text


def test_never_over_the_file_stdin_stands_for(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crisisplan.cli import cli

    text = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
    (tmp_path / "segarkita.yaml").write_text(text, "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = CliRunner().invoke(
            cli,
            ["check", "-", "--stdin-filename", "segarkita.yaml", "--format", "json", "--output-file", "segarkita.yaml"],
            input=text.encode("utf-8"),
            catch_exceptions=False,
        )
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: segarkita.yaml is one of the plans checked; crisisplan does not write a report over a plan\n"
        "  hint: give another file name, like crisisplan.json\n",
    )
    assert (tmp_path / "segarkita.yaml").read_text("utf-8") == text


def test_never_as_a_yaml_file(plan: Path) -> None:
    assert invoke("check", ".", "--format", "json", "--output-file", "report.yaml", cwd=plan) == (
        2,
        "",
        "error: report.yaml is a YAML file name, and crisisplan reads YAML files as plans\n"
        "  hint: give another file name, like crisisplan.json\n",
    )
    assert not (plan / "report.yaml").exists()


def test_never_over_a_folder(plan: Path) -> None:
    code, stdout, stderr = invoke("check", ".", "--format", "sarif", "--output-file", "scenarios", cwd=plan)
    assert (code, stdout) == (2, "")
    assert stderr.endswith("Error: Invalid value for '--output-file': File 'scenarios' is a directory.\n")
