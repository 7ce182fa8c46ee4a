"""Drills: every scenario exercised, and recently enough."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan
from crisisplan.plan.values import parse_date, parse_duration
from crisisplan.suggest import slug


def last_drills(plan: Plan) -> dict[str, dt.date]:
    """The date of each scenario's most recent drill."""
    latest: dict[str, dt.date] = {}
    for drill in plan.drills:
        held = parse_date(drill.date)
        if held is None:
            continue
        if drill.scenario not in latest or held > latest[drill.scenario]:
            latest[drill.scenario] = held
    return latest


@check("CP711", "never-drilled", Severity.WARNING)
def never_drilled(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario that has never been exercised in a drill (a warning).

    A plan nobody has rehearsed fails on its first real use. Record each drill
    under drills: (``crisisplan drill`` writes the script for one).

    A new plan's honest answer is a planned first drill: ``planned:`` instead of
    ``date:``. It counts until its day; after that, record the drill held or plan a
    new date.

    Fails: no entry under ``drills:`` names the scenario, or only a planned drill
    whose day has passed.
    Passes: ``drills: [{date: 2026-09-14, scenario: hacked-account}]``, or
    ``drills: [{planned: 2027-01-20, scenario: hacked-account}]`` before that day.
    """
    held = last_drills(plan)
    planned: dict[str, dt.date] = {}
    for drill in plan.drills:
        day = parse_date(drill.planned)
        if day is not None and (drill.scenario not in planned or day > planned[drill.scenario]):
            planned[drill.scenario] = day
    for scenario in plan.scenarios:
        # A malformed id is reported by the schema with the spelling to use; a
        # drill recorded under that spelling counts.
        if scenario.id and scenario.id not in held and slug(scenario.id) not in held:
            day = planned.get(scenario.id) or planned.get(slug(scenario.id))
            if day is not None and day >= context.today:
                continue
            if day is not None:
                yield Finding(
                    plan.at((*scenario.path, "id")),
                    f"scenario '{scenario.id}' has never been drilled: the drill planned for {day.isoformat()} is not on record",
                    "record the drill held (date: instead of planned:), or plan it again with a new planned: date",
                )
                continue
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' has never been drilled",
                f"run crisisplan drill {scenario.id}, hold the exercise, then record it under drills:; "
                f"until then, plan it: drills: [{{planned: YYYY-MM-DD, scenario: {scenario.id}}}]",
            )


@check("CP712", "drill-overdue", Severity.WARNING)
def drill_overdue(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose last drill is older than the plan's drill_cadence (a warning).

    Fails: ``drill_cadence: 26w`` and the scenario's last drill was a year ago.
    Passes: every scenario drilled within the cadence.
    """
    cadence = parse_duration(plan.drill_cadence)
    if not cadence:
        return
    limit = dt.timedelta(minutes=cadence)
    held = last_drills(plan)
    for scenario in plan.scenarios:
        last = held.get(scenario.id)
        if last is not None and context.today - last > limit:
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' was last drilled on {last.isoformat()}, longer ago than the plan's drill cadence of {plan.drill_cadence}",
                f"run crisisplan drill {scenario.id} and record the exercise under drills:",
            )
