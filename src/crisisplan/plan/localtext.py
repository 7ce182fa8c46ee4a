"""Translatable text: where a plan may give text per language, and picking one language.

Every human-readable text field of the format accepts a plain string (in the plan's
first language) or a mapping of language code to text. Which fields those are is
said once, in the schema: they refer to ``localText`` or ``localTitle``. So this
module walks the schema alongside the data instead of keeping its own list, and a
new field is translatable as soon as the schema says so.

``localize`` turns a plan's data into one language before the typed model is built
from it, so the model, the checks and the templates keep seeing plain strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from crisisplan.plan.model import Plan
from crisisplan.plan.schema import plan_schema
from crisisplan.plan.yamlfile import JsonPath, Locator

LOCAL_TYPES = tuple(
    f"#/definitions/{name}"
    for name in ("localText", "localTitle", "localTextNonEmpty", "localTitleNonEmpty", "localValue", "localName")
)
# Values that are usually the same in every language (an example time, a link, a
# person's or a company's name), and may be given per language where they differ:
# not reported as untranslated.
SAME_BY_DEFAULT = ("#/definitions/localValue", "#/definitions/localName")


def _target(ref: str) -> dict[str, Any]:
    node: Any = plan_schema()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node if isinstance(node, dict) else {}


@cache
def _is_local(ref: str) -> bool:
    return ref in LOCAL_TYPES


def _branches(schema: dict[str, Any], value: Any) -> Iterator[dict[str, Any]]:
    """The schemas that apply to a value: follow $ref, and pick if/then/else by type."""
    seen = 0
    while "$ref" in schema and seen < 20:
        ref = schema["$ref"]
        if _is_local(ref):
            yield schema
            return
        schema = _target(ref)
        seen += 1
    if "if" in schema:
        wanted = schema["if"].get("type") if isinstance(schema["if"], dict) else None
        chosen = schema.get("then") if _has_type(value, wanted) else schema.get("else")
        if isinstance(chosen, dict):
            yield from _branches(chosen, value)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            if isinstance(sub, dict):
                yield from _branches(sub, value)
    yield schema


def _has_type(value: Any, wanted: Any) -> bool:
    kinds = {"string": str, "object": dict, "array": list}
    return isinstance(wanted, str) and isinstance(value, kinds.get(wanted, type(None)))


def local_texts(data: Any, schema: dict[str, Any] | None = None, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every value in the data that the schema declares translatable, with its path.

    Values are yielded as written: a string, or a mapping of language to text (or
    anything else, which the schema reports).
    """
    for found_path, value, _ in typed_local_texts(data, schema, path):
        yield found_path, value


def typed_local_texts(
    data: Any, schema: dict[str, Any] | None = None, path: JsonPath = ()
) -> Iterator[tuple[JsonPath, Any, str]]:
    """local_texts, with the translatable type each value has in the schema."""
    schema = plan_schema() if schema is None else schema
    for branch in _branches(schema, data):
        if _is_local(branch.get("$ref", "")):
            yield path, data, branch["$ref"]
            return
        if isinstance(data, dict):
            properties = branch.get("properties") or {}
            extra = branch.get("additionalProperties")
            for key, value in data.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                if isinstance(sub, dict):
                    yield from typed_local_texts(value, sub, (*path, key))
            if properties or isinstance(extra, dict):
                return
        elif isinstance(data, list):
            items = branch.get("items")
            if isinstance(items, dict):
                for index, value in enumerate(data):
                    yield from typed_local_texts(value, items, (*path, index))
                return


def pick(value: Any, languages: tuple[str, ...]) -> Any:
    """One language's text from a translatable value: the first of ``languages`` it
    has, else its first text. A plain string is the same in every language."""
    if not isinstance(value, dict):
        return value
    for language in languages:
        text = value.get(language)
        if isinstance(text, str):
            return text
    for text in value.values():
        if isinstance(text, str):
            return text
    return ""


def localize(data: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    """A copy of the plan's data with every translatable value in one language."""
    result: Any = _copy(data)
    for path, value in local_texts(data):
        if not path or not isinstance(value, dict):
            continue
        parent: Any = result
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = pick(value, languages)
    return result if isinstance(result, dict) else {}


def _copy(value: Any) -> Any:
    """Copy lists and mappings (the only containers plan data has); share the rest.

    Iterative in effect for realistic depths; yamlfile caps nesting at MAX_DEPTH (40).
    """
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def default_language(data: dict[str, Any]) -> str:
    """The plan's first language as written, before anything is checked."""
    info = data.get("plan")
    languages = info.get("languages") if isinstance(info, dict) else None
    first = languages[0] if isinstance(languages, list) and languages else None
    return first if isinstance(first, str) and first else "en"


def build_plan(source: str, data: dict[str, Any], locator: Locator, language: str | None = None) -> Plan:
    """The typed plan in one language (the plan's first, unless ``language`` is given);
    it keeps the data as written, for checks that look at every language."""
    first = default_language(data)
    wanted = (language, first) if language else (first,)
    plan = Plan.build(source, localize(data, wanted), locator)
    plan.raw = data
    if language and language in plan.languages:
        # The edition's language comes first: it is the one everything defaults to
        # (labels, the statement tab shown first, PDFs).
        plan.languages = [language, *(code for code in plan.languages if code != language)]
    return plan


def in_language(plan: Plan, language: str) -> Plan:
    """The same plan with its text in another of its languages."""
    return build_plan(plan.source, plan.raw, plan.locator, language)
