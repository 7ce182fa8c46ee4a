"""The command line: options in, one core call, a reporter, an exit code. Nothing else."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from crisisplan import __version__
from crisisplan.errors import EXIT_PROBLEMS, CrisisplanError

# Each command lives in its own module (as in mkdocs), imported only when it runs or
# when --help lists it: `crisisplan --version` and `crisisplan check` do not pay for
# the build's, the room's or the incident tools' imports. Name -> "module:object".
_COMMANDS = {
    "check": "check:check",
    "build": "build:build_command",
    "serve": "build:serve",
    "scenarios": "incident:scenarios",
    "statement": "incident:statement",
    "drill": "incident:drill",
    "review": "incident:review",
    "room": "room:room",
    "init": "init:init",
    "schema": "reference:schema",
    "checks": "reference:list_checks",
    "explain": "reference:explain",
}


class _LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name, each imported the first time it is asked for:
    listing names (--help's order, "did you mean") imports nothing."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attribute = self._where[name].partition(":")
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._where and name not in self._loaded:
            raise KeyError(name)
        self._where.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._where), **dict.fromkeys(self._loaded)})

    def __len__(self) -> int:
        return len(self._where.keys() | self._loaded.keys())


class _Commands(click.Group):
    """crisisplan's commands, with the one place where the core's errors become
    output: what is wrong, what to do instead, and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        # Here rather than in main() or at the top: --version and --help import
        # neither the labels nor pathlib.
        from pathlib import Path

        from crisisplan.render.labels import project_catalogs

        try:
            # A team's own translations in locale/ here apply to every command's output.
            with project_catalogs([Path.cwd()]):
                return super().invoke(ctx)
        except CrisisplanError as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            ctx.exit(exc.exit_code)


@click.group(
    cls=_Commands,
    commands=_LazyCommands(_COMMANDS),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="crisisplan")
def cli() -> None:
    """Check and publish crisis-management plans written in YAML."""


class Terminated(BaseException):
    """SIGTERM (a CI timeout, `kill`): unwind like Ctrl-C so scratch folders and PDF
    workers are cleaned up and the published site is left as it was."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Entry point: Click's usage errors exit 2; anything unexpected is reported, not traced."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(standalone_mode=True)
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
