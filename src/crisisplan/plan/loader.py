"""Files and folders -> plan data with a file:line:column for every node.

The YAML is built from the parser's event stream rather than with ``yaml.load`` so
that nothing an author writes can cost unbounded time or memory or run code:

* plain scalars are resolved with YAML 1.2 core rules, so ``no``, ``on`` and
  ``2026-01-31`` stay text instead of turning into booleans and dates;
* duplicate keys are reported (PyYAML silently keeps the last one);
* tags other than the core ones (``!!python/object`` and friends) are refused;
* aliases are counted as if expanded, so a "billion laughs" file is refused
  before anything walks it;
* nesting depth and file size are capped.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from crisisplan.diagnostics import Diagnostic, Location, Severity, visible
from crisisplan.errors import CrisisplanError
from crisisplan.files import UnsafeFile, boundary_for, describe_os_error, read_bounded, special_file

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
PLAN_FILE_NAMES = ("plan.yaml", "plan.yml")
YAML_SUFFIXES = (".yaml", ".yml")

JsonPath = tuple[str | int, ...]


def field_name(path: JsonPath, default: str = "value") -> str:
    """The key a path ends in, skipping list positions: ('roles', 0, 'title') -> 'title'."""
    return next((part for part in reversed(path) if isinstance(part, str)), default)

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

    def graft(self, other: Locator, prefix: JsonPath) -> None:
        for attr in ("values", "keys", "source"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for path, where in theirs.items():
                mine[prefix + path] = where


@dataclass
class Document:
    path: str
    data: dict[str, Any]
    locator: Locator
    warnings: list[Diagnostic] = field(default_factory=list)


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


class _Frame:
    __slots__ = ("anchor", "container", "count", "key", "key_loc", "path", "size")

    def __init__(self, container: dict[str, Any] | list[Any], path: JsonPath, anchor: str | None):
        self.container = container
        self.path = path
        self.anchor = anchor
        self.count = 1
        self.size = 0
        self.key: str | None = None
        self.key_loc: Location | None = None


def _build(text: str, path: str, warnings: list[Diagnostic] | None = None) -> tuple[Any, Locator]:
    """Build plain data from YAML text, raising LoadError on the first problem."""
    locator = Locator()
    anchors: dict[str, tuple[Any, int, int]] = {}
    stack: list[_Frame] = []
    total = 0
    total_bytes = 0
    root: Any = None
    documents = 0

    def here(mark: Any) -> Location:
        return Location(path, mark.line + 1, mark.column + 1)

    def grow(loc: Location, count: int, size: int, via_alias: bool) -> None:
        """Count values and text as if every alias were expanded; refuse past the caps."""
        nonlocal total, total_bytes
        total += count
        total_bytes += size
        if total > MAX_NODES:
            hint = (
                "a plan never needs this many; this looks like an alias bomb, remove the repeated aliases"
                if via_alias
                else "split the plan into a folder with one file per scenario, or remove repeated entries"
            )
            what = "aliases in this file expand to" if via_alias else "this file holds"
            raise LoadError(
                Diagnostic.at(loc, "CP005", f"{what} more than {MAX_NODES:,} values", hint)
            )
        if total_bytes > MAX_EXPANDED_BYTES:
            limit = MAX_EXPANDED_BYTES // 1024 // 1024
            raise LoadError(
                Diagnostic.at(
                    loc,
                    "CP005",
                    f"aliases in this file expand to more than {limit} MiB of text",
                    "an alias repeats everything its anchor holds: write the text once, or shorten what the anchor holds",
                )
            )

    def place(value: Any, loc: Location, count: int, size: int, anchor: str | None, src: str | None) -> None:
        """Put a finished value into its parent (or make it the root)."""
        nonlocal root
        if anchor:
            anchors[anchor] = (value, count, size)
        if not stack:
            root = value
            locator.values[()] = loc
            return
        parent = stack[-1]
        parent.count += count
        parent.size += size
        if isinstance(parent.container, list):
            child: JsonPath = (*parent.path, len(parent.container))
            parent.container.append(value)
        else:
            if parent.key is None:
                # This value is a key.
                if not isinstance(value, (str, int, float, bool)) and value is not None:
                    raise LoadError(
                        Diagnostic.at(
                            loc,
                            "CP001",
                            "a key must be plain text, not a list or mapping",
                            "write keys as simple words followed by a colon, like title:",
                        )
                    )
                key = src if src is not None else str(value)
                if key in parent.container:
                    first = locator.keys.get((*parent.path, key))
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
                return
            child = (*parent.path, parent.key)
            if parent.key_loc is not None:
                locator.keys[child] = parent.key_loc
            parent.container[parent.key] = value
            parent.key = None
        locator.values[child] = loc
        if src is not None:
            locator.source[child] = src

    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise LoadError(
                        Diagnostic.at(
                            here(event.start_mark),
                            "CP004",
                            "this file holds more than one YAML document",
                            "remove the '---' line: a plan file holds one document; put each scenario in a file of its own",
                        )
                    )
                continue
            if not isinstance(event, (yaml.NodeEvent, yaml.CollectionEndEvent)):
                continue
            loc = here(event.start_mark)
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise LoadError(
                    Diagnostic.at(
                        loc,
                        "CP003",
                        f"the tag '{tag.replace(_CORE_TAG, '!!')}' is not allowed in a plan",
                        "remove the tag: plans hold only text, numbers, lists and mappings",
                    )
                )
            if isinstance(event, yaml.ScalarEvent):
                grow(loc, 1, len(event.value), False)
                try:
                    value = (
                        _resolve_tagged(tag, event.value)
                        if tag is not None
                        else resolve_plain(event.value)
                        if event.implicit[0]
                        else event.value
                    )
                except ValueError as exc:
                    raise LoadError(
                        Diagnostic.at(loc, "CP003", str(exc), "remove the tag")
                    ) from None
                src = event.value if event.implicit[0] and tag is None else None
                if warnings is not None and not event.style and (cut := _cut_by_comment(text, event, loc)):
                    warnings.append(cut)
                is_key = bool(stack) and isinstance(stack[-1].container, dict) and stack[-1].key is None
                place(value, loc, 1, len(event.value), event.anchor, event.value if is_key else src)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise LoadError(
                        Diagnostic.at(
                            loc,
                            "CP001",
                            f"the alias *{event.anchor} refers to no anchor",
                            "an alias (*name) must refer to an anchor (&name) written before it",
                        )
                    )
                value, count, size = anchors[event.anchor]
                grow(loc, count, size, True)
                place(value, loc, count, size, None, None)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                grow(loc, 1, 0, False)
                if len(stack) >= MAX_DEPTH:
                    raise LoadError(
                        Diagnostic.at(
                            loc,
                            "CP006",
                            f"nested more than {MAX_DEPTH} levels deep",
                            "a plan is a few levels deep; check the indentation",
                        )
                    )
                parent_path: JsonPath = ()
                if stack:
                    top = stack[-1]
                    if isinstance(top.container, list):
                        parent_path = (*top.path, len(top.container))
                    elif top.key is None:
                        raise LoadError(
                            Diagnostic.at(
                                loc,
                                "CP001",
                                "a key must be plain text, not a list or mapping",
                                "write keys as simple words followed by a colon, like title:",
                            )
                        )
                    else:
                        parent_path = (*top.path, top.key)
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                frame = _Frame(container, parent_path, event.anchor)
                stack.append(frame)
                # Record the start now so the root mapping has a place too.
                locator.values[parent_path] = loc
                if stack[:-1] and isinstance(stack[-2].container, dict) and stack[-2].key_loc:
                    locator.keys[parent_path] = stack[-2].key_loc
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.count, frame.size)
                if stack:
                    _attach(stack[-1], frame.container, frame.count, frame.size)
                else:
                    root = frame.container
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = here(mark) if mark is not None else Location(path)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise LoadError(
            Diagnostic.at(loc, "CP001", f"YAML syntax error: {problem}", _syntax_hint(problem))
        ) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position
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
        raise LoadError(
            Diagnostic.at(
                loc,
                "CP001",
                f"{what} is not allowed in YAML",
                "remove control characters from the file, or write them as escapes in double quotes, like \"\\t\"",
            )
        ) from None
    return root, locator


def _attach(parent: _Frame, value: Any, count: int, size: int) -> None:
    """Attach a finished collection to its parent (its place was recorded at start)."""
    parent.count += count
    parent.size += size
    if isinstance(parent.container, list):
        parent.container.append(value)
    else:
        # parent.key is set: a collection in key position was refused at its start.
        parent.container[str(parent.key)] = value
        parent.key = None


def read_text(path: Path, shown: str, boundary: Path | None = None, data: bytes | None = None) -> str:
    """Read a plan file as UTF-8 (with or without BOM) within the size limit.

    Only a regular file whose real place is inside ``boundary`` is read (see
    crisisplan.files): links leading out of the repository and special files are
    refused before anything is read, so no diagnostic can echo what they hold.
    ``data`` is a plan already read (from standard input): no file is opened.
    """
    if data is not None:
        raw = data
    else:
        try:
            raw = read_bounded(path, MAX_FILE_BYTES, boundary)
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
    if len(raw) > MAX_FILE_BYTES:
        size = "over the limit"
        if data is None:  # standard input has no size to tell
            with contextlib.suppress(OSError):
                size = f"{max(path.stat().st_size, len(raw)) / 1024 / 1024:.1f} MiB"
        raise LoadError(
            Diagnostic.at(
                Location(shown),
                "CP007",
                f"the file is {size}; plan files are limited to {MAX_FILE_BYTES // 1024 // 1024} MiB",
                "split the plan into a folder with one file per scenario",
            )
        )
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
        raise LoadError(
            Diagnostic.at(
                Location(shown),
                "CP009",
                "the file is empty",
                "write the plan in it, or delete the file",
            )
        )
    warnings: list[Diagnostic] = []
    data, locator = _build(text, shown, warnings)
    if data is None:
        raise LoadError(
            Diagnostic.at(
                Location(shown),
                "CP009",
                "the file is empty",
                "write the plan in it, or delete the file",
            )
        )
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


# --- finding plans ----------------------------------------------------------------------


# The path that means "read the plan from standard input" (as in yamllint), and the
# name diagnostics give it.
STDIN = "-"
STDIN_NAME = "<stdin>"
# Names of standard input as a file. It is never opened as one: a pipe is refused like
# any other (CP014), and a hint points to '-'.
_STDIN_FILES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


@dataclass(frozen=True)
class PlanSource:
    """One plan: a single YAML file, or a folder with plan.yaml and scenarios/, or
    (``data`` set) a single-file plan read from standard input."""

    path: Path
    is_folder: bool
    data: bytes | None = field(default=None, repr=False)

    @property
    def is_stdin(self) -> bool:
        return self.data is not None

    @property
    def shown(self) -> str:
        """How reports name the plan: as given, or <stdin>."""
        return STDIN_NAME if self.is_stdin else str(self.path)

    @property
    def plan_file(self) -> Path:
        if not self.is_folder:
            return self.path
        for name in PLAN_FILE_NAMES:
            if (self.path / name).is_file():
                return self.path / name
        return self.path / PLAN_FILE_NAMES[0]

    def scenario_files(self) -> list[Path]:
        return _yaml_files(self.path / "scenarios") if self.is_folder else []

    @property
    def reviews_dir(self) -> Path:
        """Where post-crisis reviews live: reviews/ in a folder plan, and
        reviews/<name>/ beside a single-file plan."""
        if self.is_folder:
            return self.path / "reviews"
        return self.path.parent / "reviews" / self.path.stem

    def review_files(self) -> list[Path]:
        # A plan from standard input has no folder, so no reviews beside it.
        return [] if self.is_stdin else _yaml_files(self.reviews_dir)

    def files(self) -> list[Path]:
        return [self.plan_file, *self.scenario_files(), *self.review_files()]


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Links are listed too, dangling ones included, and so are pipes, devices and
    # sockets: reading them reports what is wrong (CP014) instead of skipping a
    # scenario without a word.
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and (p.is_symlink() or not p.is_dir()) and not p.name.startswith(".")
        # The project's check settings (crisisplan.check.settings) sit beside the plans, not among them.
        and p.name != "crisisplan.yaml"
    )


def _is_plan_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PLAN_FILE_NAMES)


def _plans_in(folder: Path, depth: int = 0) -> Iterator[PlanSource]:
    if _is_plan_folder(folder):
        yield PlanSource(folder, True)
        return
    for path in _yaml_files(folder):
        yield PlanSource(path, False)
    if depth < 3:
        for sub in sorted(
            p
            for p in folder.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in ("reviews", "scenarios")
        ):
            yield from _plans_in(sub, depth + 1)


def _read_stdin(stdin: BinaryIO) -> bytes:
    """At most one byte past the size limit, so that an endless pipe cannot fill memory."""
    chunks: list[bytes] = []
    left = MAX_FILE_BYTES + 1
    while left > 0:
        chunk = stdin.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def discover(paths: list[Path], stdin: BinaryIO | None = None) -> tuple[list[PlanSource], list[Diagnostic]]:
    """Turn the paths a user named into plans.

    A file inside a folder plan (its plan.yaml or one of its scenarios, as an editor's
    save hook passes it) stands for the whole folder plan: references reach across
    its files. ``-`` reads one single-file plan from ``stdin``, when given.
    """
    found: list[PlanSource] = []
    problems: list[Diagnostic] = []
    from_stdin: bytes | None = None
    for path in paths:
        if stdin is not None and str(path) == STDIN:
            if from_stdin is None:
                try:
                    from_stdin = _read_stdin(stdin)
                except OSError as exc:
                    problems.append(
                        Diagnostic.at(
                            Location(STDIN_NAME),
                            "CP011",
                            f"cannot read standard input: {describe_os_error(exc)}",
                            "pipe the plan in: crisisplan check - < plan.yaml",
                        )
                    )
                    continue
                found.append(PlanSource(Path(STDIN), False, from_stdin))
            continue
        if str(path) in _STDIN_FILES:
            problems.append(
                Diagnostic.at(
                    Location(str(path)),
                    "CP014",
                    "this is standard input, not a file crisisplan can read",
                    "to check a plan from standard input, give '-' instead: crisisplan check - < plan.yaml",
                )
            )
            continue
        if not path.exists():
            problems.append(
                Diagnostic.at(
                    Location(str(path)),
                    "CP011",
                    "no such file or folder",
                    "check the path; plans usually live in plans/",
                )
            )
            continue
        if not path.is_file() and not path.is_dir():
            problem = special_file(path)
            problems.append(Diagnostic.at(Location(str(path)), problem.code, problem.message, problem.hint))
            continue
        if path.is_file():
            parent = path.parent
            if path.name in PLAN_FILE_NAMES:
                found.append(PlanSource(parent, True))
            elif parent.name in ("scenarios", "reviews") and _is_plan_folder(parent.parent):
                found.append(PlanSource(parent.parent, True))
            elif parent.parent.name == "reviews" and (parent.parent.parent / f"{parent.name}.yaml").is_file():
                found.append(PlanSource(parent.parent.parent / f"{parent.name}.yaml", False))
            else:
                found.append(PlanSource(path, False))
            continue
        plans = list(_plans_in(path))
        if not plans:
            problems.append(
                Diagnostic.at(
                    Location(str(path)),
                    "CP012",
                    "no plans in this folder",
                    "a plan is a .yaml file, or a folder holding plan.yaml and a scenarios/ folder",
                )
            )
        found.extend(plans)
    unique: dict[Path | str, PlanSource] = {}
    for plan in found:
        unique.setdefault(STDIN_NAME if plan.is_stdin else plan.path.resolve(), plan)
    return list(unique.values()), problems


def load_plan(source: PlanSource) -> tuple[Document | None, list[Diagnostic]]:
    """Load a plan's files and merge scenario files into its ``scenarios`` list."""
    problems: list[Diagnostic] = []
    # Standard input has no folder: no boundary, and no other files to read.
    boundary = None if source.is_stdin else boundary_for(source.path)
    try:
        plan = load_file(source.plan_file, STDIN_NAME if source.is_stdin else None, boundary, source.data)
    except LoadError as exc:
        plan = None
        problems.append(exc.diagnostic)
    parts: dict[str, list[Document]] = {"scenarios": [], "reviews": []}
    for key, paths in (("scenarios", source.scenario_files()), ("reviews", source.review_files())):
        for path in paths:
            try:
                parts[key].append(load_file(path, boundary=boundary))
            except LoadError as exc:
                problems.append(exc.diagnostic)
    for doc in ([plan] if plan else []) + parts["scenarios"] + parts["reviews"]:
        problems.extend(doc.warnings)
    if plan is None:
        return None, problems
    for key, docs in parts.items():
        if not docs:
            continue
        listed = plan.data.setdefault(key, [])
        if not isinstance(listed, list):
            continue  # the schema reports the wrong type where it was written
        if (key,) not in plan.locator.values:
            plan.locator.values[(key,)] = docs[0].locator.value(())
        for doc in docs:
            plan.locator.graft(doc.locator, (key, len(listed)))
            listed.append(doc.data)
    return plan, problems
