"""Running the room: its database, its keys, its socket and uvicorn.

Everything a person can get wrong when starting it (a bad --db, a port in use, no
key, an origin that is not one) ends in a CrisisplanError saying what to do, before
the server answers anything.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.files import describe_os_error
from crisisplan.room import auth
from crisisplan.room.app import RoomSettings, room_app
from crisisplan.room.store import Store, open_store

KEY_ENV = "CRISISPLAN_ROOM_KEY"
DB_NAME = "crisisplan-room.sqlite3"
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


class RoomError(CrisisplanError):
    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class RoomOptions:
    db: str
    host: str = "127.0.0.1"
    port: int = 8765
    origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    key_file: Path | None = None
    code_max_age: dt.timedelta = dt.timedelta(hours=12)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))


def default_db(plan: Path) -> str:
    """The SQLite file beside the plan: in its folder, or beside its file."""
    folder = plan if plan.is_dir() or not plan.suffix else plan.parent
    return str(folder / DB_NAME)


def make_room_key(db: str) -> str:
    """A new room key, stored hashed in the room's database; shown only this once."""
    store = open_store(db)
    try:
        key = auth.make_key()
        store.add_key(auth.hash_secret(key), dt.datetime.now(dt.UTC))
    finally:
        store.close()
    return key


def _given_key(options: RoomOptions) -> str:
    """A key handed to the server at start: from the environment or a file, never
    the command line (which every user of the machine can read)."""
    if options.key_file is not None:
        try:
            text = options.key_file.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = describe_os_error(exc) if isinstance(exc, OSError) else "it is not text"
            raise RoomError(f"cannot read the room key from {options.key_file}: {reason}", "give --key-file the file holding the key") from None
        if not text:
            raise RoomError(f"{options.key_file} is empty", "write the room key into it (crisisplan room key makes one)")
        return text
    return options.environ.get(KEY_ENV, "").strip()


def _origin(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise RoomError(
            f"--origin {value} is not an origin",
            "give the address the runbook is served from, without a path, like https://runbook.example.org",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _host_names(host: str, allowed: tuple[str, ...]) -> frozenset[str]:
    names = set(_LOOPBACK_NAMES)
    try:
        address = ipaddress.ip_address(host)
        if not address.is_unspecified:
            names.add(f"[{address}]" if address.version == 6 else str(address))
    except ValueError:
        names.add(host.lower())
    for name in allowed:
        plain = name.strip().lower().removesuffix(".")
        if not plain or "/" in plain or ":" in plain.strip("[]"):
            raise RoomError(
                f"--allowed-host {name} is not a host name",
                "give the name phones use to reach the room, without scheme or port, like room.example.org",
            )
        names.add(plain)
    return frozenset(names)


def _settings(options: RoomOptions, store: Store) -> RoomSettings:
    given = _given_key(options)
    if not given and not store.key_hashes():
        raise RoomError(
            f"the room has no key yet ({store.where})",
            f"make one with 'crisisplan room key', or give one in {KEY_ENV} or with --key-file",
        )
    return RoomSettings(
        origins=tuple(_origin(o) for o in options.origins),
        hosts=_host_names(options.host, options.allowed_hosts),
        code_max_age=options.code_max_age,
        key_hashes=(auth.hash_secret(given),) if given else (),
    )


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is a sentence, not a log."""
    hint = "give another --port (another program uses this one), or a --host of this machine"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise RoomError(f"cannot listen on {host}:{port}: {describe_os_error(exc)}", hint) from None
    except (OverflowError, UnicodeError):
        sock.close()
        raise RoomError(f"cannot listen on {host}:{port}", "give a --port from 0 to 65535 and a --host of this machine") from None
    return sock


def run_room(options: RoomOptions, ready: Callable[[str], None]) -> None:
    """Serve the room until Ctrl-C or SIGTERM; ``ready`` is told its address."""
    import uvicorn

    store = open_store(options.db)
    try:
        settings = _settings(options, store)
        sock = _bind(options.host, options.port)
        port = sock.getsockname()[1]
        shown = f"[{options.host}]" if ":" in options.host else options.host
        config = uvicorn.Config(
            room_app(store, settings),
            log_config=None,
            log_level=logging.WARNING,
            # Who asked what is not kept: the room writes no access log.
            access_log=False,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        ready(f"http://{shown}:{port}")
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
