"""gdpr: GDPR Articles 33 and 34, for scenarios marked ``involves: [personal_data]``.

Regulation (EU) 2016/679 (and the UK GDPR, which keeps the same articles): a
personal-data breach is reported to the supervisory authority within 72 hours of
becoming aware of it (Art. 33(1)); every breach is documented (Art. 33(5)); when it
is likely to put people at high risk, they are told without undue delay, in clear
and plain language (Art. 34). Times are counted from T+0, when the team became aware.
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

PACK = "gdpr"
FLAG = "personal_data"
LIMIT = "72h"


def _authority_hint(plan: Plan) -> str:
    by = plan.owner or "crisis-lead"
    return (
        "add to audiences: - {audience: regulators, body: <your data protection authority>, "
        f"deadline: {LIMIT}, within: 48h, by: {by}}}"
    )


@rule(PACK, "GDPR001", "authority-not-told")
def authority_not_told(plan: Plan, context: Context) -> Iterator[Finding]:
    """A personal-data scenario that never tells the supervisory authority.

    GDPR Art. 33(1): the controller notifies the competent supervisory authority of a
    personal-data breach. The scenario must list the authority among its audiences
    (``audience: regulators`` or ``authorities``), with who tells it.

    Fails: ``involves: [personal_data]`` and no regulators or authorities audience.
    Passes: ``audiences: [{audience: regulators, body: Information Commissioner's
    Office (ICO), deadline: 72h, within: 48h, by: legal}]``.
    """
    for scenario in involving(plan, FLAG):
        if not authority_audiences(scenario):
            yield Finding(
                where_scenario(plan, scenario, "involves"),
                f"scenario '{scenario.id}' involves personal data but never tells the supervisory authority (GDPR Art. 33)",
                _authority_hint(plan),
            )


@rule(PACK, "GDPR002", "authority-deadline")
def authority_deadline(plan: Plan, context: Context) -> Iterator[Finding]:
    """A personal-data breach report to the authority with no deadline, or one over 72 hours.

    GDPR Art. 33(1): "without undue delay and, where feasible, not later than 72 hours
    after having become aware of it". The authority's audience carries that limit as
    ``deadline:``; CP481 then checks that ``within:`` meets it.

    Fails: ``{audience: regulators, body: ICO, within: 48h, by: legal}`` (no
    deadline), or ``deadline: 5d``.
    Passes: ``{audience: regulators, body: ICO, deadline: 72h, within: 48h, by: legal}``.
    """
    for scenario in involving(plan, FLAG):
        # Later stages (progress, final report) may come after the 72 hours.
        reports = [a for a in authority_audiences(scenario) if a.stage in ("", "early-warning", "notification")]
        if reports:
            yield from deadline_findings(plan, reports, LIMIT, "GDPR Art. 33", "breach report")


@rule(PACK, "GDPR003", "no-notice-to-affected-people")
def no_notice_to_affected_people(plan: Plan, context: Context) -> Iterator[Finding]:
    """A personal-data scenario with no statement for the people whose data is affected.

    GDPR Art. 34(1) and (2): when a breach is likely to put people at high risk, they
    are told without undue delay, in clear and plain language. The plan marks the
    statement written for them with ``for: [affected-people]``.

    Fails: a personal-data scenario whose statements are all for the public at large.
    Passes: one of its statements has ``for: [affected-people]``.
    """
    for scenario in involving(plan, FLAG):
        if not any("affected-people" in s.written_for for s in plan.statements_of(scenario)):
            yield Finding(
                where_scenario(plan, scenario, "statements"),
                f"scenario '{scenario.id}' involves personal data but has no statement for the people affected (GDPR Art. 34)",
                "add for: [affected-people] to the statement that tells them, or write one",
            )


@rule(PACK, "GDPR004", "breach-not-recorded")
def breach_not_recorded(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan with personal-data scenarios whose post-crisis review has no owner or time.

    GDPR Art. 33(5): the controller documents every personal-data breach, its facts,
    effects and the remedial action taken. In a crisis plan that record is the
    post-crisis review (a file in reviews/), so someone must own it and hold it in a
    stated time.

    Fails: ``involves: [personal_data]`` and no ``post_crisis_review:``, or one
    without ``owner:`` or ``within:``.
    Passes: ``post_crisis_review: {within: 5d, owner: crisis-lead}``.
    """
    scenarios = involving(plan, FLAG)
    if not scenarios or (plan.review_owner and plan.review_within):
        return
    path = ("post_crisis_review",)
    wanted = [w for w, given in ((f"owner: {plan.owner or 'crisis-lead'}", plan.review_owner), ("within: 5d", plan.review_within)) if not given]
    if path in plan.locator.values:
        missing = " or ".join(k for k, v in (("owner", plan.review_owner), ("within", plan.review_within)) if not v)
        where, lacking = plan.at_key(path), f"post_crisis_review: has no {missing}"
    else:
        where, lacking = where_scenario(plan, scenarios[0], "involves"), "the plan has no post_crisis_review:"
    yield Finding(
        where,
        f"every personal-data breach must be recorded (GDPR Art. 33(5)), but {lacking}",
        f"add to post_crisis_review: {' and '.join(wanted)} (the review file is the record)",
    )


@rule(PACK, "GDPR005", "no-personal-data-scenario", Severity.WARNING)
def no_personal_data_scenario(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan that opts into gdpr without marking any scenario as involving personal data (a warning).

    The gdpr rules (GDPR Art. 33/34) apply to scenarios marked ``involves:
    [personal_data]``; a data-breach scenario without the mark is silently left out.

    Fails: ``rules: [gdpr]`` and no scenario with ``involves: [personal_data]``.
    Passes: the data-breach scenario says ``involves: [personal_data]``.
    """
    yield from unused_pack(plan, PACK, FLAG, "personal data (a data breach, a leak)")
