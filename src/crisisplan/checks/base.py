"""The contract every semantic check follows, and the registry they join."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from crisisplan.diagnostics import Diagnostic, Location, Severity
from crisisplan.model import Plan


class Finding(NamedTuple):
    where: Location
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Context:
    """What a check may know beyond the plan: today's date, so tests can fix it."""

    today: dt.date


CheckFunction = Callable[[Plan, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    function: CheckFunction

    @property
    def summary(self) -> str:
        """The first line of the check's docstring: what it catches."""
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    def run(self, plan: Plan, context: Context) -> list[Diagnostic]:
        return [
            Diagnostic.at(f.where, self.code, f.message, f.hint, self.severity)
            for f in self.function(plan, context)
        ]


REGISTRY: dict[str, Check] = {}


def check(code: str, name: str, severity: Severity = Severity.ERROR) -> Callable[[CheckFunction], CheckFunction]:
    """Register a semantic check under a stable code; its docstring documents it."""

    def register(function: CheckFunction) -> CheckFunction:
        if code in REGISTRY:
            raise RuntimeError(f"check code {code} registered twice")
        REGISTRY[code] = Check(code, name, severity, function)
        return function

    return register
