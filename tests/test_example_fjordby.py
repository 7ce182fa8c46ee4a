"""The fourth example, plans/fjordby: a Danish municipality's plan in the shape real
institutional plans have (issue 18). Roles held by positions with no named person and
no invented deputy, a spokesperson named during the crisis by the crisis management
team, activation, media inquiries, emergency lines, go-betweens, audiences in the
plan's own words, and a chain in order with no clock anywhere: no at:, within:,
targets:, every: or since:. The pages come from the shared example build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from crisisplan.plan.model import Plan, Statement
from tests.conftest import ROOT, checked_plan

FOLDER = ROOT / "plans" / "fjordby"
SCENARIOS = ("cyberangreb", "doedsulykke", "forurenet-drikkevand", "vildledende-opslag")
# Keys that set a clock; this plan sets none.
CLOCK_KEYS = {"at", "within", "targets", "every", "since", "deadline"}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return checked_plan(FOLDER)


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_the_plan_sets_no_clock_anywhere() -> None:
    yaml = YAML(typ="safe")
    for path in [FOLDER / "plan.yaml", *sorted((FOLDER / "scenarios").glob("*.yaml"))]:
        found = CLOCK_KEYS & set(_keys(yaml.load(path)))
        assert not found, f"{path.name} sets a time: {sorted(found)}"


def test_roles_are_held_by_positions_with_no_invented_deputy(plan: Plan) -> None:
    assert plan.languages == ["da", "en"]
    for role in plan.roles:
        assert role.deputies == [], role.id
        assert not role.needs_deputy, role.id
        if role.primary is not None:
            assert not role.primary.named and role.primary.position, role.id
    named_during_the_crisis = {role.id: role.named_by for role in plan.roles if role.named_by}
    assert named_during_the_crisis == {"talsperson": "krisestab", "logfoerer": "krisestab"}
    through = {
        role.id: role.primary.through
        for role in plan.roles
        if role.primary and role.primary.through
    }
    assert through["institutionsleder"] == "fagdirektoer" and through["it-chef"] == "it-driftsvagt"


def test_a_body_above_the_team_activates_decides_and_approves(plan: Plan) -> None:
    assert [body.id for body in plan.deciding_bodies()] == ["kommunaldirektoer", "krisestab"]
    assert plan.activation is not None and plan.activation.by == ["kommunaldirektoer"]
    assert plan.activation.after and plan.activation.when
    approvers = {
        s.approved_by
        for scenario in plan.scenarios
        for s in scenario.statements
        if isinstance(s, Statement)
    }
    assert "krisestab" in approvers
    for scenario in plan.scenarios:
        assert plan.activation_of(scenario) is not None, scenario.id
        assert scenario.stand_down is not None, scenario.id


def test_media_inquiries_and_emergency_lines(plan: Plan) -> None:
    assert plan.media_inquiries is not None
    assert plan.media_inquiries.to == "pressevagt" and plan.media_inquiries.tel
    assert [line.number for line in plan.emergency][:2] == ["112", "114"]
    assert all(line.tel for line in plan.emergency)


def test_next_of_kin_come_first_and_the_press_after_the_council(plan: Plan) -> None:
    accident = next(s for s in plan.scenarios if s.id == "doedsulykke")
    order = [a.audience for a in accident.audiences]
    assert order[0] == "families"
    assert order.index("elected-officials") < order.index("press")
    water = next(s for s in plan.scenarios if s.id == "forurenet-drikkevand")
    regulator = next(a for a in water.audiences if a.audience == "regulators")
    card = plan.contact(regulator.contact)
    assert card is not None and card.kind == "regulator"


def test_statements_are_approved_or_with_someone_and_customer_error_is_a_rule(plan: Plan) -> None:
    assert sorted(s.id for s in plan.scenarios) == sorted(SCENARIOS)
    for scenario in plan.scenarios:
        for statement in scenario.statements:
            assert isinstance(statement, Statement)
            assert statement.status in ("approved", "in-review"), statement.id
            if statement.status == "in-review":
                assert statement.review_with and not statement.review_since, statement.id
    assert "customer_error" in plan.response_rules


@pytest.mark.parametrize("edition", ["", "en/"])
def test_pages_read_as_a_sequence_with_the_lines_on_top(example_site: Path, edition: str) -> None:
    folder = example_site / edition / "fjordby"
    pages = [folder / "index.html", folder / "team.html"]
    pages += [folder / "scenarios" / f"{name}.html" for name in SCENARIOS]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"T\+\d", html), page
        assert 'href="tel:112"' in html, page
        assert 'href="tel:+4599401010"' in html, page
    scenario = (folder / "scenarios" / "doedsulykke.html").read_text(encoding="utf-8")
    # The emergency lines and the media rule come before the first action.
    first_action = "Ring 112, og sørg for" if not edition else "Call 112, and make sure"
    assert (
        scenario.index('href="tel:112"')
        < scenario.index('href="tel:+4599401010"')
        < scenario.index(first_action)
    )
