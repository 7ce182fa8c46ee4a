"""People and organisations outside the team, the ways to reach them, and rotas.

A plan names the CEO, outside counsel or a regulator in contacts:, each with an id
that escalation, severity levels and first actions use like a role's (checks/
references.py resolves both in one place). Ways to reach someone (``reach:``) and
rota shifts say when they apply (``when:``): always, weekdays, weekends, a window
named under time_windows:, or days and hours. This module reads those windows for
the checks and for the pages that show them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from crisisplan.checks.base import Context, Finding, check
from crisisplan.checks.references import _unknown, party_references, role_references
from crisisplan.diagnostics import Severity
from crisisplan.loader import JsonPath
from crisisplan.model import Plan, ReachMethod
from crisisplan.suggest import did_you_mean

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = {
    "monday": "mon", "tuesday": "tue", "tues": "tue", "wednesday": "wed", "thursday": "thu",
    "thur": "thu", "thurs": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun",
}  # fmt: skip
WHOLE_DAY = (0, 24 * 60)
# Windows every plan has, without defining them under time_windows:.
BUILT_IN: dict[str, tuple[tuple[str, ...], tuple[int, int]]] = {
    "always": (DAYS, WHOLE_DAY),
    "weekdays": (DAYS[:5], WHOLE_DAY),
    "weekends": (DAYS[5:], WHOLE_DAY),
}
_TIME = re.compile(r"([01]\d|2[0-4]):([0-5]\d)")
_LOOSE_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """Days of the week, and the minutes of each day from start to end (an end before
    the start runs past midnight into the next day)."""

    days: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class WindowProblem:
    path: JsonPath
    message: str
    hint: str
    unknown_name: bool = False  # CP454 rather than CP455


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _time(value: Any) -> int | None:
    """'08:00' -> 480; '24:00' -> 1440; None when it is not a 24-hour HH:MM."""
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    return minutes if minutes <= 24 * 60 else None


def _time_hint(value: Any) -> str:
    """What a time written as '8am', '8' or '8.30' most likely meant, as HH:MM."""
    match = _LOOSE_TIME.fullmatch(str(value).strip())
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower().replace(".", "")
        if suffix == "pm" and hours < 12:
            hours += 12
        elif suffix == "am" and hours == 12:
            hours = 0
        if hours <= 24 and minutes < 60:
            return f'write it as 24-hour HH:MM in quotes: "{_hhmm(hours * 60 + minutes)}"'
    return 'write it as 24-hour HH:MM in quotes, like "08:00" or "18:30"'


def _days(value: Any, path: JsonPath) -> tuple[tuple[str, ...], list[WindowProblem]]:
    """Days as written (a list, 'mon-fri', 'sat, sun') as an ordered tuple of day names."""
    if value is None:
        return DAYS, []
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    problems: list[WindowProblem] = []
    for index, item in enumerate(items):
        where = (*path, index) if isinstance(value, list) else path
        for part in (p.strip() for p in str(item).split(",")):
            ends = [e.strip().lower() for e in part.split("-")]
            named = [_DAY_WORDS.get(e, e) for e in ends]
            bad = [e for e, n in zip(ends, named, strict=True) if n not in DAYS]
            if bad or len(named) > 2:
                problems.append(
                    WindowProblem(
                        where,
                        f"'{part}' is not a day of the week",
                        did_you_mean(bad[0] if bad else part, DAYS)
                        if bad and did_you_mean(bad[0], DAYS).startswith("did")
                        else "write days as mon, tue, wed, thu, fri, sat, sun, or a range like mon-fri",
                    )
                )
                continue
            first, last = DAYS.index(named[0]), DAYS.index(named[-1])
            span = (
                range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
            )
            found.extend(DAYS[i] for i in span)
    ordered = tuple(d for d in DAYS if d in found)
    if not ordered and not problems:
        problems.append(
            WindowProblem(
                path,
                "no days are given",
                "list the days, like mon-fri, or leave days out for every day",
            )
        )
    return ordered, problems


def read_window(
    when: Any, path: JsonPath, plan: Plan, seen: tuple[str, ...] = ()
) -> tuple[list[Span], list[WindowProblem]]:
    """The spans a ``when`` covers, and what is wrong in it (every problem, with where)."""
    if when is None:
        return [Span(DAYS, *WHOLE_DAY)], []
    if isinstance(when, list):
        spans: list[Span] = []
        problems: list[WindowProblem] = []
        for index, item in enumerate(when):
            more, wrong = read_window(item, (*path, index), plan, seen)
            spans += more
            problems += wrong
        return spans, problems
    if isinstance(when, str):
        name = when.strip()
        if name in plan.time_windows and name not in seen:
            # Problems inside a named window are reported where it is defined.
            spans, _ = read_window(
                plan.time_windows[name], ("time_windows", name), plan, (*seen, name)
            )
            return spans, []
        if name in BUILT_IN:
            days, (start, end) = BUILT_IN[name]
            return [Span(days, start, end)], []
        known = [*BUILT_IN, *plan.time_windows]
        return [], [
            WindowProblem(
                path,
                f"'{name}' is not a time window this plan knows",
                did_you_mean(name, known, "windows known")
                if did_you_mean(name, known).startswith("did")
                else f'use always, weekdays or weekends, define \'{name}\' under time_windows:, or write days and hours like {{days: mon-fri, from: "08:00", to: "18:00"}}',
                unknown_name=True,
            )
        ]
    if not isinstance(when, dict):
        return [], []  # the wrong type is the schema's to report
    days, problems = _days(when.get("days"), (*path, "days"))
    start_text, end_text = when.get("from"), when.get("to")
    if start_text is None and end_text is None:
        return [Span(days, *WHOLE_DAY)] if days else [], problems
    times: list[int] = []
    for key, text in (("from", start_text), ("to", end_text)):
        if text is None:
            other = "to" if key == "from" else "from"
            problems.append(
                WindowProblem(
                    path,
                    f"'{other}' is given without '{key}'",
                    f'add {key}: with a time like "18:00", or leave out both for the whole day',
                )
            )
            continue
        minutes = _time(text)
        if minutes is None:
            problems.append(
                WindowProblem((*path, key), f"'{text}' is not a time", _time_hint(text))
            )
        else:
            times.append(minutes)
    if len(times) == 2:
        start, end = times
        if start % (24 * 60) == end % (24 * 60):
            problems.append(
                WindowProblem(
                    (*path, "to"),
                    f"from and to are both {_hhmm(start)}, so this window covers no time",
                    'for the whole day leave out from and to; otherwise give the time it ends, like to: "18:00"',
                )
            )
            return [], problems
        return ([Span(days, start, end)] if days else []), problems
    return [], problems


def covered_minutes(spans: list[Span]) -> set[int]:
    """The minutes of the week (0 = Monday 00:00) the spans cover."""
    week = 7 * 24 * 60
    covered: set[int] = set()
    for span in spans:
        length = (span.end - span.start) % (24 * 60) or 24 * 60
        for day in span.days:
            begin = DAYS.index(day) * 24 * 60 + span.start
            covered.update(m % week for m in range(begin, begin + length))
    return covered


def _windows(plan: Plan) -> Iterator[tuple[JsonPath, Any]]:
    """Every ``when`` the plan writes, with where, and every named window."""
    for name, window in plan.time_windows.items():
        yield ("time_windows", name), window
    methods: list[ReachMethod] = []
    for role in plan.roles:
        for person in role.people:
            methods += person.reach
    for contact in plan.contacts:
        methods += contact.reach
    for rota in plan.rotas:
        methods += rota.reach
        for shift in rota.shifts:
            yield (*shift.path, "when"), shift.when
    for method in methods:
        if method.when is not None:
            yield (*method.path, "when"), method.when


def _window_problems(plan: Plan) -> Iterator[WindowProblem]:
    for path, when in _windows(plan):
        yield from read_window(
            when, path, plan, (str(path[-1]),) if path[0] == "time_windows" else ()
        )[1]


@check("CP450", "duplicate-contact-id")
def duplicate_contact_id(plan: Plan, context: Context) -> Iterator[Finding]:
    """A contact whose id is also a role's or another contact's, or two rotas with one id.

    Escalation steps, severity levels and owners name roles and contacts by the same
    kind of id, so one id must mean one of them.

    Fails: a role ``legal`` and a contact ``legal`` (outside counsel).
    Passes: the role ``legal`` and the contact ``outside-counsel``.
    """
    roles = {r.id: r.path for r in plan.roles if r.id}
    for kind, things in (("contact", plan.contacts), ("rota", plan.rotas)):
        first: dict[str, JsonPath] = {}
        for thing in things:
            if not thing.id:
                continue
            here = plan.at((*thing.path, "id"))
            if kind == "contact" and thing.id in roles:
                role_line = plan.at((*roles[thing.id], "id")).line
                yield Finding(
                    here,
                    f"'{thing.id}' is the id of a role (line {role_line}) and of this contact, so nobody can tell which one a step means",
                    f"give the contact an id of its own, like '{thing.id}-external'",
                )
            elif thing.id in first:
                earlier = plan.at((*first[thing.id], "id"))
                place = (
                    f"line {earlier.line}"
                    if earlier.path == here.path
                    else f"{earlier.path}:{earlier.line}"
                )
                yield Finding(
                    here,
                    f"{kind} id '{thing.id}' is used twice (first on {place})",
                    f"give this {kind} an id of its own",
                )
            else:
                first[thing.id] = thing.path


@check("CP451", "unreachable-contact")
def unreachable_contact(plan: Plan, context: Context) -> Iterator[Finding]:
    """A person or organisation in contacts: with no phone, e-mail, chat or reach: named, but nobody can get hold of them.

    Fails: ``- {id: ceo, name: Claire Whitmore}`` and nothing else.
    Passes: ``- {id: ceo, name: Claire Whitmore, phone: "+44 7700 900111"}``.
    """
    for contact in plan.contacts:
        if not contact.given:
            yield Finding(
                plan.at((*contact.path, "id")),
                f"contact '{contact.id}' ({contact.name}) has no phone, e-mail, chat or reach: nobody can get hold of them in a crisis",
                'add how to reach them, like phone: "+44 20 7946 0321", or reach: with a line for office hours and one for after hours',
            )


@check("CP452", "unknown-rota")
def unknown_rota(plan: Plan, context: Context) -> Iterator[Finding]:
    """A monitoring watcher or a role pointing at a rota that rotas: does not define.

    Fails: ``watchers: [{rota: social-wach}]`` when the rota is ``social-watch``.
    Passes: every rota named is an id under ``rotas:``.
    """
    refs: list[tuple[JsonPath, str]] = [((*r.path, "rota"), r.rota) for r in plan.roles if r.rota]
    watchers = plan.monitoring.get("watchers")
    for index, watcher in enumerate(watchers if isinstance(watchers, list) else []):
        if isinstance(watcher, dict) and isinstance(watcher.get("rota"), str):
            refs.append((("monitoring", "watchers", index, "rota"), watcher["rota"]))
    yield from _unknown(plan, refs, (r.id for r in plan.rotas), "rota")


@check("CP453", "contact-where-role-needed")
def contact_where_role_needed(plan: Plan, context: Context) -> Iterator[Finding]:
    """A person or organisation from contacts: named where only a role on the team will do.

    Contacts can be told (``notify``), own or decide a first action, and cover a
    rota's shift. Taking over the incident (``hand_over_to``), telling others
    (``by``), approving statements, owning the plan or a channel, informing an
    audience and following up a review are the team's work.

    Fails: ``hand_over_to: ceo`` when ``ceo`` is under ``contacts:``.
    Passes: ``hand_over_to: exec-sponsor`` (a role), with ``notify: [ceo]`` to tell the CEO.
    """
    contacts = {c.id for c in plan.contacts if c.id}
    roles = {r.id for r in plan.roles}
    either = {path for path, _ in party_references(plan)}
    for path, ref in role_references(plan):
        if ref in contacts and ref not in roles and path not in either:
            key = next((p for p in reversed(path) if isinstance(p, str)), "")
            yield Finding(
                plan.at(path),
                f"'{ref}' is a contact outside the team, but '{key}' needs a role from roles:",
                f"name the role that does this; to tell {ref}, add them to an escalation step's notify:",
            )


@check("CP454", "unknown-time-window")
def unknown_time_window(plan: Plan, context: Context) -> Iterator[Finding]:
    """A when: naming a time window that is neither built in nor defined under time_windows:.

    always, weekdays and weekends are built in; any other name (office-hours,
    after-hours) is defined once under ``time_windows:``.

    Fails: ``when: offce-hours`` when time_windows: defines ``office-hours``.
    Passes: ``when: office-hours``, ``when: weekends``, or ``when: {days: mon-fri, from: "18:00", to: "08:00"}``.
    """
    for problem in _window_problems(plan):
        if problem.unknown_name:
            yield Finding(plan.at(problem.path), problem.message, problem.hint)


@check("CP455", "bad-time-window")
def bad_time_window(plan: Plan, context: Context) -> Iterator[Finding]:
    """Days and hours that cannot be read: a time not written HH:MM, a day that is not one, or a window covering no time.

    Fails: ``when: {days: [monday], from: 8am, to: "18:00"}`` or ``from: "09:00", to: "09:00"``.
    Passes: ``when: {days: mon-fri, from: "08:00", to: "18:00"}``.
    """
    for problem in _window_problems(plan):
        if not problem.unknown_name:
            yield Finding(plan.at(problem.path), problem.message, problem.hint)


@check("CP456", "rota-gap", Severity.WARNING)
def rota_gap(plan: Plan, context: Context) -> Iterator[Finding]:
    """A rota whose shifts leave whole days of the week with nobody on duty (a warning).

    A rota with a shared line answered at all hours has no gap.

    Fails: shifts for ``weekdays`` only: nobody covers Saturday and Sunday.
    Passes: ``{who: community-manager, when: weekdays}`` and ``{who: customer-care-lead, when: weekends}``.
    """
    for rota in plan.rotas:
        if not rota.shifts:
            continue
        spans: list[Span] = []
        for shift in rota.shifts:
            found, problems = read_window(shift.when, (*shift.path, "when"), plan)
            if problems:
                break  # reported by CP454/CP455; a gap would only repeat them
            spans += found
        else:
            for method in rota.reach:
                found, problems = read_window(method.when, (*method.path, "when"), plan)
                spans += [] if problems else found
            covered = covered_minutes(spans)
            empty = [
                d
                for i, d in enumerate(DAYS)
                if not any(m in covered for m in range(i * 1440, (i + 1) * 1440))
            ]
            if empty:
                days = ", ".join(empty)
                yield Finding(
                    plan.at((*rota.path, "shifts")),
                    f"nobody is on duty in rota '{rota.id}' on {days}",
                    f"add a shift for {days}, like - {{who: <role>, when: {{days: [{days}]}}}}, or a shared line for those days",
                )
