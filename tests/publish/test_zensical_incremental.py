"""A Zensical build keeps the engine's input and Zensical's cache between builds (in
.crisisplan-cache/), so that one word changed renders one page again: the site it
publishes must be the one a fresh build makes, and a kept folder that a killed build,
another version or someone else left must not be trusted.

Real builds of a small generated plan (benchmarks/generate.py) with Zensical, no PDFs.
Without Zensical the tests skip, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import datetime as dt
import os
import runpy
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions, BuildResult
from crisisplan.publish.site.zensical_site import input_stamp
from crisisplan.publish.sitefolder import CACHE_DIR, INPUT_DIR, INPUT_MARKER
from tests.conftest import ROOT, TODAY, require_zensical

# The scale benchmark's plans of N scenarios (benchmarks/generate.py).
generate = runpy.run_path(str(ROOT / "benchmarks" / "generate.py"))["generate"]

SCENARIOS = 3
CHANGED = "data-breach"
WORD, NEW_WORD = " press ", " zebrafinch "


@pytest.fixture(autouse=True, scope="module")
def _zensical() -> None:
    require_zensical()


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan")
    generate(folder / "plans" / "brightbrew", SCENARIOS)
    return folder / "plans"


def _build(project: Path, cache: bool = True) -> BuildResult:
    result = build(
        BuildOptions(
            paths=[project / "plans"],
            site_dir=project / "site",
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            pdf=False,
            engine="zensical",
            cache=cache,
        )
    )
    assert result.built, result.report.diagnostics
    return result


def _project(plans: Path, where: Path) -> Path:
    shutil.copytree(plans, where / "plans")
    return where


def _change_a_word(project: Path) -> None:
    scenario = project / "plans" / "brightbrew" / "scenarios" / f"{CHANGED}.yaml"
    text = scenario.read_text("utf-8")
    assert WORD in text
    scenario.write_text(text.replace(WORD, NEW_WORD, 1), "utf-8")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _kept(project: Path) -> Path:
    return project / CACHE_DIR / INPUT_DIR / "site" / "edition-root"


@pytest.fixture(scope="module")
def built(plan: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once with Zensical, its kept folder and all: each test builds
    again in a copy of it."""
    project = _project(plan, tmp_path_factory.mktemp("built"))
    _build(project)
    return project


def _copy(built: Path, where: Path) -> Path:
    # copy2: the files keep their times, as they would in the project itself.
    shutil.copytree(built, where / "project", symlinks=True)
    return where / "project"


@pytest.fixture(scope="module")
def fresh_after_change(plan: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The site a fresh build makes of the plan with the word changed."""
    project = _project(plan, tmp_path_factory.mktemp("fresh"))
    _change_a_word(project)
    _build(project, cache=False)
    assert not (project / CACHE_DIR / INPUT_DIR).exists()
    return _files(project / "site")


def test_one_word_changed_gives_the_site_a_fresh_build_gives(
    built: Path, tmp_path: Path, fresh_after_change: dict[str, bytes]
) -> None:
    project = _copy(built, tmp_path)
    docs = _kept(project) / "docs"
    page = f"brightbrew/scenarios/{CHANGED}.md"
    times = {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    before = _files(project / "site")

    _change_a_word(project)
    _build(project)

    after = _files(project / "site")
    changed_page = f"brightbrew/scenarios/{CHANGED}.html"
    assert NEW_WORD.strip().encode() in after[changed_page]
    assert NEW_WORD.strip().encode() not in before[changed_page]
    # No page is stale: the whole site is byte for byte the fresh build's.
    assert after.keys() == fresh_after_change.keys()
    assert [name for name in after if after[name] != fresh_after_change[name]] == []
    # Only the changed page's Markdown was written again: Zensical sees what changed.
    rewritten = sorted(name for name, ns in times.items() if (docs / name).stat().st_mtime_ns != ns)
    assert rewritten == [page]


def test_a_damaged_kept_folder_is_not_trusted(
    built: Path, tmp_path: Path, fresh_after_change: dict[str, bytes]
) -> None:
    project = _copy(built, tmp_path)
    kept = _kept(project)
    # Zensical's cache overwritten with noise, a page of the kept docs forged, a file
    # that crisisplan never wrote beside them.
    for entry in (kept / ".cache").iterdir():
        entry.write_bytes(os.urandom(64))
    (kept / "docs" / "brightbrew" / "scenarios" / "hacked-account.md").write_text("FORGED", "utf-8")
    (kept / "docs" / "planted.md").write_text("# Planted\n", "utf-8")
    # Never read (a read would wait for ever), and gone with the rest.
    os.mkfifo(kept / ".cache" / "pipe")

    _change_a_word(project)
    _build(project)

    # Zensical, given that cache, adds an objects.inv of noise to the site.
    assert _files(project / "site") == fresh_after_change
    assert not (kept / "docs" / "planted.md").exists()
    assert not (kept / ".cache" / "pipe").exists()


def _killed(marker: str) -> str:
    return marker.split("\n", 1)[0] + "\nbuilding\n"


def _older(marker: str) -> str:
    # The digest still right: only what made the folder differs.
    return "crisisplan-zensical-input-0 crisisplan 0.0.1 zensical 0.0.1\n" + marker.split("\n", 1)[1]


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param(_killed, id="a build that did not finish"),
        pytest.param(_older, id="another version"),
        pytest.param(None, id="no marker"),
    ],
)
def test_a_kept_folder_not_left_by_a_finished_build_is_emptied(
    built: Path, tmp_path: Path, fresh_after_change: dict[str, bytes], marker: Callable[[str], str] | None
) -> None:
    project = _copy(built, tmp_path)
    kept = _kept(project)
    marker_file = kept / INPUT_MARKER
    assert marker_file.read_text("utf-8").startswith(f"{input_stamp()}\nfinished\n")
    if marker is None:
        marker_file.unlink()
    else:
        marker_file.write_text(marker(marker_file.read_text("utf-8")), "utf-8")
    # A page that does not change: written anew only if the folder was emptied.
    unchanged = kept / "docs" / "brightbrew" / "scenarios" / "hacked-account.md"
    written = unchanged.stat().st_mtime_ns

    _change_a_word(project)
    _build(project)

    assert unchanged.stat().st_mtime_ns != written
    assert marker_file.read_text("utf-8").startswith(f"{input_stamp()}\nfinished\n")
    assert _files(project / "site") == fresh_after_change


def test_a_kept_folder_committed_to_git_is_not_used(
    built: Path, tmp_path: Path, fresh_after_change: dict[str, bytes]
) -> None:
    project = _copy(built, tmp_path)
    kept = _kept(project)
    # Whoever can commit can forge what the folder holds, marker and all.
    forged = kept / "docs" / "brightbrew" / "scenarios" / "hacked-account.md"
    forged.write_text("FORGED", "utf-8")
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", CACHE_DIR], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "cache"], check=True)

    _change_a_word(project)
    _build(project)

    assert _files(project / "site") == fresh_after_change
    # Built in scratch space: the committed folder is left as it is.
    assert forged.read_text("utf-8") == "FORGED"
