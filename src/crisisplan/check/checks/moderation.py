"""Moderation: never remove criticism from real customers."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import ModerationRule, Plan

CRITICAL_CONTENT = {"criticism", "complaints", "negative-reviews"}
REMOVING_ACTIONS = {"hide", "delete", "block"}


@check("CP801", "removes-criticism", Severity.WARNING)
def removes_criticism(plan: Plan, context: Context) -> Iterator[Finding]:
    """A moderation rule that hides, deletes or blocks criticism or complaints.

    Deleting or hiding critical comments from real customers makes them angrier
    and spreads the crisis further. Remove only spam, hate speech, racism, threats
    and uncontrolled trolling; answer criticism.

    Fails: ``{action: delete, content: complaints}``.
    Passes: ``{action: keep, content: complaints}`` or ``{action: delete, content: spam}``.
    """
    rules: list[ModerationRule] = list(plan.moderation)
    for scenario in plan.scenarios:
        rules.extend(scenario.moderation)
    for rule in rules:
        if rule.action in REMOVING_ACTIONS and rule.content in CRITICAL_CONTENT:
            yield Finding(
                plan.at((*rule.path, "action")),
                f"this rule would {rule.action} {rule.content.replace('-', ' ')} from real customers",
                f"use action: keep for {rule.content} and answer them; {rule.action} only spam, hate speech, threats and trolling",
            )
