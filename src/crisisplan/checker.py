"""Paths -> plans -> every diagnostic: the one core call behind `crisisplan check`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from crisisplan.checks import Context, run_checks
from crisisplan.diagnostics import Diagnostic, fails
from crisisplan.loader import PlanSource, discover, load_plan
from crisisplan.localtext import build_plan
from crisisplan.model import Plan
from crisisplan.schema import validate


@dataclass
class CheckedPlan:
    source: PlanSource
    plan: Plan | None
    diagnostics: list[Diagnostic]


@dataclass
class Report:
    plans: list[CheckedPlan] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(not d.is_error for d in self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        return fails(self.diagnostics, strict)


def check_plan(source: PlanSource, today: dt.date) -> CheckedPlan:
    document, problems = load_plan(source)
    if document is None:
        return CheckedPlan(source, None, problems)
    problems += validate(document.data, document.locator)
    plan = build_plan(document.path, document.data, document.locator)
    problems += run_checks(plan, Context(today=today))
    return CheckedPlan(source, plan, sorted(set(problems)))


def check_paths(paths: Sequence[Path], today: dt.date | None = None, stdin: BinaryIO | None = None) -> Report:
    """Load and check every plan under ``paths``; never raises for a bad plan.

    With ``stdin``, the path ``-`` is a plan read from it (``crisisplan check -``).
    """
    today = today or dt.date.today()
    sources, problems = discover(list(paths), stdin)
    report = Report()
    for source in sources:
        checked = check_plan(source, today)
        report.plans.append(checked)
        problems.extend(checked.diagnostics)
    report.diagnostics = sorted(set(problems))
    return report
