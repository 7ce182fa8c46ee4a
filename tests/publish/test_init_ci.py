"""The CI `crisisplan init` writes, and the YAML it writes, as a team's tools see them.

yamllint runs for real, with its default configuration, on every YAML file init
writes. The workflow's and the pipeline's check and build lines run by hand in a
fresh git repository, with this crisisplan on PATH, as the runner would run them.
The action's Pango step runs against stand-ins for dpkg, ldconfig and apt-get.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from crisisplan.publish.scaffold import InitOptions, Source, plan_files
from tests.conftest import ROOT

# Not the suite's pinned day: init and check both read it from the environment here.
DAY = "2026-11-20"
BIN = Path(sys.executable).parent
SOURCES = {
    "pip": Source("https://git.example.com/comms/crisisplan.git", "v0.1.0"),
    "action": Source("https://github.com/acme/crisisplan.git", "v0.2.0"),
}
WORKFLOW = PurePosixPath(".github/workflows/crisisplan.yml")
GITLAB = PurePosixPath(".gitlab-ci.yml")
# A primary holder's number in the starting plan: in the internal edition only.
PHONE = "+44 20 7946 0101"


def generated(source: str = "pip", **changes: Any) -> dict[PurePosixPath, str]:
    options = InitOptions(target=Path(), today=dt.date.fromisoformat(DAY), source=SOURCES[source])
    return plan_files(InitOptions(**{**options.__dict__, **changes}))


# --- yamllint ----------------------------------------------------------------------


def test_every_yaml_file_init_writes_passes_yamllint_defaults(tmp_path: Path) -> None:
    variants: list[dict[str, Any]] = [
        {"layout": layout, "languages": languages}
        for layout, languages in itertools.product(
            ("file", "folder"), [("en",), ("id", "en"), ("ms", "en"), ("da", "en"), ("da",), ("sv", "en")]
        )
    ]
    variants += [
        {"code_scanning": True, "source": "action", "layout": "folder"},
        {"code_scanning": True, "organisation": "The Extraordinarily Long-Named Coffee Roasting Company of Greater Copenhagen"},
        {"source": "action", "languages": ("ms", "id", "en")},
    ]
    paths: list[str] = []
    for number, variant in enumerate(variants):
        source = str(variant.pop("source", "pip"))
        for path, text in generated(source, **variant).items():
            if path.suffix in (".yml", ".yaml"):
                (tmp_path / str(number) / path).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / str(number) / path).write_text(text, "utf-8")
                paths.append(f"{number}/{path}")
    assert len(paths) == 89  # 5 or 7 YAML files in each of 15 repositories
    # -d default: yamllint's own defaults, whatever config the machine has.
    done = subprocess.run(
        [sys.executable, "-m", "yamllint", "-d", "default", "-f", "parsable", *paths],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    # Nothing at all: no error and no warning.
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_action_passes_yamllint_defaults_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "yamllint", "-d", "default", "-f", "parsable", str(ROOT / "action.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


# --- what the GitHub workflow does -------------------------------------------------


DEFAULT_BRANCH_PUSH = (
    "github.event_name == 'push' && github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
)


@pytest.mark.parametrize("source", ["pip", "action"])
def test_the_workflow_grants_each_job_only_what_it_needs(source: str) -> None:
    workflow = yaml.safe_load(generated(source)[WORKFLOW])
    # "on" quoted: a YAML 1.1 reader (PyYAML, yamllint) sees the key, not True.
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert set(jobs) == {"runbook", "pages"}
    assert "permissions" not in jobs["runbook"]
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = jobs["runbook"]["steps"][0]
    assert checkout == {"uses": "actions/checkout@v4", "with": {"persist-credentials": False}}


@pytest.mark.parametrize("source", ["pip", "action"])
def test_pages_are_published_from_the_default_branch_only(source: str) -> None:
    jobs = yaml.safe_load(generated(source)[WORKFLOW])["jobs"]
    assert jobs["runbook"]["env"]["PUBLISH"] == "${{ " + DEFAULT_BRANCH_PUSH + " }}"
    steps = {step.get("name", step.get("uses")): step for step in jobs["runbook"]["steps"]}
    public = steps["Build the public edition for GitHub Pages"]
    assert public == {
        "name": "Build the public edition for GitHub Pages",
        "if": "env.PUBLISH == 'true'",
        "run": "crisisplan build --strict --audience public --site-dir public",
    }
    assert steps["actions/upload-pages-artifact@v3"] == {
        "uses": "actions/upload-pages-artifact@v3",
        "if": "env.PUBLISH == 'true'",
        "with": {"path": "public/"},
    }
    # The internal runbook is the run's artifact, on every branch.
    assert steps["actions/upload-artifact@v4"] == {
        "uses": "actions/upload-artifact@v4",
        "with": {"name": "runbook", "path": "site/"},
    }
    pages = jobs["pages"]
    assert (pages["needs"], pages["if"]) == ("runbook", DEFAULT_BRANCH_PUSH)
    assert pages["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert pages["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


@pytest.mark.parametrize("source", ["pip", "action"])
def test_the_pdf_cache_is_kept_per_branch_and_per_plan(source: str) -> None:
    steps = yaml.safe_load(generated(source)[WORKFLOW])["jobs"]["runbook"]["steps"]
    (cache,) = [step for step in steps if step.get("uses") == "actions/cache@v4"]
    builds = [i for i, step in enumerate(steps) if "crisisplan build" in step.get("run", "") or "@v0.2.0" in step.get("uses", "")]
    assert steps.index(cache) < builds[0]  # restored before the first build
    assert cache["with"] == {
        "path": ".crisisplan-cache/",
        "key": "crisisplan-pdfs-${{ github.ref }}-${{ "
        "hashFiles('plans/**', 'mkdocs.yml', '.github/workflows/*') }}",
        # Only this branch's own earlier caches: github.ref, never the branch's bare
        # name (a pull request's ref_name, '12/merge', could be a branch's name).
        "restore-keys": "crisisplan-pdfs-${{ github.ref }}-",
    }


def test_pdfs_work_with_what_the_workflow_installs() -> None:
    steps = yaml.safe_load(generated()[WORKFLOW])["jobs"]["runbook"]["steps"]
    (install,) = [step for step in steps if step.get("name") == "Install crisisplan"]
    assert install["run"] == (
        'pango="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"\n'
        "if ! dpkg -s $pango > /dev/null 2>&1; then\n"
        "  sudo apt-get update -q\n"
        "  sudo apt-get install -y -q --no-install-recommends $pango\n"
        "fi\n"
        "python -m pip install \\\n"
        '  "git+https://git.example.com/comms/crisisplan.git@v0.1.0"\n'
    )
    # Nothing in the build leaves the PDFs out.
    assert not any("--no-pdf" in step.get("run", "") for step in steps)


def test_code_scanning_is_a_job_of_its_own_when_asked_for() -> None:
    assert "sarif" not in generated()[WORKFLOW]
    jobs = yaml.safe_load(generated(code_scanning=True)[WORKFLOW])["jobs"]
    scanning = jobs["code-scanning"]
    # The only job that may write security events, and it builds nothing.
    assert scanning["permissions"] == {"actions": "read", "contents": "read", "security-events": "write"}
    assert [job for job, spec in jobs.items() if "security-events" in spec.get("permissions", {})] == ["code-scanning"]
    assert not any("crisisplan build" in step.get("run", "") for step in scanning["steps"])
    assert scanning["steps"][-2]["run"] == (
        "crisisplan check --strict --format sarif > crisisplan.sarif \\\n  || [ $? -eq 1 ]\n"
    )
    assert scanning["steps"][-1] == {
        "uses": "github/codeql-action/upload-sarif@v3",
        "with": {"sarif_file": "crisisplan.sarif", "category": "crisisplan"},
    }


# --- what the GitLab pipeline does ---------------------------------------------------


def test_the_pipeline_checks_builds_and_publishes_from_the_default_branch() -> None:
    pipeline = yaml.safe_load(generated()[GITLAB])
    assert set(pipeline) == {".crisisplan", "check", "build", "pages"}
    template = pipeline[".crisisplan"]
    assert template["image"] == "python:3.12-slim"
    assert template["before_script"] == [
        "apt-get update -q",
        "apt-get install -y -q --no-install-recommends git "
        "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core",
        'python -m pip install "git+https://git.example.com/comms/crisisplan.git@v0.1.0"',
    ]
    assert template["cache"] == {
        "key": "crisisplan-pdfs-$CI_JOB_NAME-$CI_COMMIT_REF_SLUG",
        "paths": [".crisisplan-cache/"],
    }
    assert all(pipeline[job]["extends"] == ".crisisplan" for job in ("check", "build", "pages"))
    assert pipeline["check"]["cache"] == []
    assert pipeline["check"]["artifacts"] == {
        "when": "always",
        "reports": {"codequality": "gl-code-quality-report.json"},
    }
    assert pipeline["build"]["artifacts"]["paths"] == ["site/"]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]}
    assert pipeline["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "rules" not in pipeline["check"] and "rules" not in pipeline["build"]


# --- the check and build lines, run by hand ------------------------------------------


def run(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A script as a runner runs it: bash, stopping at the first failing command."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    return {**env, "PATH": f"{BIN}{os.pathsep}{env['PATH']}", "CRISISPLAN_TODAY": DAY}


def without_pdfs(script: str) -> str:
    # PDFs are proven by the build and PDF tests; here, what matters is that the lines run.
    return script.replace("crisisplan build", "crisisplan build --no-pdf")


def started_repository(tmp_path: Path, existing: bool) -> Path:
    """A git repository started with `crisisplan init`: empty, or with a README and a
    .gitignore of its own (then with --skip-existing)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    args = ["--code-scanning"]
    if existing:
        (repo / "README.md").write_text("# Acme's crisis plans\n")
        (repo / ".gitignore").write_text("__pycache__/\n.venv/\n")
        args.append("--skip-existing")
    done = subprocess.run(
        [str(BIN / "crisisplan"), "init", "--source", "https://git.example.com/comms/crisisplan.git", "--rev", "v0.1.0", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    return repo


def assert_editions(repo: Path, internal: str, public: str) -> None:
    """The internal runbook with the team's numbers; the public one without them."""
    assert any(PHONE in page.read_text("utf-8") for page in (repo / internal).rglob("*.html"))
    assert (repo / public / "index.html").is_file()
    assert not any(PHONE in page.read_text("utf-8", "replace") for page in (repo / public).rglob("*") if page.is_file())


needs_git_and_bash = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


# Each CI system's lines run in one kind of repository (a new one, and one with a README
# and .gitignore of its own): both kinds are proven, at half the builds of every pairing.
@needs_git_and_bash
def test_the_workflows_check_and_build_steps_run_as_written(tmp_path: Path) -> None:
    repo = started_repository(tmp_path, existing=False)
    jobs = yaml.safe_load((repo / WORKFLOW).read_text())["jobs"]
    scripts = [
        step["run"]
        for job in ("runbook", "code-scanning")
        for step in jobs[job]["steps"]
        if step.get("run", "").startswith("crisisplan ")
    ]
    assert len(scripts) == 4  # check, build, the public edition, the SARIF check
    for script in scripts:
        done = run(without_pdfs(script), repo)
        assert done.returncode == 0, f"{script}\n{done.stdout}{done.stderr}"
    assert_editions(repo, "site", "public")
    sarif = json.loads((repo / "crisisplan.sarif").read_text())
    assert (sarif["version"], sarif["runs"][0]["results"]) == ("2.1.0", [])


@needs_git_and_bash
def test_the_pipelines_scripts_run_as_written(tmp_path: Path) -> None:
    repo = started_repository(tmp_path, existing=True)
    pipeline = yaml.safe_load((repo / GITLAB).read_text())
    for job in ("check", "build", "pages"):
        done = run(without_pdfs("\n".join(pipeline[job]["script"])), repo)
        assert done.returncode == 0, f"{job}\n{done.stdout}{done.stderr}"
    assert json.loads((repo / "gl-code-quality-report.json").read_text()) == []
    assert_editions(repo, "site", "public")


@needs_git_and_bash
def test_a_broken_plan_fails_the_check_and_still_fills_the_reports(tmp_path: Path) -> None:
    repo = started_repository(tmp_path, existing=False)
    plan = repo / "plans" / "example-co.yaml"
    plan.write_text(plan.read_text().replace("owner: social-lead\n", "owner: socail-lead\n", 1))
    pipeline = yaml.safe_load((repo / GITLAB).read_text())
    assert run(pipeline["check"]["script"][0], repo).returncode == 1
    (problem,) = json.loads((repo / "gl-code-quality-report.json").read_text())
    assert problem["check_name"] == "CP201"
    # The SARIF step uploads the problems and leaves failing to the check step.
    scanning = yaml.safe_load((repo / WORKFLOW).read_text())["jobs"]["code-scanning"]["steps"]
    assert run(scanning[-2]["run"], repo).returncode == 0
    assert len(json.loads((repo / "crisisplan.sarif").read_text())["runs"][0]["results"]) == 1


# --- the action's Pango step ---------------------------------------------------------


STUBS = {
    # Installed: the packages listed in $INSTALLED.
    "dpkg": 'case " $INSTALLED " in *" $2 "*) exit 0;; esac; exit 1',
    "ldconfig": 'for l in $LIBRARIES; do printf "\\t%s (libc6,x86-64) => /usr/lib/%s\\n" "$l" "$l"; done',
    "fc-list": 'printf "%s" "$FONTS"',
    "id": "echo 1000",
    "sudo": 'echo "sudo $*" >> "$LOG"; "$@"',
    "apt-get": 'echo "apt-get $*" >> "$LOG"',
}


def pango_step(tmp_path: Path, apt: bool = True, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (step,) = [s for s in action["runs"]["steps"] if s["name"] == "Install Pango for the PDF runbooks"]
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in STUBS.items():
        if name != "apt-get" or apt:
            (stubs / name).write_text(f"#!{shutil.which('bash')}\n{body}\n")
            (stubs / name).chmod(0o755)
    log = tmp_path / "log"
    log.touch()
    done = subprocess.run(
        [str(shutil.which("bash")), "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        capture_output=True,
        text=True,
        # Only the stand-ins on PATH: the machine's own dpkg and apt-get are out of reach.
        env={"PATH": str(stubs), "LOG": str(log), "INSTALLED": "", "LIBRARIES": "", "FONTS": "", **env},
        timeout=30,
        check=False,
    )
    return done, log.read_text().splitlines()


@needs_bash
def test_a_runner_with_pango_installs_nothing(tmp_path: Path) -> None:
    done, calls = pango_step(
        tmp_path, INSTALLED="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
    )
    assert (done.returncode, done.stdout, calls) == (0, "Pango, HarfBuzz and a font are installed already.\n", [])


@needs_bash
def test_libraries_found_without_dpkg_count_as_installed(tmp_path: Path) -> None:
    done, calls = pango_step(
        tmp_path,
        LIBRARIES="libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0",
        FONTS="/usr/share/fonts/DejaVuSans.ttf: DejaVu Sans\n",
    )
    assert (done.returncode, calls) == (0, [])


@needs_bash
def test_only_what_is_missing_is_installed(tmp_path: Path) -> None:
    done, calls = pango_step(
        tmp_path, INSTALLED="libpango-1.0-0 fonts-dejavu-core", LIBRARIES="libpangoft2-1.0.so.0"
    )
    assert done.returncode == 0, done.stderr
    assert calls == [
        "sudo apt-get update -q",
        "apt-get update -q",
        "sudo apt-get install -y -q --no-install-recommends libharfbuzz-subset0",
        "apt-get install -y -q --no-install-recommends libharfbuzz-subset0",
    ]


@needs_bash
def test_without_apt_get_it_says_what_is_missing(tmp_path: Path) -> None:
    done, calls = pango_step(tmp_path, apt=False, INSTALLED="libpango-1.0-0 libpangoft2-1.0-0")
    assert (done.returncode, calls) == (1, [])
    assert done.stdout == (
        "::error::The PDF runbooks need libharfbuzz-subset0 fonts-dejavu-core (or the same libraries "
        "by other names): install them on this runner, or set pdf: false.\n"
    )
