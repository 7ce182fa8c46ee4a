"""cerc: the first message of CDC's Crisis and Emergency Risk Communication (CERC).

CERC Manual, "Messages and Audiences" (the first message in a crisis): express
empathy; say what happened and what is not known yet, what is being done, what people
should do, and when the next update comes. crisisplan does not guess this from the
words: the plan marks each scenario's first statement with ``first: true`` and says
what it covers under ``covers:``, and the reviewer holds the text to that.
"""

from __future__ import annotations

from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding
from crisisplan.check.rules.base import rule, where_scenario
from crisisplan.plan.model import Plan

PACK = "cerc"

# What a first message must cover, with the words a message uses for each.
REQUIRED = {
    "what_happened": "what happened",
    "what_we_are_doing": "what is being done",
    "what_to_do": "what people should do",
    "next_update": "when the next update comes",
}


@rule(PACK, "CERC001", "first-message-not-marked")
def first_message_not_marked(plan: Plan, context: Context) -> Iterator[Finding]:
    """A scenario whose first message is not marked, or marked twice.

    CDC CERC: the first message sets the tone of the whole response and is prepared
    in advance. Exactly one of a scenario's statements says ``first: true``.

    Fails: a scenario with statements, none of them ``first: true`` (or two).
    Passes: the holding statement that goes out first has ``first: true``.
    """
    for scenario in plan.scenarios:
        statements = plan.statements_of(scenario)
        if not statements:
            continue  # CP302 reports a scenario with no statement
        first = [s for s in statements if s.first]
        if not first:
            yield Finding(
                where_scenario(plan, scenario, "statements"),
                f"scenario '{scenario.id}' does not say which statement is its first message (CDC CERC)",
                "add first: true to the statement that goes out first",
            )
        for extra in first[1:]:
            yield Finding(
                plan.at((*extra.path, "first")),
                f"scenario '{scenario.id}' marks two first messages: '{first[0].id}' and '{extra.id}'",
                "keep first: true on the one statement that goes out first",
            )


@rule(PACK, "CERC002", "first-message-incomplete")
def first_message_incomplete(plan: Plan, context: Context) -> Iterator[Finding]:
    """A first message that does not cover what CERC asks of it.

    CDC CERC, the first message: what happened, what is being done, what people
    should do, and when the next update comes. The statement lists what its text
    covers under ``covers:``.

    Fails: ``first: true`` with ``covers: [what_happened, what_we_are_doing]``.
    Passes: ``covers: [what_happened, what_we_are_doing, what_to_do, next_update]``.
    """
    seen: set[str] = set()
    for scenario in plan.scenarios:
        for statement in plan.statements_of(scenario):
            # A shared first message is reported once, not once per scenario using it.
            if not statement.first or statement.id in seen:
                continue
            seen.add(statement.id)
            missing = [key for key in REQUIRED if key not in statement.covers]
            if not missing:
                continue
            path = (*statement.path, "covers")
            where = plan.at(path) if path in plan.locator.values else plan.at((*statement.path, "first"))
            said = [REQUIRED[key] for key in missing]
            words = " or ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
            yield Finding(
                where,
                f"first message '{statement.id}' does not say {words} (CDC CERC)",
                f"say it in the text, then list it: covers: [{', '.join(REQUIRED)}]",
            )
