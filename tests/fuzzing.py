"""Hypothesis strategies for the robustness tests in test_fuzz.py: plans generated from
the JSON Schema, the example plans with hostile values put in, and YAML-level
oddities written into the text.

Everything here is data in, data out: the strategies draw plans as a mapping of file
names to bytes, and the tests write them into a temporary folder.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from crisisplan.plan.yamlfile import MAX_DEPTH

# The property tests' shared settings: a fixed seed and no example database, so CI
# runs the same examples every time; shrinking kept (a failure is reported small),
# the explain phase left out (it only adds time).
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)


def examples(count: int) -> int:
    """How many examples a property tries: the suite's small fixed budget, or more
    for a deeper search, e.g. CRISISPLAN_FUZZ_SCALE=20."""
    return max(1, round(count * float(os.environ.get("CRISISPLAN_FUZZ_SCALE", "1"))))

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal" / "plan.yaml"
SEGARKITA = ROOT / "plans" / "segarkita.yaml"
BRIGHTBREW = ROOT / "plans" / "brightbrew"

JsonPath = tuple[str | int, ...]
Files = dict[str, bytes]
"""A plan as files: path relative to the plan's folder -> content."""

# --- values ------------------------------------------------------------------------------

# Short ids from a small pool, so that generated references sometimes resolve and
# sometimes collide (duplicate ids), rather than never meeting.
ID_POOL = ["a", "b", "lead", "x", "outage", "level-1"]
LANGUAGE_POOL = ["en", "id", "fr", "en-GB"]
PLACEHOLDER_POOL = ["product", "a", "time"]

HOSTILE_NUMBERS: list[Any] = [
    10**12,
    -(10**12),
    2**64,
    10**80,
    -1,
    0,
    1.5,
    -0.0,
    1e300,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    False,
    None,
]

HOSTILE_TEXTS: list[str] = [
    "",
    " ",
    "x" * 10_001,
    "word " * 15_000,
    "line one\nline two",
    "trailing newline\n",
    "tab\there",
    "bell\x07 escape\x1b[2J\x1b]0;title\x07 del\x7f nel\x85",
    "carriage\rreturn",
    "separators\u2028and\u2029",
    "../../../etc/passwd",
    "..",
    "/",
    "C:\\Windows\\system32",
    "{",
    "}",
    "{product",
    "}{",
    "{{product}}",
    "{ }",
    "{Product} {time} {unknown_one}",
    "{" * 500,
    "%s %d %n %(x)s %% %",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "&amp; &lt; &#0; &#x110000;",
    "[link](javascript:alert(1)) ![img](http://evil.example/x.png)",
    "[" * 2_000 + "](" * 500,
    "*_" * 1_000,
    "> " * 300 + "deep quote",
    "\n".join("  " * i + "- item" for i in range(60)),
    "| a | b |\n|---|---|\n| {x} | y |",
    "Ünïcödé ñ 中文 العربية हिन्दी 😀 🇮🇩 \u202eRTL\u202c zero\u200bwidth",
    "\ufeffbom inside",
    "\U0010ffff\ue000",
    "#hashtag",
    "- item",
    "key: value",
    "'\"`",
    "\\",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "1969-12-31",
    "2200-01-01",
    "1970-01-01",
    "0m",
    "999w",
    "1000w",
    "99999999m",
    "\u0663m",  # an Arabic-Indic digit three
    "1h30",
    "+44 20 7946 0001",
    "0044 20",
    "not-an-email",
    "a@b",
    "@",
    "Europe/Nowhere",
    "../../etc/localtime",
    "UTC",
    "x" * 65,
    "A-B",
    "-a-",
    "a--b",
    "en-",
    "EN",
    "con",
    "index",
    "404",
    "search",
    "pdf",
    "assets",
    ".crisisplan-site",
]

HOSTILE_KEYS: list[Any] = [
    "unknown",
    "titel",
    "Title",
    "id ",
    "",
    "__proto__",
    "constructor",
    "<b>bold</b>",
    "key\nwith newline",
    "key\x1b[31m",
    "{x}",
    "scenarios",
    "plan",
    "\u202ekey",
    "x" * 300,
    1,
    -1,
    1.5,
    True,
    None,
]


def _deep(depth: int, leaf: Any, kind: str) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


@st.composite
def hostile_values(draw: st.DrawFn) -> Any:
    """A value a plan author (or an attacker) could write where anything is expected."""
    kind = draw(st.sampled_from(["number", "text", "text", "container", "deep"]))
    if kind == "number":
        return draw(st.sampled_from(HOSTILE_NUMBERS))
    if kind == "text":
        return draw(st.sampled_from(HOSTILE_TEXTS))
    if kind == "container":
        return draw(
            st.sampled_from(
                [
                    [],
                    {},
                    [None],
                    [[]],
                    {"": None},
                    ["a", "a"],
                    [{"id": "a"}, {"id": "a"}],
                    {"id": "a", "en": "text"},
                    [1, "two", 3.0, None, True, [], {}],
                ]
            )
        )
    # Deep nesting: mostly within the loader's cap, sometimes over it.
    depth = draw(st.integers(min_value=2, max_value=MAX_DEPTH + 5))
    return _deep(
        depth, draw(st.sampled_from(["x", 1, None])), draw(st.sampled_from(["list", "map"]))
    )


# --- generating plans from the JSON Schema ------------------------------------------------


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """Follow local $refs (#/definitions/...), keeping the referring schema's own keys."""
    resolved = dict(schema)
    while "$ref" in resolved:
        target: Any = root
        for part in str(resolved.pop("$ref")).removeprefix("#/").split("/"):
            target = target[part]
        resolved = {**target, **resolved}
    return resolved


class SchemaStrategies:
    """Strategies for the values a draft-07 schema describes, valid as far as the
    schema goes (the keywords the plan schema uses), with small lists and short texts
    so that each example stays cheap. Cross-references come from small pools, so
    some resolve and some do not."""

    def __init__(self, root: Mapping[str, Any], max_items: int = 2, max_text: int = 12) -> None:
        self.root = root
        self.max_items = max_items
        self.max_text = max_text
        self._refs: dict[str, st.SearchStrategy[Any]] = {}

    def of(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and len(schema) == 1:
            if ref not in self._refs:
                # Deferred: a definition may refer to itself (a time window is a list
                # of time windows), and deep chains of references would otherwise
                # exceed Python's recursion limit when Hypothesis inspects them.
                built: dict[str, st.SearchStrategy[Any]] = {}
                self._refs[ref] = st.deferred(lambda: built["strategy"])
                built["strategy"] = self._build(_resolve(schema, self.root), ref.rsplit("/", 1)[-1])
            return self._refs[ref]
        return self._build(_resolve(schema, self.root), "")

    def definition(self, name: str) -> st.SearchStrategy[Any]:
        return self.of({"$ref": f"#/definitions/{name}"})

    def _build(self, schema: dict[str, Any], name: str) -> st.SearchStrategy[Any]:
        if "enum" in schema:
            return st.sampled_from(list(schema["enum"]))
        if "const" in schema:
            return st.just(schema["const"])
        kind = schema.get("type")
        if kind is None and "then" in schema and "else" in schema:
            return st.one_of(self.of(schema["then"]), self.of(schema["else"]))
        if isinstance(kind, list):
            return st.one_of([self._build({**schema, "type": k}, name) for k in kind])
        if kind == "string":
            return self._string(schema, name)
        if kind == "integer":
            return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**6))
        if kind == "number":
            return st.integers(0, 10**4) | st.floats(
                0, 10**4, allow_nan=False, allow_infinity=False
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            return self._array(schema)
        if kind == "object" or "properties" in schema:
            return self._object(schema)
        return st.none()

    def _string(self, schema: dict[str, Any], name: str) -> st.SearchStrategy[str]:
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10_000)
        if schema.get("format") == "date":
            return st.dates(dt.date(1970, 1, 1), dt.date(2199, 12, 31)).map(str)
        pools = {"id": ID_POOL, "roleRef": ID_POOL, "channelRef": ID_POOL}
        pools |= {"language": LANGUAGE_POOL, "placeholderName": PLACEHOLDER_POOL}
        pattern = schema.get("pattern")
        if pattern:
            # ECMA 262's \d is ASCII only: draw from ASCII so that what is generated
            # is valid for every JSON Schema validator, not only for Python's re.
            generated = st.from_regex(
                pattern, fullmatch=True, alphabet=st.characters(codec="ascii")
            )
            fitting = generated.filter(lambda s: low <= len(s) <= high)
            return st.sampled_from(pools[name]) | fitting if name in pools else fitting
        texts = st.text(
            st.characters(min_codepoint=1, exclude_categories=["Cs"]),
            min_size=low,
            max_size=min(high, self.max_text),
        )
        hostile = [t for t in HOSTILE_TEXTS if low <= len(t) <= high]
        return texts | st.sampled_from(hostile)

    def _array(self, schema: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
        items = self.of(schema.get("items", {}))
        low = schema.get("minItems", 0)
        high = max(low, min(schema.get("maxItems", self.max_items), self.max_items))
        if schema.get("uniqueItems"):
            return st.lists(items, min_size=low, max_size=high, unique_by=repr)
        return st.lists(items, min_size=low, max_size=high)

    def _object(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        properties: dict[str, Any] = schema.get("properties", {})
        if not properties and isinstance(schema.get("additionalProperties"), dict):
            keys = self.of(schema.get("propertyNames", {"type": "string", "maxLength": 20}))
            low = schema.get("minProperties", 0)
            return st.dictionaries(
                keys,
                self.of(schema["additionalProperties"]),
                min_size=low,
                max_size=max(low, self.max_items),
            )
        required = list(schema.get("required", []))
        # `if/then` on an object adds required keys in some cases: always add them.
        then = schema.get("then")
        if isinstance(then, dict):
            required += [k for k in then.get("required", []) if k not in required]
        alternatives = [alt.get("required", []) for alt in schema.get("anyOf", [])] or [[]]

        def shape(extra: list[str]) -> st.SearchStrategy[dict[str, Any]]:
            wanted = [*required, *(k for k in extra if k not in required)]
            must = {
                k: self.of(properties.get(k, {"type": "string", "minLength": 1})) for k in wanted
            }
            may = {k: self.of(v) for k, v in properties.items() if k not in must}
            if schema.get("minProperties") and not must:
                first = next(iter(may))
                must[first] = may.pop(first)
            return st.fixed_dictionaries(must, optional=may)

        return st.one_of([shape(alt) for alt in alternatives])


# --- mutating plan data --------------------------------------------------------------------


def paths_in(data: Any, prefix: JsonPath = ()) -> Iterator[JsonPath]:
    """Every place in a plan's data, the root included."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_in(value, (*prefix, index))


def _get(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _put(data: Any, path: JsonPath, value: Any) -> Any:
    """Set the value at path; returns the (possibly new) root."""
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _replace(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    return _put(data, path, draw(hostile_values()))


def _delete(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    if not path:
        return data
    parent = _get(data, path[:-1])
    del parent[path[-1]]
    return data


def _unknown_key(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    target = _get(data, path)
    if isinstance(target, dict):
        target[draw(st.sampled_from(HOSTILE_KEYS))] = draw(st.sampled_from(["x", 1, None, [], {}]))
    return data


def _rename_key(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    """A misspelt key: the value stays, under a near-miss name."""
    if not path or not isinstance(path[-1], str):
        return data
    parent = _get(data, path[:-1])
    key = path[-1]
    typo = draw(
        st.sampled_from(
            [key + "s", key[:-1], key.upper(), key.replace("_", "-"), key + " ", "-" + key]
        )
    )
    if typo and typo not in parent:
        parent[typo] = parent.pop(key)
    return data


def _duplicate_item(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    """The same entry twice in a list: duplicate ids, repeated languages."""
    target = _get(data, path)
    if isinstance(target, list) and target:
        index = draw(st.integers(0, len(target) - 1))
        target.insert(index, copy.deepcopy(target[index]))
    return data


def _swap_kind(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    """A list where a mapping is expected and the other way round."""
    target = _get(data, path)
    if isinstance(target, list):
        return _put(data, path, {str(i): v for i, v in enumerate(target)})
    if isinstance(target, dict):
        return _put(
            data, path, draw(st.sampled_from([list(target.values()), list(target), [target]]))
        )
    return _put(data, path, [target])


def _nest(draw: st.DrawFn, data: Any, path: JsonPath) -> Any:
    """Bury a value under levels of lists or mappings, within the loader's cap or over it."""
    room = MAX_DEPTH - len(path)
    depth = draw(st.integers(1, max(1, room + 2)))
    return _put(data, path, _deep(depth, _get(data, path), draw(st.sampled_from(["list", "map"]))))


MUTATIONS: list[Callable[[st.DrawFn, Any, JsonPath], Any]] = [
    _replace,
    _replace,
    _replace,
    _delete,
    _delete,
    _unknown_key,
    _rename_key,
    _duplicate_item,
    _swap_kind,
    _nest,
]


@st.composite
def mutated_data(draw: st.DrawFn, data: Any, max_mutations: int = 4) -> Any:
    """The data with one to a few random places changed."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, max_mutations))):
        path = draw(st.sampled_from(list(paths_in(data))))
        mutation = draw(st.sampled_from(MUTATIONS))
        data = mutation(draw, data, path)
    return data


# --- YAML text and its oddities --------------------------------------------------------------


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


_SCALAR_LINE = re.compile(r"^(\s*(?:- )?[\w-]+: )(?![&*!|>\[{])(\S.*)$")


def _lines_matching(text: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if _SCALAR_LINE.match(line)]


def _anchor_and_alias(draw: st.DrawFn, text: str) -> str:
    """An anchor on one scalar and an alias to it on a later one (or to nothing)."""
    lines = text.split("\n")
    candidates = _lines_matching(text)
    if len(candidates) < 2:
        return text + "extra: &a [1, 2]\nmore: *a\n"
    first, second = sorted(
        draw(st.lists(st.sampled_from(candidates), min_size=2, max_size=2, unique=True))
    )
    lines[first] = _SCALAR_LINE.sub(r"\1&anchor \2", lines[first])
    alias = draw(
        st.sampled_from(["*anchor", "*anchor", "*nothing", "*anchor *anchor", "&anchor *anchor"])
    )
    lines[second] = _SCALAR_LINE.sub(lambda m: m.group(1) + alias, lines[second])
    return "\n".join(lines)


def _tag(draw: st.DrawFn, text: str) -> str:
    tag = draw(
        st.sampled_from(
            [
                "!!python/object/apply:os.system",
                "!!python/name:os.system",
                "!!python/object:__main__.X",
                "!!binary",
                "!!set",
                "!!omap",
                "!!timestamp",
                "!!int",
                "!!float",
                "!!bool",
                "!!null",
                "!!str",
                "!<tag:yaml.org,2002:str>",
                "!custom",
                "!",
                "!!merge",
            ]
        )
    )
    candidates = _lines_matching(text)
    if not candidates:
        return f"evil: {tag} x\n" + text
    lines = text.split("\n")
    index = draw(st.sampled_from(candidates))
    lines[index] = _SCALAR_LINE.sub(lambda m: f"{m.group(1)}{tag} {m.group(2)}", lines[index])
    return "\n".join(lines)


def _alias_bomb(draw: st.DrawFn, text: str) -> str:
    bomb = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    return text + "\n".join(bomb) + "\n"


def _with_line(draw: st.DrawFn, text: str, change: Callable[[str], str]) -> str:
    lines = text.split("\n")
    index = draw(st.integers(0, max(0, len(lines) - 1)))
    lines[index] = change(lines[index])
    return "\n".join(lines)


def _insert_line(draw: st.DrawFn, text: str) -> str:
    junk = draw(
        st.sampled_from(
            [
                "{",
                "[",
                "]",
                "}",
                "? ",
                ": x",
                "- - -",
                "&",
                "*",
                "!",
                "@x",
                "`x",
                "'unclosed",
                '"unclosed',
                "key: 'a''b'",
                "|",
                ">",
                "...",
                "--- !!map",
                "%YAML 1.1",
                "big: " + "9" * 5_000,
                "wide: " + "x" * 100_000,
                "? [complex, key]\n: value",
                "? {a: 1}\n: value",
                "merge:\n  <<: {a: 1}",
                'text: "\\x00\\uD800\\U0010FFFF\\e"',
                "# only a comment",
            ]
        )
    )
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines)))
    indent = draw(st.sampled_from(["", "  ", "    ", "\t"]))
    lines.insert(index, indent + junk)
    return "\n".join(lines)


def _second_document(draw: st.DrawFn, text: str) -> str:
    return text + draw(st.sampled_from(["---\na: 1\n", "--- \n...\n---\n", "...\n---\nplan: {}\n"]))


def _explicit_document(draw: st.DrawFn, text: str) -> str:
    return "---\n" + text + "...\n"  # one document, written out in full: valid


def _bom(draw: st.DrawFn, text: str) -> str:
    return "\ufeff" + text


def _tab_indent(draw: st.DrawFn, text: str) -> str:
    return _with_line(draw, text, lambda line: "\t" + line.lstrip(" "))


def _line_breaks(draw: st.DrawFn, text: str) -> str:
    return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\u2028", "\x85"])))


def _comment(draw: st.DrawFn, text: str) -> str:
    ending = draw(st.sampled_from([" #hashtag", " #", " # comment", "  #x", " #{product}"]))
    return _with_line(draw, text, lambda line: line + ending)


def _repeat_line(draw: st.DrawFn, text: str) -> str:
    return _with_line(draw, text, lambda line: line + "\n" + line)  # a duplicate key or item


def _shift_line(draw: st.DrawFn, text: str) -> str:
    return _with_line(draw, text, lambda line: " " + line)


def _truncate(draw: st.DrawFn, text: str) -> str:
    return text[: draw(st.integers(0, len(text)))]


def _control_character(draw: st.DrawFn, text: str) -> str:
    where = draw(st.integers(0, len(text)))
    return (
        text[:where]
        + draw(st.sampled_from(["\x01", "\x1b", "\x7f", "\x00", "\ufffe", "\t"]))
        + text[where:]
    )


def _directive(draw: st.DrawFn, text: str) -> str:
    return (
        draw(st.sampled_from(["%YAML 1.1\n---\n", "%YAML 1.3\n---\n", "%TAG ! tag:x,2000:\n---\n"]))
        + text
    )


def _replace_all(draw: st.DrawFn, text: str) -> str:
    return draw(
        st.sampled_from(
            ["", "\n\n", "# comments only\n", "- a list\n", "just text\n", "~\n", "{}\n"]
        )
    )


TEXT_MUTATIONS: list[Callable[[st.DrawFn, str], str]] = [
    _repeat_line,
    _insert_line,
    _anchor_and_alias,
    _tag,
    _comment,
    _second_document,
    _explicit_document,
    _bom,
    _alias_bomb,
    _tab_indent,
    _line_breaks,
    _shift_line,
    _truncate,
    _control_character,
    _directive,
    _replace_all,
]


def _byte_mutation(draw: st.DrawFn, raw: bytes) -> bytes:
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return b"\xff\xfe" + raw.decode("utf-8", "replace").encode("utf-16-le")
    if choice == 1:
        return raw + draw(st.sampled_from([b"\xe2\x82", b"\xc3"]))  # cut short in a character
    where = draw(st.integers(0, len(raw)))
    bad = draw(
        st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"])
    )
    return raw[:where] + bad + raw[where:]


@st.composite
def yaml_bytes(draw: st.DrawFn, data: Any, oddities: bool = True) -> bytes:
    """The data as YAML, then with raw text oddities on top (sometimes none)."""
    text = dump(data)
    if oddities:
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
            text = draw(st.sampled_from(TEXT_MUTATIONS))(draw, text)
    raw = text.encode("utf-8", "surrogatepass")
    # Rare: a plan that is not UTF-8 stops at loading, and teaches little more.
    if oddities and draw(st.integers(0, 19)) == 13:
        raw = _byte_mutation(draw, raw)
    return raw


# --- whole plans --------------------------------------------------------------------------


def load_example(path: Path) -> Any:
    # A fresh copy each time: the strategies change what they are given.
    return copy.deepcopy(_parsed_example(path))


@functools.cache
def _parsed_example(path: Path) -> Any:
    # Parsed once per run, not on every draw: parsing the examples was a good part of
    # the fuzz tests' time, and the files do not change while they run.
    data = yaml.safe_load(path.read_text("utf-8"))
    # Dates stay text in plans (YAML 1.2 rules): keep them text when dumped again.
    return _dates_as_text(data)


def _dates_as_text(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _dates_as_text(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_as_text(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


@st.composite
def mutated_single_file(draw: st.DrawFn, example: Path) -> Files:
    data = draw(mutated_data(load_example(example)))
    return {"plan.yaml": draw(yaml_bytes(data))}


@st.composite
def mutated_folder_plan(draw: st.DrawFn, schemas: SchemaStrategies) -> Files:
    """brightbrew with one of its files mutated, and sometimes a file added or removed."""
    names = sorted(str(p.relative_to(BRIGHTBREW)) for p in BRIGHTBREW.rglob("*.yaml"))
    files: Files = {name: (BRIGHTBREW / name).read_bytes() for name in names}
    target = draw(st.sampled_from(names))
    data = draw(mutated_data(load_example(BRIGHTBREW / target)))
    files[target] = draw(yaml_bytes(data))
    extra = draw(st.sampled_from(["none", "review", "scenario", "removed", "none", "none"]))
    if extra == "review":
        files["reviews/2026-11-01-hacked-account.yaml"] = draw(
            yaml_bytes(draw(schemas.definition("review")))
        )
    elif extra == "scenario":
        files["scenarios/generated.yaml"] = draw(yaml_bytes(draw(schemas.definition("scenario"))))
    elif extra == "removed":
        scenarios = [n for n in names if n.startswith("scenarios/")]
        del files[draw(st.sampled_from(scenarios))]
    return files


@st.composite
def generated_plan(draw: st.DrawFn, schemas: SchemaStrategies, root: Mapping[str, Any]) -> Files:
    data = draw(schemas.of(root))
    if draw(st.booleans()):
        data = draw(mutated_data(data, max_mutations=2))
    return {"plan.yaml": draw(yaml_bytes(data))}


def write_plan(folder: Path, files: Files) -> None:
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


# --- text-only changes that keep a plan valid as far as the schema goes ----------------------

# Fields whose value is free text: replacing it keeps every reference intact, so
# the plan still has a chance to pass and be built.
FREE_TEXT_KEYS = {
    "organisation",
    "title",
    "name",
    "worst_case",
    "do",
    "description",
    "volume",
    "en",
    "classification",
}

SAFE_TEXTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[link](javascript:alert(1))",
    "Ünïcödé 中文 العربية 😀 \u202eRTL\u202c",
    "../../../etc/passwd",
    "%s %(x)s %%",
    "line one\nline two",
    "{{ config }} {% raw %}",
    "a | b",
    "# heading\n\n- list",
    "x" * 2_000,
    "---",
    "'\"`\\",
    "{",
    "",
]


@st.composite
def text_mutated_minimal(draw: st.DrawFn) -> Files:
    """The minimal plan with a few free-text values replaced by awkward text."""
    data = load_example(MINIMAL)
    places = [
        p
        for p in paths_in(data)
        if p and p[-1] in FREE_TEXT_KEYS and isinstance(_get(data, p), str)
    ]
    for path in draw(st.lists(st.sampled_from(places), min_size=1, max_size=3, unique=True)):
        _put(data, path, draw(st.sampled_from(SAFE_TEXTS)))
    text = dump(data)
    oddity = draw(st.integers(0, 4))
    if oddity == 0:
        text = "\ufeff" + text
    elif oddity == 1:
        text = text.replace("\n", "\r\n")
    elif oddity == 2:
        text = "# a comment\n---\n" + text + "...\n"
    return {"plan.yaml": text.encode("utf-8")}
