"""Holding statements: placeholders, length per channel, languages and approval."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.model import Plan, Statement
from crisisplan.plan.names import LANGUAGE_NAMES
from crisisplan.plan.values import PLACEHOLDER, measure
from crisisplan.suggest import closest, slug

_BRACES = re.compile(r"\{[^{}\n]*\}|[{}]")


def placeholders_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def malformed_placeholders(text: str) -> list[str]:
    """Brace fragments that are not a well-formed {name}."""
    return [m.group(0) for m in _BRACES.finditer(text) if not PLACEHOLDER.fullmatch(m.group(0))]


@check("CP601", "undeclared-placeholder")
def undeclared_placeholder(plan: Plan, context: Context) -> Iterator[Finding]:
    """A placeholder in a statement that neither the statement nor the plan declares.

    Declared placeholders say what to fill in; an undeclared one is usually a typo
    that would be published as is.

    Fails: ``{prodcut}`` when only ``product`` is declared.
    Passes: every {name} is declared under the statement's or the plan's ``placeholders:``.
    """
    for statement in plan.all_statements():
        declared = plan.placeholders_for(statement)
        for language, text in statement.text.items():
            for name in dict.fromkeys(placeholders_in(text)):
                if name not in declared:
                    yield Finding(
                        plan.at_words((*statement.path, "text", language), f"{{{name}}}"),
                        f"statement '{statement.id}' uses {{{name}}}, which is not declared",
                        _declare_hint(name, list(declared)),
                    )


def _declare_hint(name: str, declared: list[str]) -> str:
    best = closest(name, declared)
    if best:
        return f"did you mean {{{best}}}?"
    return f"declare it under placeholders: with what to fill in, like {name}: {{description: ...}}"


@check("CP602", "malformed-placeholder")
def malformed_placeholder(plan: Plan, context: Context) -> Iterator[Finding]:
    """Braces in a statement that do not form a placeholder like {product}.

    Fails: ``{Product Name}``, ``{product``, ``{{product}}`` or ``{}``.
    Passes: ``{product_name}``: lowercase letters, digits and underscores in single braces.
    """
    for statement in plan.all_statements():
        for language, text in statement.text.items():
            bad = malformed_placeholders(text)
            if bad:
                fragment = bad[0]
                inner = slug(fragment.strip("{}")).replace("-", "_")
                yield Finding(
                    plan.at_words((*statement.path, "text", language), fragment),
                    f"statement '{statement.id}' ({language}) has a malformed placeholder '{fragment}'",
                    f"write placeholders as {{{inner or 'name'}}}: lowercase letters, digits and underscores in single braces",
                )


def _statement_length_findings(plan: Plan, statement: Statement) -> Iterator[Finding]:
    placeholders = plan.placeholders_for(statement)
    tightest = plan.tightest_channel(statement)
    if tightest is None:
        return
    limit = tightest.limit or 0
    for language, text in statement.text.items():
        length = measure(text, placeholders)
        if length > limit:
            yield Finding(
                plan.at((*statement.path, "text", language)),
                f"statement '{statement.id}' ({language}) is {length} characters, over the {limit} limit of channel '{tightest.id}'",
                f"shorten it by {length - limit} characters, or write a shorter statement for '{tightest.id}'",
            )


@check("CP603", "statement-too-long")
def statement_too_long(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement longer than the character limit of a channel it is written for.

    The length is measured with each placeholder filled by its longest value
    (max_length), else its example, else the placeholder as written.

    Fails: a 320-character statement for an X channel (limit 280).
    Passes: the statement fits the smallest limit among its channels.
    """
    for statement in plan.all_statements():
        yield from _statement_length_findings(plan, statement)


@check("CP604", "statement-missing-language")
def statement_missing_language(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement with no text in one of the plan's languages.

    Fails: ``text: {en: ...}`` in a plan whose languages are ``[en, id]``.
    Passes: a text for every language in plan.languages.
    """
    if not plan.languages_well_formed:
        return
    for statement in plan.all_statements():
        for language in plan.languages:
            if language not in statement.text:
                name = LANGUAGE_NAMES.get(language, language)
                yield Finding(
                    plan.at_key((*statement.path, "text")),
                    f"statement '{statement.id}' has no {name} ({language}) text",
                    f"add {language}: under text: with the statement in {name}",
                )


@check("CP605", "statement-not-approved", Severity.WARNING)
def statement_not_approved(plan: Plan, context: Context) -> Iterator[Finding]:
    """A statement that has not been approved and is not with anyone for approval
    (a warning; an error under --strict).

    Holding statements are approved in advance so they can go out in minutes. A
    statement in review that says with whom (and, where known, since when) is a
    real, expected state: it passes --strict, and the runbook shows it as not
    approved.

    Fails: no ``approval:``, ``approval: {status: draft}``, or
    ``approval: {status: in-review}`` without who has it.
    Passes: ``approval: {status: approved, by: legal, date: 2026-10-01}``, or
    ``approval: {status: in-review, with: legal}`` (``since: 2026-11-01`` where known).
    """
    for statement in plan.all_statements():
        if statement.approved or statement.awaiting_approval or statement.status == "retired":
            continue
        path = (*statement.path, "approval", "status")
        where = plan.at(path) if path in plan.locator.values else plan.at((*statement.path, "id"))
        if statement.status == "in-review":
            if statement.review_with:
                continue  # a malformed since: is reported by the schema
            yield Finding(
                where,
                f"statement '{statement.id}' is in review, but does not say with whom",
                "write approval: {status: in-review, with: <role>}, like with: legal (and since: YYYY-MM-DD if you know the day)",
            )
            continue
        yield Finding(
            where,
            f"statement '{statement.id}' is not approved (status: {statement.status})",
            "have it approved, then write approval: {status: approved, by: <role>, date: YYYY-MM-DD}; "
            "while someone reviews it, write approval: {status: in-review, with: <role>, since: YYYY-MM-DD}",
        )
