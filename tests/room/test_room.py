"""Three phones on one incident, through a real room server and its SQLite file: one
goes offline and comes back, answers get lost and events are sent again, phones
reconnect in every order, and all end with one timeline that becomes one review."""

from __future__ import annotations

import itertools
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisplan.check.pipeline import check_paths
from tests.conftest import ROOT, invoke
from tests.room.roomkit import KEY, Phone, RoomServer, Stream, call


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with RoomServer(str(tmp_path_factory.mktemp("room") / "room.sqlite3")) as server:
        yield server.port


def test_three_phones_one_offline_end_with_one_timeline_that_becomes_one_review(port: int, tmp_path: Path) -> None:
    lead, code = Phone.lead(port)
    social = Phone.joining(port, lead.incident, code, "social-lead")
    service = Phone.joining(port, lead.incident, code, "customer-service")
    lead.act("action", "action-1")
    service.online = False  # in a lift: what it does waits in its queue
    late = service.act("target", "acknowledge")
    service.act("note", text="14 customers have called so far")
    social.act("action", "pause-scheduled-posts")
    lead.act("note", text="Meta support case #12345 opened")
    social.act("action", "action-1", done=False)
    assert len(service.outbox) == 2
    service.reconnect()
    # The answer to a send was lost: the phone sends the event again, and it stays one.
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/events", {"events": [late]}, service.token)
    assert status == 200 and answer["stored"][0]["new"] is False
    for phone in (lead, social, service):
        phone.sync()
    assert lead.timeline() == social.timeline() == service.timeline()
    assert [(seq, by, kind) for seq, by, kind, *_ in lead.timeline()] == [
        (1, "crisis-lead", "start"),
        (2, "crisis-lead", "action"),
        (3, "social-lead", "action"),
        (4, "crisis-lead", "note"),
        (5, "social-lead", "action"),
        (6, "customer-service", "target"),
        (7, "customer-service", "note"),
    ]

    # One clock: every phone is told the room's start of the incident, and the room's time.
    shown = [call(port, "GET", f"/api/incidents/{p.incident}", token=p.token)[1] for p in (lead, social, service)]
    assert len({s["started"] for s in shown}) == 1 and all(s["now"] > s["started"] for s in shown)
    assert [(s["by"], s["lead"]) for s in shown] == [("crisis-lead", True), ("social-lead", False), ("customer-service", False)]

    status, log, headers = call(port, "GET", f"/api/incidents/{lead.incident}/log", token=social.token)
    assert status == 200 and headers["content-disposition"] == f'attachment; filename="room-hacked-account-{lead.incident}.json"'
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    (tmp_path / "room-export.json").write_text(json.dumps(log), "utf-8")
    code_, _, err = invoke("review", "hacked-account", "--from-log", "room-export.json", cwd=tmp_path)
    assert (code_, err) == (0, ""), err
    (written,) = (tmp_path / "plans" / "brightbrew" / "reviews").glob("*-hacked-account.yaml")
    text = written.read_text("utf-8")
    for line in (
        "crisis-lead: Incident started",
        "crisis-lead: Done: Try to log in",
        "social-lead: Done: Pause every scheduled post",
        "social-lead: Unticked: Try to log in",
        "customer-service: Done: Target: Acknowledge",
        "customer-service: Note: 14 customers have called so far",
    ):
        assert line in text
    assert "ticked by crisis-lead" in text  # the disagreement, for the review to settle
    assert check_paths([tmp_path / "plans"]).errors == 0


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_phones_back_online_in_any_order_end_with_the_same_timeline(port: int, order: tuple[int, ...]) -> None:
    lead, code = Phone.lead(port)
    phones = [lead, *(Phone.joining(port, lead.incident, code, by) for by in ("social-lead", "legal"))]
    for number, phone in enumerate(phones):
        phone.online = False
        phone.act("note", text=f"{phone.by} offline {number}")
        phone.act("action", "action-1", done=number % 2 == 0)
    sent = {e["event_id"] for p in phones for e in p.outbox}
    for index in order:
        again = list(phones[index].outbox)
        phones[index].reconnect()
        # And once more, as a phone does that never heard back.
        phones[index].outbox = again
        assert phones[index].send() == 200
    for phone in phones:
        phone.sync()
    timelines = [p.timeline() for p in phones]
    assert timelines[0] == timelines[1] == timelines[2]
    assert {e for e in phones[0].seen} == sent | {e["event_id"] for e in phones[0].seen.values() if e["kind"] == "start"}
    assert [t[0] for t in timelines[0]] == list(range(1, 8))  # every event once, no gap


def test_other_phones_see_an_event_within_two_seconds_and_a_stream_resumes(port: int) -> None:
    lead, code = Phone.lead(port)
    legal = Phone.joining(port, lead.incident, code, "legal")
    stream = Stream(lead, after=1)
    stream.start()
    assert stream.connected.wait(5) and stream.status == 200
    delays = []
    for number in range(5):
        sent = time.monotonic()
        legal.act("statement", text=f"Holding statement copied {number}")
        arrived, kind, event = stream.events.get(timeout=5)
        delays.append(arrived - sent)
        assert (kind, event["text"], event["by"]) == ("event", f"Holding statement copied {number}", "legal")
    assert max(delays) < 2.0, delays
    # EventSource reconnects with the last id it saw: it gets only what came after.
    resumed = Stream(lead, after=4)
    resumed.start()
    seqs = [resumed.events.get(timeout=5)[2]["seq"] for _ in range(2)]
    assert seqs == [5, 6]
    # Without a ticket of this incident, no stream: the page gets a new ticket.
    status, answer, _ = call(port, "GET", f"/api/incidents/{lead.incident}/stream?ticket=made-up")
    assert (status, answer["error"]) == (401, "no_ticket")
    status, _, _ = call(port, "POST", f"/api/incidents/{lead.incident}/end", token=lead.token)
    assert status == 200
    assert stream.events.get(timeout=5)[1] == "ended"
    stream.close()
    resumed.close()


def test_an_ended_incident_takes_no_more_events_and_only_the_lead_ends_it(port: int) -> None:
    lead, code = Phone.lead(port)
    social = Phone.joining(port, lead.incident, code, "social-lead")
    for path in ("end", "code"):
        status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/{path}", token=social.token)
        assert (status, answer["message"]) == (403, "Only the phone that opened the incident can do this.")
    status, ended, _ = call(port, "POST", f"/api/incidents/{lead.incident}/end", token=lead.token)
    assert status == 200 and ended["ended"]
    social.act("note", text="too late")
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/events", {"events": social.outbox}, social.token)
    assert (status, answer["error"]) == (409, "incident_ended")
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/join", {"code": code, "by": "legal"})
    assert (status, answer["error"]) == (409, "incident_ended")


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"at": "2026-12-07T10:00:00+01:00", "kind": "note"}, "Event 1: 'event_id' must be a UUID made on the phone, like 00000000-0000-0000-0000-000000000000."),
        ({"event_id": "5b0e4c5e-8d7e-4c43-9a62-3c1f8f7a1e01", "at": "2026-12-07T10:00:00", "kind": "note"}, "Event 1: 'at' must be a date and time with its offset, like 2026-11-22T10:05:00+01:00."),
        ({"event_id": "5b0e4c5e-8d7e-4c43-9a62-3c1f8f7a1e01", "at": "2026-12-07T10:00:00Z", "kind": "tweet"}, "Event 1: 'kind' must be one of start, action, escalation, target, statement, update, note."),
        ({"event_id": "5b0e4c5e-8d7e-4c43-9a62-3c1f8f7a1e01", "at": "2026-12-07T10:00:00Z", "kind": "action"}, "Event 1: a action needs the 'id' of the step it ticks."),
        ({"event_id": "5b0e4c5e-8d7e-4c43-9a62-3c1f8f7a1e01", "at": "2026-12-07T10:00:00Z", "kind": "note", "text": "x" * 10_001}, "Event 1: 'text' is longer than 10,000 characters."),
    ],
)
def test_a_malformed_event_is_refused_with_a_sentence(port: int, event: dict[str, object], message: str) -> None:
    lead, _ = Phone.lead(port)
    status, answer, _ = call(port, "POST", f"/api/incidents/{lead.incident}/events", {"events": [event]}, lead.token)
    assert (status, answer) == (422, {"error": "bad_event", "message": message})


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"scenario": "../../etc", "by": "lead"}, 422, "'scenario' must be the scenario's id, like hacked-account."),
        ({"scenario": "hacked-account", "plan": "a b", "by": "lead"}, 422, "'plan' must be the plan's id, like brightbrew."),
        ({"scenario": "hacked-account", "zone": "Mars/Olympus", "by": "lead"}, 422, "'zone' must be a time zone like Europe/Copenhagen."),
        ({"scenario": "hacked-account"}, 422, "Say who uses this phone: 'by' must be a role of the plan or a name."),
        ({"scenario": "hacked-account", "plan": "en/brightbrew", "by": "lead"}, 201, None),
    ],
)
def test_opening_an_incident_checks_what_it_is_given(port: int, body: dict[str, str], status: int, message: str | None) -> None:
    got, answer, _ = call(port, "POST", "/api/incidents", body, token=KEY)
    assert got == status
    if message is not None:
        assert answer == {"error": "bad_request", "message": message}
