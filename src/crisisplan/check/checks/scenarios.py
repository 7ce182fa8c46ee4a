"""Scenario completeness: the parts without which a scenario cannot be run."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.model import Plan
from crisisplan.plan.values import is_filler


@check("CP304", "plan-without-scenarios")
def plan_without_scenarios(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan with no scenario: nothing to open when a crisis breaks.

    A single-file plan lists its scenarios under ``scenarios:``; a folder plan keeps
    one file per scenario in ``scenarios/`` beside plan.yaml, which is why the schema
    does not require the key (an editor would mark a folder plan's plan.yaml wrong).

    Fails: a plan file with no ``scenarios:``, or a folder plan whose scenarios/ is empty.
    Passes: at least one scenario, in the file or in scenarios/.
    """
    if not plan.scenarios:
        yield Finding(
            plan.at_key(("plan",)),
            "the plan has no scenarios",
            "add scenarios: with at least one scenario (in a folder plan, a file in scenarios/); "
            "crisisplan init writes a plan to start from",
        )


@check("CP301", "scenario-without-worst-case")
def scenario_without_worst_case(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario with no worst case, or only filler like TBD or "not stated in the source".

    The worst case says what happens if the scenario is mishandled or grows; it is
    what makes the team take the first actions seriously. A scenario without one
    is unfinished.

    Fails: a scenario with no ``worst_case:``, ``worst_case: TBD`` or ``worst_case: Not
    stated in the source plan.``
    Passes: ``worst_case: The post is picked up by national press within hours...``
    """
    for scenario in plan.scenarios:
        text = scenario.worst_case
        if not is_filler(text):
            continue
        where = (
            plan.at((*scenario.path, "worst_case"))
            if scenario.has_worst_case_key
            else plan.at((*scenario.path, "id"))
        )
        yield Finding(
            where,
            f"scenario '{scenario.id}' has no worst case",
            "add worst_case: what happens if this is mishandled or grows, like "
            "'national press picks it up and customers cancel'",
        )


@check("CP302", "scenario-without-statement")
def scenario_without_statement(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario with no holding statement to publish.

    When the volume is too high to answer everyone, a prepared statement is what
    lets the team publish within minutes.

    Fails: a scenario with no ``statements:`` or an empty list.
    Passes: at least one statement, written in the scenario or referenced by id.
    """
    for scenario in plan.scenarios:
        if not scenario.statements:
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' has no holding statement",
                "add statements: with at least one statement, or the id of a shared statement",
            )


@check("CP303", "scenario-without-first-action")
def scenario_without_first_action(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario with no first action: nobody knows what to do in the first minutes.

    Fails: a scenario with no ``first_actions:`` or an empty list.
    Passes: at least one action with an owner and a time, like
    ``{do: Pause scheduled posts, owner: social-lead, at: 10m}``.
    """
    for scenario in plan.scenarios:
        if not scenario.first_actions:
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' has no first actions",
                "add first_actions: with what to do first, who does it and by when, like "
                "- {do: Pause scheduled posts, owner: social-lead, at: 10m}",
            )
