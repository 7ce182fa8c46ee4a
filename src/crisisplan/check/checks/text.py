"""Text that would not show as written."""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.markup import MAX_MARKDOWN_NESTING, nests_too_deep
from crisisplan.plan.model import Plan, Step
from crisisplan.plan.yamlfile import JsonPath


def _markdown_fields(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    """Every field the site and PDFs render as Markdown, with where it was written."""
    steps = [s for s in plan.steps]
    for scenario in plan.scenarios:
        yield (*scenario.path, "worst_case"), scenario.worst_case
        yield (*scenario.path, "description"), scenario.description
        steps.extend(s for s in scenario.first_actions if isinstance(s, Step))
    for step in steps:
        yield (*step.path, "details"), step.details
    for statement in plan.all_statements():
        yield (*statement.path, "notes"), statement.notes
    for review in plan.reviews:
        yield (*review.path, "summary"), review.summary


@check("CP109", "markdown-too-deep")
def markdown_too_deep(plan: Plan, context: Context) -> Iterator[Finding]:
    """Markdown nested deeper than 20 levels (lists in lists, quotes in quotes, emphasis in emphasis).

    Past that depth the site and PDFs stop nesting, so part of the text would not
    show as written; no runbook needs it, and it keeps every page cheap to build.

    Fails: a worst case written as a list 25 levels deep.
    Passes: a list with a few levels of sub-items.
    """
    for path, text in _markdown_fields(plan):
        if text and nests_too_deep(text):
            yield Finding(
                plan.at(path),
                f"'{path[-1]}' nests Markdown more than {MAX_MARKDOWN_NESTING} levels deep; the deepest part would not show",
                "flatten it: a runbook reads best as short paragraphs and one or two levels of list",
            )
