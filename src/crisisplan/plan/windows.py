"""When a way to reach someone, or a rota shift, applies: ``always``, ``weekdays``,
``weekends``, a window named under ``time_windows:``, or days and hours
(``{days: mon-fri, from: "18:00", to: "08:00"}``). Read here for the checks
(check/checks/people.py) and for the pages that show them (render/views.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crisisplan.plan.model import Plan
from crisisplan.plan.yamlfile import JsonPath
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
