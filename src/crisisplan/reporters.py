"""Reporters: the same diagnostics as text for people, JSON for tools, or GitHub annotations."""

from __future__ import annotations

import json
from typing import ClassVar, Protocol

from crisisplan.checker import Report
from crisisplan.codes import code_name
from crisisplan.diagnostics import Diagnostic


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    checked = _plural(len(report.plans), "plan") + " checked"
    if not report.diagnostics:
        return f"{checked}: no problems"
    parts = []
    if report.errors:
        parts.append(_plural(report.errors, "error"))
    if report.warnings:
        parts.append(_plural(report.warnings, "warning"))
    return f"{checked}: {', '.join(parts)}"


class Reporter(Protocol):
    name: ClassVar[str]

    def render(self, report: Report) -> str: ...


class TextReporter:
    """``path:line:col: severity code: message`` and an indented hint line."""

    name: ClassVar[str] = "text"

    def line(self, d: Diagnostic) -> str:
        text = f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code}: {d.message}"
        if d.hint:
            text += f"\n  hint: {d.hint}"
        return text

    def render(self, report: Report) -> str:
        lines = [self.line(d) for d in report.diagnostics]
        lines.append(summary(report))
        return "\n".join(lines) + "\n"


class JsonReporter:
    name: ClassVar[str] = "json"

    def render(self, report: Report) -> str:
        document = {
            "plans": [str(p.source.path) for p in report.plans],
            "summary": {
                "plans": len(report.plans),
                "errors": report.errors,
                "warnings": report.warnings,
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
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands: each problem shows on the changed line of a PR."""

    name: ClassVar[str] = "github"

    def render(self, report: Report) -> str:
        lines = []
        for d in report.diagnostics:
            title = f"{d.code} {code_name(d.code)}".strip()
            message = d.message + (f"\n{d.hint}" if d.hint else "")
            lines.append(
                f"::{d.severity} file={_escape_property(d.path)},line={d.line},col={d.column},"
                f"title={_escape_property(title)}::{_escape_data(message)}"
            )
        lines.append(summary(report))
        return "\n".join(lines) + "\n"


REPORTERS: dict[str, type[Reporter]] = {
    r.name: r for r in (TextReporter, JsonReporter, GithubReporter)
}
