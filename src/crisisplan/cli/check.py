"""`crisisplan check`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crisisplan.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    _plan_paths,
    _today,
    format_option,
    paths_argument,
    strict_option,
)


@click.command()
@paths_argument
@format_option
@strict_option
def check(paths: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check plans for mistakes and say where each one is.

    PATH is a plan file, a plan folder (plan.yaml plus scenarios/), or a folder of
    plans; the default is plans/. Exits 0 when clean, 1 when there are problems
    (warnings count only with --strict), 2 on a usage error.
    """
    from crisisplan.checker import check_paths
    from crisisplan.reporters import REPORTERS

    report = check_paths(_plan_paths(paths), today=_today())
    click.echo(REPORTERS[output_format]().render(report), nl=False)
    sys.exit(EXIT_PROBLEMS if report.failed(strict) else EXIT_OK)
