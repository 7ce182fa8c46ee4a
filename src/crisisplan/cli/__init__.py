"""The command line: options in, one core call, a reporter, an exit code. Nothing else."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from crisisplan import __version__
from crisisplan.errors import EXIT_PROBLEMS, CrisisplanError


class _Commands(click.Group):
    """crisisplan's commands, with the one place where the core's errors become
    output: what is wrong, what to do instead, and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrisisplanError as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crisisplan")
def cli() -> None:
    """Check and publish crisis-management plans written in YAML."""


# Each command lives in its own module (as in mkdocs); this is where they are registered.
from crisisplan.cli import build, check, incident, init, reference, room  # noqa: E402

for _command in (
    check.check,
    build.build_command,
    build.serve,
    incident.scenarios,
    incident.statement,
    incident.drill,
    incident.review,
    room.room,
    init.init,
    reference.schema,
    reference.list_checks,
    reference.explain,
):
    cli.add_command(_command)


class Terminated(BaseException):
    """SIGTERM (a CI timeout, `kill`): unwind like Ctrl-C so scratch folders and PDF
    workers are cleaned up and the published site is left as it was."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Entry point: Click's usage errors exit 2; anything unexpected is reported, not traced."""
    import signal

    from crisisplan.render.labels import CatalogError, project_catalogs

    signal.signal(signal.SIGTERM, _terminate)
    try:
        # A team's own translations in locale/ here apply to every command's output.
        with project_catalogs([Path.cwd()]):
            cli.main(standalone_mode=True)
    except CatalogError as exc:
        click.echo(f"error: cannot use the translations: {exc}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Terminated:
        click.echo("Stopped.", err=True)
        sys.exit(143)
    except RecursionError:
        click.echo("error: the input is nested too deeply to process", err=True)
        sys.exit(EXIT_PROBLEMS)
    except MemoryError:
        click.echo("error: out of memory", err=True)
        sys.exit(EXIT_PROBLEMS)
    except Exception as exc:
        # A bug of ours: say so in one line, never with a traceback in front of an
        # author; CRISISPLAN_DEBUG=1 shows it for a bug report.
        if os.environ.get("CRISISPLAN_DEBUG"):
            raise
        click.echo(
            f"error: crisisplan failed unexpectedly ({type(exc).__name__}: {exc})\n"
            "  hint: this is a bug in crisisplan; run again with CRISISPLAN_DEBUG=1 and report what it prints",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
