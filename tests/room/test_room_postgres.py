"""The room on PostgreSQL: a throwaway cluster (initdb, pg_ctl) on a free port.

Skipped where PostgreSQL is not installed, except under CI=true, where it must be.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crisisplan.incident.review import read_log
from tests.room.roomkit import Phone, RoomServer, Stream, call, kill_9_loses_nothing

# Debian's and Ubuntu's place for PostgreSQL's server programs, newest first; else PATH.
_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)


def _bin_dir() -> Path | None:
    for folder in _BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and (Path(found).parent / "initdb").is_file() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    url: str
    restart: Callable[[], None]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A new PostgreSQL cluster: its database's URL, and a way to restart it."""
    programs = _bin_dir()
    if programs is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required for the room's tests in CI: apt-get install -y postgresql")
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="crisisplan-pg-"))
    # PostgreSQL refuses to run as root: as root (a container, CI), its own user runs it.
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*as_user, str(programs / "initdb"), "-D", str(data), "-U", "crisis", "--auth=trust", "-E", "UTF8", "--no-sync"], **run)  # type: ignore[call-overload]
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([*as_user, str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"], **run)  # type: ignore[call-overload]
    pg_ctl = [*as_user, str(programs / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w"]

    def restart() -> None:
        subprocess.run([*pg_ctl, "-m", "fast", "restart"], **run)  # type: ignore[call-overload]

    try:
        yield Cluster(f"postgresql://crisis@127.0.0.1:{port}/postgres", restart)
    finally:
        subprocess.run([*as_user, str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], check=False, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres(cluster: Cluster) -> str:
    return cluster.url


def test_three_phones_on_postgresql_end_with_one_timeline_and_one_log(postgres: str, tmp_path: Path) -> None:
    with RoomServer(postgres) as server:
        lead, code = Phone.lead(server.port)
        social = Phone.joining(server.port, lead.incident, code, "social-lead")
        legal = Phone.joining(server.port, lead.incident, code, "legal")
        legal.online = False
        legal.act("note", text="Lawyer called back")
        lead.act("action", "action-1")
        social.act("action", "pause-scheduled-posts")
        again = list(legal.outbox)
        legal.reconnect()
        legal.outbox = again
        assert legal.send() == 200
        for phone in (lead, social, legal):
            phone.sync()
        assert lead.timeline() == social.timeline() == legal.timeline()
        assert [t[0] for t in lead.timeline()] == [1, 2, 3, 4]
        status, log, _ = call(server.port, "GET", f"/api/incidents/{lead.incident}/log", token=legal.token)
    assert status == 200
    (tmp_path / "room-export.json").write_text(json.dumps(log), "utf-8")
    read = read_log(tmp_path / "room-export.json")
    assert [(e.by, e.kind) for e in read.events] == [
        ("crisis-lead", "start"),
        ("legal", "note"),
        ("crisis-lead", "action"),
        ("social-lead", "action"),
    ]


def test_kill_9_on_postgresql_loses_nothing_acknowledged(postgres: str) -> None:
    kill_9_loses_nothing(postgres)


def test_two_room_servers_on_one_database_push_each_others_events(postgres: str) -> None:
    """The set-up for teams that outgrow one machine: several room processes, one
    database; a phone on one sees what a phone on the other added within 2 s."""
    with RoomServer(postgres) as first, RoomServer(postgres) as second:
        lead, code = Phone.lead(first.port)
        other = Phone.joining(second.port, lead.incident, code, "social-lead")
        stream = Stream(lead, after=1)
        stream.start()
        assert stream.connected.wait(5)
        sent = time.monotonic()
        other.act("note", text="Posted on the other server")
        arrived, _, event = stream.events.get(timeout=5)
        stream.close()
    assert event["text"] == "Posted on the other server"
    assert arrived - sent < 2.0


def test_the_room_carries_on_after_postgresql_restarts(cluster: Cluster) -> None:
    with RoomServer(cluster.url) as server:
        lead, code = Phone.lead(server.port)
        social = Phone.joining(server.port, lead.incident, code, "social-lead")
        social.act("note", text="before the restart")
        cluster.restart()
        social.act("note", text="after the restart")
        # The first request finds the connections lost (503, the phone keeps its event);
        # the ones after it work on new connections.
        deadline = time.monotonic() + 10
        while social.outbox and time.monotonic() < deadline:
            social.send()
            time.sleep(0.1)
        lead.sync()
    assert [e["text"] for e in sorted(lead.seen.values(), key=lambda e: e["seq"])][1:] == ["before the restart", "after the restart"]
