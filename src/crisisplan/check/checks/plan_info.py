"""The plan itself: reviewed on a cadence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan
from crisisplan.plan.values import parse_date


def _date(text: str) -> dt.date | None:
    return parse_date(text)


@check("CP701", "review-overdue", Severity.WARNING)
def review_overdue(plan: Plan, context: Context) -> Iterator[Finding]:
    """A plan whose next review date has passed (a warning; an error under --strict).

    Out-of-date contacts and statements fail exactly when they are needed. The
    site shows an overdue review as a banner on every page.

    Fails: ``next_review: 2025-01-31`` when today is later.
    Passes: a next review date today or later.
    """
    due = _date(plan.next_review)
    if due is not None and due < context.today:
        days = (context.today - due).days
        yield Finding(
            plan.at(("plan", "next_review")),
            f"the plan's review was due on {plan.next_review}, {days} day{'s' if days != 1 else ''} ago",
            "review the plan, then update last_reviewed and next_review",
        )


@check("CP702", "review-dates-inverted")
def review_dates_inverted(plan: Plan, context: Context) -> Iterator[Finding]:
    """A next review date that is not after the last review date.

    Fails: ``last_reviewed: 2026-10-01`` with ``next_review: 2026-04-01``.
    Passes: the next review comes after the last one.
    """
    last, due = _date(plan.last_reviewed), _date(plan.next_review)
    if last is not None and due is not None and due <= last:
        yield Finding(
            plan.at(("plan", "next_review")),
            f"next_review ({plan.next_review}) is not after last_reviewed ({plan.last_reviewed})",
            "set next_review to a date after the last review, like six months later",
        )
