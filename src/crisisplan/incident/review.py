"""`crisisplan review`: start a post-crisis review file for a scenario.

The file is pre-filled from the plan (the review checklist as questions, the expected
timings as a reference) in the format `crisisplan check` validates, so that the review
is written in the same repository, reviewed like any change, and shown on the site.

With the log a reader downloaded from the runbook's incident mode (``--from-log``),
the timeline is what happened, minute by minute, and what worked and what to fix
start from the plan's deadlines and when each was met. The log is JSON:

    {"format": "crisisplan-incident-log", "version": 1,
     "plan": "brightbrew", "scenario": "hacked-account", "language": "en",
     "started": "2026-11-22T10:05:00+01:00",
     "events": [{"at": "2026-11-22T10:12:40+01:00", "kind": "action",
                 "id": "action-1", "done": true, "text": "Try to log in"}, ...],
     "fields": {"hacked-warning/platform": "Instagram"},
     "saved": "2026-11-22T10:40:00+01:00", "unsent_note": "Meta case 123 op"}

Event kinds: start, action, escalation and target (ticks, with ``done``), statement
(a statement copied, with ``language`` and its ``text``), update (an update posted)
and note. Only strings, numbers, booleans, lists and objects, so the log converts to
YAML and back unchanged; ``version`` rises only when a reader must change. Pages since
issue 20 add ``"recorded_in": "browser"``, ``"verified": false`` and a ``notice``
saying so; they are not needed, because every log comes from a browser: whatever any
other local page could write into that browser's storage can be in it, so the review
says its events are not verified, whatever the log claims.

``saved`` is when the log was downloaded: a deadline not ticked that had not come by
then (or by the last event, in a log without it) is "not yet due", not "not done".
``unsent_note`` (issue 19, optional) is a note still being typed when the log was
saved; the timeline shows it, marked as such, at the saved time. Older crisisplan
versions ignore both. Minutes are counted as the incident's wall clock shows them,
as the page does: from 14:00:40 to 14:12:10 is T+12m.

Whatever the file holds, reading it ends in an IncidentLog or a LogError naming the
file and the part that is wrong, never in another exception; and a review is written
only when every date in it is one `crisisplan check` accepts (ReviewDateError).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.files import UnsafeFile, WriteRefused, describe_os_error, read_bounded, write_new
from crisisplan.plan.discovery import PlanSource
from crisisplan.plan.model import Plan, Scenario
from crisisplan.plan.values import FIRST_YEAR, LAST_YEAR, format_minutes, parse_duration
from crisisplan.plan.yamlfile import PLAN_FILE_NAMES
from crisisplan.render.labels import Labels, labels_for
from crisisplan.render.templating import environment
from crisisplan.render.views import action_views, owners_title, role_title

LOG_FORMAT = "crisisplan-incident-log"
LOG_VERSION = 1
# A day-long incident logs a few hundred events; statements are at most a few
# thousand characters each. Far beyond that, the file is not a log.
MAX_LOG_BYTES = 8 * 1024 * 1024
MAX_LOG_EVENTS = 20_000
EVENT_KINDS = ("start", "action", "escalation", "target", "statement", "update", "note")
TICK_KINDS = ("action", "escalation", "target")
# The page's ids: a plan id (64 characters at most) with "-12" added for a step listed
# twice. Far longer is not an id the page wrote.
MAX_ID = 100
# The review's action is due this many days after the incident.
REVIEW_DUE_DAYS = 14
# What the review format allows (schema: timeline maxItems, text fields).
MAX_TIMELINE = 200
MAX_TEXT = 10_000
# What YAML may not hold, so the review would fail the check: control characters (C0
# but tab and line breaks, DEL, C1), lone surrogates (JSON's "\ud800") and the two
# noncharacters U+FFFE and U+FFFF.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL = CONTROL_CHARACTERS
# "escalation-3": the third step. Only a short number names one; any other is a step
# the scenario does not have (and int() is never given thousands of digits).
_ESCALATION = re.compile(r"escalation-([1-9][0-9]{0,3})", re.ASCII)


class ReviewExists(CrisisplanError):
    """A review for that scenario and date is already there: never overwrite one."""


class ReviewDateError(CrisisplanError):
    """A review whose dates would fall outside what `crisisplan check` accepts."""

    exit_code = EXIT_USAGE


# A scenario id as the schema allows it; the incident tools also load plans that
# failed the check, so an id like ../../x must be refused here too.
_SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _source_of(plan: Plan) -> PlanSource:
    path = Path(plan.source)
    if path.name in PLAN_FILE_NAMES:
        return PlanSource(path.parent, True)
    return PlanSource(path, False)


def review_path(plan: Plan, scenario: Scenario, date: dt.date) -> Path:
    return _source_of(plan).reviews_dir / f"{date.isoformat()}-{scenario.id}.yaml"


def review_text(
    plan: Plan,
    scenario: Scenario,
    date: dt.date,
    words: Labels | None = None,
    log: IncidentLog | None = None,
) -> str:
    """The review file's text; with ``log``, its timeline and findings pre-filled."""
    words = labels_for(plan.default_language) if words is None else words
    owner = plan.review_owner or plan.owner
    within = parse_duration(plan.review_within)
    due = _review_due(date, log)
    try:
        held_by = (date + dt.timedelta(minutes=within)).isoformat() if within else ""
    except OverflowError:
        held_by = ""
    # A step the plan did not time is expected in its order, never at an invented T+.
    expected = [
        _one_line(
            f"{words['at_time'].format(time=step.at) if step.at else f'{number}.'} {step.do} ({owners_title(plan, step)})"
        )
        for number, step in enumerate(plan.actions_of(scenario), start=1)
    ]
    timeline: list[tuple[str, str]] = []
    worked: list[str] = []
    to_fix: list[str] = []
    if log is not None:
        timeline = log_timeline(plan, scenario, log, words)
        worked, to_fix = met_deadlines(plan, scenario, log, words)
    return environment().get_template("text/review.yaml.text.j2").render(
        plan=plan,
        w=words,
        scenario=scenario,
        date=date.isoformat(),
        held_by=held_by,
        owner=owner,
        owner_title=role_title(plan, owner),
        due=due.isoformat(),
        # A review with `questions:` and nothing under it fails the check: a plan
        # without a review checklist gets one question to start from.
        questions=plan.review_of(scenario) or [words["review_question_default"]],
        expected=expected,
        log_name=_one_line(", ".join(_shown(p.name) for p in (log.sources or (log.path,)))) if log is not None else "",
        timeline=timeline,
        worked=worked,
        to_fix=to_fix,
        q=lambda text: json.dumps(text, ensure_ascii=False),
    )


def _review_due(date: dt.date, log: IncidentLog | None) -> dt.date:
    """The review action's due date; ReviewDateError when it (or the review's own
    date) falls outside the years `crisisplan check` accepts."""
    due = date + dt.timedelta(days=REVIEW_DUE_DAYS)
    if date.year >= FIRST_YEAR and due.year <= LAST_YEAR:
        return due
    last = dt.date(LAST_YEAR, 12, 31) - dt.timedelta(days=REVIEW_DUE_DAYS)
    limit = f"crisisplan's dates run from {FIRST_YEAR} to {LAST_YEAR}, so a review can be started for an incident up to {last.isoformat()}"
    if log is None:
        raise ReviewDateError(
            f"the review of an incident on {date.isoformat()} would be due on {due.isoformat()}; {limit}",
            "give --date the day the incident really began",
        )
    raise ReviewDateError(
        f"{_shown(log.path)}: the incident began on {date.isoformat()}, so its review would be due on {due.isoformat()}; {limit}",
        "give --date the day the incident really began, or fix 'started' in the log",
    )


def write_review(
    plan: Plan,
    scenario: Scenario,
    date: dt.date,
    words: Labels | None = None,
    log: IncidentLog | None = None,
) -> Path:
    """Write a new review file inside the plan's folder (pre-filled from ``log``).

    Never through a symbolic link (a linked reviews/ folder included), never outside
    the plan's folder, never over an existing file: raises WriteRefused or
    ReviewExists instead.
    """
    if not _SAFE_ID.fullmatch(scenario.id):
        raise WriteRefused(
            f"the scenario id {scenario.id!r} cannot be part of a file name",
            "fix the id (lowercase letters, digits and hyphens), then run 'crisisplan check'",
        )
    target = review_path(plan, scenario, date)
    if target.exists() or target.is_symlink():
        raise ReviewExists(str(target))
    source = _source_of(plan)
    home = source.path if source.is_folder else source.path.parent
    write_new(target, review_text(plan, scenario, date, words, log).encode("utf-8"), within=home)
    return target


# --- The incident log ---------------------------------------------------------------


class LogError(CrisisplanError):
    """An incident log that cannot be used: the message names the file and what is
    wrong, the hint what to do."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class LogEvent:
    """One line of the log; ``at`` is the wall-clock time where the incident began."""

    at: dt.datetime
    kind: str
    id: str = ""
    done: bool = True
    language: str = ""
    text: str = ""
    # Who did it: the event's own "by", else the log's (the console asks once who is
    # using it); "" in a log from before either was written.
    by: str = ""


@dataclass(frozen=True)
class IncidentLog:
    path: Path
    plan: str
    scenario: str
    started: dt.datetime
    events: tuple[LogEvent, ...] = field(default=())
    saved: dt.datetime | None = None
    unsent_note: str = ""
    # The offset the incident's clock had where it began: times are kept without it.
    zone: dt.tzinfo | None = None
    # The files a merged log was made from (logmerge.py); () for one file.
    sources: tuple[Path, ...] = ()

    def minutes_at(self, moment: dt.datetime) -> int:
        """Clock minutes since T+0, as the page counts them: 14:00:40 to 14:12:10 is 12
        (never negative: a tick before T+0 counts as T+0)."""

        def minute(at: dt.datetime) -> dt.datetime:
            return at.replace(second=0, microsecond=0)

        return max(0, int((minute(moment) - minute(self.started)).total_seconds() // 60))

    @property
    def ended(self) -> dt.datetime:
        """The last moment the log knows of: when it was saved, or its last event."""
        return max([self.started, *(e.at for e in self.events), *([self.saved] if self.saved else [])])


def read_log(path: Path) -> IncidentLog:
    """Read and check an incident log downloaded from the runbook site.

    Raises LogError, naming the file, when it cannot be read, is not a crisisplan
    incident log, or has a malformed part (saying which event).
    """
    shown = _shown(path)
    document = _log_document(path, shown)
    reader = _LogReader(shown)
    scenario = reader.text(document, "scenario", "the log", required=True)
    started = reader.moment(document, "started", "the log")
    zone = started.tzinfo
    user = reader.who(document, "the log")
    raw_events = document.get("events", [])
    if not isinstance(raw_events, list):
        raise reader.problem("the log", "'events' must be a list")
    if len(raw_events) > MAX_LOG_EVENTS:
        raise reader.problem("the log", f"has more than {MAX_LOG_EVENTS:,} events: it is not an incident log")
    events = [reader.event(item, f"event {number}", started, user) for number, item in enumerate(raw_events, start=1)]
    saved = reader.moment(document, "saved", "the log", clock=started) if "saved" in document else None
    unsent = reader.text(document, "unsent_note", "the log").strip()
    started = _same_clock(started, started)
    # The reader may type T+0 after the first ticks: show them in time order.
    events.sort(key=lambda e: e.at)
    plan = reader.text(document, "plan", "the log")
    return IncidentLog(path, plan, scenario, started, tuple(events), saved, unsent, zone)


def _shown(path: Path | str) -> str:
    # A name that is not UTF-8 (its bytes kept as surrogates) cannot be written out.
    return _CONTROL.sub("\ufffd", str(path))


class _NotJson(ValueError):
    """NaN, Infinity or -Infinity: JavaScript's JSON.stringify never writes them."""


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


def _log_document(path: Path, shown: str) -> dict[str, Any]:
    """The log file's JSON object, checked for its format and version."""
    try:
        data = read_bounded(path, MAX_LOG_BYTES)
    except UnsafeFile as exc:
        # Its hint is for plans ("a .yaml file"); this is a log.
        raise LogError(f"{shown}: {exc.message}", _DOWNLOAD_HINT) from None
    except OSError as exc:
        raise LogError(f"cannot read {shown}: {describe_os_error(exc)}", "check the file's name and that you may read it") from None
    if len(data) > MAX_LOG_BYTES:
        raise LogError(f"{shown} is larger than {MAX_LOG_BYTES // (1024 * 1024)} MiB: it is not an incident log", _DOWNLOAD_HINT)
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise LogError(f"{shown} is not UTF-8 text: it is not an incident log", _DOWNLOAD_HINT) from None
    except json.JSONDecodeError as exc:
        raise LogError(f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}", _DOWNLOAD_HINT) from None
    except _NotJson as exc:
        raise LogError(f"{shown} holds {exc}, which is not a JSON value: it is not an incident log", _DOWNLOAD_HINT) from None
    except ValueError:
        # A number of thousands of digits (Python's limit for int()).
        raise LogError(f"{shown} holds a number far too long: it is not an incident log", _DOWNLOAD_HINT) from None
    except RecursionError:
        raise LogError(f"{shown} is nested far too deeply: it is not an incident log", _DOWNLOAD_HINT) from None
    if not isinstance(document, dict) or document.get("format") != LOG_FORMAT:
        raise LogError(f"{shown} is not a crisisplan incident log (no \"format\": \"{LOG_FORMAT}\")", _DOWNLOAD_HINT)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LogError(f"{shown}: 'version' must be a whole number like {LOG_VERSION}", _DOWNLOAD_HINT)
    if version > LOG_VERSION:
        raise LogError(
            f"{shown} is an incident log of version {version}; this crisisplan reads version {LOG_VERSION}",
            "update crisisplan (pip install -U crisisplan), then run the command again",
        )
    return document


@dataclass(frozen=True)
class _LogReader:
    """The parts of a log's JSON, checked one by one; ``shown`` is the file's name."""

    shown: str

    def problem(self, where: str, what: str) -> LogError:
        return LogError(f"{self.shown}: {where} {what}", "download the log again from the scenario page; if it was edited, fix that part")

    def text(self, item: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        value = item.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.problem(where, f"'{key}' must be {'a non-empty' if required else 'a'} text")
        return _CONTROL.sub("", value)

    def moment(self, item: dict[str, Any], key: str, where: str, clock: dt.datetime | None = None) -> dt.datetime:
        """A time in the log; with ``clock``, also as the incident's clock showed it,
        which must stay within the years crisisplan writes too."""
        value = item.get(key)
        try:
            parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
            shown = _same_clock(parsed, clock) if parsed is not None and clock is not None else parsed
        except (ValueError, OverflowError):
            parsed = shown = None
        if parsed is None or shown is None or not all(FIRST_YEAR <= m.year <= LAST_YEAR for m in (parsed, shown)):
            raise self.problem(
                where, f"'{key}' is not a date and time like 2026-11-22T10:05:00+01:00 (from {FIRST_YEAR} to {LAST_YEAR})"
            )
        return shown

    def who(self, item: dict[str, Any], where: str) -> str:
        """Who used the device, or did the event: a role id or a name, one line."""
        who = " ".join(self.text(item, "by", where).split())
        if len(who) > MAX_ID:
            raise self.problem(where, f"'by' is longer than {MAX_ID} characters: it is not a role or a name")
        return who

    def event(self, item: object, where: str, started: dt.datetime, user: str = "") -> LogEvent:
        if not isinstance(item, dict):
            raise self.problem(where, "is not an object with 'at' and 'kind'")
        kind = item.get("kind")
        if kind not in EVENT_KINDS:
            shown = kind if isinstance(kind, str) and len(kind) <= MAX_ID else "(not one of them)"
            raise self.problem(where, f"has the kind {_CONTROL.sub('', repr(shown))}; a log has {', '.join(EVENT_KINDS)}")
        done = item.get("done", True)
        if not isinstance(done, bool):
            raise self.problem(where, "'done' must be true or false")
        key = self.text(item, "id", where, required=kind in TICK_KINDS)
        if len(key) > MAX_ID:
            raise self.problem(where, f"'id' is longer than {MAX_ID} characters: it is not a step of the runbook")
        at = self.moment(item, "at", where, clock=started)
        language, text = self.text(item, "language", where), self.text(item, "text", where)
        return LogEvent(at, kind, key, done, language, text, self.who(item, where) or user)


_DOWNLOAD_HINT = "use the file that 'Download log' saves from a scenario page's incident panel"


def _same_clock(moment: dt.datetime, started: dt.datetime) -> dt.datetime:
    """A time as the wall clock showed it where the incident began (a log that spans
    a change to summer time stays in one offset), without the offset."""
    if moment.tzinfo is not None and started.tzinfo is not None:
        moment = moment.astimezone(started.tzinfo)
    return moment.replace(tzinfo=None)


def check_log_scenario(log: IncidentLog, scenario: Scenario) -> None:
    """Refuse the log of another scenario: its ticks would land on the wrong actions."""
    if log.scenario == scenario.id:
        return
    shown = _shown(log.path)
    if _SAFE_ID.fullmatch(log.scenario) and len(log.scenario) <= MAX_ID:
        raise LogError(
            f"{shown} is the log of scenario '{log.scenario}', not '{scenario.id}'",
            f"run 'crisisplan review {log.scenario} --from-log {shown}', or pick the right log",
        )
    raise LogError(
        f"{shown} is the log of another scenario than '{scenario.id}' (its 'scenario' is not an id)",
        "pick the log downloaded from this scenario's page",
    )


def _one_line(text: str) -> str:
    # For YAML comments: a line break would end the comment and break the file.
    return " ".join(text.split())


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _escalation_text(plan: Plan, scenario: Scenario, key: str, words: Labels) -> str | None:
    found = _ESCALATION.fullmatch(key)
    if found is None or not 1 <= int(found.group(1)) <= len(scenario.escalation):
        return None
    step = scenario.escalation[int(found.group(1)) - 1]

    def titles(ids: list[str]) -> str:
        return ", ".join(role_title(plan, i) for i in ids)

    parts = []
    if step.notify:
        parts.append(f"{words['notify']}: {titles(step.notify)}")
    if step.hand_over_to:
        parts.append(f"{words['hand_over_to']}: {titles([step.hand_over_to])}")
    return "; ".join(parts) or step.at


def _what(plan: Plan, scenario: Scenario, event: LogEvent, words: Labels) -> str:
    """What a ticked event was, in the plan's words (the log's own text otherwise)."""
    if event.kind == "action":
        for view in action_views(plan, scenario):
            if view.key == event.id:
                return f"{view.step.do} ({owners_title(plan, view.step)})"
    elif event.kind == "escalation":
        found = _escalation_text(plan, scenario, event.id, words)
        if found:
            return found
    elif event.kind == "target" and event.id in ("acknowledge", "first_statement"):
        return f"{words['target']}: {words[event.id]}"
    return event.text or event.id


def log_timeline(plan: Plan, scenario: Scenario, log: IncidentLog, words: Labels) -> list[tuple[str, str]]:
    """The review's timeline: T+0, then every event of the log, in time order."""
    lines: list[tuple[dt.datetime, str]] = []
    if not any(e.kind == "start" for e in log.events):
        lines.append((log.started, words["incident_log_started"]))
    for event in log.events:
        if event.kind == "start":
            what = words["incident_log_started"]
        elif event.kind in ("action", "escalation", "target"):
            key = "incident_log_done" if event.done else "incident_log_undone"
            what = words[key].format(what=_what(plan, scenario, event, words))
        elif event.kind == "statement":
            name = f"{event.id} ({event.language})" if event.language else event.id
            what = words["incident_log_copied"].format(what=f"{name}: {event.text}" if name else event.text)
        elif event.kind == "update":
            what = words["incident_update_posted"]
        else:
            if not event.text.strip():
                continue
            what = words["incident_log_note"].format(text=event.text)
        if event.by:
            what = f"{event.by}: {what.strip()}"
        lines.append((event.at, _clip(what.strip())))
    if log.unsent_note:
        lines.append((log.ended, _clip(words["incident_log_unsent_note"].format(text=log.unsent_note))))
    shown = [(f"{at:%Y-%m-%d %H:%M}", what) for at, what in lines]
    if len(shown) > MAX_TIMELINE:
        # The review format keeps 200 lines; the rest stay in the log file.
        rest = len(shown) - (MAX_TIMELINE - 1)
        shown = [*shown[: MAX_TIMELINE - 1], (shown[MAX_TIMELINE - 1][0], words["review_log_more"].format(count=rest))]
    return shown


def met_deadlines(plan: Plan, scenario: Scenario, log: IncidentLog, words: Labels) -> tuple[list[str], list[str]]:
    """The plan's deadlines against the log: (met in time, late or never done)."""
    done_at: dict[tuple[str, str], dt.datetime | None] = {}
    for event in log.events:
        if event.kind in ("action", "escalation", "target"):
            # The last tick counts: ticked, unticked by mistake, ticked again.
            done_at[(event.kind, event.id)] = event.at if event.done else None
    copies = [e.at for e in log.events if e.kind == "statement"]
    if copies:
        ticked = done_at.get(("target", "first_statement"))
        done_at[("target", "first_statement")] = min([*copies, *([ticked] if ticked else [])])
    deadlines: list[tuple[int, str, tuple[str, str]]] = []
    for view in action_views(plan, scenario):
        if view.offset is not None:
            deadlines.append((view.offset, f"{view.step.do} ({owners_title(plan, view.step)})", ("action", view.key)))
    for number, step in enumerate(scenario.escalation, start=1):
        key = f"escalation-{number}"
        text = _escalation_text(plan, scenario, key, words)
        if step.minutes is not None and text:
            deadlines.append((step.minutes, text, ("escalation", key)))
    level = plan.severity(scenario.severity)
    if level is not None:
        for target, value in (("acknowledge", level.acknowledge), ("first_statement", level.first_statement)):
            minutes = parse_duration(value)
            if minutes is not None:
                deadlines.append((minutes, f"{words['target']}: {words[target]}", ("target", target)))
    worked: list[str] = []
    to_fix: list[str] = []
    # Not ticked and not due yet when the log was saved: it may have been done after.
    not_yet: list[str] = []
    saved_at = log.minutes_at(log.ended)
    saved = words["at_time"].format(time=format_minutes(saved_at))
    for minutes, what, which in sorted(deadlines, key=lambda d: d[0]):
        due = words["at_time"].format(time=format_minutes(minutes))
        when = done_at.get(which)
        if when is None and saved_at <= minutes:
            # In its own minute a deadline can still be met: the page says "due now".
            not_yet.append(words["review_log_not_yet_due"].format(what=what, due=due, saved=saved))
            continue
        if when is None:
            to_fix.append(words["review_log_missed"].format(what=what, due=due))
            continue
        done = words["at_time"].format(time=format_minutes(log.minutes_at(when)))
        if log.minutes_at(when) <= minutes:
            worked.append(words["review_log_on_time"].format(what=what, due=due, done=done))
        else:
            to_fix.append(words["review_log_late"].format(what=what, due=due, done=done))
    to_fix += not_yet
    to_fix += _conflict_lines(plan, scenario, log, words)
    return [_clip(w) for w in worked[:MAX_TIMELINE]], [_clip(f) for f in to_fix[:MAX_TIMELINE]]


def tick_conflicts(log: IncidentLog) -> list[tuple[LogEvent, LogEvent]]:
    """Ticks two people disagree on: one ticked a step, another unticked it later
    (or the other way round). The last tick still counts for the deadlines; the
    review asks the team which was right."""
    last: dict[tuple[str, str], LogEvent] = {}
    found: dict[tuple[str, str], tuple[LogEvent, LogEvent]] = {}
    for event in log.events:
        if event.kind not in TICK_KINDS:
            continue
        key = (event.kind, event.id)
        before = last.get(key)
        if before is not None and before.done != event.done and before.by != event.by:
            found[key] = (before, event)
        last[key] = event
    return list(found.values())


def _conflict_lines(plan: Plan, scenario: Scenario, log: IncidentLog, words: Labels) -> list[str]:
    lines = []
    for first, then in tick_conflicts(log):
        ticked, unticked = (first, then) if first.done else (then, first)
        lines.append(
            words["review_log_conflict"].format(
                what=_what(plan, scenario, then, words),
                ticked=ticked.by or "?",
                ticked_at=f"{ticked.at:%H:%M}",
                unticked=unticked.by or "?",
                unticked_at=f"{unticked.at:%H:%M}",
            )
        )
    return lines
