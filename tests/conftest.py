"""Shared fixtures. Checks that depend on today's date see a fixed day, so results
do not change as the calendar moves on.

Building the example plans with their PDFs takes over a minute on two
cores, so the suite builds them once (``example_build``, and ``public_example_build``
for the public edition) and every test that reads the example PDFs shares that build.
A test that needs pages but no PDFs shares ``example_site`` (or
``zensical_example_site``), built with ``pdf=False``. The shared builds are read,
never changed: a test that must change one copies it first, and the session ends in
an error if one was changed anyway. Browser tests share one Chromium, closed after
each module (tests/browser.py, pytest_runtest_teardown below).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import inspect
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from crisisplan.plan.model import Plan
    from crisisplan.publish.options import BuildResult

TODAY = "2026-11-22"
ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
CASES = TESTS / "cases"

# Set before anything runs so subprocesses (the CLI run for real) see it too.
os.environ["CRISISPLAN_TODAY"] = TODAY


@pytest.fixture
def root() -> Path:
    return ROOT


def invoke(*args: str, cwd: Path = ROOT) -> tuple[int, str, str]:
    """Run the CLI in-process from a folder, as a user would from a shell there:
    the exit code, standard output and standard error."""
    from click.testing import CliRunner

    from crisisplan.cli import cli

    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout, result.stderr


def checked_plan(path: Path) -> Plan:
    """A plan read and checked as `crisisplan check` does; it must have no error."""
    from crisisplan.check.pipeline import check_paths

    report = check_paths([path], today=dt.date.fromisoformat(TODAY))
    assert report.errors == 0, report.diagnostics
    (checked,) = report.plans
    assert checked.plan is not None
    return checked.plan


def build_examples(site: Path, **options: Any) -> BuildResult:
    """A real build of the example plans into site, with the repository's mkdocs.yml."""
    from crisisplan.publish.build import build
    from crisisplan.publish.options import BuildOptions

    result = build(
        BuildOptions(
            paths=[ROOT / "plans"],
            site_dir=site,
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            **options,
        )
    )
    assert result.built, result.report.diagnostics
    return result


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file and link under a folder, with its content (a link as "-> target"):
    to prove that nothing changed."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


# Where a build keeps its PDF cache: beside the site folder (see publish/pdf/cache.py).
PDF_CACHE = ".crisisplan-cache"

SharedBuild = tuple[Path, "BuildResult"]


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder with its size and modification time."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _build_once(folder: Path, options: dict[str, Any]) -> tuple[Path, BuildResult]:
    """The examples built into folder by whichever worker comes first; its result is
    kept beside the folder for the workers that come after."""
    kept = folder.with_suffix(".result")
    with open(folder.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            # Written by this same test run a moment ago, in its own temporary folder.
            result: BuildResult = pickle.loads(kept.read_bytes())  # noqa: S301
        else:
            folder.mkdir()
            result = build_examples(folder / "site", **options)
            kept.write_bytes(pickle.dumps(result))
    return folder, result


def _shared_build(
    tmp_path_factory: pytest.TempPathFactory, name: str, **options: Any
) -> Iterator[SharedBuild]:
    """Build the examples once into a folder of their own (the site, its PDF cache
    beside it); after the session, fail if a test changed anything there.

    Under pytest-xdist every worker asks for the same build: the first builds it in
    the folder the workers share, the others wait for it and read its result."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        result = build_examples(folder / "site", **options)
    else:
        folder, result = _build_once(tmp_path_factory.getbasetemp().parent / name, options)
    site = folder / "site"
    before = _files(folder)
    yield site, result
    changed = sorted(set(before.items()) ^ set(_files(folder).items()))
    assert not changed, (
        f"a test changed the shared build in {folder} (copy it first): {changed[:5]}"
    )


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedBuild]:
    """The example plans (plans/) built once with their PDFs, internal edition: the
    site folder and the BuildResult. Read it; never change it."""
    yield from _shared_build(tmp_path_factory, "example-build")


@pytest.fixture(scope="session")
def public_example_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedBuild]:
    """The example plans built once with their PDFs as the public edition."""
    yield from _shared_build(tmp_path_factory, "public-example-build", public=True)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example plans built once without PDFs (MkDocs), for tests of the pages."""
    for site, _ in _shared_build(tmp_path_factory, "example-site", pdf=False):
        yield site


@pytest.fixture(scope="session")
def zensical_example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example plans built once without PDFs as `crisisplan build --engine zensical`
    builds them: build.py's own steps around the engine (editions, page languages,
    search index). Request it only after checking that Zensical is installed."""
    for site, _ in _shared_build(
        tmp_path_factory, "zensical-example-site", pdf=False, engine="zensical"
    ):
        yield site


def seed_pdf_cache(shared: SharedBuild, site: Path) -> None:
    """Give a new site folder the PDF cache of a shared build, so that building (some
    of) the same plans there renders only what differs from the shared build."""
    source = shared[0].parent / PDF_CACHE
    shutil.copytree(source, site.parent / PDF_CACHE, dirs_exist_ok=True)


@functools.cache
def _starts_playwright(function: Any) -> bool:
    try:
        return "sync_playwright" in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Close the Chromium that browser tests share (tests/browser.py) after the last
    test of a module, and before a test that starts Playwright itself: only one
    Playwright may run at a time."""
    module = getattr(item, "module", None)
    if (
        nextitem is None
        or getattr(nextitem, "module", None) is not module
        or _starts_playwright(getattr(nextitem, "function", None))
    ):
        from tests.browser import close_browser

        close_browser()


def require_zensical() -> None:
    """Skip a test without Zensical, except in CI (CI=true), where it must run."""
    from crisisplan.publish.site.zensical_site import zensical_installed

    if not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
