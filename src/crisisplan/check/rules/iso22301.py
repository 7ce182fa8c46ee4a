"""iso22301: ISO 22301:2019 §8.4, business continuity plans and procedures.

§8.4.2 asks for response teams with the roles, responsibilities and alternates to act
when the primaries cannot; §8.4.4 for plans that say how the response is activated
(the criteria), what is done and communicated, and how it stands down once the
incident is over. These rules hold every scenario and role of a plan to that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding
from crisisplan.check.rules.base import rule
from crisisplan.plan.model import Person, Plan

PACK = "iso22301"


@rule(PACK, "ISO001", "no-activation-criteria")
def no_activation_criteria(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario with no activation criteria: nothing says when it starts.

    ISO 22301 §8.4.4 (and §8.4.2's activation of the response): a plan states the
    criteria for activating it. In a scenario these are its ``triggers:``.

    Fails: a scenario with no ``triggers:``.
    Passes: ``triggers: [A post from our account that nobody on the team wrote]``.
    """
    for scenario in plan.scenarios:
        if not scenario.triggers:
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' has no activation criteria (ISO 22301 §8.4.4)",
                "add triggers: with what starts this scenario, one per line",
            )


@rule(PACK, "ISO002", "no-stand-down")
def no_stand_down(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario that does not say how the crisis is declared over.

    ISO 22301 §8.4.4: plans and procedures say how the response stands down once the
    incident is over. A crisis nobody declares over drains the team for weeks.

    Fails: a scenario with no ``stand_down:``.
    Passes: ``stand_down: {when: [No new complaints for 48 hours], by: crisis-lead}``.
    """
    for scenario in plan.scenarios:
        if scenario.stand_down is None:
            yield Finding(
                plan.at((*scenario.path, "id")),
                f"scenario '{scenario.id}' does not say how the crisis is declared over (ISO 22301 §8.4.4)",
                f"add stand_down: {{when: [<what must be true>], by: {plan.owner or 'crisis-lead'}}}",
            )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _same(a: Person, b: Person) -> bool:
    return bool(
        (a.name and _norm(a.name) == _norm(b.name))
        or (a.email and _norm(a.email) == _norm(b.email))
        or (a.phone and a.tel == b.tel)
    )


@rule(PACK, "ISO003", "no-free-alternate")
def no_free_alternate(plan: Plan, context: Context) -> Iterator[Finding]:
    """A role whose every deputy already holds another role as its primary.

    ISO 22301 §8.4.2: the response team names alternates who can act when a primary
    cannot. In a crisis every primary is busy with their own role, so an alternate who
    is the primary of another role is no alternate. (A role with no deputy at all,
    or whose deputy is its own primary, is CP402 or CP403.)

    Fails: the social lead's only deputy is the community manager's primary.
    Passes: the social lead has a deputy who holds no role as primary.
    """
    primaries = [(role.id, role.primary) for role in plan.roles if role.primary is not None]
    for role in plan.roles:
        others = [d for d in role.deputies if not (role.primary and _same(role.primary, d))]
        if not others:
            continue
        busy = []
        for deputy in others:
            held = next((rid for rid, person in primaries if rid != role.id and _same(person, deputy)), None)
            if held is None:
                break
            busy.append((deputy, held))
        else:
            deputy, held = busy[0]
            yield Finding(
                plan.at((*deputy.path, "name")),
                f"role '{role.id}' has no free alternate: {deputy.name or 'its deputy'} is already primary for '{held}' (ISO 22301 §8.4.2)",
                "add a deputy who holds no role as primary, so both roles are covered at once",
            )
