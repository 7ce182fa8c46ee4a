"""Several phones' logs of one incident, merged into one record for one review.

In a crisis the lead, the social lead, customer service and legal each tick, copy and
note on their own phone. Each downloads its log; ``crisisplan review SCENARIO
--from-log A B C`` merges them: every event once, each labelled with who did it (the
event's or log's ``by``, else the file's name), in the order they happened on the
incident's clock. A log handed from one phone to another (and so in both files) is
not counted twice. Ticks two people disagree on stay in the timeline and are listed
for the review to settle (review.tick_conflicts).

Merging is a union, so the order of the files does not matter. The incident began
when the first phone says it did; a phone that started later keeps its own events
at their real times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from crisisplan.incident.review import IncidentLog, LogError, LogEvent

# Within this much of each other, two phones' starts are one start pressed twice.
SAME_START = dt.timedelta(minutes=1)


def _on_clock(moment: dt.datetime, zone: dt.tzinfo | None, base: dt.tzinfo | None) -> dt.datetime:
    """A time of one log on another log's wall clock (logs keep times without offset)."""
    if zone is None or base is None:
        return moment
    return moment.replace(tzinfo=zone).astimezone(base).replace(tzinfo=None)


def _device(log: IncidentLog) -> str:
    """Who a log's unlabelled events are from: the file's name without .json."""
    name = log.path.name
    return name[:-5] if name.lower().endswith(".json") else name


def _check_same_incident(logs: Sequence[IncidentLog]) -> None:
    first = logs[0]
    for log in logs[1:]:
        if log.scenario != first.scenario:
            raise LogError(
                f"{log.path} is the log of scenario '{log.scenario}', and {first.path} of '{first.scenario}'",
                "merge only the logs of one incident: the files downloaded from the same scenario's page",
            )
        if log.plan and first.plan and log.plan != first.plan:
            raise LogError(
                f"{log.path} is from plan '{log.plan}', and {first.path} from plan '{first.plan}'",
                "merge only the logs of one incident, from one plan's runbook",
            )


def merge_logs(logs: Sequence[IncidentLog]) -> IncidentLog:
    """One log holding every event of ``logs`` once, labelled with who did it."""
    if len(logs) == 1:
        return logs[0]
    _check_same_incident(logs)
    base = min(logs, key=lambda log: _on_clock(log.started, log.zone, logs[0].zone))
    zone = base.zone
    seen: dict[tuple[object, ...], LogEvent] = {}
    starts: list[LogEvent] = []
    for log in logs:
        device = _device(log)
        for event in log.events:
            moved = dataclasses.replace(event, at=_on_clock(event.at, log.zone, zone), by=event.by or device)
            # The same event in two files (handed over by file or QR code) once; who
            # did it is part of the event, so a handed-over event keeps its author.
            key = (moved.at, moved.kind, moved.id, moved.done, moved.language, moved.text)
            if moved.kind == "start":
                starts.append(moved)
            elif key not in seen:
                seen[key] = moved
    events = sorted(seen.values(), key=lambda e: e.at)
    first_start = min(starts, key=lambda e: e.at) if starts else None
    later = [s for s in starts if first_start is not None and s.at - first_start.at > SAME_START]
    kept = ([first_start] if first_start else []) + later
    saved = [s for s in (_on_clock(log.saved, log.zone, zone) for log in logs if log.saved) if s]
    notes = [f"{log_by}: {log.unsent_note}" for log, log_by in ((log, _device(log)) for log in logs) if log.unsent_note]
    return IncidentLog(
        path=base.path,
        plan=base.plan,
        scenario=base.scenario,
        started=base.started,
        events=tuple(sorted([*kept, *events], key=lambda e: e.at)),
        saved=max(saved) if saved else None,
        unsent_note=" / ".join(notes),
        zone=zone,
        sources=tuple(log.path for log in logs),
    )
