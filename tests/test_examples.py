"""The example plans are what a new user sees first: they must be complete and clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crisisplan.check.pipeline import check_paths
from tests.conftest import TODAY


def test_every_example_plan_passes_strict(root: Path) -> None:
    report = check_paths([root / "plans"], today=dt.date.fromisoformat(TODAY))
    assert [d for d in report.diagnostics] == []
    assert len(report.plans) >= 4


def test_examples_cover_the_scenarios_a_plan_must_foresee(root: Path) -> None:
    report = check_paths([root / "plans"], today=dt.date.fromisoformat(TODAY))
    plans = [p.plan for p in report.plans if p.plan]
    scenario_ids = {s.id for plan in plans for s in plan.scenarios}
    assert len(scenario_ids) >= 6
    for wanted in (
        "viral-complaint",
        "offensive-post",
        "hacked-account",
        "product-recall",
        "data-breach",
        "executive-misconduct",
    ):
        assert wanted in scenario_ids
    assert any("id" in plan.languages for plan in plans), "one plan is in Indonesian"
    assert any("da" in plan.languages for plan in plans), "one plan is in Danish"
    assert any(
        plan.activation and plan.media_inquiries and plan.emergency and plan.deciding_bodies()
        for plan in plans
    ), "one plan has the shape published institutional plans have (issue 18)"
    assert any(p.source.is_folder for p in report.plans), "one plan is a folder plan"
    for plan in plans:
        for scenario in plan.scenarios:
            assert len(scenario.worst_case.split()) >= 12, scenario.id
