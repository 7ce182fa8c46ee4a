"""`crisisplan room`: the incident room server, and `crisisplan room key`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from crisisplan.cli.common import _fail
from crisisplan.errors import CrisisplanError

_db_option = click.option(
    "--db",
    help="The room's database: an SQLite file, or a postgresql://user@host/database URL "
    "(needs pip install 'crisisplan[room-postgres]'). Default: crisisplan-room.sqlite3 beside the plan.",
)
_plan_option = click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path),
    default=Path("plans"),
    show_default=True,
    help="The plan (file or folder) the default database is kept beside.",
)


def _db(db: str | None, plan_path: Path) -> str:
    from crisisplan.room.server import default_db

    return db or default_db(plan_path)


@click.group(invoke_without_command=True)
@_db_option
@_plan_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="The port (0: any free one).")
@click.option(
    "--origin",
    "origins",
    multiple=True,
    metavar="URL",
    help="An address the runbook is served from, like https://runbook.example.org: pages from it may use the room. Repeat for each.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A name phones reach the room by, like room.example.org (localhost and the --host address always work). Repeat for each.",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file holding a room key to accept besides those made with 'crisisplan room key' "
    "(or set CRISISPLAN_ROOM_KEY; never give a key on the command line).",
)
@click.option(
    "--code-hours",
    type=click.IntRange(1, 24 * 7),
    default=12,
    show_default=True,
    help="How long a join code works at most (it also stops when the incident ends).",
)
@click.pass_context
def room(
    ctx: click.Context,
    db: str | None,
    plan_path: Path,
    host: str,
    port: int,
    origins: tuple[str, ...],
    allowed_hosts: tuple[str, ...],
    key_file: Path | None,
    code_hours: int,
) -> None:
    """Run the incident room: phones of one team share an incident's timeline, live.

    Put it behind a TLS proxy (docs: Incident room); the lead opens an incident with
    the room key, the others join with the code the lead's phone shows.
    """
    if ctx.invoked_subcommand is not None:
        return
    from crisisplan.room.server import RoomOptions, run_room

    options = RoomOptions(
        db=_db(db, plan_path),
        host=host,
        port=port,
        origins=origins,
        allowed_hosts=allowed_hosts,
        key_file=key_file,
        code_max_age=dt.timedelta(hours=code_hours),
    )

    def ready(address: str) -> None:
        click.echo(f"Room open at {address} (database: {options.db}); stop it with Ctrl-C.", err=True)

    try:
        run_room(options, ready)
    except CrisisplanError as exc:
        _fail(exc.message, exc.hint, exc.exit_code)
    except KeyboardInterrupt:
        # uvicorn has shut down cleanly and hands Ctrl-C on: the way a room is stopped.
        click.echo("Room stopped.", err=True)


@room.command()
@_db_option
@_plan_option
def key(db: str | None, plan_path: Path) -> None:
    """Make a room key: printed once, stored only as a hash. Whoever holds it can open incidents."""
    from crisisplan.room.server import make_room_key

    where = _db(db, plan_path)
    try:
        made = make_room_key(where)
    except CrisisplanError as exc:
        _fail(exc.message, exc.hint, exc.exit_code)
    click.echo(made)
    click.echo(
        f"Stored (hashed) in {where}. Keep this key where the crisis team keeps passwords: it is not shown again.",
        err=True,
    )


if __name__ == "__main__":
    room()
