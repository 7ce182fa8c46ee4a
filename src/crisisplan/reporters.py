"""Reporters: the same diagnostics as text for people, or for tools: JSON, SARIF 2.1.0
(GitHub code scanning and other SARIF viewers), GitLab Code Quality, and GitHub
Actions annotations.

Machine formats are one document on standard output, whatever happened: `build`
adds what it published (or why it could not) to it rather than printing more lines.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from crisisplan import __version__
from crisisplan.checker import CheckedPlan, Report
from crisisplan.checks.honesty import AcceptedFinding
from crisisplan.codes import CodeInfo, all_codes, code_name
from crisisplan.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from crisisplan.build import BuildResult

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


def accepted_line(accepted: AcceptedFinding) -> str:
    """An accepted finding: listed in every report, so that nothing is hidden."""
    d = accepted.diagnostic
    return f"{d.path}:{d.line}:{d.column}: accepted {d.code}: {d.message} ({accepted.note})"


def plan_lines(report: Report) -> list[str]:
    """What `-v` adds: each plan checked, its files and its own problems."""
    return [f"checked {_plan_name(checked)} ({_files(checked)}): {_problems(checked.diagnostics)}" for checked in report.plans]


def _plan_name(checked: CheckedPlan) -> str:
    return checked.source.shown + ("/" if checked.source.is_folder else "")


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

    @classmethod
    def of(cls, result: BuildResult, site_dir: Path, public: bool) -> BuildSummary:
        return cls(
            built=result.built,
            site_dir=site_dir.as_posix(),
            public=public,
            pages=result.pages,
            pdfs=result.pdfs,
            pdf_pages=result.pdf_pages,
            pdfs_rendered=tuple(sorted(result.pdfs_rendered)),
            pdfs_reused=tuple(sorted(result.pdfs_reused)),
            seconds=round(result.seconds, 3),
            check_seconds=round(result.check_seconds, 3),
            site_seconds=round(result.site_seconds, 3),
            pdf_seconds=round(result.pdf_seconds, 3),
            unchanged=result.unchanged,
            warnings=tuple(result.warnings),
            error=result.error,
        )

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
    """Renders a report; ``quiet`` leaves out everything but the problems."""

    name: ClassVar[str]
    # One document for tools: always printed, even when there is no problem.
    machine: ClassVar[bool] = False

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    """``path:line:col: severity code: message`` and an indented hint line."""

    name: ClassVar[str] = "text"

    def line(self, d: Diagnostic) -> str:
        text = f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code}: {d.message}"
        if d.hint:
            text += f"\n  hint: {d.hint}"
        return text

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        lines = [self.line(d) for d in report.diagnostics]
        if not self.quiet:
            lines.extend(accepted_line(a) for a in report.accepted)
            lines.append(summary(report))
        return "".join(f"{line}\n" for line in lines)


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class JsonReporter(Reporter):
    """Version 1 of the JSON shape; every field is described in the README."""

    name: ClassVar[str] = "json"
    machine: ClassVar[bool] = True

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        document: dict[str, Any] = {
            "version": JSON_VERSION,
            "plans": [checked.source.shown for checked in report.plans],
            "summary": {
                "plans": len(report.plans),
                "errors": report.errors,
                "warnings": report.warnings,
                "accepted": len(report.accepted),
            },
            "diagnostics": [
                {
                    "path": d.path,
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
                    "path": a.diagnostic.path,
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
                    "accepted_at": {"path": a.where.path, "line": a.where.line, "column": a.where.column},
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
                f"::{d.severity} title={_escape_property(title)},file={_escape_property(d.path)},"
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
    try:
        urls = metadata.metadata("crisisplan").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = dict(entry.split(", ", 1) for entry in urls if ", " in entry)
    for label in ("Homepage", "Documentation", "Repository", "Source"):
        if label in found:
            return str(found[label])
    return None


def _sarif_message(d: Diagnostic) -> str:
    return d.message + (f"\nhint: {d.hint}" if d.hint else "")


class SarifReporter(Reporter):
    """SARIF 2.1.0: one run, every code as a rule, every diagnostic as a result."""

    name: ClassVar[str] = "sarif"
    machine: ClassVar[bool] = True

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
        results = []
        for d in report.diagnostics:
            result: dict[str, Any] = {"ruleId": d.code}
            if d.code in index:
                result["ruleIndex"] = index[d.code]
            result["level"] = "error" if d.severity is Severity.ERROR else "warning"
            result["message"] = {"text": _sarif_message(d)}
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.path)},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }
            ]
            results.append(result)
        for accepted in report.accepted:
            d = accepted.diagnostic
            # SARIF's own way to say "reported, and accepted on purpose in the source".
            results.append(
                {
                    "ruleId": d.code,
                    **({"ruleIndex": index[d.code]} if d.code in index else {}),
                    "level": "error" if d.severity is Severity.ERROR else "warning",
                    "message": {"text": _sarif_message(d)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _uri(d.path)},
                                "region": {"startLine": d.line, "startColumn": d.column},
                            }
                        }
                    ],
                    "suppressions": [{"kind": "inSource", "status": "accepted", "justification": accepted.note}],
                }
            )
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


# Errors stop a build, warnings do not (unless --strict): ESLint's GitLab formatters
# map its own two levels the same way.
_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def fingerprint(d: Diagnostic) -> str:
    """Stable across runs for the same problem at the same place: GitLab compares the
    merge request's report with the target branch's by it."""
    key = "\0".join((d.code, PurePath(d.path).as_posix(), str(d.line), d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class GitlabReporter(Reporter):
    """GitLab Code Quality (a subset of Code Climate's format): a JSON array of issues."""

    name: ClassVar[str] = "gitlab"
    machine: ClassVar[bool] = True

    def render(self, report: Report, build: BuildSummary | None = None) -> str:
        return _dump(
            [
                {
                    "description": d.message + (f" (hint: {d.hint})" if d.hint else ""),
                    "check_name": d.code,
                    "fingerprint": fingerprint(d),
                    "severity": _GITLAB_SEVERITY[d.severity],
                    "location": {"path": PurePath(d.path).as_posix(), "lines": {"begin": d.line}},
                }
                for d in report.diagnostics
            ]
        )


REPORTERS: dict[str, type[Reporter]] = {
    r.name: r for r in (TextReporter, JsonReporter, GithubReporter, SarifReporter, GitlabReporter)
}
