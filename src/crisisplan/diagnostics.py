"""The one problem type: every YAML, schema and semantic problem is a Diagnostic."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# C0 controls but none of them allowed through, DEL, C1, and the line and paragraph
# separators: plan text quoted in a message must not break the line or drive the
# author's terminal (an escape sequence can retitle it; a backspace can hide text).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def visible(text: str) -> str:
    """Text with control characters written out as escapes, like YAML's own."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0), f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"), text)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a plan file; line and column count from 1, as editors show them."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a plan.

    Field order is the sort order: by file, then line, then column, then code, so a
    report reads top to bottom through each file.
    """

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    hint: str = ""

    @classmethod
    def at(
        cls,
        where: Location,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        return cls(where.path, where.line, where.column, code, severity, visible(message), visible(hint))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR



def fails(diagnostics: list[Diagnostic], strict: bool) -> bool:
    """Whether these diagnostics fail a run: any error, or any warning under --strict."""
    return any(d.is_error or strict for d in diagnostics)
