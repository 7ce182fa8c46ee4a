"""Timings: escalation in time order, and fast enough for the severity's targets.

A plan need not set a clock: steps without ``at:`` are a sequence in the order written,
and a check compares only the times a plan gives (a target is held to a step only when
both have a time)."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.plan.model import EscalationStep, Plan, Scenario
from crisisplan.plan.values import parse_duration


def first_told(scenario: Scenario, who: str) -> EscalationStep | None:
    """The earliest timed escalation step that tells ``who`` (or hands over to them)."""
    steps = [s for s in scenario.escalation if s.minutes is not None and _tells(s, who)]
    return min(steps, key=lambda s: s.minutes or 0) if steps else None


def told_untimed(scenario: Scenario, who: str) -> EscalationStep | None:
    """The first escalation step without a time that tells ``who``: a chain in order
    tells them, but not by a time a target can be held to."""
    return next((s for s in scenario.escalation if s.minutes is None and _tells(s, who)), None)


def _tells(step: EscalationStep, who: str) -> bool:
    return who in step.notify or step.hand_over_to == who


def step_name(scenario: Scenario, step: EscalationStep) -> str:
    """'the step at T+1h', or 'escalation step 2' for a step without a time (counted as
    written), for messages."""
    if step.minutes is not None:
        return f"the step at T+{step.at}"
    number = next((n for n, s in enumerate(scenario.escalation, start=1) if s is step), 0)
    return f"escalation step {number}"


def untimed_finding(plan: Plan, scenario: Scenario, step: EscalationStep, who: str, due: str, why: str) -> Finding:
    """Someone a timed target requires is told only in a step without a time."""
    return Finding(
        plan.at(step.path),
        f"'{who}' is told in {step_name(scenario, step)}, which has no time, but {why}",
        f"write at: {due} (or earlier) on that step",
    )


@check("CP501", "escalation-out-of-order")
def escalation_out_of_order(plan: Plan, context: Context) -> Iterator[Finding]:
    """An escalation timeline whose steps are not in time order.

    The timeline is read top to bottom under stress; a step at T+15m listed after
    one at T+1h is easy to miss.

    Fails: a step ``at: 1h`` followed by a step ``at: 15m``.
    Passes: steps listed from the earliest to the latest; steps without ``at:``
    (a sequence in the order written) are not compared.
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

    Each severity level lists who is notified and, where the plan sets a time, within
    how long. Every scenario at that level must reach each of them in its escalation,
    in time where a time is set. A level without ``within:`` asks for no time: a step
    without ``at:`` that tells them is enough.

    Fails: the level says ``{role: crisis-lead, within: 30m}`` and the scenario
    notifies the crisis lead ``at: 1h``, in a step without ``at:``, or not at all;
    the level says ``{role: crisis-lead}`` and the scenario never tells them.
    Passes: the scenario notifies the crisis lead ``at: 30m`` or earlier; under
    ``{role: crisis-lead}``, any escalation step that notifies them, timed or not.
    """
    for scenario in plan.scenarios:
        level = plan.severity(scenario.severity)
        if level is None:
            continue
        for notify in level.notify:
            if not notify.role:
                continue
            if not notify.within:
                if first_told(scenario, notify.role) is None and told_untimed(scenario, notify.role) is None:
                    yield Finding(
                        plan.at((*scenario.path, "severity")),
                        f"severity '{level.id}' requires telling '{notify.role}', but scenario '{scenario.id}' never does",
                        f"add to escalation: - {{notify: [{notify.role}]}}",
                    )
                continue
            target = parse_duration(notify.within)
            if target is None:
                continue
            first = first_told(scenario, notify.role)
            untimed = told_untimed(scenario, notify.role)
            if first is None and untimed is not None:
                yield untimed_finding(
                    plan, scenario, untimed, notify.role, notify.within,
                    f"severity '{level.id}' requires telling them within {notify.within}",
                )
                continue
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
