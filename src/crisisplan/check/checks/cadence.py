"""Timing beyond the first escalation: severity raised on a measurable condition, and
review and drill cadences.

An escalation step may raise the incident to another severity level (``raise_to``)
when a stated, measurable condition holds; from then on the new level's notify list
applies, counted from the raise, and is checked as the starting level's is (CP502).
``review_every`` and ``drill_every`` ("6 months") set when the next review and each
scenario's next drill are due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crisisplan.check.checks.drills import last_drills
from crisisplan.check.checks.timings import first_told, step_name, told_untimed, untimed_finding
from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import EscalationStep, Plan, Scenario, SeverityLevel, in_sequence
from crisisplan.plan.values import (
    add_cadence,
    format_minutes,
    parse_cadence,
    parse_date,
    parse_duration,
)
from crisisplan.plan.yamlfile import JsonPath
from crisisplan.suggest import slug


def _raises(plan: Plan, scenario: Scenario) -> Iterator[tuple[EscalationStep, SeverityLevel | None]]:
    """Each raise in order (a raise without a time comes after the step written before
    it), and the level it raises to (None when the level is unknown: CP203's)."""
    for step in in_sequence(scenario.escalation, lambda e: e.minutes):
        if step.raise_to:
            yield step, plan.severity(step.raise_to)


@check("CP465", "raise-without-condition")
def raise_without_condition(plan: Plan, context: Context) -> Iterator[Finding]:
    """An escalation step that raises the severity without a measurable condition.

    "If it gets worse" cannot be checked or drilled; a count, a threshold and a
    period can, and the step's ``when`` still says it in words for the reader.

    Fails: ``{at: 1h, raise_to: level-3, when: if it blows up}``.
    Passes: ``{at: 1h, raise_to: level-3, condition: {metric: negative mentions, more_than: 200, per: 1h, within: 1h}}``.
    """
    for scenario in plan.scenarios:
        for step in scenario.escalation:
            if step.raise_to and step.condition is None:
                yield Finding(
                    plan.at((*step.path, "raise_to")),
                    f"{step_name(scenario, step)} raises the severity to '{step.raise_to}' without a measurable condition",
                    "add condition: {metric: negative mentions, more_than: 200, per: 1h, within: 1h} (what is counted, past which number, per which period, within how long)",
                )


@check("CP466", "raise-not-higher")
def raise_not_higher(plan: Plan, context: Context) -> Iterator[Finding]:
    """An escalation step that "raises" the severity to the level the incident is already at, or to a lower one.

    Severity levels are listed from the least to the most severe; a raise goes to
    one listed later than the level the scenario is at by then.

    Fails: a ``level-2`` scenario with ``raise_to: level-1`` or ``raise_to: level-2``.
    Passes: a ``level-2`` scenario with ``raise_to: level-3``.
    """
    for scenario in plan.scenarios:
        current = plan.severity(scenario.severity)
        if current is None:
            continue
        for step, level in _raises(plan, scenario):
            if level is None:
                continue
            path = step.path
            if level.rank <= current.rank:
                higher = [lvl.id for lvl in plan.severity_levels if lvl.rank > current.rank]
                state = (
                    "which it is already at"
                    if level.id == current.id
                    else f"which is less severe than '{current.id}', where it is by then"
                )
                yield Finding(
                    plan.at((*path, "raise_to")),
                    f"{step_name(scenario, step)} raises scenario '{scenario.id}' to '{level.id}', {state}",
                    f"raise to a more severe level, like '{higher[0]}'"
                    if higher
                    else f"'{current.id}' is the most severe level: remove raise_to, or add a higher level under severity_levels:",
                )
            else:
                current = level


@check("CP467", "raise-after-condition-window")
def raise_after_condition_window(plan: Plan, context: Context) -> Iterator[Finding]:
    """A raise timed after the window its condition watches has closed.

    "200 mentions an hour within the first hour" is known at T+1h at the latest;
    a raise planned for T+2h leaves an hour at the lower level's slower targets.

    Fails: ``{at: 2h, raise_to: level-3, condition: {metric: mentions, more_than: 200, per: 1h, within: 1h}}``.
    Passes: the same step ``at: 1h``, or ``within: 2h``.
    """
    for scenario in plan.scenarios:
        for step in scenario.escalation:
            condition = step.condition
            window = parse_duration(condition.within) if condition else None
            if (
                condition is None
                or window is None
                or step.minutes is None
                or step.minutes <= window
            ):
                continue
            yield Finding(
                plan.at((*step.path, "at")),
                f"the severity is raised at T+{step.at}, after the condition's window (within {condition.within}) has closed",
                f"raise at {condition.within} or earlier (when the condition is met), or widen within: to {step.at}",
            )


@check("CP468", "raised-target-missed")
def raised_escalation_later_than_target(plan: Plan, context: Context) -> Iterator[Finding]:
    """After a raise, someone the new level requires is told later than its target allows, or never.

    Once an escalation step raises the severity, the new level's notify list
    applies, counted from the raise: ``{role: exec-sponsor, within: 30m}`` after
    a raise at T+2h means by T+2h30m. Someone told before the raise has been told.

    Fails: a raise to ``level-3`` at ``2h`` when level-3 requires the executive
    sponsor within 30m, and the sponsor is told at ``3h`` or not at all.
    Passes: the sponsor is told at ``2h30m`` or earlier. A raise or a notify without
    a time holds nobody to one: the people the level requires must still be told,
    in any escalation step.
    """
    for scenario in plan.scenarios:
        for step, level in _raises(plan, scenario):
            if level is None:
                continue
            for notify in level.notify:
                if notify.role:
                    yield from _told_after_raise(plan, scenario, step, level, notify.role, notify.within)


def _told_after_raise(
    plan: Plan, scenario: Scenario, step: EscalationStep, level: SeverityLevel, who: str, within_text: str
) -> Iterator[Finding]:
    """CP468 for one person the raised level requires. Times are compared only when
    both the raise and the level's notify give one; without them, the person must
    still be told."""
    within = parse_duration(within_text)
    if within_text and within is None:
        return  # not a time span: the schema's finding
    first, untimed = first_told(scenario, who), told_untimed(scenario, who)
    timed = step.minutes is not None and within is not None
    deadline = format_minutes((step.minutes or 0) + (within or 0))
    if first is None and untimed is None:
        if timed:
            yield Finding(
                plan.at((*step.path, "raise_to")),
                f"after the raise to '{level.id}' at T+{step.at}, '{who}' must be told within {within_text} (by T+{deadline}), but scenario '{scenario.id}' never tells them",
                f"add to escalation: - {{at: {deadline}, notify: [{who}]}}",
            )
        else:
            yield Finding(
                plan.at((*step.path, "raise_to")),
                f"after the raise to '{level.id}' in {step_name(scenario, step)}, '{who}' must be told, but scenario '{scenario.id}' never tells them",
                f"add to escalation, after that step: - {{notify: [{who}]}}",
            )
        return
    if not timed:
        return
    limit = (step.minutes or 0) + (within or 0)
    if first is None and untimed is not None:
        yield untimed_finding(
            plan, scenario, untimed, who, deadline,
            f"after the raise to '{level.id}' at T+{step.at} they must be told within {within_text} (by T+{deadline})",
        )
    elif first is not None and (first.minutes or 0) > limit:
        yield Finding(
            plan.at((*first.path, "at")),
            f"'{who}' is told at T+{first.at}, but after the raise to '{level.id}' at T+{step.at} they must be told within {within_text} (by T+{deadline})",
            f"tell '{who}' at {deadline} or earlier",
        )


# --- review and drill cadences ----------------------------------------------------------


def _cadences(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    if plan.review_every:
        yield ("plan", "review_every"), plan.review_every
    if plan.drill_every:
        yield ("plan", "drill_every"), plan.drill_every
    for scenario in plan.scenarios:
        if scenario.drill_every:
            yield (*scenario.path, "drill_every"), scenario.drill_every


@check("CP470", "bad-cadence")
def bad_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A review_every or drill_every that is not a number and a unit (days, weeks, months, years).

    ``m`` means minutes in every time span of a plan, so "6m" is refused rather
    than guessed: write the unit out.

    Fails: ``review_every: 6m``, ``drill_every: yearly`` or ``drill_every: 0 months``.
    Passes: ``review_every: 6 months``, ``drill_every: 1 year``, ``drill_every: 26w``.
    """
    for path, text in _cadences(plan):
        if parse_cadence(text) is not None:
            continue
        written = text.strip()
        number = written[: len(written) - len(written.lstrip("0123456789"))]
        unit = written[len(number) :].strip().lower()
        if number and int(number) == 0:
            hint = "write how often, like 6 months or 1 year"
        elif number and unit in ("m", "mo", "mth", "mths", "min", "mins", "minute", "minutes"):
            hint = f"in a plan, m means minutes: write {number} months"
        elif number and unit in ("h", "hr", "hrs", "hour", "hours"):
            hint = (
                f"a cadence is days, weeks, months or years: write {number} days or {number} weeks"
            )
        else:
            hint = (
                "write a number and a unit, like 6 months, 12 months, 1 year, 26 weeks or 90 days"
            )
        yield Finding(plan.at(path), f"'{written}' is not a cadence", hint)


@check("CP471", "next-review-beyond-cadence")
def next_review_beyond_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A next_review later than review_every allows after last_reviewed.

    Fails: ``last_reviewed: 2026-10-15``, ``review_every: 6 months`` and ``next_review: 2027-10-15``.
    Passes: ``next_review: 2027-04-15`` or earlier, or no next_review (it is then last_reviewed plus review_every).
    """
    last, due = parse_date(plan.last_reviewed), parse_date(plan.next_review)
    cadence = parse_cadence(plan.review_every)
    if last is None or due is None or cadence is None:
        return
    latest = add_cadence(last, cadence)
    if due > latest:
        yield Finding(
            plan.at(("plan", "next_review")),
            f"next_review ({plan.next_review}) is later than review_every: {plan.review_every} allows after the last review ({plan.last_reviewed}): the review is due by {latest.isoformat()}",
            f"set next_review: {latest.isoformat()} or earlier, or remove next_review and let review_every set it",
        )


@check("CP472", "review-due-by-cadence", Severity.WARNING)
def review_due_by_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan with no next_review whose last_reviewed plus review_every has passed (a warning; an error under --strict).

    With a next_review written, CP701 reports an overdue review instead.

    Fails: ``last_reviewed: 2026-01-10`` and ``review_every: 6 months`` when today is after 2026-07-10.
    Passes: a review held within the cadence, with last_reviewed updated.
    """
    if plan.next_review:
        return
    last, cadence = parse_date(plan.last_reviewed), parse_cadence(plan.review_every)
    if last is None or cadence is None:
        return
    due = add_cadence(last, cadence)
    if due < context.today:
        days = (context.today - due).days
        yield Finding(
            plan.at(("plan", "last_reviewed")),
            f"the plan's review was due on {due.isoformat()} (last reviewed {plan.last_reviewed}, every {plan.review_every}), {days} day{'s' if days != 1 else ''} ago",
            "review the plan, then set last_reviewed to the day of the review",
        )


@check("CP473", "drill-due-by-cadence", Severity.WARNING)
def drill_due_by_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose last drill plus drill_every (its own, else the plan's) has passed (a warning).

    A scenario never drilled is CP711's.

    Fails: ``drill_every: 12 months`` and the scenario's last drill on 2025-09-01, when today is after 2026-09-01.
    Passes: a drill recorded within the last 12 months.
    """
    held = last_drills(plan)
    for scenario in plan.scenarios:
        text = scenario.drill_every or plan.drill_every
        cadence = parse_cadence(text)
        last = held.get(scenario.id) or held.get(slug(scenario.id))
        if cadence is None or last is None:
            continue
        due = add_cadence(last, cadence)
        if due < context.today:
            where = (
                (*scenario.path, "drill_every") if scenario.drill_every else (*scenario.path, "id")
            )
            yield Finding(
                plan.at(where),
                f"scenario '{scenario.id}' was last drilled on {last.isoformat()}; drilled every {text}, it was due again on {due.isoformat()}",
                f"run crisisplan drill {scenario.id}, hold the exercise, then record it under drills:",
            )


@check("CP474", "two-drill-cadences")
def two_drill_cadences(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan giving both drill_cadence and drill_every, which could disagree.

    drill_every ("12 months") replaces drill_cadence ("52w"); drill_cadence keeps
    working on its own.

    Fails: ``drill_cadence: 52w`` and ``drill_every: 6 months`` in one plan.
    Passes: only ``drill_every: 12 months`` (or only ``drill_cadence: 52w``).
    """
    if plan.drill_cadence and plan.drill_every:
        minutes = parse_duration(plan.drill_cadence)
        weeks = (
            f"{minutes // (7 * 24 * 60)} weeks"
            if minutes and minutes % (7 * 24 * 60) == 0
            else plan.drill_every
        )
        yield Finding(
            plan.at(("plan", "drill_every")),
            f"drill_cadence ({plan.drill_cadence}) and drill_every ({plan.drill_every}) both say how often to drill",
            f"keep one: remove drill_cadence, and write drill_every: {plan.drill_every}"
            + (
                f" (drill_cadence: {plan.drill_cadence} is drill_every: {weeks})"
                if weeks != plan.drill_every
                else ""
            ),
        )


def next_drill_due(plan: Plan, scenario: Scenario) -> dt.date | None:
    """When a scenario's next drill is due by drill_every (its own, else the plan's)."""
    last = last_drills(plan).get(scenario.id)
    cadence = parse_cadence(scenario.drill_every or plan.drill_every)
    return add_cadence(last, cadence) if last and cadence else None
