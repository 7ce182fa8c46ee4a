"""Audiences with a legal deadline: told in time, and named exactly.

A regulator, a data protection authority or a CSIRT must often be told within a
time the law sets ("within 72 hours of becoming aware"). An audience's ``deadline:``
is that limit, counted from T+0 like every other time in a scenario; its ``within:``
is when the team plans to tell them. These checks hold the two together, as the
escalation timings are held to the severity's targets.
"""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Audience, Plan, Scenario

# The groups a legal deadline is owed to: each is one specific body.
OFFICIAL = ("regulators", "authorities")


def audience_name(audience: Audience) -> str:
    """How a message names an audience: the body when one is named, else the plan's
    own word for it, else the group."""
    return audience.body or audience.name or audience.audience


def _keeps_time(plan: Plan, scenario: Scenario) -> bool:
    """Whether a scenario times anything of its own (a step, an escalation, an audience,
    its severity's targets). One that times nothing is a sequence: it tells a body
    with a legal deadline in its turn, and the deadline the law sets is what shows."""
    level = plan.severity(scenario.severity)
    return (
        any(step.minutes is not None for step in plan.actions_of(scenario))
        or any(step.minutes is not None for step in scenario.escalation)
        or any(audience.minutes is not None for audience in scenario.audiences)
        or (level is not None and level.has_targets)
    )


@check("CP481", "audience-later-than-deadline")
def audience_later_than_deadline(plan: Plan, context: Context) -> Iterator[Finding]:
    """An audience with a legal deadline that is told later than it, or at no stated time.

    ``deadline:`` is the latest the law allows; ``within:`` is when the team tells
    them. A plan that tells the data protection authority at T+96h under a 72-hour
    deadline has the breach reported late before anything has happened.

    Fails: ``{audience: regulators, deadline: 72h, within: 4d, by: legal}``, or a
    deadline with no ``within:`` in a scenario that times its steps (one that times
    nothing tells them in its turn, and shows the legal deadline).
    Passes: ``{audience: regulators, deadline: 72h, within: 48h, by: legal}``.
    """
    for scenario in plan.scenarios:
        for audience in scenario.audiences:
            limit = audience.deadline_minutes
            if limit is None:
                continue
            told = audience.minutes
            if told is None and not audience.within and _keeps_time(plan, scenario):
                yield Finding(
                    plan.at((*audience.path, "deadline")),
                    f"'{audience_name(audience)}' must be told within {audience.deadline}, but scenario '{scenario.id}' does not say when it tells them",
                    f"add within: {audience.deadline} (or earlier) to say when they are told",
                )
            elif told is not None and told > limit:
                yield Finding(
                    plan.at((*audience.path, "within")),
                    f"'{audience_name(audience)}' is told at T+{audience.within}, later than its {audience.deadline} deadline",
                    f"tell them at {audience.deadline} or earlier: within: {audience.deadline}",
                )


@check("CP482", "deadline-without-named-body", Severity.WARNING)
def deadline_without_named_body(plan: Plan, context: Context) -> Iterator[Finding]:
    """A regulator or authority with a legal deadline that is not named (a warning).

    "Tell the regulators within 72 hours" leaves the person on duty to work out which
    regulator, and how, while the clock runs. A legal deadline belongs to one body.

    Fails: ``{audience: regulators, deadline: 72h, within: 48h, by: legal}``.
    Passes: the same with ``body: Information Commissioner's Office (ICO)``, or with
    ``contact: ico`` pointing at its card under contacts:.
    """
    for scenario in plan.scenarios:
        for audience in scenario.audiences:
            named = audience.body or (audience.contact and plan.contact(audience.contact))
            if audience.deadline and not named and audience.audience in OFFICIAL:
                yield Finding(
                    plan.at((*audience.path, "audience")),
                    f"'{audience.audience}' has a {audience.deadline} deadline in scenario '{scenario.id}' but no named body",
                    "add body: with the exact organisation to tell, like body: Information Commissioner's Office (ICO)",
                )


@check("CP483", "audience-without-name")
def audience_without_name(plan: Plan, context: Context) -> Iterator[Finding]:
    """An audience of kind other with no name: nobody can tell who is meant.

    The known kinds (staff, families, students, elected-officials, partner-agencies
    and the rest) are named in the reader's language; any other audience the plan
    names in its own words.

    Fails: ``{audience: other, by: comms-lead}``.
    Passes: ``{audience: other, name: {en: Volunteers, da: Frivillige}, by: comms-lead}``.
    """
    for scenario in plan.scenarios:
        for audience in scenario.audiences:
            if audience.audience == "other" and not audience.name:
                yield Finding(
                    plan.at((*audience.path, "audience")),
                    f"an audience of scenario '{scenario.id}' is 'other' without a name",
                    "add name: with who they are, as the plan says it, like name: Volunteers",
                )
