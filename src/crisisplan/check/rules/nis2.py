"""nis2: NIS2 Article 23, for scenarios marked ``involves: [significant_incident]``.

Directive (EU) 2022/2555, Art. 23(4): an essential or important entity reports a
significant incident to its CSIRT or competent authority in stages: an early warning
within 24 hours of becoming aware of it (a), an incident notification within 72 hours
(b), and a final report not later than one month after the notification (d). Each
stage is an audience of the scenario (``audience: authorities``, or ``regulators``)
with ``stage:`` and ``deadline:``; times count from T+0, when the team became aware.
"""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding
from crisisplan.check.rules.base import (
    authority_audiences,
    deadline_findings,
    involving,
    rule,
    unused_pack,
    where_scenario,
)
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan

PACK = "nis2"
FLAG = "significant_incident"


def _stage(plan: Plan, stage: str, limit: str, article: str, what: str) -> Iterator[Finding]:
    for scenario in involving(plan, FLAG):
        reports = [a for a in authority_audiences(scenario) if a.stage == stage]
        if not reports:
            by = plan.owner or "crisis-lead"
            yield Finding(
                where_scenario(plan, scenario, "involves"),
                f"scenario '{scenario.id}' is a significant incident but sends no {what} to the CSIRT or competent authority ({article}: within {limit})",
                f"add to audiences: - {{audience: authorities, body: <your CSIRT>, stage: {stage}, deadline: {limit}, within: {limit}, by: {by}}}",
            )
        else:
            yield from deadline_findings(plan, reports, limit, article, what)


@rule(PACK, "NIS2001", "no-early-warning")
def no_early_warning(plan: Plan, context: Context) -> Iterator[Finding]:
    """A significant incident with no early warning to the authority within 24 hours.

    NIS2 Art. 23(4)(a): an early warning within 24 hours of becoming aware of the
    significant incident.

    Fails: ``involves: [significant_incident]`` and no audience with ``stage:
    early-warning``, or one with ``deadline: 48h``.
    Passes: ``{audience: authorities, body: CSIRT, stage: early-warning, deadline: 24h,
    within: 12h, by: security-lead}``.
    """
    yield from _stage(plan, "early-warning", "24h", "NIS2 Art. 23(4)(a)", "early warning")


@rule(PACK, "NIS2002", "no-incident-notification")
def no_incident_notification(plan: Plan, context: Context) -> Iterator[Finding]:
    """A significant incident with no incident notification to the authority within 72 hours.

    NIS2 Art. 23(4)(b): an incident notification within 72 hours of becoming aware of
    the significant incident, updating the early warning with an initial assessment.

    Fails: no audience with ``stage: notification``, or one with ``deadline: 4d``.
    Passes: ``{audience: authorities, body: CSIRT, stage: notification, deadline: 72h,
    within: 48h, by: security-lead}``.
    """
    yield from _stage(plan, "notification", "72h", "NIS2 Art. 23(4)(b)", "incident notification")


@rule(PACK, "NIS2003", "no-final-report")
def no_final_report(plan: Plan, context: Context) -> Iterator[Finding]:
    """A significant incident with no final report to the authority within a month.

    NIS2 Art. 23(4)(d): a final report not later than one month after the incident
    notification. Counted here as 30 days from T+0, which is never later than a
    month after a notification sent within 72 hours.

    Fails: no audience with ``stage: final-report``, or one with ``deadline: 6w``.
    Passes: ``{audience: authorities, body: CSIRT, stage: final-report, deadline: 30d,
    within: 3w, by: security-lead}``.
    """
    yield from _stage(plan, "final-report", "30d", "NIS2 Art. 23(4)(d)", "final report")


@rule(PACK, "NIS2004", "no-significant-incident-scenario", Severity.WARNING)
def no_significant_incident_scenario(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan that opts into nis2 without marking any scenario as a significant incident (a warning).

    The nis2 rules (NIS2 Art. 23) apply to scenarios marked ``involves:
    [significant_incident]``; an outage or attack scenario without the mark is
    silently left out.

    Fails: ``rules: [nis2]`` and no scenario with ``involves: [significant_incident]``.
    Passes: the outage scenario says ``involves: [significant_incident]``.
    """
    yield from unused_pack(plan, PACK, FLAG, "a significant incident (an outage, an attack on our systems)")
