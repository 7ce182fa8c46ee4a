"""`crisisplan check`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from crisisplan.cli.common import (
    _configured,
    _fail,
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
from crisisplan.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

stdin_filename_option = click.option(
    "--stdin-filename",
    metavar="NAME",
    default=None,
    help="With -, check standard input as the file NAME (as an editor checks an unsaved file): "
    "problems name NAME, and a file in a plan's scenarios/ or reviews/ folder is checked "
    "as a scenario or review, on its own, against its schema.",
)
output_file_option = click.option(
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="Write the report in --format to PATH (replaced in one step) and print the text "
    "report here as well: one CI run can save SARIF and show people the problems.",
)


@click.command()
@paths_argument
@format_option
@strict_option
@quiet_option
@verbose_option
@stdin_filename_option
@output_file_option
def check(
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    quiet: bool,
    verbose: bool,
    stdin_filename: str | None,
    output_file: Path | None,
) -> None:
    """Check plans for mistakes and say where each one is.

    PATH is a plan file, a plan folder (plan.yaml plus scenarios/), or a folder of
    plans; the default is plans/. - reads one plan from standard input (reported as
    <stdin>, or as --stdin-filename's NAME). Exits 0 when clean, 1 when there are
    problems (warnings count only with --strict), 2 on a usage error.
    """
    from crisisplan.check.formats import FILE_NAMES
    from crisisplan.check.pipeline import check_paths
    from crisisplan.check.report import (
        REPORTERS,
        plan_files,
        plan_lines,
        write_report,
    )
    from crisisplan.files import WriteRefused, describe_os_error
    from crisisplan.plan.discovery import STDIN

    _quiet_or_verbose(quiet, verbose)
    if stdin_filename is not None and STDIN not in (str(path) for path in paths):
        raise click.UsageError(
            "--stdin-filename names the plan read from standard input: give - as its path, "
            "like crisisplan check - --stdin-filename plans/acme.yaml"
        )
    if stdin_filename == "":
        raise click.UsageError("--stdin-filename needs a file name, like plans/acme.yaml")
    # A closed standard input (`<&-`) reads as an empty plan, not as a file named '-'.
    stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()
    config = _project_config()
    output_format = _configured("output_format", output_format, config.format)
    strict = _configured("strict", strict, config.strict)
    plan_paths = _plan_paths(paths, config)
    report = check_paths(plan_paths, today=_today(), stdin=stdin, config=config, stdin_name=stdin_filename)
    if verbose:
        for line in plan_lines(report, stdin_filename):
            click.echo(line, err=True)
    if output_file is not None:
        rendered = REPORTERS[output_format](quiet=quiet, stdin_name=stdin_filename).render(report)
        plans = [*plan_files(report), *([Path(stdin_filename)] if stdin_filename else [])]
        try:
            write_report(output_file, rendered, plans, FILE_NAMES[output_format])
        except WriteRefused as refused:
            _fail(refused.message, refused.hint, EXIT_USAGE)
        except OSError as exc:
            _fail(f"cannot write {output_file}: {describe_os_error(exc)}", code=EXIT_USAGE)
        # The file is for tools; the terminal (a CI log) shows people the problems.
        output_format = "text"
    click.echo(REPORTERS[output_format](quiet=quiet, stdin_name=stdin_filename).render(report), nl=False)
    sys.exit(EXIT_PROBLEMS if report.failed(strict) else EXIT_OK)

