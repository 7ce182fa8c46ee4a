"""An honest --strict: where each statement is in its approval, when it goes out, and
findings accepted on purpose.

A checker that pushes authors to mark unapproved texts approved, or to invent drills,
is worse than none. So a statement in legal review is a state the plan can say (and
every surface shows as not approved), a statement's time is checked against its
severity's targets, and a known finding can be accepted in the plan, next to what it
concerns, with a reason, who accepted it and until when; it is listed in every report
and fails again once that day has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from crisisplan.check.registry import REGISTRY, Context, Finding, check, known_codes
from crisisplan.diagnostics import Diagnostic, Location, Severity
from crisisplan.plan.model import Acceptance, Plan, Scenario, Statement
from crisisplan.plan.values import format_minutes, parse_date, parse_duration
from crisisplan.plan.yamlfile import JsonPath
from crisisplan.suggest import did_you_mean

# --- where each statement is in its approval -------------------------------------------


@check("CP620", "statement-later-than-target")
def statement_later_than_target(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose first statement goes out later than its severity's first-statement target.

    When a statement goes out is written as ``at:`` (time since the crisis began); the
    earliest among a scenario's statements is its first statement.

    Fails: ``at: 3h`` on the only statement of a scenario whose severity has
    ``first_statement: 1h``.
    Passes: ``at: 45m`` under a 1h target.
    """
    for scenario in plan.scenarios:
        level = plan.severity(scenario.severity)
        target = parse_duration(level.first_statement) if level else None
        timed = _timed(plan, scenario)
        if level is None or target is None or not timed:
            continue
        first, minutes = timed[0]
        if minutes > target:
            yield Finding(
                plan.at((*first.path, "at")),
                f"scenario '{scenario.id}' puts out its first statement ('{first.id}') at T+{first.at}, later than "
                f"the {level.first_statement} first-statement target of severity '{level.id}'",
                f"publish a holding statement by T+{level.first_statement}: write at: {format_minutes(target)} "
                "or earlier here, or add an earlier statement",
            )


@check("CP622", "update-gap-longer-than-cadence")
def update_gap_longer_than_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose statements leave a gap longer than its severity's update cadence.

    After the first statement, the severity's ``update_every`` says how long people may
    wait for the next word. A statement with ``every:`` goes out again at that interval.

    Fails: statements at 45m and 3h (nothing between) under ``update_every: 2h``; or no
    statement with ``every:``, so nothing goes out after the last one.
    Passes: a holding statement at 45m and an update at 2h30m with ``every: 2h``.
    """
    for scenario in plan.scenarios:
        level = plan.severity(scenario.severity)
        cadence = parse_duration(level.update_every) if level else None
        timed = _timed(plan, scenario)
        if level is None or not cadence or not timed:
            continue
        last = timed[-1][1]
        events: list[tuple[int, Statement]] = []
        for statement, minutes in timed:
            events.append((minutes, statement))
            every = parse_duration(statement.every)
            if every:
                # Repeats of a statement fill the gaps up to the last statement's time.
                events.extend((t, statement) for t in range(minutes + every, last + 1, every))
        events.sort(key=lambda e: e[0])
        for (before, _), (after, statement) in pairwise(events):
            if after - before > cadence:
                yield Finding(
                    plan.at((*statement.path, "at")),
                    f"scenario '{scenario.id}' says nothing between T+{format_minutes(before)} and T+{format_minutes(after)} "
                    f"('{statement.id}'), longer than the {level.update_every} update cadence of severity '{level.id}'",
                    f"publish an update by T+{format_minutes(before + cadence)}, or add every: {level.update_every} "
                    "to the statement before it",
                )
                break
        else:
            if not any(parse_duration(s.every) for s, _ in timed):
                statement = timed[-1][0]
                yield Finding(
                    plan.at((*statement.path, "at")),
                    f"scenario '{scenario.id}' says nothing after T+{statement.at} ('{statement.id}'); severity "
                    f"'{level.id}' asks for an update every {level.update_every}",
                    f"add every: {level.update_every} to the update that is published again until the crisis is over",
                )


@check("CP623", "update-slower-than-cadence")
def update_slower_than_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement repeated less often (``every:``) than its scenario's severity asks.

    Fails: ``every: 4h`` in a scenario whose severity has ``update_every: 2h``.
    Passes: ``every: 2h`` or more often.
    """
    for scenario in plan.scenarios:
        level = plan.severity(scenario.severity)
        cadence = parse_duration(level.update_every) if level else None
        if level is None or not cadence:
            continue
        for statement in plan.statements_of(scenario):
            every = parse_duration(statement.every)
            if every and every > cadence and statement.status != "retired":
                yield Finding(
                    plan.at((*statement.path, "every")),
                    f"statement '{statement.id}' goes out every {statement.every}, but severity '{level.id}' of "
                    f"scenario '{scenario.id}' asks for an update every {level.update_every}",
                    f"write every: {level.update_every}",
                )


def _timed(plan: Plan, scenario: Scenario) -> list[tuple[Statement, int]]:
    """A scenario's statements that say when they go out, earliest first (retired ones never do)."""
    found = [(s, s.minutes) for s in plan.statements_of(scenario) if s.status != "retired"]
    return sorted(((s, m) for s, m in found if m is not None), key=lambda e: e[1])


@check("CP625", "approval-without-who-or-when", Severity.WARNING)
def approval_without_who_or_when(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement marked approved without who approved it or when (a warning).

    "Approved" is a claim the runbook shows staff in a crisis: it says by whom and
    since when, so that a reader can trust it and a reviewer can check it.

    Fails: ``approval: {status: approved}``.
    Passes: ``approval: {status: approved, by: legal, date: 2026-10-01}``.
    """
    for statement in plan.all_statements():
        if statement.approved and not (statement.approved_by and statement.approved_on):
            missing = " and ".join(
                m
                for m, given in (
                    ("who approved it", statement.approved_by),
                    ("when", statement.approved_on),
                )
                if not given
            )
            yield Finding(
                plan.at((*statement.path, "approval", "status")),
                f"statement '{statement.id}' is marked approved, but does not say {missing}",
                "write approval: {status: approved, by: <role>, date: YYYY-MM-DD}; if it is still with "
                "legal, write approval: {status: in-review, with: legal, since: YYYY-MM-DD}",
            )


@check("CP626", "approval-fields-contradict-status", Severity.WARNING)
def approval_fields_contradict_status(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement whose approval fields contradict its status (a warning).

    An approved statement still naming who reviews it (``with:``, ``since:``), or one
    in review or draft naming who approved it (``by:``, ``date:``).

    Usually the status was changed and the old fields were left behind, so the page
    would tell staff two different things.

    Fails: ``approval: {status: approved, by: legal, date: 2026-10-01, with: legal}``.
    Passes: ``approval: {status: in-review, with: legal, since: 2026-11-01}``.
    """
    for statement in plan.all_statements():
        path = (*statement.path, "approval")
        if statement.status == "approved" and (statement.review_with or statement.review_since):
            key = "with" if statement.review_with else "since"
            yield Finding(
                plan.at_key((*path, key)),
                f"statement '{statement.id}' is marked approved but still says it is in review ({key}:)",
                "remove with: and since: once it is approved, or write status: in-review if it is not",
            )
        elif statement.status in ("in-review", "draft") and (
            statement.approved_by or statement.approved_on
        ):
            key = "by" if statement.approved_by else "date"
            yield Finding(
                plan.at_key((*path, key)),
                f"statement '{statement.id}' is {statement.status}, but says who approved it or when ({key}:)",
                "by: and date: are for an approved statement; for one in review write with: <role> and since: YYYY-MM-DD",
            )


@check("CP627", "approval-date-in-future")
def approval_date_in_future(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement approved, or sent for review, on a day that has not come yet.

    Fails: ``approval: {status: approved, by: legal, date: 2027-05-01}`` today, 2026-11-22.
    Passes: a date on or before today.
    """
    for statement in plan.all_statements():
        for key, value in (("date", statement.approved_on), ("since", statement.review_since)):
            day = parse_date(value)
            if day is not None and day > context.today:
                yield Finding(
                    plan.at((*statement.path, "approval", key)),
                    f"statement '{statement.id}' says {key}: {value}, which is after today ({context.today.isoformat()})",
                    "write the day it actually happened; a text cannot be approved in advance of its approval",
                )


@check("CP628", "only-retired-statements")
def only_retired_statements(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose every statement is retired: nothing is left to publish.

    Fails: the scenario's one statement has ``approval: {status: retired, date: 2026-09-01}``.
    Passes: at least one statement that is not retired.
    """
    for scenario in plan.scenarios:
        statements = plan.statements_of(scenario)
        if statements and all(s.status == "retired" for s in statements):
            yield Finding(
                plan.at((*scenario.path, "statements")),
                f"every statement of scenario '{scenario.id}' is retired, so there is nothing to publish",
                "write a new statement (status: draft or in-review until it is approved) next to the retired one",
            )


# --- findings accepted on purpose -------------------------------------------------------

# Codes that cannot be accepted: a plan that cannot be read or does not follow the format
# is not checked at all, and accepting an acceptance problem would hide the acceptance.
_ACCEPTANCE_CODES = frozenset({"CP720", "CP722", "CP723", "CP724"})


def code_hint(code: str, codes: list[str]) -> str:
    """'Did you mean' for a code: two digits swapped (CP171 for CP711) first, the
    closest spelling otherwise."""
    typed = code.strip().upper()
    swapped = [c for c in codes if sorted(c) == sorted(typed) and c != typed]
    hint = (
        f"did you mean '{swapped[0]}'?"
        if len(swapped) == 1
        else did_you_mean(typed, codes, "codes")
    )
    return hint + " (crisisplan checks lists them)"


def acceptable(code: str) -> bool:
    return code in REGISTRY and code not in _ACCEPTANCE_CODES


@dataclass(frozen=True)
class AcceptedFinding:
    """A finding that would fail the check, accepted in the plan until a day."""

    diagnostic: Diagnostic
    acceptance: Acceptance
    where: Location  # where the acceptance is written

    @property
    def note(self) -> str:
        a = self.acceptance
        return f"by {a.by} until {a.until}: {a.reason}"


def _spans(plan: Plan, scope: JsonPath) -> dict[str, tuple[int, int]]:
    """The first and last line of each file where what ``scope`` names was written."""
    spans: dict[str, tuple[int, int]] = {}
    for table in (plan.locator.values, plan.locator.keys):
        for path, where in table.items():
            if path[: len(scope)] == scope:
                low, high = spans.get(where.path, (where.line, where.line))
                spans[where.path] = (min(low, where.line), max(high, where.line))
    return spans


def _covers(
    spans: dict[str, tuple[int, int]] | None, acceptance: Acceptance, d: Diagnostic
) -> bool:
    if d.code != acceptance.code:
        return False
    if spans is None:  # the plan's own list covers the whole plan
        return True
    span = spans.get(d.path)
    return span is not None and span[0] <= d.line <= span[1]


def _live(acceptance: Acceptance, today: dt.date) -> bool:
    until = parse_date(acceptance.until)
    return (
        bool(acceptance.reason.strip())
        and until is not None
        and until >= today
        and acceptable(acceptance.code)
    )


def settle(
    plan: Plan, diagnostics: list[Diagnostic], today: dt.date
) -> tuple[list[Diagnostic], list[AcceptedFinding]]:
    """Split a plan's findings into those that still count and those accepted in it.

    An acceptance counts only while it is complete and its day has not passed; after
    that the finding it covered is reported again, beside CP720.
    """
    live = []
    for scope, acceptance in plan.all_acceptances():
        if _live(acceptance, today):
            spans = None if scope == () else _spans(plan, scope)
            live.append((spans, acceptance, plan.at((*acceptance.path, "code"))))
    kept: list[Diagnostic] = []
    accepted: list[AcceptedFinding] = []
    for d in diagnostics:
        match = next(((a, m) for spans, a, m in live if _covers(spans, a, d)), None)
        if match is None:
            kept.append(d)
        else:
            accepted.append(AcceptedFinding(d, match[0], match[1]))
    return kept, accepted


@check("CP720", "acceptance-expired")
def acceptance_expired(plan: Plan, context: Context) -> Iterator[Finding]:
    """An accepted finding whose ``until:`` day has passed; the finding it covered fails again.

    Fails: ``accepted: [{code: CP711, reason: ..., by: lead, until: 2026-10-31}]`` on 2026-11-22.
    Passes: an ``until:`` today or later, or the finding fixed and its acceptance removed.
    """
    for _, acceptance in plan.all_acceptances():
        until = parse_date(acceptance.until)
        if until is not None and until < context.today:
            yield Finding(
                plan.at((*acceptance.path, "until")),
                f"the acceptance of {acceptance.code} ended on {acceptance.until}",
                "fix what it accepted, or, if it still cannot be fixed, agree a new date and write it "
                "with the reason why",
            )


@check("CP722", "acceptance-unknown-code")
def acceptance_unknown_code(plan: Plan, context: Context) -> Iterator[Finding]:
    """An accepted finding naming a code that does not exist or cannot be accepted.

    Only the semantic checks' findings can be accepted: a plan that cannot be read
    or breaks the format is not checked at all, and an acceptance problem would hide
    the acceptance itself.

    Fails: ``code: CP171`` (no such code), or ``code: CP101`` (a missing key is fixed, not accepted).
    Passes: ``code: CP711``.
    """
    known = known_codes()
    for _, acceptance in plan.all_acceptances():
        code = acceptance.code
        if not code or acceptable(code):
            continue
        if code in known:
            yield Finding(
                plan.at((*acceptance.path, "code")),
                f"{code} cannot be accepted: "
                + (
                    "it is about accepting findings itself"
                    if code in _ACCEPTANCE_CODES
                    else "the plan must be fixed to be checked at all"
                ),
                "fix it instead; crisisplan explain " + code + " says how",
            )
        else:
            yield Finding(
                plan.at((*acceptance.path, "code")),
                f"unknown code '{code}'",
                code_hint(code, [c for c in REGISTRY if acceptable(c)]),
            )


@check("CP723", "acceptance-not-needed", Severity.WARNING)
def acceptance_not_needed(plan: Plan, context: Context) -> Iterator[Finding]:
    """An accepted finding that the check no longer reports where it is written (a warning).

    The problem was fixed, or the acceptance sits in the wrong place: remove it, so
    that the list of accepted findings says only what is true.

    Fails: ``accepted: [{code: CP711, ...}]`` on a scenario that has been drilled.
    Passes: every acceptance covers a finding the check reports.
    """
    candidates = [(s, a) for s, a in plan.all_acceptances() if _live(a, context.today)]
    if not candidates:
        return
    found = [
        d
        for code, registered in sorted(REGISTRY.items())
        if code not in _ACCEPTANCE_CODES and code in {a.code for _, a in candidates}
        for d in registered.run(plan, context)
    ]
    for scope, acceptance in candidates:
        spans = None if scope == () else _spans(plan, scope)
        if not any(_covers(spans, acceptance, d) for d in found):
            yield Finding(
                plan.at((*acceptance.path, "code")),
                f"{acceptance.code} is accepted here, but crisisplan check does not report it here",
                "remove this entry from accepted:, or move it next to what it concerns",
            )


@check("CP724", "acceptance-too-long", Severity.WARNING)
def acceptance_too_long(plan: Plan, context: Context) -> Iterator[Finding]:
    """A finding accepted for more than a year from today (a warning).

    An acceptance is a decision to look at again; one that runs for years is a
    finding switched off. Per-project severities (crisisplan.yaml) say that openly.

    Fails: ``until: 2030-01-01`` on 2026-11-22.
    Passes: ``until: 2027-01-31``.
    """
    for _, acceptance in plan.all_acceptances():
        until = parse_date(acceptance.until)
        if until is not None and (until - context.today).days > 366:
            yield Finding(
                plan.at((*acceptance.path, "until")),
                f"{acceptance.code} is accepted until {acceptance.until}, more than a year from now",
                f"accept it until {(context.today + dt.timedelta(days=365)).isoformat()} at most and look at it "
                "again then; to turn a check off for the whole project, set it to off in crisisplan.yaml",
            )
