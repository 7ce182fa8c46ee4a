"""Many phones on one incident room: events per second, latency, and nothing lost.

Run: .venv/bin/python benchmarks/room_load.py [--phones 50] [--seconds 60] [--db URL]

A real `crisisplan room` on 127.0.0.1 (an SQLite file in a temporary folder, or the
PostgreSQL database given with --db), one incident opened by a lead, the phones
joined with its code, each from its own client address. Each phone adds an event,
waits for the room's acknowledgement, pauses (--pause, as a person does between
ticks) and adds the next, until time is up. The lead's phone follows the live
stream (Server-Sent Events). Figures:

- events/s: acknowledged events per second, over all phones;
- ack: from sending an event to the room's answer (it is on disk by then);
- push: from sending an event to its arrival on the lead's live stream;
- lost: acknowledged events missing from the room's record, or from the stream
  (must be 0), and duplicates (must be 0).

Not a test: the machine is shared, so figures are read, never asserted (the test
tests/room/test_room_durability.py runs it briefly and checks only "lost: 0").
"""

from __future__ import annotations

import argparse
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.room.roomkit import Phone, RoomServer, Stream


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _ms(values: list[float]) -> str:
    return f"p50 {_percentile(values, 0.5) * 1000:.0f} ms, p95 {_percentile(values, 0.95) * 1000:.0f} ms, max {max(values, default=0) * 1000:.0f} ms"


def _phone_loop(phone: Phone, until: float, pause: float, sent: dict[str, float], acks: list[float]) -> None:
    number = 0
    while time.monotonic() < until:
        number += 1
        started = time.monotonic()
        event = phone.act("note", text=f"{phone.by} note {number}")
        sent[event["event_id"]] = started
        # act() sent it once; a phone resends until the room has acknowledged it.
        while phone.outbox:
            phone.send()
        acks.append(time.monotonic() - started)
        time.sleep(pause)


def run(phones: int, seconds: float, pause: float, db: str) -> int:
    with RoomServer(db) as server:
        ready = time.monotonic()
        lead, code = Phone.lead(server.port)
        joined: list[Phone] = []
        joins = [
            threading.Thread(
                target=lambda n=n: joined.append(
                    Phone.joining(server.port, lead.incident, code, f"phone-{n:02}", source=f"127.0.{n // 200 + 10}.{n % 200 + 1}")
                )
            )
            for n in range(phones)
        ]
        for thread in joins:
            thread.start()
        for thread in joins:
            thread.join()
        print(f"set-up: {len(joined)} phones joined in {time.monotonic() - ready:.1f} s", file=sys.stderr)
        stream = Stream(lead, after=1)
        stream.start()
        stream.connected.wait(10)
        sent: dict[str, float] = {}
        acks: list[float] = []
        began = time.monotonic()
        workers = [threading.Thread(target=_phone_loop, args=(p, began + seconds, pause, sent, acks)) for p in joined]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        took = time.monotonic() - began
        pushes: list[float] = []
        pushed: set[str] = set()
        deadline = time.monotonic() + 10
        while len(pushed) < len(sent) and time.monotonic() < deadline:
            try:
                arrived, kind, event = stream.events.get(timeout=1)
            except queue.Empty:
                continue  # look at the deadline again
            if kind == "event" and event["event_id"] in sent:
                pushed.add(event["event_id"])
                pushes.append(arrived - sent[event["event_id"]])
        stream.close()
        lead.sync()
        stored = [e for e in lead.seen.values() if e["kind"] == "note"]
        stored_ids = {e["event_id"] for e in stored}
        lost = len(set(sent) - stored_ids) + len(set(sent) - pushed)
        duplicates = len(stored) - len(stored_ids)
    print(f"phones: {phones}, seconds: {took:.1f}, events: {len(sent)}")
    print(f"events/s: {len(sent) / took:.1f}")
    print(f"ack latency: {_ms(acks)}")
    print(f"push latency: {_ms(pushes)}")
    print(f"lost: {lost}")
    print(f"duplicates: {duplicates}")
    return 0 if lost == 0 and duplicates == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pause", type=float, default=0.2, help="Seconds a phone waits between events.")
    parser.add_argument("--db", default="", help="A postgresql:// URL (default: an SQLite file in a temporary folder).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        return run(options.phones, options.seconds, options.pause, options.db or str(Path(folder) / "room.sqlite3"))


if __name__ == "__main__":
    sys.exit(main())
