"""What every rule pack is made of: the packs, the ``@rule`` decorator that registers
a pack's rule with the one registry of semantic checks, and what several packs look
for (authorities, deadlines)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from crisisplan.check.registry import REGISTRY, Check, CheckFunction, Context, Finding, check
from crisisplan.diagnostics import Location, Severity
from crisisplan.plan.model import Audience, Plan, Scenario
from crisisplan.plan.values import parse_duration


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    applies_to: str


# In the order `crisisplan checks` lists them.
PACKS: dict[str, Pack] = {
    pack.name: pack
    for pack in (
        Pack("gdpr", "GDPR Art. 33 and 34: personal-data breaches", "scenarios with involves: [personal_data]"),
        Pack("nis2", "NIS2 Art. 23: reporting significant incidents", "scenarios with involves: [significant_incident]"),
        Pack("iso22301", "ISO 22301 §8.4: business continuity response procedures", "every scenario and role"),
        Pack("cerc", "CDC CERC: the first message", "every scenario with statements"),
    )
}

# Rule code -> the name of its pack.
PACK_OF: dict[str, str] = {}


def rule(pack: str, code: str, name: str, severity: Severity = Severity.ERROR) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule of ``pack``: a check that runs only when the plan lists the pack."""
    if pack not in PACKS:
        raise RuntimeError(f"rule {code} names no known pack: {pack}")

    def register(function: CheckFunction) -> CheckFunction:
        @functools.wraps(function)
        def when_opted_in(plan: Plan, context: Context) -> Iterable[Finding]:
            return function(plan, context) if pack in plan.rules else ()

        check(code, name, severity)(when_opted_in)
        PACK_OF[code] = pack
        return function

    return register


def rules_of(pack: str) -> list[Check]:
    return [REGISTRY[code] for code in sorted(PACK_OF) if PACK_OF[code] == pack]


# --- what several packs look for --------------------------------------------------------------

# The groups that stand for a supervisory or competent authority.
AUTHORITIES = ("regulators", "authorities")


def authority_audiences(scenario: Scenario) -> list[Audience]:
    return [a for a in scenario.audiences if a.audience in AUTHORITIES]


def involving(plan: Plan, flag: str) -> list[Scenario]:
    return [s for s in plan.scenarios if flag in s.involves]


def where_scenario(plan: Plan, scenario: Scenario, key: str) -> Location:
    """The scenario's ``key`` if written, else its id: where a finding about it goes."""
    path = (*scenario.path, key)
    return plan.at(path) if path in plan.locator.values else plan.at((*scenario.path, "id"))


def deadline_findings(plan: Plan, reports: list[Audience], limit: str, source: str, what: str) -> Iterator[Finding]:
    """The legal deadline of ``reports`` (the audiences that carry one report to an
    authority) must be stated and no longer than ``limit``; CP481 then holds their
    ``within:`` to it."""
    limit_minutes = parse_duration(limit) or 0
    timed = [a for a in reports if a.deadline_minutes is not None]
    if not timed:
        first = reports[0]
        yield Finding(
            plan.at((*first.path, "audience")),
            f"the {what} to '{first.body or first.audience}' has no deadline: {source} sets {limit}",
            f"add deadline: {limit} to it, and within: with when it is sent",
        )
        return
    earliest = min(timed, key=lambda a: a.deadline_minutes or 0)
    if (earliest.deadline_minutes or 0) > limit_minutes:
        yield Finding(
            plan.at((*earliest.path, "deadline")),
            f"the {earliest.deadline} deadline for the {what} to '{earliest.body or earliest.audience}' is later than the {limit} {source} sets",
            f"write deadline: {limit}",
        )


def unused_pack(plan: Plan, pack: str, flag: str, what: str) -> Iterable[Finding]:
    """A pack the plan opts into that no scenario is marked for: its rules check nothing."""
    if involving(plan, flag):
        return
    index = plan.rules.index(pack)
    yield Finding(
        plan.at(("plan", "rules", index)),
        f"rules: [{pack}] checks scenarios marked involves: [{flag}], and no scenario is",
        f"add involves: [{flag}] to each scenario about {what}",
    )
