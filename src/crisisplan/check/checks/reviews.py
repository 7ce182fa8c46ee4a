"""Post-crisis reviews: the actions they agree are followed through."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan
from crisisplan.plan.values import parse_date


@check("CP721", "review-action-overdue", Severity.WARNING)
def review_action_overdue(plan: Plan, context: Context) -> Iterator[Finding]:
    """An action from a post-crisis review that is past its due date and not done (a warning).

    A review only helps if its actions happen. Mark an action ``done: true`` when it
    is, or agree a new date.

    Fails: ``{do: Turn on two-factor login, owner: security-lead, due: 2026-01-15}``
    when today is later and it has no ``done: true``.
    Passes: the action is done, or not yet due.
    """
    for review in plan.reviews:
        for action in review.actions:
            due = parse_date(action.due)
            if due is None:
                continue
            if not action.done and due < context.today:
                days = (context.today - due).days
                yield Finding(
                    plan.at((*action.path, "due")),
                    f"review action '{action.do}' was due on {action.due} ({days} day{'s' if days != 1 else ''} ago) and is not done",
                    "do it and add done: true, or agree a new due date",
                )
