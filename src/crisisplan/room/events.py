"""One event as a phone sends it to the room: checked, bounded, or refused with a sentence.

The event is the incident log's (crisisplan.incident.review: the same kinds, fields
and limits), plus ``event_id``, a UUID the phone makes when the event happens, so
that sending it again (after a lost answer, or from a phone it was handed to) stores
it once. Whatever a request holds, ``parse_events`` ends in events or an EventError
naming the event and the part that is wrong, never in another exception.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from crisisplan.errors import CrisisplanError
from crisisplan.incident.review import CONTROL_CHARACTERS, EVENT_KINDS, MAX_ID, MAX_TEXT, TICK_KINDS
from crisisplan.plan.values import FIRST_YEAR, LAST_YEAR

# One request carries at most this many events: a phone back from an hour offline
# holds a few dozen; it sends more in several requests.
MAX_BATCH = 200
# A language tag (BCP 47) is far shorter than this.
MAX_LANGUAGE = 35
# Characters a log may not hold (review.py strips the same before writing YAML):
# C0 controls but tab and line breaks, DEL, C1, lone surrogates, U+FFFE and U+FFFF.
# What a log may not hold: one source, the log reader's.
_CONTROL = CONTROL_CHARACTERS


class EventError(CrisisplanError):
    """An event the room does not store: the message says which and what is wrong."""


@dataclass(frozen=True)
class RoomEvent:
    """One event of an incident; ``at`` keeps the phone's offset (as sent)."""

    event_id: str
    at: dt.datetime
    kind: str
    id: str = ""
    done: bool = True
    language: str = ""
    text: str = ""
    by: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "id": self.id,
            "done": self.done,
            "language": self.language,
            "text": self.text,
            "by": self.by,
        }


def _text(item: dict[str, Any], key: str, where: str, limit: int) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise EventError(f"{where}: '{key}' must be a text")
    if len(value) > limit:
        raise EventError(f"{where}: '{key}' is longer than {limit:,} characters")
    if _CONTROL.search(value):
        raise EventError(f"{where}: '{key}' holds a control character")
    return value


def _event_id(item: dict[str, Any], where: str) -> str:
    value = item.get("event_id")
    try:
        parsed = uuid.UUID(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise EventError(f"{where}: 'event_id' must be a UUID made on the phone, like {uuid.UUID(int=0)}")
    # One spelling, so the same id in capitals is the same event.
    return str(parsed)


def _moment(item: dict[str, Any], where: str) -> dt.datetime:
    value = item.get("at")
    try:
        parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise EventError(f"{where}: 'at' must be a date and time with its offset, like 2026-11-22T10:05:00+01:00")
    return parsed


def parse_event(item: object, where: str, by: str) -> RoomEvent:
    """One event; ``by`` is who the sending phone said it is, for an event without its own."""
    if not isinstance(item, dict):
        raise EventError(f"{where} is not an object with 'event_id', 'at' and 'kind'")
    kind = item.get("kind")
    if kind not in EVENT_KINDS:
        raise EventError(f"{where}: 'kind' must be one of {', '.join(EVENT_KINDS)}")
    done = item.get("done", True)
    if not isinstance(done, bool):
        raise EventError(f"{where}: 'done' must be true or false")
    key = _text(item, "id", where, MAX_ID)
    if kind in TICK_KINDS and not key.strip():
        raise EventError(f"{where}: a {kind} needs the 'id' of the step it ticks")
    who = " ".join(_text(item, "by", where, MAX_ID).split())
    return RoomEvent(
        event_id=_event_id(item, where),
        at=_moment(item, where),
        kind=kind,
        id=key,
        done=done,
        language=_text(item, "language", where, MAX_LANGUAGE),
        text=_text(item, "text", where, MAX_TEXT),
        by=who or by,
    )


def parse_events(body: object, by: str) -> list[RoomEvent]:
    """The events of a request body ``{"events": [...]}``."""
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not events:
        raise EventError('the request must be {"events": [...]} with at least one event')
    if len(events) > MAX_BATCH:
        raise EventError(f"send at most {MAX_BATCH} events in one request, and the rest in the next")
    return [parse_event(item, f"event {number}", by) for number, item in enumerate(events, start=1)]


def parse_by(value: object) -> str:
    """Who uses a phone: a role of the plan or a name, one line."""
    if not isinstance(value, str) or not value.strip():
        raise EventError("say who uses this phone: 'by' must be a role of the plan or a name")
    who = " ".join(value.split())
    if len(who) > MAX_ID or _CONTROL.search(who):
        raise EventError(f"'by' must be a role or a name of at most {MAX_ID} characters")
    return who
