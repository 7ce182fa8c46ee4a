"""`crisisplan room` given something it cannot use: a sentence and exit 2, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from crisisplan.cli.room import room
from tests.room.roomkit import KEY, RoomServer, call


def run(*args: str, key: str = KEY) -> tuple[int, str]:
    result = CliRunner().invoke(room, list(args), env={"CRISISPLAN_ROOM_KEY": key}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_a_database_url_the_room_cannot_use(tmp_path: Path) -> None:
    assert run("--db", "mysql://db.example/room") == (
        2,
        "error: --db mysql://... is not a database the room can use\n"
        "  hint: give a file for SQLite (like room.sqlite3) or a URL like postgresql://user@host/database\n",
    )


def test_a_postgresql_server_that_is_not_there_is_named_without_its_password() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    code, err = run("--db", f"postgresql://crisis:s3cret@127.0.0.1:{free}/room")
    assert code == 2
    assert err.startswith(f"error: cannot connect to the room's database postgresql://127.0.0.1:{free}/room: ")
    assert "s3cret" not in err
    assert "hint: check the URL (postgresql://user:password@host:5432/database), that the server runs" in err


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database " * 100, "utf-8")
    code, err = run("--db", str(tmp_path / "notes.txt"))
    assert code == 2
    assert err == (
        f"error: cannot use {tmp_path / 'notes.txt'} as the room's database: file is not a database\n"
        "  hint: give --db a new file in a folder you can write to, or the room's own database file\n"
    )


def test_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = run("--db", str(tmp_path / "room.sqlite3"), "--port", str(port))
    assert code == 2
    assert err == (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
        "  hint: give another --port (another program uses this one), or a --host of this machine\n"
    )


def test_no_room_key(tmp_path: Path) -> None:
    db = tmp_path / "room.sqlite3"
    code, err = run("--db", str(db), key="")
    assert code == 2
    assert err == (
        f"error: the room has no key yet ({db})\n"
        "  hint: make one with 'crisisplan room key', or give one in CRISISPLAN_ROOM_KEY or with --key-file\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--origin", "runbook.example.org"), "error: --origin runbook.example.org is not an origin\n"),
        (("--origin", "https://runbook.example.org/incident"), "error: --origin https://runbook.example.org/incident is not an origin\n"),
        (("--allowed-host", "https://room.example.org"), "error: --allowed-host https://room.example.org is not a host name\n"),
        (("--key-file", "missing-key.txt"), "error: cannot read the room key from missing-key.txt: No such file or directory\n"),
    ],
)
def test_options_the_room_cannot_use(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, err = run("--db", str(tmp_path / "room.sqlite3"), *args)
    assert code == 2 and err.startswith(message), err


def test_the_default_database_is_beside_the_plan(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    result = CliRunner().invoke(room, ["key", "--plan", str(plans)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (plans / "crisisplan-room.sqlite3").is_file()


def test_a_key_given_in_a_file_opens_incidents(tmp_path: Path) -> None:
    (tmp_path / "room.key").write_text("crk_from-a-file-0123456789abcdefghijkl\n", "utf-8")
    with RoomServer(str(tmp_path / "room.sqlite3"), "--key-file", str(tmp_path / "room.key"), key="") as server:
        opened, _, _ = call(server.port, "POST", "/api/incidents", {"scenario": "hacked-account", "by": "lead"}, token="crk_from-a-file-0123456789abcdefghijkl")  # noqa: S106 - the test's own key
        refused, _, _ = call(server.port, "POST", "/api/incidents", {"scenario": "hacked-account", "by": "lead"}, token=KEY)
    assert (opened, refused) == (201, 401)
