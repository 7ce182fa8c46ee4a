"""The command line: options in, one core call, a reporter, an exit code. Nothing else."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from crisisplan import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_PLANS = Path("plans")

paths_argument = click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path),
    metavar="[PATH]...",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Fail on warnings too (unapproved statements, overdue reviews)."
)


def _today() -> dt.date:
    """Today, or CRISISPLAN_TODAY (YYYY-MM-DD) so that checks can be reproduced."""
    fixed = os.environ.get("CRISISPLAN_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise click.UsageError(f"CRISISPLAN_TODAY must be a date like 2026-11-22, not '{fixed}'") from None


def _plan_paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_PLANS.exists():
        raise click.UsageError(
            "there is no plans/ folder here: give the path of a plan, like 'crisisplan check my-plan.yaml'"
        )
    return [DEFAULT_PLANS]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crisisplan")
def cli() -> None:
    """Check and publish crisis-management plans written in YAML."""


@cli.command()
@paths_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)
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


@cli.command()
def schema() -> None:
    """Print the plan format's JSON Schema (draft-07), for editors and other tools."""
    from crisisplan.schema import schema_text

    click.echo(schema_text(), nl=False)


@cli.command(name="checks")
def list_checks() -> None:
    """List every diagnostic code with what it catches."""
    from crisisplan.codes import all_codes

    for info in all_codes():
        click.echo(f"{info.code}  {info.severity:<7}  {info.name:<30} {info.summary}")


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a diagnostic code, with an example that fails and one that passes."""
    from crisisplan.codes import all_codes

    wanted = code.upper()
    for info in all_codes():
        if wanted in (info.code, info.name.upper()):
            click.echo(f"{info.code} {info.name} ({info.severity})\n\n{info.doc}")
            return
    raise click.UsageError(f"no code '{code}': 'crisisplan checks' lists them all")


def main() -> None:
    """Entry point: Click's usage errors exit 2; anything unexpected is reported, not traced."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
