"""The incident console's storage key and seal that each scenario page carries
(publish/site/console_keys.py; incident-log.js uses them)."""

from __future__ import annotations

import re
from pathlib import Path

from crisisplan.plan.model import Plan
from crisisplan.publish.site.console_keys import plan_key, plan_seal
from tests.conftest import CASES, checked_plan

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"


def plan_in(folder: Path, replace: tuple[str, str] = ("", "")) -> Plan:
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(MINIMAL.read_text().replace(*replace))
    return checked_plan(folder / "plan.yaml")


def test_the_key_is_the_same_wherever_the_plan_is_built(tmp_path: Path) -> None:
    here, there = plan_in(tmp_path / "a"), plan_in(tmp_path / "b" / "c")
    assert plan_key(here, "plan", False) == plan_key(there, "plan", False)
    assert re.fullmatch(r"[0-9a-f]{32}", plan_key(here, "plan", False))


def test_plans_with_the_same_ids_keep_apart(tmp_path: Path) -> None:
    ours = plan_in(tmp_path / "ours")
    theirs = plan_in(tmp_path / "theirs", ("organisation: Example Co", "organisation: Other Co"))
    keys = {plan_key(ours, "plan", False), plan_key(theirs, "plan", False), plan_key(ours, "plan", True)}
    assert len(keys) == 3  # another organisation, and the public edition, each have their own


def test_the_seal_changes_with_a_contact_and_only_then(tmp_path: Path) -> None:
    plan = plan_in(tmp_path / "one")
    same = plan_in(tmp_path / "two", ("Pause scheduled posts", "Pause every scheduled post"))
    moved = plan_in(tmp_path / "three", ("+44 20 7946 0001", "+44 20 7946 0009"))
    key = plan_key(plan, "plan", False)
    assert plan_seal(plan, key) == plan_seal(same, key) != plan_seal(moved, key)
    assert plan_seal(plan, key) != key


def test_each_scenario_page_carries_its_plans_key_and_seal(example_site: Path) -> None:
    html = (example_site / "brightbrew" / "scenarios" / "hacked-account.html").read_text()
    key = re.search(r'data-cp-plan-key="([0-9a-f]{32})"', html)
    seal = re.search(r'data-cp-plan-seal="([0-9a-f]{32})"', html)
    assert key and seal and key.group(1) != seal.group(1)
    other = (example_site / "kodmuda" / "scenarios").glob("*.html")
    assert all(key.group(1) not in page.read_text() for page in other)


