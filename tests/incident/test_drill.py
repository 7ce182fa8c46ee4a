"""Drill scripts: timed injects from the first trigger to the worst case, deadlines
from the plan's own timings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from crisisplan.check.pipeline import check_paths
from crisisplan.incident.drill import build_drill
from crisisplan.plan.model import Plan
from tests.conftest import ROOT
from tests.conftest import invoke as run


def brightbrew() -> Plan:
    plan = check_paths([ROOT / "plans" / "brightbrew"]).plans[0].plan
    assert plan is not None
    return plan


def test_injects_escalate_from_the_first_trigger_to_the_worst_case() -> None:
    plan = brightbrew()
    scenario = plan.scenario("hacked-account")
    assert scenario is not None
    script = build_drill(plan, scenario, dt.time(14, 30))
    assert [i.title for i in script.injects] == ["It starts", "It spreads", "Pressure rises", "The worst case"]
    assert script.injects[0].narrative[0] == scenario.triggers[0]
    assert script.injects[-1].narrative == [scenario.worst_case.strip()]
    # Injects land on the severity's targets (level 3: acknowledge 15m, statement 1h).
    assert [i.minutes for i in script.injects][:3] == [0, 15, 60]
    # Every first action, escalation and target is expected somewhere, in time order.
    expected = [e for i in script.injects for e in i.expectations]
    assert [e.minutes for e in expected] == sorted(e.minutes for e in expected)
    assert {e.text for e in expected} >= {s.do for s in plan.actions_of(scenario)}
    assert script.clock(10) == "14:40 (T+10m)"


def test_markdown_script_with_clock_deadlines() -> None:
    code, out, _ = run("drill", "hacked-account", "--start", "14:30")
    assert code == 0
    assert out.startswith("# Tabletop drill: A brand social media account is hacked\n")
    assert "## Inject 1 at 14:30 (T+0m): It starts" in out
    assert "- [ ] 14:40 (T+10m): IT security lead: Try to log in, change the password" in out
    assert "- [ ] 15:00 (T+30m): Crisis lead: tell Executive sponsor, Legal counsel, Spokesperson" in out
    assert "First holding statement published (target: within 1h)" in out
    assert "## Evaluation checklist" in out
    assert "within 280 characters on X, and approved" in out
    assert "    scenario: hacked-account" in out  # the snippet to record it


def test_a_late_drill_runs_past_midnight() -> None:
    code, out, _ = run("drill", "product-recall", "--start", "23:30")
    assert code == 0
    assert "00:00 +1d (T+30m)" in out


def test_drill_pdf(tmp_path: Path) -> None:
    target = tmp_path / "drill.pdf"
    code, out, err = run("drill", "data-breach", "--pdf", str(target))
    assert code == 0 and out == ""
    assert err.startswith(f"Wrote {target} (")
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Customer data breach" in text and "Inject 4" in text and "Evaluation checklist" in text


def test_drill_mistakes() -> None:
    code, _, err = run("drill", "data-breech")
    assert code == 2 and "did you mean 'data-breach'?" in err
    code, _, err = run("drill", "data-breach", "--start", "half past ten")
    assert code == 2 and "is not a time like 09:30" in err
