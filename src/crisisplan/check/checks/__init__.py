"""Semantic checks: what a plan must say beyond its structure.

Every check module is imported here, which is what registers its checks: this is
the one list to extend when a group of checks is added.
"""

from __future__ import annotations

from crisisplan.check import rules  # noqa: F401  (registers the rule packs' rules)
from crisisplan.check.checks import (  # noqa: F401  (imported to register their checks)
    audiences_bodies,
    cadence,
    contacts,
    drills,
    honesty,
    languages,
    moderation,
    people,
    plan_info,
    references,
    reviews,
    scenarios,
    statements,
    team,
    text,
    timings,
)
from crisisplan.check.registry import REGISTRY, Check, Context, Finding
from crisisplan.diagnostics import Diagnostic
from crisisplan.plan.model import Plan

__all__ = ["REGISTRY", "Check", "Context", "Finding", "all_checks", "run_checks"]


def all_checks() -> list[Check]:
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def run_checks(plan: Plan, context: Context) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in all_checks():
        found.extend(check.run(plan, context))
    return found
