"""Each build `crisisplan serve` makes is a run of its own for "did you mean": a long
session, or a plan that once used up a budget, never leaves later builds without
their hints."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

from crisisplan.publish.options import BuildOptions
from crisisplan.publish.serve import rebuilds
from crisisplan.suggest import suggestion_budget
from tests.conftest import ROOT

hostile_plan = runpy.run_path(str(ROOT / "benchmarks" / "suggest_cost.py"))["hostile_plan"]


def test_each_build_gets_a_suggestion_budget_of_its_own(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    # One owner misspelt among 200 long, alike role ids: more comparing than one
    # lookup may do for free, so the hint needs the run's budget.
    (plans / "plan.yaml").write_text(hostile_plan("repeated", roles=198, refs=1), encoding="utf-8")
    options = BuildOptions(
        paths=[plans], site_dir=tmp_path / "preview" / "site", pdf=False, today=dt.date(2026, 11, 22)
    )
    with suggestion_budget(0):  # what serve's process has left after a long session
        results = rebuilds(options)
        try:
            first = next(results)
        finally:
            results.close()
    hints = [d.hint for d in first.report.diagnostics if d.code == "CP201"]
    assert len(hints) == 1 and hints[0].startswith("did you mean 'r") and not first.built
