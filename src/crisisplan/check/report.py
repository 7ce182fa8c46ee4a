"""Reporters: the same diagnostics as text for people, or for tools: JSON, SARIF 2.1.0
(GitHub code scanning and other SARIF viewers), GitLab Code Quality, and GitHub
Actions annotations.

Machine formats are one document on standard output, whatever happened: `build`
adds what it published (or why it could not) to it rather than printing more lines.
`check --output-file` writes that document to a file instead (`write_report`).
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from crisisplan import __version__
from crisisplan.check.checks.honesty import AcceptedFinding
from crisisplan.check.codes import CodeInfo, all_codes, code_name
from crisisplan.check.formats import FORMATS
from crisisplan.check.pipeline import CheckedPlan, Report
from crisisplan.diagnostics import Diagnostic, Severity
from crisisplan.files import WriteRefused, linked_component, write_new
from crisisplan.plan.discovery import STDIN_NAME, YAML_SUFFIXES
from crisisplan.plan.yamlfile import JsonPath

if TYPE_CHECKING:
    from crisisplan.plan.model import Plan

# The shape of `--format json`: raised only when a field changes meaning or goes away
# (new fields may appear within a version).
JSON_VERSION = 1
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _problems(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems"
    parts = []
    if errors:
        parts.append(_plural(errors, "error"))
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return ", ".join(parts)


def summary(report: Report) -> str:
    accepted = f" ({len(report.accepted)} accepted)" if report.accepted else ""
    return f"{_plural(len(report.plans), 'plan')} checked: {_problems(report.diagnostics)}{accepted}"


def _shown(path: str, stdin_name: str | None) -> str:
    """A path as reports name it: standard input under the name given with
    ``check --stdin-filename`` (the file an editor is checking), when there is one."""
    return stdin_name if stdin_name and path == STDIN_NAME else path


def accepted_line(accepted: AcceptedFinding, stdin_name: str | None = None) -> str:
    """An accepted finding: listed in every report, so that nothing is hidden."""
    d = accepted.diagnostic
    return f"{_shown(d.path, stdin_name)}:{d.line}:{d.column}: accepted {d.code}: {d.message} ({accepted.note})"


def plan_lines(report: Report, stdin_name: str | None = None) -> list[str]:
    """What `-v` adds: each plan checked, its files and its own problems."""
    return [
        f"checked {_plan_name(checked, stdin_name)} ({_files(checked)}): {_problems(checked.diagnostics)}"
        for checked in report.plans
    ]


def _plan_name(checked: CheckedPlan, stdin_name: str | None = None) -> str:
    return _shown(checked.source.shown, stdin_name) + ("/" if checked.source.is_folder else "")


def _files(checked: CheckedPlan) -> str:
    source = checked.source
    if source.is_stdin:
        return "standard input"
    scenarios, reviews = len(source.scenario_files()), len(source.review_files())
    parts = [source.plan_file.name]
    if scenarios:
        parts.append(_plural(scenarios, "scenario file"))
    if reviews:
        parts.append(_plural(reviews, "review"))
    return ", ".join(parts)


@dataclass(frozen=True)
class BuildSummary:
    """What `crisisplan build` did, for the machine formats (JSON's ``build`` object,
    SARIF's invocation)."""

    built: bool
    site_dir: str
    public: bool = False
    pages: int = 0
    pdfs: int = 0
    pdf_pages: int = 0
    pdfs_rendered: tuple[str, ...] = ()
    pdfs_reused: tuple[str, ...] = ()
    seconds: float = 0.0
    check_seconds: float = 0.0
    site_seconds: float = 0.0
    pdf_seconds: float = 0.0
    unchanged: bool = False
    warnings: tuple[str, ...] = ()
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "built": self.built,
            "site_dir": self.site_dir,
            "public": self.public,
            "pages": self.pages,
            "pdfs": self.pdfs,
            "pdf_pages": self.pdf_pages,
            "pdfs_rendered": list(self.pdfs_rendered),
            "pdfs_reused": list(self.pdfs_reused),
            "seconds": self.seconds,
            "check_seconds": self.check_seconds,
            "site_seconds": self.site_seconds,
            "pdf_seconds": self.pdf_seconds,
            "unchanged": self.unchanged,
            "warnings": list(self.warnings),
            "error": self.error,
        }


class Reporter:
    """Renders a report; ``quiet`` leaves out everything but the problems, and
    ``stdin_name`` is what standard input is called (``check --stdin-filename``)."""

    name: ClassVar[str]
    # One document for tools: always printed, even when there is no problem.
    machine: ClassVar[bool] = False

    def __init__(self, quiet: bool = False, *, stdin_name: str | None = None) -> None:
        self.quiet = quiet
        self.stdin_name = stdin_name

    def path(self, path: str) -> str:
        return _shown(path, self.stdin_name)

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    """``path:line:col: severity code: message`` and an indented hint line."""

    name: ClassVar[str] = "text"

    def line(self, d: Diagnostic) -> str:
        text = f"{self.path(d.path)}:{d.line}:{d.column}: {d.severity} {d.code}: {d.message}"
        if d.hint:
            text += f"\n  hint: {d.hint}"
        return text

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        lines = [self.line(d) for d in report.diagnostics]
        if not self.quiet:
            lines.extend(accepted_line(a, self.stdin_name) for a in report.accepted)
            lines.append(summary(report))
        return "".join(f"{line}\n" for line in lines)


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class JsonReporter(Reporter):
    """Version 1 of the JSON shape; every field is described in the docs (Checking)."""

    name: ClassVar[str] = "json"
    machine: ClassVar[bool] = True

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        document: dict[str, Any] = {
            "version": JSON_VERSION,
            "plans": [self.path(checked.source.shown) for checked in report.plans],
            "summary": {
                "plans": len(report.plans),
                "errors": report.errors,
                "warnings": report.warnings,
                "accepted": len(report.accepted),
            },
            "diagnostics": [
                {
                    "path": self.path(d.path),
                    "line": d.line,
                    "column": d.column,
                    "severity": str(d.severity),
                    "code": d.code,
                    "name": code_name(d.code),
                    "message": d.message,
                    "hint": d.hint,
                }
                for d in report.diagnostics
            ],
            # Not problems (they do not fail the run), but never hidden.
            "accepted": [
                {
                    "path": self.path(a.diagnostic.path),
                    "line": a.diagnostic.line,
                    "column": a.diagnostic.column,
                    "severity": str(a.diagnostic.severity),
                    "code": a.diagnostic.code,
                    "name": code_name(a.diagnostic.code),
                    "message": a.diagnostic.message,
                    "hint": a.diagnostic.hint,
                    "reason": a.acceptance.reason,
                    "by": a.acceptance.by,
                    "until": a.acceptance.until,
                    "accepted_at": {"path": self.path(a.where.path), "line": a.where.line, "column": a.where.column},
                }
                for a in report.accepted
            ],
        }
        if build is not None:
            document["build"] = build.as_json()
        return _dump(document)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: each problem shows on the changed line of a PR.

    Byte for byte what GitHub's own toolkit prints for ``core.error(message,
    {title, file, startLine, startColumn})`` (and ``core.warning``): properties in
    that order, escaped the same way.
    """

    name: ClassVar[str] = "github"

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        lines = []
        for d in report.diagnostics:
            title = f"{d.code} {code_name(d.code)}".strip()
            message = d.message + (f"\n{d.hint}" if d.hint else "")
            lines.append(
                f"::{d.severity} title={_escape_property(title)},file={_escape_property(self.path(d.path))},"
                f"line={d.line},col={d.column}::{_escape_data(message)}"
            )
        if not self.quiet:
            lines.append(summary(report))
        return "".join(f"{line}\n" for line in lines)


def _uri(path: str) -> str:
    """A diagnostic's path as a SARIF artifact URI: relative paths stay relative (to
    where crisisplan ran), with forward slashes and every character outside RFC
    3986's unreserved set percent-encoded (a ':' in a first segment would otherwise
    read as a scheme); absolute paths become file: URIs."""
    pure = PurePath(path)
    if pure.is_absolute():
        return Path(path).as_uri()
    return quote(pure.as_posix(), safe="/")


def _markdown(doc: str) -> str:
    # The checks' docstrings quote code reStructuredText-style, ``like this``.
    return re.sub(r"``([^`]+)``", r"`\1`", doc)


def _description(doc: str) -> str:
    """A code's documentation without its examples, each paragraph on one line."""
    kept = doc.split("\n\nFails:", 1)[0]
    return "\n\n".join(" ".join(part.split()) for part in kept.split("\n\n"))


def _rule(info: CodeInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": _description(info.doc)},
        "help": {"text": info.doc, "markdown": _markdown(info.doc)},
        "defaultConfiguration": {"level": info.severity},
    }


@cache
def information_uri() -> str | None:
    """The project's home page, from the installed package's metadata, if it has one."""
    # Here, not at the top: only SARIF asks, and the text report must start fast.
    from importlib import metadata

    try:
        urls = metadata.metadata("crisisplan").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = dict(entry.split(", ", 1) for entry in urls if ", " in entry)
    for label in ("Homepage", "Documentation", "Repository", "Source"):
        if label in found:
            return str(found[label])
    return None


# --- fingerprints ----------------------------------------------------------------------
#
# GitLab matches the problems of a merge request with the target branch's by their
# fingerprint, and SARIF viewers track a result across runs by its partialFingerprints.
# A fingerprint that moved with the line would show every untouched problem below an
# edit as fixed, and again as new. So it is made of what the problem is (file, code,
# message) and where it sits in the plan's structure (the YAML node it is reported at),
# never of its line or column.

# Messages that point to another place by line ("first written on line 12", "also in
# plans/x.yaml:40"): that number moves with every edit above it.
_LINE_NUMBER = re.compile(r"\bline \d+")
_FILE_LINE = re.compile(r"(\.ya?ml):\d+\b")


def _without_line_numbers(message: str) -> str:
    return _FILE_LINE.sub(r"\1", _LINE_NUMBER.sub("line", message))


def _address(plan: Plan, path: JsonPath) -> str:
    """A node's path, with each list position replaced by the item's id when it has
    one (scenarios, {id: hacked-account}, owner): adding a scenario, or a scenario
    file that sorts first, leaves the other scenarios' addresses as they were."""
    if not path:
        # The whole file: the same as a problem placed at no node (line 1, column 1,
        # which the first node leaves when comments are added above it).
        return ""
    parts: list[str | int | dict[str, str]] = []
    node: Any = plan.raw
    for part in path:
        child: Any = None
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            child = node[part]
        elif isinstance(part, str) and isinstance(node, dict):
            child = node.get(part)
        ident = child.get("id") if isinstance(part, int) and isinstance(child, dict) else None
        parts.append({"id": ident} if isinstance(ident, str) and ident else part)
        node = child
    return json.dumps(parts, ensure_ascii=False)


def _rank(candidate: tuple[bool, JsonPath]) -> tuple[bool, int]:
    """Which node a place stands for when several start there: a value over the key
    written at the same place (`- id: x` starts both an item and its id key), and
    the deepest value (a scenario file's own mapping, not the plan's scenarios list
    that the loader places at the first scenario file)."""
    is_value, path = candidate
    return is_value, len(path) if is_value else -len(path)


class _Places:
    """The structural address of the node a diagnostic points at: the node starting
    at its line and column, or the last one before (a place inside a long text)."""

    def __init__(self, report: Report) -> None:
        # file -> (plan, node starts in document order, the node starting at each)
        self._files: dict[str, tuple[Plan, list[tuple[int, int]], list[JsonPath]]] = {}
        for checked in report.plans:
            if checked.plan is not None:
                self._add(checked.plan)

    def _add(self, plan: Plan) -> None:
        best: dict[str, dict[tuple[int, int], tuple[bool, JsonPath]]] = {}
        for is_value, places in ((True, plan.locator.values), (False, plan.locator.keys)):
            for path, where in places.items():
                here = best.setdefault(where.path, {})
                place, candidate = (where.line, where.column), (is_value, path)
                if place not in here or _rank(candidate) > _rank(here[place]):
                    here[place] = candidate
        for file, here in best.items():
            starts = sorted(here)
            self._files[file] = (plan, starts, [here[place][1] for place in starts])

    def address(self, d: Diagnostic) -> str:
        if d.path not in self._files:
            return ""
        plan, starts, paths = self._files[d.path]
        at = bisect.bisect_right(starts, (d.line, d.column)) - 1
        return _address(plan, paths[at]) if at >= 0 else ""


def fingerprints(report: Report, stdin_name: str | None = None) -> dict[Diagnostic, str]:
    """A fingerprint for every problem of the report, accepted ones included.

    The same while the problem is: adding or removing lines elsewhere, or other
    scenarios, changes none. Identical problems in one file (the same message at
    the same node) are told apart by their order, counted in the accepted ones too,
    so that accepting one leaves the others' fingerprints alone.
    """
    import hashlib  # here: only the machine formats fingerprint, and only problems

    problems = sorted([*report.diagnostics, *(a.diagnostic for a in report.accepted)])
    if not problems:
        return {}
    places = _Places(report)
    seen: Counter[tuple[str, ...]] = Counter()
    found: dict[Diagnostic, str] = {}
    for d in problems:
        key = (
            PurePath(_shown(d.path, stdin_name)).as_posix(),
            d.code,
            _without_line_numbers(d.message),
            places.address(d),
        )
        text = "\0".join((*key, str(seen[key])))
        seen[key] += 1
        found[d] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return found


# --- SARIF -----------------------------------------------------------------------------

# The key of the result's fingerprint in partialFingerprints, which is what GitHub code
# scanning matches results across runs by. Versioned, as SARIF's fingerprint names are:
# another way of computing it would be /v2, never a silent change to what /v1 means.
SARIF_FINGERPRINT = "crisisplan/v1"


def _sarif_message(d: Diagnostic) -> str:
    return d.message + (f"\nhint: {d.hint}" if d.hint else "")


class SarifReporter(Reporter):
    """SARIF 2.1.0: one run, every code as a rule, every diagnostic as a result."""

    name: ClassVar[str] = "sarif"
    machine: ClassVar[bool] = True

    def _result(self, d: Diagnostic, index: dict[str, int], fingerprint: str) -> dict[str, Any]:
        result: dict[str, Any] = {"ruleId": d.code}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        result["level"] = "error" if d.severity is Severity.ERROR else "warning"
        result["message"] = {"text": _sarif_message(d)}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(self.path(d.path))},
                    "region": {"startLine": d.line, "startColumn": d.column},
                }
            }
        ]
        result["partialFingerprints"] = {SARIF_FINGERPRINT: fingerprint}
        return result

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        codes = all_codes()
        index = {info.code: position for position, info in enumerate(codes)}
        driver: dict[str, Any] = {
            "name": "crisisplan",
            "version": __version__,
            "semanticVersion": __version__,
        }
        uri = information_uri()
        if uri:
            driver["informationUri"] = uri
        driver["rules"] = [_rule(info) for info in codes]
        prints = fingerprints(report, self.stdin_name)
        results = [self._result(d, index, prints[d]) for d in report.diagnostics]
        for accepted in report.accepted:
            d = accepted.diagnostic
            result = self._result(d, index, prints[d])
            # SARIF's own way to say "reported, and accepted on purpose in the source".
            result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": accepted.note}]
            results.append(result)
        run: dict[str, Any] = {
            "tool": {"driver": driver},
            # Columns count characters, as editors show them (libyaml's marks).
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        if build is not None:
            invocation: dict[str, Any] = {"executionSuccessful": not build.error}
            if build.error:
                invocation["toolExecutionNotifications"] = [
                    {"level": "error", "message": {"text": build.error}}
                ]
            run["invocations"] = [invocation]
        return _dump({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})


# --- GitLab Code Quality ---------------------------------------------------------------

# Errors stop a build, warnings do not (unless --strict): ESLint's GitLab formatters
# map its own two levels the same way.
_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


class GitlabReporter(Reporter):
    """GitLab Code Quality (a subset of Code Climate's format): a JSON array of issues."""

    name: ClassVar[str] = "gitlab"
    machine: ClassVar[bool] = True

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        prints = fingerprints(report, self.stdin_name)
        return _dump(
            [
                {
                    "description": d.message + (f" (hint: {d.hint})" if d.hint else ""),
                    "check_name": d.code,
                    "fingerprint": prints[d],
                    "severity": _GITLAB_SEVERITY[d.severity],
                    "location": {"path": PurePath(self.path(d.path)).as_posix(), "lines": {"begin": d.line}},
                }
                for d in report.diagnostics
            ]
        )


_BY_NAME = {r.name: r for r in (TextReporter, JsonReporter, GithubReporter, SarifReporter, GitlabReporter)}
# In the order of the one list of formats (check/formats.py).
REPORTERS: dict[str, type[Reporter]] = {name: _BY_NAME[name] for name in FORMATS}


# --- a report in a file (check --output-file) -----------------------------------------

def plan_files(report: Report) -> list[Path]:
    """Every file the report's plans come from (standard input aside)."""
    return [path for checked in report.plans if not checked.source.is_stdin for path in checked.source.files()]


def write_report(target: Path, text: str, plans: Iterable[Path], example: str = "crisisplan.sarif") -> None:
    """Write a report to ``target`` in one step: a new file beside it, then one rename,
    so whatever reads it (the next CI step, an editor) sees the old report or the new
    one, never half of one.

    Never through a symbolic link (the file itself or a folder on the way), never over
    a folder, one of ``plans`` or a YAML file (a report there would be read as a plan):
    WriteRefused says why, with ``example`` as a name to use instead. OSError for the
    rest (a read-only folder, a full disk), with nothing left behind.
    """
    if target.name in ("", ".", ".."):
        raise WriteRefused(f"'{target}' names a folder, not a file", f"give a file name, like {example}")
    if target.is_symlink():
        raise WriteRefused(
            f"{target} is a symbolic link; crisisplan does not write through links",
            "remove the link, or choose another file name",
        )
    if target.exists() and not target.is_file():
        raise WriteRefused(f"{target} is not a file", f"give a file name, like {example}")
    if target.exists() and any(plan.exists() and os.path.samefile(target, plan) for plan in plans):
        raise WriteRefused(
            f"{target} is one of the plans checked; crisisplan does not write a report over a plan",
            f"give another file name, like {example}",
        )
    if target.suffix.lower() in YAML_SUFFIXES:
        raise WriteRefused(
            f"{target} is a YAML file name, and crisisplan reads YAML files as plans",
            f"give another file name, like {example}",
        )
    cwd = Path.cwd()
    # Inside the folder crisisplan runs in, folders on the way are opened one by one
    # without following links (files.write_new), so none can lead the file elsewhere.
    within = cwd if ".." not in target.parts and target.absolute().is_relative_to(cwd) else None
    link = linked_component(target, cwd) if within else None
    if link is not None:
        # Said here too, to name the folder as the user named it (write_new names it
        # by its absolute path).
        raise WriteRefused(
            f"{link.relative_to(cwd)} is a symbolic link; crisisplan does not write through links",
            "replace the link with a real folder, or write the report elsewhere",
        )
    staged = target.with_name(f".{target.name}.crisisplan-new")
    if staged.is_symlink() or staged.is_file():
        staged.unlink()  # left over from a run that was stopped
    write_new(staged, text.encode("utf-8"), within=within)
    try:
        # A rename replaces a link put in target's place since the check above; it
        # never writes through it.
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
