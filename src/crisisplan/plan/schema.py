"""JSON Schema validation, with each error mapped back to the YAML node that caused it.

jsonschema speaks of ``$.scenarios[3].statements[0]`` and ``'x' is a required
property``; an author needs the line, what is wrong in plain words, and what to
write instead. Each kind of schema error gets its own stable code and wording.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from crisisplan.diagnostics import Diagnostic, Location
from crisisplan.errors import CrisisplanError
from crisisplan.plan.names import language_code
from crisisplan.plan.yamlfile import JsonPath, Locator, field_name
from crisisplan.suggest import closest, did_you_mean, slug

SCHEMA_RESOURCE = "plan.schema.json"
# Every schema an editor may need: the plan, a scenario file of a folder plan, and a
# post-crisis review file. The last two point into the first, so they go together.
SCHEMA_NAMES = ("plan", "scenario", "review")

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
    "null": "nothing",
}


def schema_text(name: str = "plan") -> str:
    """The JSON text of one shipped schema (see SCHEMA_NAMES)."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema named {name!r}")
    return resources.files("crisisplan.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


class SchemaWriteRefused(CrisisplanError):
    """``write_schemas`` wrote nothing; ``hint`` says what to do instead."""


def write_schemas(folder: Path, force: bool = False) -> list[tuple[Path, str]]:
    """Write every schema into ``folder``, for editors in a repository of plans.

    Returns each file with what happened to it: "written", "replaced" or
    "up to date". A file that differs is replaced only with ``force``, and never
    when it (or ``folder``) is a symbolic link: then nothing at all is written.
    """
    from crisisplan.files import write_new

    if folder.is_symlink():
        raise SchemaWriteRefused(
            f"{folder} is a symbolic link; crisisplan does not write through links",
            "give the real folder",
        )
    if folder.exists() and not folder.is_dir():
        raise SchemaWriteRefused(f"{folder} is a file, not a folder", "give a folder, like schema")
    plans: list[tuple[Path, str, str]] = []
    for name in SCHEMA_NAMES:
        target = folder / f"{name}.schema.json"
        text = schema_text(name)
        if target.is_symlink():
            raise SchemaWriteRefused(
                f"{target} is a symbolic link; crisisplan does not write through links",
                "remove the link, then run the command again",
            )
        if not target.exists():
            plans.append((target, text, "written"))
        elif not target.is_file():
            raise SchemaWriteRefused(f"{target} is not a file", "move it away, then run the command again")
        elif target.read_bytes() == text.encode("utf-8"):
            plans.append((target, text, "up to date"))
        elif force:
            plans.append((target, text, "replaced"))
        else:
            raise SchemaWriteRefused(
                f"{target} is already there and differs from this crisisplan's schema",
                "add --force to replace the schema files (after upgrading crisisplan, say)",
            )
    folder.mkdir(parents=True, exist_ok=True)
    for target, text, status in plans:
        if status == "written":
            write_new(target, text.encode("utf-8"), within=folder)
        elif status == "replaced":
            # A new file beside it, then one rename: never written through a link, and
            # an editor reading it sees the old schema or the new one, never half.
            staged = target.with_name(f".{target.name}.crisisplan-new")
            staged.unlink(missing_ok=True)
            write_new(staged, text.encode("utf-8"), within=folder)
            os.replace(staged, target)
    return [(target, status) for target, _, status in plans]


@cache
def plan_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """`pattern` with JSON Schema's (ECMA 262's) meaning of a final `$`: the very end.

    Python's `$` also matches before a final newline, so `id: "x\\n"` would pass
    the id pattern and later become a file name with a newline in it.
    """
    if not validator.is_type(instance, "string"):
        return
    compiled = _compiled(pattern)
    if not compiled.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    # ASCII: \\d means 0-9 in JSON Schema's patterns as editors run them, not any
    # Unicode digit.
    return re.compile(pattern, re.ASCII)


@cache
def _validator() -> jsonschema.Draft7Validator:
    cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]
    validator: jsonschema.Draft7Validator = cls(
        plan_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return validator


@cache
def _part_validator(definition: str) -> jsonschema.protocols.Validator:
    # Evolved from the plan's validator, so the definition's $refs resolve in the plan
    # schema, as scenario.schema.json's one $ref into plan.schema.json does for editors.
    return _validator().evolve(schema=plan_schema()["definitions"][definition])


def validate(data: dict[str, Any], locator: Locator, definition: str = "") -> list[Diagnostic]:
    """Schema problems of a plan, or (``definition``: scenario, review) of one scenario
    or review file on its own, as an editor validates it with that file's schema."""
    validator: jsonschema.protocols.Validator = _part_validator(definition) if definition else _validator()
    found: set[Diagnostic] = set()
    for error in validator.iter_errors(data):
        found.update(_diagnose(error, locator))
    return sorted(found)


def _resolve(schema: Any) -> dict[str, Any]:
    """Follow local $refs, so titles and examples of the target can be read."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 10:
        ref = schema["$ref"]
        # Keep the referring schema's own title/description: they are more specific.
        target: Any = plan_schema()
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        schema = merged
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _found_words(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "nothing"


def _what(schema: dict[str, Any], instance: Any) -> str:
    """'scenario 'hacked-account'' or 'role' or 'this mapping'."""
    title = str(schema.get("title", "")).lower() or "this mapping"
    if isinstance(instance, dict):
        ident = instance.get("id") or instance.get("name")
        if isinstance(ident, str) and ident:
            return f"{title} '{ident}'"
    return title


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples") or []
    shown = [e for e in examples if isinstance(e, (str, int, float))][:3]
    return ", ".join(str(e) for e in shown)


_ANY_DURATION = re.compile(r"^(?=\d)(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?$")
_ANY_DATE = re.compile(r"^\d+-\d{2}-\d{2}$")


def _shorten(value: Any, width: int = 60) -> str:
    """A value as shown in a message: one line, and not a whole page of it."""
    # Control characters are made visible when the diagnostic is made.
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _out_of_range(title: str, value: Any) -> tuple[str, str] | None:
    """Durations and dates well formed but beyond what the format allows."""
    if not isinstance(value, str):
        return None
    if title == "duration" and _ANY_DURATION.match(value):
        return (
            f"'{_shorten(value)}' is longer than any plan needs",
            "durations go up to 999 weeks (or 9999 days, 9999 hours, 99999 minutes), like 52w or 1h30m",
        )
    if title == "date" and _ANY_DATE.match(value):
        return (
            f"'{_shorten(value)}' is out of range: dates run from 1970 to 2199",
            "write the real date, like 2026-11-22",
        )
    return None


# --- one message per JSON Schema keyword ------------------------------------------------------
#
# jsonschema reports which keyword failed; _MESSAGES maps each keyword to the function
# that says what is wrong in an author's words. A keyword without an entry gets
# jsonschema's own message (CP107).


@dataclass(frozen=True)
class _Failure:
    """One schema error, with what every message needs at hand."""

    error: ValidationError
    locator: Locator
    path: JsonPath
    # The failing subschema with its $refs followed, for titles, examples and descriptions.
    schema: dict[str, Any]
    value: Any
    # The keyword's value in the schema: the required keys, the allowed types, the limit...
    expected: Any
    where: Location

    @property
    def kind(self) -> str:
        return str(self.error.validator)

    @property
    def field(self) -> str:
        return field_name(self.path)

    def at(self, code: str, message: str, hint: str) -> Diagnostic:
        return Diagnostic.at(self.where, code, message, hint)


def _diagnose(error: ValidationError, locator: Locator) -> Iterator[Diagnostic]:
    path: JsonPath = tuple(error.absolute_path)
    failure = _Failure(
        error,
        locator,
        path,
        _resolve(error.schema),
        error.instance,
        error.validator_value,
        locator.value(path),
    )
    return _MESSAGES.get(failure.kind, _other)(failure)


def _missing_keys(failure: _Failure) -> Iterator[Diagnostic]:
    """``required``: CP101 "scenario 'x' has no 'title'", with the key's description
    and an example as the hint. A key that a misspelt key stands for is left to CP102."""
    value, schema = failure.value, failure.schema
    if not isinstance(value, dict):
        return
    properties = schema.get("properties", {})
    unknown = [k for k in value if k not in properties]
    for name in failure.expected:
        if name in value:
            continue
        if any(closest(k, [name]) == name for k in unknown):
            # A misspelt key is reported as unknown with "did you mean"; saying
            # the right key is also missing would only repeat it.
            continue
        wanted = _resolve(properties.get(name, {}))
        about = wanted.get("description") or ""
        example = _example(wanted)
        hint = f"add {name}:" + (f" ({about.rstrip('.')})" if about else "")
        if example:
            hint += f", like {name}: {example.split(', ')[0]}"
        yield failure.at("CP101", f"{_what(schema, value)} has no '{name}'", hint)


def _unknown_keys(failure: _Failure) -> Iterator[Diagnostic]:
    """``additionalProperties``: CP102 "unknown key 'titel' in scenario 'x'" at the key,
    with "did you mean 'title'?" or the keys allowed there."""
    value, schema = failure.value, failure.schema
    if not isinstance(value, dict):
        return
    allowed = list(schema.get("properties", {}))
    for name in value:
        if name in allowed:
            continue
        best = closest(name, allowed)
        hint = f"did you mean '{best}'?" if best else "keys allowed here: " + ", ".join(allowed)
        yield Diagnostic.at(
            failure.locator.key((*failure.path, name)),
            "CP102",
            f"unknown key '{name}' in {_what(schema, value)}",
            hint,
        )


def _wrong_type(failure: _Failure) -> Iterator[Diagnostic]:
    """``type``: CP103 "'phone' must be text, not the number 62811", with how to write
    that type in YAML (quotes for text YAML read as something else)."""
    expected = failure.expected
    types: list[str] = [expected] if isinstance(expected, str) else list(expected)
    words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    raw = failure.locator.source.get(failure.path)
    hint = ""
    if set(types) == {"string", "object"}:
        # A translatable text (crisisplan.plan.localtext).
        words = "text, or the text per language"
        hint = f"write the text after '{failure.field}:', or one line per language under it, like en: ..."
    elif "string" in types and raw is not None:
        hint = f'write it in quotes: "{raw}"'
    elif "array" in types:
        hint = f"write {failure.field}: on its own line, then one item per line starting with '- '"
    elif "object" in types:
        hint = "write keys and values indented under it, like name: value"
    yield failure.at("CP103", f"'{failure.field}' must be {words}, not {_found_words(failure.value)}", hint)


def _unknown_choice(failure: _Failure) -> Iterator[Diagnostic]:
    """``enum`` and ``const``: CP104 "'critcal' is not a known severity", with
    "did you mean" among the allowed values."""
    expected = failure.expected
    choices = [str(c) for c in (expected if failure.kind == "enum" else [expected])]
    title = str(failure.schema.get("title", failure.field)).lower()
    yield failure.at("CP104", f"'{failure.value}' is not a known {title}", did_you_mean(str(failure.value), choices))


def _bad_key_name(failure: _Failure) -> Iterator[Diagnostic]:
    """``propertyNames``: CP105 "'EN' is not a valid language" at the key, with an
    example of a valid one."""
    # The error's instance is the offending key itself.
    name = str(failure.value)
    raw_schema = failure.error.schema
    inner = _resolve(raw_schema.get("propertyNames", {}) if isinstance(raw_schema, dict) else {})
    title = str(inner.get("title", "key")).lower()
    example = _example(inner)
    colon = _colon_in_item(failure, name)
    if colon is not None:
        yield colon
        return
    yield Diagnostic.at(
        failure.locator.key((*failure.path, name)),
        "CP105",
        f"'{name}' is not a valid {title}",
        f"write it like {example}" if example else str(inner.get("description", "")),
    )


def _colon_in_item(failure: _Failure, name: str) -> Diagnostic | None:
    """A list item like ``- Don't say: sorry`` is read as a key and its value: the
    ': ' in the sentence, not the key, is the mistake."""
    path = (*failure.path, name)
    if path not in failure.locator.keys:
        return None
    key, value = failure.locator.key(path), failure.locator.values.get(path)
    written = failure.locator.source.get(path)
    in_item = bool(failure.path) and isinstance(failure.path[-1], int)
    if not in_item or value is None or written is None or key.line != value.line or " " not in name.strip():
        return None
    sentence = f"{name}: {written}"
    return Diagnostic.at(
        key,
        "CP001",
        f"'{_shorten(sentence)}' is read as a key and a value, because of the ': ' in it",
        f"put the whole item in quotes: - {_yaml_quoted(sentence)}",
    )


def _yaml_quoted(text: str) -> str:
    """Text as a YAML value in quotes: double, unless it holds a double quote."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _malformed(failure: _Failure) -> Iterator[Diagnostic]:
    """``pattern`` and ``format``: CP105 "'1 hour' is not a valid duration" (or "is not
    a real date", or out of range), with the fixed id, the language's code or an example."""
    value, kind = failure.value, failure.kind
    # A key that must be a language code (propertyNames' pattern) may be a sentence.
    colon = _colon_in_item(failure, value) if isinstance(value, str) else None
    if colon is not None:
        yield colon
        return
    title = str(failure.schema.get("title", failure.field)).lower()
    shown = _shorten(value)
    if kind == "format" and failure.expected == "date":
        message = f"'{shown}' is not a real date"
    else:
        message = f"'{shown}' is not a valid {title}"
    out_of_range = _out_of_range(title, value) if kind == "pattern" else None
    if out_of_range:
        message, hint = out_of_range
    else:
        hint = _malformed_hint(failure.schema, title, value)
    yield failure.at("CP105", message, hint)


def _malformed_hint(schema: dict[str, Any], title: str, value: Any) -> str:
    if title in ("id", "role", "channel") and isinstance(value, str) and slug(value):
        return f"ids use lowercase letters, digits and hyphens: write '{slug(value)}'"
    if title == "language" and isinstance(value, str) and language_code(value):
        return f"write the language's code: {language_code(value)}"
    example = _example(schema)
    if example:
        return f"write it like {example}"
    return str(schema.get("description", ""))


def _too_few(failure: _Failure) -> Iterator[Diagnostic]:
    """``minItems``, ``minLength`` and ``minProperties``: CP106 "'duties' is empty" (for
    text, and for a text per language), else "'roles' needs at least 2 entries"."""
    kind, schema, field = failure.kind, failure.schema, failure.field
    if kind == "minLength" or (kind == "minProperties" and "propertyNames" in schema and "string" in schema.get("type", [])):
        message = f"'{field}' is empty"
        hint = f"write the {field.replace('_', ' ')}, or remove the line"
    else:
        count = failure.expected
        message = f"'{field}' needs at least {count} {'entry' if count == 1 else 'entries'}"
        hint = str(schema.get("description", "")) or f"add an entry under {field}:"
    yield failure.at("CP106", message, hint)


def _repeated(failure: _Failure) -> Iterator[Diagnostic]:
    """``uniqueItems``: CP106 "'channels' lists the same entry twice"."""
    yield failure.at("CP106", f"'{failure.field}' lists the same entry twice", "remove the repeated entry")


def _too_small(failure: _Failure) -> Iterator[Diagnostic]:
    """``minimum`` and ``exclusiveMinimum``: CP105 "'char_limit' is 0, which is out of
    range", with the least number allowed."""
    yield failure.at(
        "CP105",
        f"'{failure.field}' is {failure.value}, which is out of range",
        f"use a number of at least {failure.expected}",
    )


# Past the limits that keep every build bounded: CP108.


def _too_long(failure: _Failure) -> Iterator[Diagnostic]:
    """``maxLength``: CP108 "'worst_case' is 12,000 characters long; the most allowed
    is 10,000"; a short limit (an id, a pattern) asks to shorten it, a long one to move
    background to a linked document."""
    value, limit, field = failure.value, failure.expected, failure.field
    size = len(value) if isinstance(value, str) else 0
    message = f"'{field}' is {size:,} characters long; the most allowed is {limit:,}"
    if failure.schema.get("pattern") or limit < 1000:
        hint = f"shorten it to at most {limit} characters"
    else:
        hint = "shorten it: staff read this under stress; move background to a document and link to it"
    yield failure.at("CP108", message, hint)


def _too_many(failure: _Failure) -> Iterator[Diagnostic]:
    """``maxItems`` and ``maxProperties``: CP108 "'roles' has 1,200 entries; the most
    allowed is 1,000"."""
    value, limit = failure.value, failure.expected
    size = len(value) if isinstance(value, (list, dict)) else 0
    yield failure.at(
        "CP108",
        f"'{failure.field}' has {size:,} entries; the most allowed is {limit:,}",
        "a plan never needs this many: remove repeated entries, or split it into several plans",
    )


def _too_large(failure: _Failure) -> Iterator[Diagnostic]:
    """``maximum``: CP108 "'char_limit' is 100,000; the most allowed is 65,535"."""
    value, limit, field = failure.value, failure.expected, failure.field
    message = f"'{field}' is {value:,}; the most allowed is {limit:,}" if isinstance(value, (int, float)) else f"'{field}' is over {limit:,}"
    yield failure.at("CP108", message, f"use a number of at most {limit:,}")


def _needs_one_of(failure: _Failure) -> Iterator[Diagnostic]:
    """``anyOf`` on a mapping: CP101 "contact 'x' needs one of: phone, email", the keys
    each alternative requires. On anything else: jsonschema's message (CP107)."""
    if not isinstance(failure.value, dict):
        yield from _other(failure)
        return
    options = [name for sub in failure.expected for name in sub.get("required", [])]
    yield failure.at(
        "CP101",
        f"{_what(failure.schema, failure.value)} needs one of: {', '.join(options)}",
        str(failure.schema.get("description", "")),
    )


def _other(failure: _Failure) -> Iterator[Diagnostic]:
    """Any other keyword: CP107 with jsonschema's own message and the schema's description."""
    yield failure.at("CP107", failure.error.message, str(failure.schema.get("description", "")))


_MESSAGES: dict[str, Callable[[_Failure], Iterator[Diagnostic]]] = {
    "required": _missing_keys,
    "additionalProperties": _unknown_keys,
    "type": _wrong_type,
    "enum": _unknown_choice,
    "const": _unknown_choice,
    "propertyNames": _bad_key_name,
    "pattern": _malformed,
    "format": _malformed,
    "minItems": _too_few,
    "minLength": _too_few,
    "minProperties": _too_few,
    "uniqueItems": _repeated,
    "minimum": _too_small,
    "exclusiveMinimum": _too_small,
    "maxLength": _too_long,
    "maxItems": _too_many,
    "maxProperties": _too_many,
    "maximum": _too_large,
    "anyOf": _needs_one_of,
}
