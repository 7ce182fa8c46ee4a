"""The repository as other repositories use it: its pre-commit hook and its GitHub Action."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, invoke

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None or not (ROOT / ".git").exists(), reason="needs git and crisisplan's own clone")

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(*args: str, cwd: Path) -> None:
    assert GIT is not None
    subprocess.run([GIT, *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_IDENTITY})


def snapshot_of_this_repository(target: Path) -> Path:
    """A git repository holding this working tree as it is now, committed.

    `pre-commit try-repo` commits uncommitted changes to tracked files, but not new
    files (a new .pre-commit-hooks.yaml, say), so it is given this snapshot instead.
    """
    assert GIT is not None
    listed = subprocess.run(
        [GIT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if not (source.is_file() or source.is_symlink()):
            continue  # deleted in the working tree
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "snapshot", cwd=target)
    return target


def test_hooks_manifest_runs_check_on_whole_plans() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["crisisplan-check"]
    (hook,) = hooks
    assert hook["entry"] == "crisisplan check"
    assert hook["language"] == "python"
    # The whole plans/ folder, not the changed files: a scenario needs its plan.yaml.
    assert (hook["pass_filenames"], hook["args"]) == (False, ["plans"])


@needs_git
def test_pre_commit_try_repo_runs_the_hook(tmp_path: Path) -> None:
    hook_repo = snapshot_of_this_repository(tmp_path / "crisisplan")
    company = tmp_path / "company"
    (tmp_path / "x").mkdir()
    code, _, _ = invoke("init", "--layout", "folder", "--source", str(hook_repo), "--rev", "HEAD", cwd=tmp_path / "x")
    assert code == 0
    shutil.copytree(tmp_path / "x", company)
    scenario = company / "plans" / "example-co" / "scenarios" / "hacked-account.yaml"
    scenario.write_text(scenario.read_text().replace("owner: social-lead\n    at: 10m", "owner: socail-lead\n    at: 10m"))
    git("init", "-q", cwd=company)
    git("add", "-A", cwd=company)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        # pre-commit installs the hook's repository into a fresh virtualenv with pip.
        # Its dependencies are this test environment's (PYTHONPATH), so the test
        # takes seconds rather than minutes of downloading MkDocs and WeasyPrint;
        # crisisplan itself is built from the snapshot (only setuptools comes from
        # the index), as a company's pre-commit would.
        "PIP_NO_DEPS": "1",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "crisisplan-check", "--all-files", "--color", "never"],
        cwd=company,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    report = done.stdout.split("=" * 79 + "\n")[-1]
    # After pre-commit's own [INFO] lines about installing the environment:
    assert report[report.index("crisisplan check...") :].splitlines() == [
        "crisisplan check.........................................................Failed",
        "- hook id: crisisplan-check",
        "- exit code: 1",
        "",
        "plans/example-co/scenarios/hacked-account.yaml:13:12: error CP201: unknown role 'socail-lead'",
        "  hint: did you mean 'social-lead'?",
        "1 plan checked: 1 error",
        "",
    ]


def test_action_installs_from_its_own_checkout_then_checks_and_builds() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(action["inputs"]) == {"paths", "strict", "pdf", "audience", "site-dir", "python-version"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert [step["name"] for step in steps] == [
        "Set up Python",
        "Install Pango for the PDF runbooks",
        "Install crisisplan",
        "crisisplan check",
        "crisisplan build",
    ]
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
    assert '"$GITHUB_ACTION_PATH"' in steps[2]["run"]
    assert "crisisplan" not in steps[2]["run"].replace("crisisplan check", "")  # never from an index
    # Inputs reach the scripts only through the environment.
    assert all("${{" not in step.get("run", "") for step in steps)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_check_step_runs_as_written(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    check_step = next(step for step in action["runs"]["steps"] if step["name"] == "crisisplan check")
    broken = tmp_path / "plans" / "with space"
    shutil.copytree(ROOT / "tests" / "cases" / "invalid" / "folder-plan-misspelt-role", broken)
    (broken / "expected.txt").unlink(missing_ok=True)
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", check_step["run"]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": bin_dir + os.pathsep + os.environ["PATH"],
            "CRISISPLAN_PATHS": "plans",
            "CRISISPLAN_STRICT": "true",
        },
        timeout=120,
        check=False,
    )
    # Exactly what the command typed by hand gives: the path with a space came through whole.
    assert (done.returncode, done.stdout) == invoke(
        "check", "--strict", "--format", "github", "plans", cwd=tmp_path
    )[:2]
    assert "file=plans/with space/scenarios/outage.yaml,line=7,col=12" in done.stdout
