"""One YAML file -> plain data, with a file:line:column for every value and key.

The YAML is built from the parser's event stream rather than with ``yaml.load`` so
that nothing an author writes can cost unbounded time or memory or run code:

* plain scalars are resolved with YAML 1.2 core rules, so ``no``, ``on`` and
  ``2026-01-31`` stay text instead of turning into booleans and dates;
* duplicate keys are reported (PyYAML silently keeps the last one);
* tags other than the core ones (``!!python/object`` and friends) are refused;
* aliases are counted as if expanded, so a "billion laughs" file is refused
  before anything walks it;
* nesting depth and file size are capped.

Which files make up a plan, and how they are merged, is crisisplan.plan.discovery.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crisisplan.diagnostics import Diagnostic, Location, Severity, visible
from crisisplan.errors import CrisisplanError
from crisisplan.files import UnsafeFile, describe_os_error, read_bounded

# libyaml's parser when the wheel has it: several times faster than pure Python.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2 * 1024 * 1024
# Every value in one file, aliases counted as expanded: a plan of hundreds of
# scenarios has tens of thousands; more than this only makes every later step slow.
MAX_NODES = 100_000
# The text of every value in one file, aliases counted as expanded: aliases may
# repeat a list of roles, never turn a 2 MiB file into gigabytes of pages.
MAX_EXPANDED_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
# Here rather than in discovery: an empty or misshapen file's hint depends on
# whether it is a plan's main file or a scenario file.
PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")

JsonPath = tuple[str | int, ...]


def field_name(path: JsonPath, default: str = "value") -> str:
    """The key a path ends in, skipping list positions: ('roles', 0, 'title') -> 'title'."""
    return next((part for part in reversed(path) if isinstance(part, str)), default)


class LoadError(CrisisplanError):
    """A file that cannot become plan data; carries the diagnostic to report."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message, diagnostic.hint)
        self.diagnostic = diagnostic


@dataclass
class Locator:
    """Where each value (and each mapping key) of a plan was written."""

    values: dict[JsonPath, Location] = field(default_factory=dict)
    keys: dict[JsonPath, Location] = field(default_factory=dict)
    # Scalars as the author typed them, for hints like "put +62... in quotes".
    source: dict[JsonPath, str] = field(default_factory=dict)
    # Values written over several lines (block scalars, long quoted text) as they stand
    # in the file, so a word inside one is reported on its own line, not the first.
    spans: dict[JsonPath, str] = field(default_factory=dict)

    def value(self, path: JsonPath) -> Location:
        """The value at ``path``, or the nearest enclosing value that has a place.

        Values reached through an alias have no place of their own: they are
        reported where the alias was written.
        """
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Location("?", 1, 1)

    def key(self, path: JsonPath) -> Location:
        """The key that introduced ``path`` (for unknown or misplaced keys)."""
        return self.keys.get(path) or self.value(path)

    def within(self, path: JsonPath, words: str) -> Location:
        """Where ``words`` stand inside the text at ``path``: their own line in a value
        written over several lines, else the value's place."""
        where = self.value(path)
        written = self.spans.get(path)
        found = written.find(words) if written is not None and words else -1
        if written is None or found < 0:
            return where
        line_start = written.rfind("\n", 0, found) + 1
        if not line_start:
            return Location(where.path, where.line, where.column + found)
        return Location(where.path, where.line + written.count("\n", 0, found), found - line_start + 1)

    def graft(self, other: Locator, prefix: JsonPath) -> None:
        for attr in ("values", "keys", "source", "spans"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for path, where in theirs.items():
                mine[prefix + path] = where


@dataclass
class Document:
    path: str
    data: dict[str, Any]
    locator: Locator
    warnings: list[Diagnostic] = field(default_factory=list)


# --- scalars -------------------------------------------------------------------------------

_CORE_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
} | {"!"}

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_SPECIAL = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema resolution of an unquoted scalar."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if text in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[text]
    return text


def _resolve_tagged(tag: str, text: str) -> Any:
    if tag in ("!", _CORE_TAG + "str"):
        return text
    value = resolve_plain(text)
    wanted = {
        _CORE_TAG + "int": int,
        _CORE_TAG + "float": float,
        _CORE_TAG + "bool": bool,
        _CORE_TAG + "null": type(None),
    }.get(tag)
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if wanted is not None and not isinstance(value, wanted):
        raise ValueError(f"'{text}' cannot be read as {tag.removeprefix(_CORE_TAG)}")
    return value


def _scalar_value(event: yaml.ScalarEvent, loc: Location) -> Any:
    """The value a scalar stands for: tagged, plain (resolved) or quoted (text)."""
    try:
        if event.tag is not None:
            return _resolve_tagged(event.tag, event.value)
        return resolve_plain(event.value) if event.implicit[0] else event.value
    except ValueError as exc:
        raise LoadError(Diagnostic.at(loc, "CP003", str(exc), "remove the tag")) from None


# " #word" right after a plain value: YAML reads it as a comment, but in plans it is
# almost always a hashtag or chat channel that was meant to be part of the text.
_HASHTAG_COMMENT = re.compile(r" #[^\s#]")


def _cut_by_comment(text: str, event: Any, loc: Location) -> Diagnostic | None:
    end = event.end_mark.index
    line_end = text.find("\n", end)
    rest = text[end : line_end if line_end >= 0 else len(text)]
    if not _HASHTAG_COMMENT.match(rest):
        return None
    lost = rest.strip()
    return Diagnostic.at(
        loc,
        "CP013",
        f"'{lost}' is read as a YAML comment, so the text ends at '{event.value}'",
        f'put the whole value in quotes: "{event.value}{rest.rstrip()}"',
        Severity.WARNING,
    )


# --- problems the builder refuses a file for ------------------------------------------------


def _refused_tag(loc: Location, tag: str) -> LoadError:
    return LoadError(
        Diagnostic.at(
            loc,
            "CP003",
            f"the tag '{tag.replace(_CORE_TAG, '!!')}' is not allowed in a plan",
            "remove the tag: plans hold only text, numbers, lists and mappings",
        )
    )


def _key_not_plain(loc: Location) -> LoadError:
    return LoadError(
        Diagnostic.at(
            loc,
            "CP001",
            "a key must be plain text, not a list or mapping",
            "write keys as simple words followed by a colon, like title:",
        )
    )


def _too_many_values(loc: Location, via_alias: bool) -> LoadError:
    hint = (
        "a plan never needs this many; this looks like an alias bomb, remove the repeated aliases"
        if via_alias
        else "split the plan into a folder with one file per scenario, or remove repeated entries"
    )
    what = "aliases in this file expand to" if via_alias else "this file holds"
    return LoadError(Diagnostic.at(loc, "CP005", f"{what} more than {MAX_NODES:,} values", hint))


def _too_much_text(loc: Location) -> LoadError:
    limit = MAX_EXPANDED_BYTES // 1024 // 1024
    return LoadError(
        Diagnostic.at(
            loc,
            "CP005",
            f"aliases in this file expand to more than {limit} MiB of text",
            "an alias repeats everything its anchor holds: write the text once, or shorten what the anchor holds",
        )
    )


# libyaml's problem text -> what to write instead. First match wins.
_SYNTAX_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("mapping values are not allowed",), 'a value that contains \': \' must be written in quotes, like title: "Update: recall"'),
    (("\\t", "tab"), "indent with spaces, not tabs"),
    (("could not find expected ':'",), "each line of a mapping needs a key, a colon and a space, like name: Ana"),
    (("found character '@'", "found character '`'"), 'a value starting with @ or ` must be written in quotes, like handle: "@brand"'),
    (("did not find expected '-'", "expected <block end>"), "check the indentation: items of one list or mapping must line up"),
    (("found undefined alias",), "an alias (*name) must refer to an anchor (&name) written before it"),
    (("unexpected end of stream", "found unexpected end"), "a quote or bracket was opened and never closed"),
)


def _syntax_hint(problem: str) -> str:
    lowered = problem.lower()
    for needles, hint in _SYNTAX_HINTS:
        if any(needle in lowered or needle in problem for needle in needles):
            return hint
    return "check the indentation and put values with special characters in quotes"


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> LoadError:
    """What the parser could not read, where it noticed; or, where the parser's words
    would mislead, the mistake that made it stumble (a tab, a # in a [list])."""
    mark = exc.problem_mark or exc.context_mark
    known = _tab_in_indent(exc, path, text) or _comment_in_flow(exc, path, text)
    if known is not None:
        return LoadError(known)
    loc = Location(path, mark.line + 1, mark.column + 1) if mark is not None else Location(path)
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    return LoadError(
        Diagnostic.at(loc, "CP001", f"YAML syntax error: {problem}", _syntax_hint(problem))
    )


def _line_at(text: str, index: int) -> tuple[int, str]:
    """The line holding text[index]: where it starts, and the line itself."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, text[start : end if end >= 0 else len(text)]


def _tab_in_indent(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic | None:
    """libyaml says 'found character that cannot start any token' of a tab that
    indents a line: say 'tab', on that line."""
    mark = exc.problem_mark
    if mark is None or not 0 <= mark.index <= len(text):
        return None
    _, line = _line_at(text, min(mark.index, max(len(text) - 1, 0)))
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" not in indent:
        return None
    column = indent.index("\t") + 1
    return Diagnostic.at(
        Location(path, mark.line + 1, column),
        "CP001",
        "this line is indented with a tab; YAML indents with spaces only",
        "replace the tab with spaces, lined up with the lines above (most editors can show tabs and turn them into spaces)",
    )


# '#' right after '[', ',' or a space inside a [list] or {mapping} starts a comment:
# the rest of the line, closing bracket included, is dropped.
_FLOW_COMMENT = re.compile(r"[\[{,]\s*(#[^\s,\]}]*)")


def _comment_in_flow(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic | None:
    """A hashtag in a [list] is read as a comment, and the parser complains lines
    later that the list never closed: report the '#' itself."""
    flow = exc.context_mark
    if flow is None or "flow" not in (exc.context or "") or not 0 <= flow.index < len(text):
        return None
    start, line = _line_at(text, flow.index)
    found = _FLOW_COMMENT.search(line, flow.index - start)
    if found is None:
        return None
    word = found.group(1)
    return Diagnostic.at(
        Location(path, flow.line + 1, found.start(1) + 1),
        "CP001",
        f"'{word}' is read as a YAML comment: '#' after a bracket, comma or space starts one, so the list is never closed",
        f'put the value in quotes: "{word}"',
    )


def _reader_error(exc: yaml.YAMLError, text: str, path: str) -> LoadError:
    """A character YAML does not allow (reader errors carry an offset, not a mark)."""
    position = getattr(exc, "position", None)
    loc = Location(path)
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        loc = Location(path, line, position - (text.rfind("\n", 0, position) + 1) + 1)
    character = getattr(exc, "character", None)
    if isinstance(character, int):
        what = f"the control character U+{character:04X}"
    elif isinstance(character, str):
        what = f"the character {visible(character)}"
    else:
        what = "a control character"
    return LoadError(
        Diagnostic.at(
            loc,
            "CP001",
            f"{what} is not allowed in YAML",
            "remove control characters from the file, or write them as escapes in double quotes, like \"\\t\"",
        )
    )


# --- events -> data ------------------------------------------------------------------------


class _Frame:
    """A mapping or list being filled, with what it holds counted as if expanded."""

    __slots__ = ("anchor", "container", "count", "key", "key_loc", "path", "size")

    def __init__(self, container: dict[str, Any] | list[Any], path: JsonPath, anchor: str | None):
        self.container = container
        self.path = path
        self.anchor = anchor
        self.count = 1
        self.size = 0
        # In a mapping: the key just read, waiting for its value.
        self.key: str | None = None
        self.key_loc: Location | None = None

    def add(self, count: int, size: int) -> None:
        self.count += count
        self.size += size


class _Builder:
    """Plain data and its Locator from YAML text, one event at a time.

    Each kind of event has its own method; the first problem raises LoadError.
    """

    def __init__(self, text: str, path: str, warnings: list[Diagnostic] | None) -> None:
        self.text = text
        self.path = path
        # None: the caller does not want warnings (CP013), so none are looked for.
        self.warnings = warnings
        self.locator = Locator()
        # Anchor -> its value, with the values and text it holds (to count aliases).
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.stack: list[_Frame] = []
        self.total = 0
        self.total_bytes = 0
        self.documents = 0
        self.root: Any = None
        # The path of the value place() put last (None for a key or the root).
        self.last_path: JsonPath | None = None

    def build(self) -> tuple[Any, Locator]:
        try:
            for event in yaml.parse(self.text, Loader=_Parser):
                self.handle(event)
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, self.path, self.text) from None
        except yaml.YAMLError as exc:  # reader errors (control characters) carry a position
            raise _reader_error(exc, self.text, self.path) from None
        return self.root, self.locator

    def handle(self, event: yaml.Event) -> None:
        # Stream starts and ends and document ends say nothing about the data.
        match event:
            case yaml.DocumentStartEvent():
                self.document_start(event)
            case yaml.ScalarEvent():
                self.scalar(event)
            case yaml.AliasEvent():
                self.alias(event)
            case yaml.MappingStartEvent():
                self.collection_start(event, {})
            case yaml.SequenceStartEvent():
                self.collection_start(event, [])
            case yaml.CollectionEndEvent():  # mapping end and sequence end alike
                self.collection_end()

    # --- one method per kind of event ----------------------------------------------------

    def document_start(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise LoadError(
                Diagnostic.at(
                    self.here(event.start_mark),
                    "CP004",
                    "this file holds more than one YAML document",
                    "remove the '---' line: a plan file holds one document; put each scenario in a file of its own",
                )
            )

    def scalar(self, event: yaml.ScalarEvent) -> None:
        loc = self.here(event.start_mark)
        self.check_tag(event.tag, loc)
        self.grow(loc, 1, len(event.value), False)
        value = _scalar_value(event, loc)
        if self.warnings is not None and not event.style and (cut := _cut_by_comment(self.text, event, loc)):
            self.warnings.append(cut)
        # A key is kept as typed (a quoted '1' and a plain 1 are the same key); a plain
        # value is kept as typed for hints ("write it in quotes: ...").
        if self.expects_key():
            src: str | None = event.value
        else:
            src = event.value if event.implicit[0] and event.tag is None else None
        self.place(value, loc, 1, len(event.value), event.anchor, src)
        start, end = event.start_mark, event.end_mark
        if start is not None and end is not None and end.line > start.line and self.last_path is not None:
            self.locator.spans[self.last_path] = self.text[start.index : end.index]

    def alias(self, event: yaml.AliasEvent) -> None:
        loc = self.here(event.start_mark)
        if event.anchor not in self.anchors:
            raise LoadError(
                Diagnostic.at(
                    loc,
                    "CP001",
                    f"the alias *{event.anchor} refers to no anchor",
                    "an alias (*name) must refer to an anchor (&name) written before it",
                )
            )
        value, count, size = self.anchors[event.anchor]
        self.grow(loc, count, size, True)
        self.place(value, loc, count, size, None, None)

    def collection_start(self, event: yaml.CollectionStartEvent, container: dict[str, Any] | list[Any]) -> None:
        loc = self.here(event.start_mark)
        self.check_tag(event.tag, loc)
        self.grow(loc, 1, 0, False)
        if len(self.stack) >= MAX_DEPTH:
            raise LoadError(
                Diagnostic.at(
                    loc,
                    "CP006",
                    f"nested more than {MAX_DEPTH} levels deep",
                    "a plan is a few levels deep; check the indentation",
                )
            )
        path = self.next_path(loc)
        # Recorded at the start, so the root mapping has a place too.
        self.locator.values[path] = loc
        if self.stack and self.stack[-1].key_loc is not None and isinstance(self.stack[-1].container, dict):
            self.locator.keys[path] = self.stack[-1].key_loc
        self.stack.append(_Frame(container, path, event.anchor))

    def collection_end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, frame.count, frame.size)
        if not self.stack:
            self.root = frame.container
            return
        # Its place was recorded at its start; a collection as a key was refused there.
        parent = self.stack[-1]
        parent.add(frame.count, frame.size)
        if isinstance(parent.container, list):
            parent.container.append(frame.container)
        else:
            parent.container[str(parent.key)] = frame.container
            parent.key = None

    # --- shared steps ----------------------------------------------------------------------

    def here(self, mark: Any) -> Location:
        return Location(self.path, mark.line + 1, mark.column + 1)

    def check_tag(self, tag: str | None, loc: Location) -> None:
        if tag is not None and tag not in _ALLOWED_TAGS:
            raise _refused_tag(loc, tag)

    def grow(self, loc: Location, count: int, size: int, via_alias: bool) -> None:
        """Count values and text as if every alias were expanded; refuse past the caps."""
        self.total += count
        self.total_bytes += size
        if self.total > MAX_NODES:
            raise _too_many_values(loc, via_alias)
        if self.total_bytes > MAX_EXPANDED_BYTES:
            raise _too_much_text(loc)

    def expects_key(self) -> bool:
        """Whether the next value is a key of the mapping being filled."""
        return bool(self.stack) and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None

    def next_path(self, loc: Location) -> JsonPath:
        """The path of a collection about to start (refused where a key is expected)."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.key is None:
            raise _key_not_plain(loc)
        return (*top.path, top.key)

    def place(self, value: Any, loc: Location, count: int, size: int, anchor: str | None, src: str | None) -> None:
        """Put a finished scalar or alias into its parent (or make it the root)."""
        self.last_path = None
        if anchor:
            self.anchors[anchor] = (value, count, size)
        if not self.stack:
            self.root = value
            self.locator.values[()] = loc
            return
        parent = self.stack[-1]
        parent.add(count, size)
        if isinstance(parent.container, list):
            path: JsonPath = (*parent.path, len(parent.container))
            parent.container.append(value)
        elif parent.key is None:
            self.take_key(parent, value, loc, src)
            return
        else:
            path = (*parent.path, parent.key)
            if parent.key_loc is not None:
                self.locator.keys[path] = parent.key_loc
            parent.container[parent.key] = value
            parent.key = None
        self.locator.values[path] = loc
        self.last_path = path
        if src is not None:
            self.locator.source[path] = src

    def take_key(self, parent: _Frame, value: Any, loc: Location, src: str | None) -> None:
        """Hold a key until its value comes; refuse one that is not text or repeated."""
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            raise _key_not_plain(loc)
        key = src if src is not None else str(value)
        if key in parent.container:
            first = self.locator.keys.get((*parent.path, key))
            where = f" (first written on line {first.line})" if first else ""
            raise LoadError(
                Diagnostic.at(
                    loc,
                    "CP002",
                    f"duplicate key '{key}'{where}",
                    "a key may appear only once in a mapping: merge the two or remove one",
                )
            )
        parent.key, parent.key_loc = key, loc


def _build(text: str, path: str, warnings: list[Diagnostic] | None = None) -> tuple[Any, Locator]:
    """Build plain data from YAML text, raising LoadError on the first problem."""
    return _Builder(text, path, warnings).build()


# --- files -----------------------------------------------------------------------------------


def read_text(path: Path, shown: str, boundary: Path | None = None, data: bytes | None = None) -> str:
    """Read a plan file as UTF-8 (with or without BOM) within the size limit.

    Only a regular file whose real place is inside ``boundary`` is read (see
    crisisplan.files): links leading out of the repository and special files are
    refused before anything is read, so no diagnostic can echo what they hold.
    ``data`` is a plan already read (from standard input): no file is opened.
    """
    raw = data if data is not None else _read_bytes(path, shown, boundary)
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(path, shown, raw, from_stdin=data is not None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            Diagnostic.at(
                Location(shown, line, column),
                "CP008",
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 in your editor",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _read_bytes(path: Path, shown: str, boundary: Path | None) -> bytes:
    try:
        return read_bounded(path, MAX_FILE_BYTES, boundary)
    except UnsafeFile as exc:
        raise LoadError(Diagnostic.at(Location(shown), exc.code, exc.message, exc.hint)) from None
    except OSError as exc:
        raise LoadError(
            Diagnostic.at(
                Location(shown),
                "CP011",
                f"cannot read the file: {describe_os_error(exc)}",
                "check that the file exists and that you may read it",
            )
        ) from None


def _too_big(path: Path, shown: str, raw: bytes, from_stdin: bool) -> LoadError:
    size = "over the limit"
    if not from_stdin:  # standard input has no size to tell
        with contextlib.suppress(OSError):
            size = f"{max(path.stat().st_size, len(raw)) / 1024 / 1024:.1f} MiB"
    return LoadError(
        Diagnostic.at(
            Location(shown),
            "CP007",
            f"the file is {size}; plan files are limited to {MAX_FILE_BYTES // 1024 // 1024} MiB",
            "split the plan into a folder with one file per scenario",
        )
    )


def _empty(shown: str) -> LoadError:
    return LoadError(
        Diagnostic.at(
            Location(shown),
            "CP009",
            "the file is empty",
            "write the plan in it, or delete the file",
        )
    )


def load_file(
    path: Path, shown: str | None = None, boundary: Path | None = None, data: bytes | None = None
) -> Document:
    """Load one YAML file whose top level must be a mapping (``data``: its bytes, read
    from standard input)."""
    shown = shown or str(path)
    text = read_text(path, shown, boundary, data)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _empty(shown)
    warnings: list[Diagnostic] = []
    data, locator = _build(text, shown, warnings)
    if data is None:
        raise _empty(shown)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise LoadError(
            Diagnostic.at(
                locator.value(()),
                "CP010",
                f"the file holds {kind}; a plan file holds a mapping of keys",
                "start with keys like plan:, roles: and scenarios: at the left margin"
                if shown.endswith(PLAN_FILE_NAMES) or "scenarios" not in Path(shown).parts
                else "a scenario file starts with keys like id:, title: and worst_case: at the left margin",
            )
        )
    return Document(shown, data, locator, warnings)
