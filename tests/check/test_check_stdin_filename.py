"""`crisisplan check - --stdin-filename NAME`: standard input checked as the file NAME,
as an editor checks a file it has not saved yet (ruff's option of the same name).

A plan is checked as it is from disk and named NAME; a file in a plan's scenarios/ or
reviews/ folder is checked as a scenario or review on its own, against its schema.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crisisplan.cli import cli
from tests.conftest import ROOT, invoke

PLAN = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
# The x channel's owner, misspelt.
MISSPELT = PLAN.replace(
    'url: https://x.com/segarkita\n    owner: kepala-sosmed\n', 'url: https://x.com/segarkita\n    owner: kepala-sosmd\n'
)
SCENARIO = (ROOT / "plans" / "brightbrew" / "scenarios" / "hacked-account.yaml").read_text("utf-8")


def check(*args: str, stdin: str = "", cwd: Path = ROOT) -> tuple[int, str, str]:
    """The CLI in-process with ``stdin`` as its standard input."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, ["check", *args], input=stdin.encode("utf-8"), catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """A repository with a single-file plan and a folder plan."""
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / "plans" / "segarkita.yaml", tmp_path / "plans")
    shutil.copytree(ROOT / "plans" / "brightbrew", tmp_path / "plans" / "brightbrew")
    return tmp_path


# --- a plan ------------------------------------------------------------------------------


def test_a_plan_is_reported_as_the_file_named() -> None:
    assert check("-", "--stdin-filename", "plans/segarkita.yaml", stdin=MISSPELT) == (
        1,
        "plans/segarkita.yaml:35:12: error CP201: unknown role 'kepala-sosmd'\n"
        "  hint: did you mean 'kepala-sosmed'?\n"
        "1 plan checked: 1 error\n",
        "",
    )
    assert check("-", "--stdin-filename", "plans/segarkita.yaml", stdin=PLAN) == (0, "1 plan checked: no problems\n", "")


def test_every_format_names_the_file(company: Path) -> None:
    code, stdout, stderr = check(
        "-v", "--format", "json", "-", "--stdin-filename", "plans/segarkita.yaml", stdin=MISSPELT, cwd=company
    )
    assert code == 1
    assert stderr == "checked plans/segarkita.yaml (standard input): 1 error\n"
    document = json.loads(stdout)
    assert document["plans"] == ["plans/segarkita.yaml"]
    assert [(d["path"], d["line"], d["code"]) for d in document["diagnostics"]] == [("plans/segarkita.yaml", 35, "CP201")]
    assert check("-q", "--format", "github", "-", "--stdin-filename", "plans/segarkita.yaml", stdin=MISSPELT)[1] == (
        "::error title=CP201 unknown-role,file=plans/segarkita.yaml,line=35,col=12::"
        "unknown role 'kepala-sosmd'%0Adid you mean 'kepala-sosmed'?\n"
    )


def test_an_editor_and_ci_see_the_same_problem(company: Path) -> None:
    """What an editor reports from its buffer is what CI reports from the saved file,
    fingerprint included (GitLab and SARIF viewers track the problem by it)."""
    from_editor = check("--format", "gitlab", "-", "--stdin-filename", "plans/segarkita.yaml", stdin=MISSPELT, cwd=company)
    (company / "plans" / "segarkita.yaml").write_text(MISSPELT, "utf-8")
    from_ci = invoke("check", "--format", "gitlab", "plans/segarkita.yaml", cwd=company)
    assert from_editor == from_ci
    assert json.loads(from_ci[1])[0]["location"] == {"path": "plans/segarkita.yaml", "lines": {"begin": 35}}


# --- a scenario or review file -----------------------------------------------------------


def test_a_scenario_file_is_checked_as_a_scenario(company: Path) -> None:
    name = "plans/brightbrew/scenarios/hacked-account.yaml"
    assert check("-", "--stdin-filename", name, stdin=SCENARIO, cwd=company) == (0, "1 plan checked: no problems\n", "")
    # No title (the line left empty), a severity written as words, an unknown key.
    broken = re.sub(r"(?m)^title: .*$", "", SCENARIO, count=1)
    broken = broken.replace("severity: level-3\n", "severity: Level 3\ncolour: red\n")
    code, stdout, stderr = check("-", "--stdin-filename", name, stdin=broken, cwd=company)
    assert (code, stderr) == (1, "")
    assert stdout == (
        f"{name}:2:1: error CP101: scenario 'hacked-account' has no 'title'\n"
        "  hint: add title: (The scenario's name as staff would describe the situation), like title: Hacked social media account\n"
        f"{name}:5:11: error CP105: 'Level 3' is not a valid id\n"
        "  hint: ids use lowercase letters, digits and hyphens: write 'level-3'\n"
        f"{name}:6:1: error CP102: unknown key 'colour' in scenario 'hacked-account'\n"
        "  hint: keys allowed here: id, title, category, visibility, description, severity, likelihood, impact, "
        "triggers, signals, keywords, drill_every, worst_case, activation, first_actions, escalation, statements, audiences, "
        "response_rules, moderation, dos, donts, recovery, review, involves, stand_down, accepted\n"
        "1 plan checked: 3 errors\n"
    )


def test_a_new_scenario_file_and_its_yaml_mistakes(company: Path) -> None:
    name = "plans/brightbrew/scenarios/supplier-fire.yaml"
    assert check("-", "--stdin-filename", name, stdin="id: supplier-fire\n  title: [\n", cwd=company) == (
        1,
        f"{name}:2:8: error CP001: YAML syntax error: mapping values are not allowed in this context\n"
        '  hint: a value that contains \': \' must be written in quotes, like title: "Update: recall"\n'
        "1 plan checked: 1 error\n",
        "",
    )
    assert check("-", "--stdin-filename", name, stdin="- supplier-fire\n", cwd=company) == (
        1,
        f"{name}:1:1: error CP010: the file holds a list; a plan file holds a mapping of keys\n"
        "  hint: a scenario file starts with keys like id:, title: and worst_case: at the left margin\n"
        "1 plan checked: 1 error\n",
        "",
    )
    assert check("-", "--stdin-filename", name, cwd=company) == (
        1,
        f"{name}:1:1: error CP009: the file is empty\n  hint: write the plan in it, or delete the file\n1 plan checked: 1 error\n",
        "",
    )


def test_a_review_file_is_checked_as_a_review(company: Path) -> None:
    name = "plans/brightbrew/reviews/2026-06-02-hacked-account.yaml"
    review = "scenario: hacked-account\ndate: 2026-06-02\n"
    assert check("-", "--stdin-filename", name, stdin=review, cwd=company) == (
        1,
        f"{name}:1:1: error CP101: post-crisis review has no 'status'\n"
        "  hint: add status: (draft while it is being written, final once agreed)\n"
        "1 plan checked: 1 error\n",
        "",
    )
    # reviews/<plan>/ beside a single-file plan, too.
    beside = "plans/reviews/segarkita/2026-06-02-outage.yaml"
    assert check("-", "--stdin-filename", beside, stdin=review + "status: draft\n", cwd=company) == (
        0,
        "1 plan checked: no problems\n",
        "",
    )


def test_a_scenario_from_stdin_beside_other_plans(company: Path) -> None:
    code, stdout, stderr = check(
        "-v", "plans/segarkita.yaml", "-", "--stdin-filename", "plans/brightbrew/scenarios/new.yaml", stdin=SCENARIO, cwd=company
    )
    assert (code, stdout) == (0, "2 plans checked: no problems\n")
    assert stderr == (
        "checked plans/segarkita.yaml (segarkita.yaml): no problems\n"
        "checked plans/brightbrew/scenarios/new.yaml (standard input): no problems\n"
    )


def test_a_scenarios_folder_outside_a_plan_holds_a_plan(tmp_path: Path) -> None:
    """As the loader sees it: scenarios/ is a plan's only beside its plan.yaml."""
    code, stdout, _ = check("-", "--stdin-filename", "scenarios/x.yaml", stdin=SCENARIO, cwd=tmp_path)
    assert code == 1
    assert stdout.startswith("scenarios/x.yaml:2:1: error CP101: crisis plan 'hacked-account' has no 'plan'\n")


# --- usage ---------------------------------------------------------------------------------


def test_stdin_filename_needs_dash() -> None:
    code, stdout, stderr = check("--stdin-filename", "plans/segarkita.yaml", "plans/segarkita.yaml")
    assert (code, stdout) == (2, "")
    assert stderr.endswith(
        "Error: --stdin-filename names the plan read from standard input: give - as its path, "
        "like crisisplan check - --stdin-filename plans/acme.yaml\n"
    )
    code, stdout, stderr = check("-", "--stdin-filename", "", stdin=PLAN)
    assert (code, stdout) == (2, "")
    assert stderr.endswith("Error: --stdin-filename needs a file name, like plans/acme.yaml\n")
