"""Shared fixtures. Checks that depend on today's date see a fixed day, so results
do not change as the calendar moves on."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from crisisplan.publish.options import BuildResult

TODAY = "2026-11-22"
ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"

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
