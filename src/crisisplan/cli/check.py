"""`crisisplan check`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from crisisplan.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    _configured,
    _plan_paths,
    _project_config,
    _quiet_or_verbose,
    _today,
    format_option,
    paths_argument,
    quiet_option,
    strict_option,
    verbose_option,
)


@click.command()
@paths_argument
@format_option
@strict_option
@quiet_option
@verbose_option
def check(paths: tuple[Path, ...], output_format: str, strict: bool, quiet: bool, verbose: bool) -> None:
    """Check plans for mistakes and say where each one is.

    PATH is a plan file, a plan folder (plan.yaml plus scenarios/), or a folder of
    plans; the default is plans/. - reads one plan from standard input (reported as
    <stdin>). Exits 0 when clean, 1 when there are problems (warnings count only
    with --strict), 2 on a usage error.
    """
    from crisisplan.checker import check_paths
    from crisisplan.reporters import REPORTERS, plan_lines

    _quiet_or_verbose(quiet, verbose)
    # A closed standard input (`<&-`) reads as an empty plan, not as a file named '-'.
    stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()
    config = _project_config()
    output_format = _configured("output_format", output_format, config.format)
    strict = _configured("strict", strict, config.strict)
    report = check_paths(_plan_paths(paths, config), today=_today(), stdin=stdin, config=config)
    if verbose:
        for line in plan_lines(report):
            click.echo(line, err=True)
    click.echo(REPORTERS[output_format](quiet=quiet).render(report), nl=False)
    sys.exit(EXIT_PROBLEMS if report.failed(strict) else EXIT_OK)
