"""Timings: escalation in time order, and fast enough for the severity's targets."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.model import EscalationStep, Plan, Scenario
from crisisplan.plan.values import parse_duration


def first_told(scenario: Scenario, who: str) -> EscalationStep | None:
    """The earliest escalation step that tells ``who`` (or hands over to them)."""
    steps = [s for s in scenario.escalation if s.minutes is not None and (who in s.notify or s.hand_over_to == who)]
    return min(steps, key=lambda s: s.minutes or 0) if steps else None


@check("CP501", "escalation-out-of-order")
def escalation_out_of_order(plan: Plan, context: Context) -> Iterator[Finding]:
    """An escalation timeline whose steps are not in time order.

    The timeline is read top to bottom under stress; a step at T+15m listed after
    one at T+1h is easy to miss.

    Fails: a step ``at: 1h`` followed by a step ``at: 15m``.
    Passes: steps listed from the earliest to the latest.
    """
    for scenario in plan.scenarios:
        latest: tuple[int, str] | None = None
        for step in scenario.escalation:
            minutes = step.minutes
            if minutes is None:
                continue
            if latest is not None and minutes < latest[0]:
                yield Finding(
                    plan.at((*step.path, "at")),
                    f"escalation step at T+{step.at} comes after a step at T+{latest[1]}",
                    "list escalation steps from the earliest to the latest",
                )
            else:
                latest = (minutes, step.at)


@check("CP502", "escalation-later-than-target")
def escalation_later_than_target(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario that tells a role later than its severity level requires, or never.

    Each severity level lists who is notified and within how long. Every scenario at
    that level must reach each of them in its escalation timeline, in time.

    Fails: the level says ``{role: crisis-lead, within: 30m}`` and the scenario
    notifies the crisis lead ``at: 1h``, or not at all.
    Passes: the scenario notifies the crisis lead ``at: 30m`` or earlier.
    """
    for scenario in plan.scenarios:
        level = plan.severity(scenario.severity)
        if level is None:
            continue
        for notify in level.notify:
            target = parse_duration(notify.within)
            if target is None or not notify.role:
                continue
            first = first_told(scenario, notify.role)
            if first is None:
                yield Finding(
                    plan.at((*scenario.path, "severity")),
                    f"severity '{level.id}' requires telling '{notify.role}' within {notify.within}, but scenario '{scenario.id}' never does",
                    f"add to escalation: - {{at: {notify.within}, notify: [{notify.role}]}}",
                )
                continue
            if (first.minutes or 0) > target:
                yield Finding(
                    plan.at((*first.path, "at")),
                    f"'{notify.role}' is told at T+{first.at}, later than the {notify.within} severity '{level.id}' requires",
                    f"tell '{notify.role}' at {notify.within} or earlier",
                )
