"""benchmarks/generate.py writes plans that crisisplan accepts, so the scale benchmark
measures valid plans. Nothing here is timed: speed is read from benchmarks/scale.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli.test_cli import invoke

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def generate(target: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(GENERATE), str(target), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    # The example's drills fall due with time (drill_cadence); check as of a fixed day.
    monkeypatch.setenv("CRISISPLAN_TODAY", "2026-11-22")


def test_a_generated_plan_passes_strict_check(tmp_path: Path) -> None:
    target = tmp_path / "plan"
    assert generate(target, "--scenarios", "8") == f"{target}: plan.yaml and 8 scenarios (en)\n"
    names = sorted(p.name for p in (target / "scenarios").iterdir())
    assert names == [
        "data-breach-2.yaml",
        "data-breach.yaml",
        "executive-misconduct-2.yaml",
        "executive-misconduct.yaml",
        "hacked-account.yaml",
        "offensive-post.yaml",
        "product-recall.yaml",
        "viral-complaint.yaml",
    ]
    copy = yaml.safe_load((target / "scenarios" / "data-breach-2.yaml").read_text("utf-8"))
    assert (copy["id"], copy["title"]) == ("data-breach-2", "Customer data breach (2)")
    assert [s["id"] for s in copy["statements"]] == ["breach-notice-2", "breach-newsroom-2", "breach-email-affected-2"]
    assert invoke("check", "--strict", str(target)) == (0, "1 plan checked: no problems\n")


def test_three_scenarios_in_two_languages(tmp_path: Path) -> None:
    target = tmp_path / "plan"
    out = generate(target, "-n", "3", "--languages", "en,da")
    assert out == f"{target}: plan.yaml and 3 scenarios (en, da)\n"
    plan = yaml.safe_load((target / "plan.yaml").read_text("utf-8"))
    assert plan["plan"]["languages"] == ["en", "da"]
    # Held drills by date, then the planned one (data-breach's first drill is booked).
    assert [d["scenario"] for d in plan["drills"]] == [
        "hacked-account",
        "executive-misconduct",
        "data-breach",
    ]
    assert invoke("check", "--strict", str(target)) == (0, "1 plan checked: no problems\n")
