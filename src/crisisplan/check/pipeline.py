"""Paths -> plans -> every diagnostic: the one core call behind `crisisplan check`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from crisisplan.check.checks import Context, run_checks
from crisisplan.check.checks.honesty import AcceptedFinding, settle
from crisisplan.check.settings import Config
from crisisplan.diagnostics import Diagnostic, fails
from crisisplan.plan.discovery import STDIN, PlanSource, discover, load_plan
from crisisplan.plan.localtext import build_plan
from crisisplan.plan.model import Plan
from crisisplan.plan.schema import validate
from crisisplan.plan.today import today as current_day
from crisisplan.plan.yamlfile import PLAN_FILE_NAMES, LoadError, load_file
from crisisplan.suggest import run_budget


@dataclass
class CheckedPlan:
    source: PlanSource
    plan: Plan | None
    diagnostics: list[Diagnostic]
    # Findings the plan accepts on purpose, until a day: listed, never counted.
    accepted: list[AcceptedFinding] = field(default_factory=list)


@dataclass
class Report:
    plans: list[CheckedPlan] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def accepted(self) -> list[AcceptedFinding]:
        found = [a for checked in self.plans for a in checked.accepted]
        return sorted(found, key=lambda a: a.diagnostic)

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(not d.is_error for d in self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        return fails(self.diagnostics, strict)


def check_plan(source: PlanSource, today: dt.date, config: Config | None = None) -> CheckedPlan:
    config = config or Config()
    document, problems = load_plan(source)
    if document is None:
        return CheckedPlan(source, None, config.apply(problems))
    problems += validate(document.data, document.locator)
    plan = build_plan(document.path, document.data, document.locator)
    problems += run_checks(plan, Context(today=today))
    kept, accepted = settle(plan, config.apply(problems), today)
    return CheckedPlan(source, plan, sorted(set(kept)), accepted)


def check_paths(
    paths: Sequence[Path],
    today: dt.date | None = None,
    stdin: BinaryIO | None = None,
    config: Config | None = None,
    stdin_name: str | None = None,
) -> Report:
    """Load and check every plan under ``paths``; never raises for a bad plan.

    With ``stdin``, the path ``-`` is a plan read from it (``crisisplan check -``);
    ``stdin_name`` is the file an editor has open there: a scenario or review file
    is then checked as one. ``config`` (crisisplan.yaml) sets each code's severity;
    its own problems are reported with the plans'.

    Each call is one run with its own budget for "did you mean" (crisisplan.suggest),
    unless the caller opened one: a long-lived process (serve, the tests) checks every
    plan alike, however many hostile plans came before.
    """
    with run_budget():
        return _check_paths(paths, today, stdin, config, stdin_name)


def _check_paths(
    paths: Sequence[Path],
    today: dt.date | None,
    stdin: BinaryIO | None,
    config: Config | None,
    stdin_name: str | None,
) -> Report:
    today = today or current_day()
    part = part_of_plan(Path(stdin_name)) if stdin_name else ""
    if part and stdin is not None:
        others = [path for path in paths if str(path) != STDIN]
        report = check_paths(others, today, config=config)
        part_report = _check_part(stdin, str(stdin_name), part, config or Config())
        report.plans += part_report.plans
        report.diagnostics = sorted({*report.diagnostics, *part_report.diagnostics})
        return report
    sources, problems = discover(list(paths), stdin)
    if config is not None:
        problems.extend(config.problems)
    report = Report()
    for source in sources:
        checked = check_plan(source, today, config)
        report.plans.append(checked)
        problems.extend(checked.diagnostics)
    report.diagnostics = sorted(set(problems))
    return report


def part_of_plan(name: Path) -> str:
    """'scenario' or 'review' when NAME is a file the loader merges into a plan (as
    crisisplan.plan.discovery.discover tells them), else ''."""
    folder = name.parent
    if folder.name in ("scenarios", "reviews") and any((folder.parent / plan).is_file() for plan in PLAN_FILE_NAMES):
        return folder.name.removesuffix("s")
    if folder.parent.name == "reviews" and (folder.parent.parent / f"{folder.name}.yaml").is_file():
        return "review"  # reviews/<plan>/ beside a single-file plan
    return ""


def _check_part(stdin: BinaryIO, name: str, part: str, config: Config) -> Report:
    """A scenario or review file from standard input, on its own: its YAML and its
    schema (what an editor checks), not what needs the rest of its plan (roles,
    channels), as the loader cannot yet put it in its plan folder in place of the
    file on disk."""
    # Read as `check -` reads a plan: bounded, and a read error is a diagnostic.
    sources, problems = discover([Path(STDIN)], stdin)
    report = Report()
    for source in sources:
        found = []
        try:
            document = load_file(Path(name), name, data=source.data)
        except LoadError as exc:
            found.append(exc.diagnostic)
        else:
            found += document.warnings + validate(document.data, document.locator, part)
        checked = CheckedPlan(source, None, sorted(set(config.apply(found))))
        report.plans.append(checked)
        problems += checked.diagnostics
    report.diagnostics = sorted(set(problems))
    return report
