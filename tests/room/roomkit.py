"""A real room server in a subprocess, and phones that talk to it over HTTP.

Shared by the room's tests and benchmarks/room_load.py. Phones are plain HTTP
clients (the standard library's http.client), doing what the runbook page does:
queue events while offline, send the queue (again, if an answer was lost), ask for
what came after the last seq they have, and follow the live stream.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEY = "crk_the-tests-room-key-0123456789abcdef"
ORIGIN = "http://runbook.test"
_READY = re.compile(r"Room open at http://[^:]+:(\d+) ")
ROOT = Path(__file__).resolve().parent.parent.parent


class RoomServer:
    """`python -m crisisplan.cli.room` on 127.0.0.1, a free port, and ``db``."""

    def __init__(self, db: str, *args: str, key: str = KEY) -> None:
        self.db, self.args, self.key = db, args, key
        self.port = 0
        self.errors: list[str] = []
        self._process: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 20.0) -> RoomServer:
        env = {**os.environ, "CRISISPLAN_ROOM_KEY": self.key, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "crisisplan.cli.room", "--db", self.db, "--port", "0", "--origin", ORIGIN, *self.args]
        self._process = process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        ready: queue.Queue[int] = queue.Queue()

        def drain() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                self.errors.append(line)
                if found := _READY.match(line):
                    ready.put(int(found[1]))

        threading.Thread(target=drain, daemon=True).start()
        try:
            self.port = ready.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise AssertionError("the room did not start: " + "".join(self.errors)) from None
        return self

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)
            if self._process.stderr is not None:
                self._process.stderr.close()

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._process.stderr is not None:
            self._process.stderr.close()

    def __enter__(self) -> RoomServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def call(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    token: str = "",
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
) -> tuple[int, Any, dict[str, str]]:
    """One request: status, JSON answer, headers. ``source``: the client's address
    (any 127.x.y.z), as phones on several networks are."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=sent)
        response = connection.getresponse()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        is_json = headers.get("content-type", "").startswith("application/json")
        return response.status, json.loads(data) if is_json else data.decode(), headers
    finally:
        connection.close()


def open_incident(port: int, by: str = "crisis-lead", key: str = KEY) -> dict[str, Any]:
    status, answer, _ = call(
        port,
        "POST",
        "/api/incidents",
        {"plan": "brightbrew", "scenario": "hacked-account", "by": by, "zone": "Europe/Copenhagen"},
        token=key,
    )
    assert status == 201, answer
    return dict(answer)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class Phone:
    """One team member's phone: its session, its unsent events, what it has seen."""

    by: str
    port: int = 0
    incident: str = ""
    token: str = ""
    seq: int = 0
    online: bool = True
    outbox: list[dict[str, Any]] = field(default_factory=list)
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What the room has acknowledged: it must never be lost.
    acked: set[str] = field(default_factory=set)

    @classmethod
    def lead(cls, port: int, by: str = "crisis-lead") -> tuple[Phone, str]:
        """The phone that opens the incident, and the code it shows."""
        opened = open_incident(port, by)
        return cls(by, port, opened["incident"]["id"], opened["token"]), opened["code"]

    @classmethod
    def joining(cls, port: int, incident: str, code: str, by: str, source: str = "127.0.0.1") -> Phone:
        status, answer, _ = call(port, "POST", f"/api/incidents/{incident}/join", {"code": code, "by": by}, source=source)
        assert status == 200, answer
        return cls(by, port, incident, answer["token"])

    def act(self, kind: str, key: str = "", done: bool = True, text: str = "") -> dict[str, Any]:
        """Something done on this phone: queued, sent when online."""
        event = {"event_id": str(uuid.uuid4()), "at": now(), "kind": kind, "id": key, "done": done, "text": text, "by": self.by}
        self.outbox.append(event)
        if self.online:
            self.send()
        return event

    def send(self) -> int:
        """Send the queue; what the room acknowledged leaves it. The status."""
        if not self.outbox:
            return 200
        try:
            status, answer, _ = call(self.port, "POST", f"/api/incidents/{self.incident}/events", {"events": self.outbox[:200]}, self.token)
        except (OSError, http.client.HTTPException):
            return 0  # no answer: the room is down, or the network; the queue waits
        if status in (200, 201):
            acked = {s["event_id"] for s in answer["stored"]}
            self.acked |= acked
            self.outbox = [e for e in self.outbox if e["event_id"] not in acked]
        return status

    def sync(self) -> None:
        """What came after the last seq this phone has."""
        more = True
        while more:
            status, answer, _ = call(self.port, "GET", f"/api/incidents/{self.incident}/events?after={self.seq}", token=self.token)
            assert status == 200, answer
            for event in answer["events"]:
                self.seen[event["event_id"]] = event
            self.seq, more = answer["last_seq"], answer["more"]

    def reconnect(self) -> None:
        self.online = True
        while self.outbox:
            assert self.send() in (200, 201)
        self.sync()

    def timeline(self) -> list[tuple[int, str, str, str, bool, str]]:
        return sorted((e["seq"], e["by"], e["kind"], e["id"], e["done"], e["text"]) for e in self.seen.values())


class Stream(threading.Thread):
    """The live view: an EventSource's requests, each event put on ``events`` with
    the moment it arrived."""

    def __init__(self, phone: Phone, after: int = 0) -> None:
        super().__init__(daemon=True)
        status, answer, _ = call(phone.port, "POST", f"/api/incidents/{phone.incident}/ticket", token=phone.token)
        assert status == 200, answer
        self.path = f"/api/incidents/{phone.incident}/stream?ticket={answer['ticket']}&after={after}"
        self.port = phone.port
        self.events: queue.Queue[tuple[float, str, dict[str, Any]]] = queue.Queue()
        self.connected = threading.Event()
        self.status = 0
        self._connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def run(self) -> None:
        self._connection.request("GET", self.path, headers={"Accept": "text/event-stream"})
        response = self._connection.getresponse()
        self.status = response.status
        self.connected.set()
        kind, data = "", ""
        try:
            for raw in iter(response.readline, b""):
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line and data:
                    self.events.put((time.monotonic(), kind, json.loads(data)))
                    kind, data = "", ""
        except Exception:
            return  # closed under it by close(): the stream is over

    def close(self) -> None:
        # A plain close would wait for the reading thread's next line (up to the
        # heartbeat): shut the socket under it first.
        if self._connection.sock is not None:
            with contextlib.suppress(OSError):
                self._connection.sock.shutdown(socket.SHUT_RDWR)
        self.join(5)
        self._connection.close()


def kill_9_loses_nothing(db: str) -> None:
    """Phones adding events as fast as they can while the room is killed with
    SIGKILL; started again on ``db``, it has every event it acknowledged, and the
    phones' queues add the rest, each once."""
    server = RoomServer(db).start()
    try:
        lead, code = Phone.lead(server.port)
        phones = [lead, *(Phone.joining(server.port, lead.incident, code, by) for by in ("social-lead", "legal"))]
        stop = threading.Event()

        def busy(phone: Phone) -> None:
            number = 0
            while not stop.is_set():
                number += 1
                phone.online = True
                phone.act("note", text=f"{phone.by} {number}")
                time.sleep(0.005)

        workers = [threading.Thread(target=busy, args=(p,)) for p in phones]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 30
        while min(len(p.acked) for p in phones) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # SIGKILL while the phones are sending
        # Until each phone has events it could not send.
        while min(len(p.outbox) for p in phones) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        stop.set()
        for worker in workers:
            worker.join()
        acknowledged = set().union(*(p.acked for p in phones))
        assert len(acknowledged) >= 30 and all(p.outbox for p in phones)
        server = RoomServer(db).start()
        for phone in phones:
            phone.port = server.port
            phone.reconnect()
        for phone in phones:
            phone.sync()
        record = {e["event_id"] for e in lead.seen.values()}
        assert acknowledged <= record
        assert set().union(*(p.acked for p in phones)) | {e["event_id"] for e in lead.seen.values() if e["kind"] == "start"} == record
        timelines = [p.timeline() for p in phones]
        assert timelines[0] == timelines[1] == timelines[2]
        assert [t[0] for t in timelines[0]] == list(range(1, len(record) + 1))
    finally:
        server.stop()
