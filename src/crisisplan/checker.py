"""Paths -> plans -> every diagnostic: the one core call behind `crisisplan check`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from crisisplan.checks import Context, run_checks
from crisisplan.checks.honesty import AcceptedFinding, settle
from crisisplan.config import Config
from crisisplan.diagnostics import Diagnostic, fails
from crisisplan.loader import PlanSource, discover, load_plan
from crisisplan.localtext import build_plan
from crisisplan.model import Plan
from crisisplan.schema import validate
from crisisplan.today import today as current_day


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
) -> Report:
    """Load and check every plan under ``paths``; never raises for a bad plan.

    With ``stdin``, the path ``-`` is a plan read from it (``crisisplan check -``).
    ``config`` (crisisplan.yaml) sets each code's severity; its own problems are reported
    with the plans'.
    """
    today = today or current_day()
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
