"""crisisplan.plan.schema: every keyword the schema validates with has its own message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crisisplan.plan.schema import _MESSAGES, plan_schema

# Keywords that structure or annotate the schema: they never fail on their own (an
# error under if/then is reported by the keyword that failed there).
_NOT_VALIDATING = {
    "$id", "$ref", "$schema", "definitions", "description", "title", "examples",
    "enumDescriptions", "patternErrorMessage", "properties", "items", "if", "then", "else",
}  # fmt: skip
# Where a keyword's value holds schemas, rather than data (enum, examples...).
_SUBSCHEMAS = {"items", "additionalProperties", "if", "then", "else", "not", "propertyNames"}
_SUBSCHEMA_MAPS = {"properties", "definitions", "patternProperties"}
_SUBSCHEMA_LISTS = {"anyOf", "allOf", "oneOf"}


def _keywords(schema: Any) -> Iterator[str]:
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        yield keyword
        if keyword in _SUBSCHEMAS:
            yield from _keywords(value)
        elif keyword in _SUBSCHEMA_MAPS:
            for sub in value.values():
                yield from _keywords(sub)
        elif keyword in _SUBSCHEMA_LISTS:
            for sub in value:
                yield from _keywords(sub)


def test_every_validating_keyword_has_its_own_message() -> None:
    used = set(_keywords(plan_schema()))
    assert "required" in used and "pattern" in used
    assert used - _NOT_VALIDATING - set(_MESSAGES) == set()
