"""The room's database: SQLite (a file, by default) or PostgreSQL, behind one interface.

Tables: room_keys (hashes of the team's keys), incidents, sessions (one per phone
that joined, by token hash) and events. Events are append-only: the code never
updates or deletes one. ``(incident, event_id)`` is the key, so a phone resending
an event changes nothing; ``seq`` is given by the server in the order events are
stored, 1, 2, 3... per incident, with no gap: the next seq is taken from the
incident's row inside the transaction that stores the event (a row lock in
PostgreSQL, the one writer in SQLite), so a phone asking for ``after=SEQ`` never
skips an event committed later with a lower number.

Durability: every write is one transaction, committed before the caller answers.
SQLite runs in WAL mode with synchronous=FULL (the commit is on disk when it
returns); PostgreSQL commits durably by default (synchronous_commit=on).

Two connections, each used under a lock: one writes (SQLite has one writer
anyway, and the room's writes are a few per second per phone), one reads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.room.events import RoomEvent

POSTGRES_SCHEMES = ("postgresql", "postgres")
POSTGRES_EXTRA = "pip install 'crisisplan[room-postgres]'"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS room_keys (hash TEXT PRIMARY KEY, created TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS incidents (
        id TEXT PRIMARY KEY, plan TEXT NOT NULL, scenario TEXT NOT NULL, zone TEXT NOT NULL,
        started TEXT NOT NULL, ended TEXT, code_hash TEXT, code_expires TEXT,
        last_seq BIGINT NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY, incident TEXT NOT NULL REFERENCES incidents (id),
        by_whom TEXT NOT NULL, lead INTEGER NOT NULL, created TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS events (
        incident TEXT NOT NULL REFERENCES incidents (id), event_id TEXT NOT NULL,
        seq BIGINT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, item TEXT NOT NULL,
        done INTEGER NOT NULL, language TEXT NOT NULL, text TEXT NOT NULL,
        by_whom TEXT NOT NULL, received TEXT NOT NULL,
        PRIMARY KEY (incident, event_id), UNIQUE (incident, seq))""",
)

# SQLite has one writer at a time (BEGIN IMMEDIATE); PostgreSQL locks the row.
_LAST_SEQ = "SELECT last_seq FROM incidents WHERE id = ?"
_LAST_SEQ_LOCKED = _LAST_SEQ + " FOR UPDATE"


class StoreError(CrisisplanError):
    """The database cannot be opened or used: which, and what to do."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Incident:
    id: str
    plan: str
    scenario: str
    # The IANA zone the lead's phone was in: the exported log's clock.
    zone: str
    started: dt.datetime
    ended: dt.datetime | None
    code_hash: str | None
    code_expires: dt.datetime | None
    last_seq: int


@dataclass(frozen=True)
class Session:
    incident: str
    by: str
    lead: bool


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: RoomEvent
    received: dt.datetime

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, **self.event.as_json()}


@dataclass(frozen=True)
class Appended:
    event_id: str
    seq: int
    new: bool


class _Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def close(self) -> None: ...


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


class Store:
    """The room's records: every write is one transaction on the writing connection;
    reads are single statements on a second connection, so that they never wait for
    a write's sync to disk (SQLite's WAL lets readers read meanwhile)."""

    def __init__(
        self, connect: Callable[[], _Connection], placeholder: str, begin: str, lock_row: bool, where: str
    ) -> None:
        self._placeholder = placeholder
        self._begin = begin
        self._last_seq = _LAST_SEQ_LOCKED if lock_row else _LAST_SEQ
        self._lock = threading.Lock()
        self._read_lock = threading.Lock()
        self.where = where
        self._connect = connect
        self._db = connect()
        try:
            with self._transaction():
                for statement in _SCHEMA:
                    self._run(statement)
            self._reader = connect()
        except BaseException:
            self._db.close()
            raise

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._db.execute(sql.replace("?", self._placeholder), params)
        return list(cursor.fetchall()) if cursor.description else []

    def _fresh(self, connection: _Connection) -> _Connection:
        """The connection, or a new one when it was lost (a PostgreSQL server that
        restarted): the request that found it lost failed, the next one works."""
        if getattr(connection, "closed", False):
            return self._connect()
        return connection

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._read_lock:
            self._reader = self._fresh(self._reader)
            return list(self._reader.execute(sql.replace("?", self._placeholder), params).fetchall())

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db = self._fresh(self._db)
            self._db.execute(self._begin)
            try:
                yield
            except BaseException:
                # On a lost connection the rollback fails too; the error to report is the first.
                with suppress(Exception):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._db.close()
            self._reader.close()

    # --- keys, incidents, sessions -------------------------------------------------

    def add_key(self, key_hash: str, now: dt.datetime) -> None:
        with self._transaction():
            self._run("INSERT INTO room_keys (hash, created) VALUES (?, ?)", (key_hash, _stamp(now)))

    def key_hashes(self) -> list[str]:
        return [row[0] for row in self._read("SELECT hash FROM room_keys ORDER BY created")]

    def open_incident(self, incident: Incident, lead_token_hash: str, lead_by: str, start: RoomEvent) -> None:
        """The incident, its lead's session and its start event, together or not at all."""
        with self._transaction():
            self._run(
                "INSERT INTO incidents (id, plan, scenario, zone, started, code_hash, code_expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    incident.id,
                    incident.plan,
                    incident.scenario,
                    incident.zone,
                    _stamp(incident.started),
                    incident.code_hash,
                    _stamp(incident.code_expires) if incident.code_expires else None,
                ),
            )
            self._add_session(lead_token_hash, incident.id, lead_by, True, incident.started)
            self._append(incident.id, [start], incident.started)

    def incident(self, incident_id: str) -> Incident | None:
        rows = self._read(
            "SELECT id, plan, scenario, zone, started, ended, code_hash, code_expires, last_seq FROM incidents WHERE id = ?",
            (incident_id,),
        )
        if not rows:
            return None
        i, plan, scenario, zone, started, ended, code_hash, expires, last_seq = rows[0]
        return Incident(i, plan, scenario, zone, dt.datetime.fromisoformat(started), _when(ended), code_hash, _when(expires), int(last_seq))

    def replace_code(self, incident_id: str, code_hash: str, expires: dt.datetime) -> None:
        with self._transaction():
            self._run("UPDATE incidents SET code_hash = ?, code_expires = ? WHERE id = ?", (code_hash, _stamp(expires), incident_id))

    def end_incident(self, incident_id: str, ended: dt.datetime) -> None:
        """Ended: its code stops working (a phone typing it is told the incident
        ended); its record stays, for the review."""
        with self._transaction():
            self._run(
                "UPDATE incidents SET ended = ?, code_expires = ? WHERE id = ? AND ended IS NULL",
                (_stamp(ended), _stamp(ended), incident_id),
            )

    def add_session(self, token_hash: str, incident_id: str, by: str, lead: bool, now: dt.datetime) -> None:
        with self._transaction():
            self._add_session(token_hash, incident_id, by, lead, now)

    def _add_session(self, token_hash: str, incident_id: str, by: str, lead: bool, now: dt.datetime) -> None:
        self._run(
            "INSERT INTO sessions (token_hash, incident, by_whom, lead, created) VALUES (?, ?, ?, ?, ?)",
            (token_hash, incident_id, by, int(lead), _stamp(now)),
        )

    def session(self, token_hash: str) -> Session | None:
        rows = self._read("SELECT incident, by_whom, lead FROM sessions WHERE token_hash = ?", (token_hash,))
        return Session(rows[0][0], rows[0][1], bool(rows[0][2])) if rows else None

    # --- events ---------------------------------------------------------------------

    def append(self, incident_id: str, events: Sequence[RoomEvent], received: dt.datetime) -> list[Appended]:
        """Store the events not stored yet; each one's seq, and whether it was new."""
        with self._transaction():
            return self._append(incident_id, events, received)

    def _append(self, incident_id: str, events: Sequence[RoomEvent], received: dt.datetime) -> list[Appended]:
        # The incident's row, locked (PostgreSQL) until the commit: the next seq is ours.
        rows = self._run(self._last_seq, (incident_id,))
        last = int(rows[0][0])
        done: list[Appended] = []
        for event in events:
            known = self._run("SELECT seq FROM events WHERE incident = ? AND event_id = ?", (incident_id, event.event_id))
            if known:
                done.append(Appended(event.event_id, int(known[0][0]), False))
                continue
            last += 1
            self._run(
                "INSERT INTO events (incident, seq, event_id, at, kind, item, done, language, text, by_whom, received)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    incident_id,
                    last,
                    event.event_id,
                    event.at.isoformat(),
                    event.kind,
                    event.id,
                    int(event.done),
                    event.language,
                    event.text,
                    event.by,
                    _stamp(received),
                ),
            )
            done.append(Appended(event.event_id, last, True))
        self._run("UPDATE incidents SET last_seq = ? WHERE id = ?", (last, incident_id))
        return done

    def events_after(self, incident_id: str, after: int, limit: int) -> list[StoredEvent]:
        rows = self._read(
            "SELECT seq, event_id, at, kind, item, done, language, text, by_whom, received"
            " FROM events WHERE incident = ? AND seq > ? ORDER BY seq LIMIT ?",
            (incident_id, after, limit),
        )
        return [
            StoredEvent(
                int(seq),
                RoomEvent(event_id, dt.datetime.fromisoformat(at), kind, item, bool(done), language, text, by),
                dt.datetime.fromisoformat(received),
            )
            for seq, event_id, at, kind, item, done, language, text, by, received in rows
        ]


def sqlite_store(path: Path) -> Store:
    """The room's SQLite file (made when missing)."""

    def connect() -> _Connection:
        # isolation_level=None: transactions are begun and committed here, explicitly.
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    try:
        return Store(connect, "?", "BEGIN IMMEDIATE", False, str(path))
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot use {path} as the room's database: {exc}",
            "give --db a new file in a folder you can write to, or the room's own database file",
        ) from None


def _shown_url(url: str) -> str:
    """A database URL without its password, to show in a message."""
    try:
        parts = urlsplit(url)
        where = f"{parts.hostname or 'localhost'}{f':{parts.port}' if parts.port else ''}{parts.path}"
    except ValueError:
        return "the PostgreSQL URL given"
    return f"postgresql://{where}"


def postgres_store(url: str) -> Store:
    """The room's PostgreSQL database (tables made when missing); needs psycopg 3."""
    shown = _shown_url(url)
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            f"the room's database {shown} is PostgreSQL, and psycopg (its driver) is not installed",
            f"install it ({POSTGRES_EXTRA}), or leave out --db to use an SQLite file",
        ) from None

    def connect() -> _Connection:
        # autocommit: transactions are begun and committed here, explicitly, as in SQLite.
        return psycopg.connect(url, autocommit=True, connect_timeout=10)

    try:
        return Store(connect, "%s", "BEGIN", True, shown)
    except (psycopg.Error, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"cannot connect to the room's database {shown}: {first}",
            "check the URL (postgresql://user:password@host:5432/database), that the server runs, and that the user may create tables",
        ) from None


def open_store(db: str) -> Store:
    """The store a --db value names: a postgresql:// URL, else an SQLite file."""
    scheme = db.split("://", 1)[0].lower() if "://" in db else ""
    if scheme in POSTGRES_SCHEMES:
        return postgres_store(db)
    if scheme:
        raise StoreError(
            f"--db {scheme}://... is not a database the room can use",
            "give a file for SQLite (like room.sqlite3) or a URL like postgresql://user@host/database",
        )
    return sqlite_store(Path(db))
