"""Every text in every language the plan is published in."""

from __future__ import annotations

import json
from collections.abc import Iterator

from crisisplan.check.registry import Context, Finding, check
from crisisplan.diagnostics import Severity
from crisisplan.plan.localtext import SAME_BY_DEFAULT, typed_local_texts
from crisisplan.plan.model import Plan
from crisisplan.plan.names import LANGUAGE_NAMES
from crisisplan.plan.yamlfile import field_name


def _quoted(text: str, width: int = 40) -> str:
    short = " ".join(text.split())
    short = short if len(short) <= width else short[: width - 1] + "…"
    return json.dumps(short, ensure_ascii=False)


@check("CP606", "text-missing-language", Severity.WARNING)
def text_missing_language(plan: Plan, context: Context) -> Iterator[Finding]:
    """A text with no version in one of the plan's languages (a warning).

    A plan with several languages is published as one complete runbook per
    language. Text written once, or without one of the languages, shows in the
    plan's first language in the other runbooks, where a reader under stress has
    to translate it. That is a warning, not an error, because the runbook still
    says what to do (statements, which are published to the public, must exist in
    every language: CP604). Names, ids, numbers, addresses, search words and hashtags
    are never translated, and a placeholder's example is taken to be the same in
    every language unless given per language. Drill records and post-crisis
    reviews are records of what happened, written once in whatever language the
    team used, so they are not reported either.

    Fails: ``title: Akun diretas`` or ``title: {id: Akun diretas}`` in a plan whose languages are ``[id, en]``.
    Passes: ``title: {id: Akun diretas, en: Account hacked}``.
    """
    if not plan.languages_well_formed or len(plan.languages) < 2:
        return
    first = plan.languages[0]
    for path, value, kind in typed_local_texts(plan.raw):
        if kind in SAME_BY_DEFAULT or path[:1] in (("reviews",), ("drills",)):
            continue
        if isinstance(value, str):
            given = {first: value}
        elif isinstance(value, dict):
            given = {k: v for k, v in value.items() if isinstance(v, str)}
        else:
            continue
        missing = [language for language in plan.languages if language not in given]
        if not missing or not given:
            continue
        names = " and ".join(f"{LANGUAGE_NAMES.get(code, code)} ({code})" for code in missing)
        field = field_name(path, "text")
        shown = ", ".join(f"{code}: {_quoted(text)}" for code, text in given.items())
        added = ", ".join(f"{code}: ..." for code in missing)
        item = isinstance(path[-1], int)
        what = f"an item of '{field}'" if item else f"'{field}'"
        written = f"- {{{shown}, {added}}}" if item else f"{field}: {{{shown}, {added}}}"
        yield Finding(
            plan.at(path),
            f"{what} has no {names} text; those runbooks show it untranslated",
            f"write it per language: {written}",
        )
