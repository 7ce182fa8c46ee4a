"""The contract every semantic check follows, and the registry they join."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from crisisplan.diagnostics import Diagnostic, Location, Severity
from crisisplan.plan.model import Plan
from crisisplan.plan.public import LEAK_CODE


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


# Problems found before the semantic checks can run: reading the YAML, then its structure.
STRUCTURAL = [
    ("CP001", "yaml-syntax", "error", "The file is not valid YAML (indentation, quotes, brackets)."),
    ("CP002", "duplicate-key", "error", "A key written twice in one mapping; YAML would silently keep the last."),
    ("CP003", "forbidden-tag", "error", "A YAML tag such as !!python/object: plans hold plain data only."),
    ("CP004", "several-documents", "error", "More than one YAML document (a '---' line) in one file."),
    ("CP005", "alias-bomb", "error", "Aliases that expand to an enormous document (a 'billion laughs' file)."),
    ("CP006", "too-deep", "error", "Nesting far deeper than any plan needs."),
    ("CP007", "file-too-large", "error", "A plan file over the size limit (2 MiB)."),
    ("CP008", "not-utf8", "error", "A file that is not UTF-8 text."),
    ("CP009", "empty-file", "error", "A file with nothing but blank lines or comments."),
    ("CP010", "not-a-mapping", "error", "A file whose top level is a list or a single value instead of keys."),
    ("CP011", "path-not-found", "error", "A path that does not exist or cannot be read."),
    ("CP012", "no-plans", "error", "A folder with no plan in it."),
    ("CP013", "hashtag-read-as-comment", "warning", "A value cut short because ' #word' after it is a YAML comment (a warning)."),
    ("CP014", "special-file", "error", "A path that is a device, pipe or socket rather than a file (never read, so it cannot hang)."),
    ("CP015", "link-outside-repository", "error", "A plan, scenario, review, docs or settings file that is a symbolic link leading outside the repository, or a path in crisisplan.yaml outside it."),
    ("CP101", "missing-key", "error", "A required key is missing."),
    ("CP102", "unknown-key", "error", "A key the format does not know, usually a misspelling."),
    ("CP103", "wrong-type", "error", "Text where a list is expected, a number where text is expected, and so on."),
    ("CP104", "unknown-value", "error", "A value that is not one of the allowed choices."),
    ("CP105", "bad-format", "error", "A malformed id, duration, date, language code or address."),
    ("CP106", "empty-or-repeated", "error", "An empty text or list where content is needed, or a repeated entry."),
    ("CP107", "schema", "error", "Any other structural problem."),
    ("CP108", "over-limit", "error", "A text, list or number past the limits that keep every build fast (see Limits in the docs' Performance page)."),
]


def known_codes() -> set[str]:
    """Every code crisisplan reports: the structural ones, every registered check's
    (rule packs' included), and the public edition's leak warning."""
    return {code for code, *_ in STRUCTURAL} | set(REGISTRY) | {LEAK_CODE}
