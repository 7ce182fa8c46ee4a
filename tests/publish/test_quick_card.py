"""The quick card, page 1 of every scenario's runbook PDF: it names every role the
scenario's first actions and escalation name, each with a number, and stays one page.

Real PDFs, rendered by WeasyPrint and read back with pypdf, for every scenario of
every example plan in each of its languages, and for a plan with many roles
(tests/quick_card/many-roles) that needs the densest layout and an overflow card.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from crisisplan.plan.model import Plan, Role, Scenario
from crisisplan.publish.options import BuildResult
from crisisplan.publish.pdf.documents import runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, render_each
from crisisplan.render.labels import labels_for
from crisisplan.render.views import phone_lines, reachable, roles_named
from tests.conftest import ROOT, TESTS, checked_plan

MANY_ROLES = TESTS / "quick_card" / "many-roles"


def squash(text: str) -> str:
    """Text without any whitespace: pypdf breaks lines where the PDF does ("Undang-
    undang", a name over its number), and the test is about what is printed."""
    return re.sub(r"\s+", "", text)




def named_in_actions_and_escalation(plan: Plan, scenario: Scenario) -> list[Role]:
    """Worked out here from the plan itself, not from views.roles_named."""
    ids = [step.owner for step in plan.actions_of(scenario)]
    for step in scenario.escalation:
        ids += [step.by, *step.notify, step.hand_over_to]
    return [role for i in dict.fromkeys(ids) if i and (role := plan.role(i))]


def render(tmp_path: Path, cards: list[tuple[str, Plan, Scenario]], paper: str = "a4") -> dict[str, list[str]]:
    jobs = [PdfJob(runbook_html(plan, scenario, paper), tmp_path / f"{name}.pdf") for name, plan, scenario in cards]
    render_each(jobs, workers=2)
    return {name: [page.extract_text() for page in PdfReader(tmp_path / f"{name}.pdf").pages] for name, _, _ in cards}


Cards = list[tuple[str, Plan, Scenario]]


@pytest.fixture(scope="module")
def examples(example_build: tuple[Path, BuildResult]) -> tuple[Cards, dict[str, list[str]]]:
    """Every scenario of every example plan, in the plan's own language (English,
    Indonesian, Malay): the runbooks (runbook_html on A4) of the suite's shared build
    of the examples (conftest.py), whose root edition shows each plan in its own
    language."""
    site, _ = example_build
    cards: Cards = []
    pages: dict[str, list[str]] = {}
    for path in (ROOT / "plans" / "brightbrew", ROOT / "plans" / "segarkita.yaml", ROOT / "plans" / "kodmuda", ROOT / "plans" / "fjordby"):
        plan = checked_plan(path)
        for s in plan.scenarios:
            name = f"{path.stem}-{s.id}"
            cards.append((name, plan, s))
            pdf = PdfReader(site / "pdf" / path.stem / f"{s.id}.pdf")
            pages[name] = [page.extract_text() for page in pdf.pages]
    return cards, pages


def test_every_example_quick_card_names_every_role_with_a_number_on_one_page(examples: tuple[Cards, dict[str, list[str]]]) -> None:
    cards, pages = examples
    assert len(cards) == 6 + 3 + 3 + 4
    for name, plan, scenario in cards:
        words = labels_for(plan.default_language)
        first, second = squash(pages[name][0]), squash(pages[name][1])
        assert squash(words["quick_card"].upper()) in first.upper(), name
        # Page 1 is the quick card, whole: the next page opens the scenario itself.
        assert second.startswith(squash(scenario.title)), (name, pages[name][1][:200])
        for role in named_in_actions_and_escalation(plan, scenario):
            assert squash(role.title) in first, (name, role.title)
            if role.primary is None:
                # Named during the crisis (fjordby's spokesperson): who names them.
                assert role.named_by, (name, role.title)
                assert squash(words["named_during_crisis"].format(body=plan.party_title(role.named_by))) in first, (name, role.title)
                continue
            # A position reached through the switchboard has the switchboard's number.
            lines = phone_lines(plan, role.primary, words)
            number = lines[0].phone if lines else reachable(role.primary)
            assert number and squash(number) in first, (name, role.title)
            for deputy in role.deputies[:1]:
                assert squash(reachable(deputy)) in first, (name, deputy.name)
        # Version and review date on the card and in every page's footer.
        stamp = squash(words["printed_stamp"].format(version=plan.version, date=words.format_date(plan.last_reviewed)))
        for page in pages[name]:
            assert stamp in squash(page), name


def test_hacked_account_card_names_legal_and_the_spokesperson_and_summarises_escalation(examples: tuple[Cards, dict[str, list[str]]]) -> None:
    first = examples[1]["brightbrew-hacked-account"][0]
    for text in ("Legal counsel", "Helen Marsh", "+44 7700 900110", "Spokesperson", "Priya Nair", "+44 7700 900103"):
        assert text in first
    assert "Printed copies go out of date: check the date" in first
    assert "Version 4.1, last reviewed 15 October 2026." in first
    one_line = squash(
        "Then tell: T+10m: Crisis lead, IT security lead → T+30m: Executive sponsor, Legal counsel, "
        "Spokesperson → T+2h: Legal counsel (if customer data or money may have been taken)"
    )
    assert one_line in squash(first)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_plan_with_many_roles_keeps_the_card_to_one_page_with_an_overflow_card(tmp_path: Path, paper: str) -> None:
    plan = checked_plan(MANY_ROLES)
    assert len(plan.roles) == 24
    # The crowded scenario on both papers; the other only on A4.
    cards = [(s.id, plan, s) for s in plan.scenarios if paper == "a4" or s.id == "contamination"]
    pages = render(tmp_path, cards, paper)

    # Every role is named on page 1, even when not every number fits there.
    crowded = plan.scenario("contamination")
    assert crowded is not None
    first, second, third = (squash(p) for p in pages["contamination"][:3])
    roles = named_in_actions_and_escalation(plan, crowded)
    assert len(roles) == 24
    for role in roles:
        assert squash(role.title) in first, role.title
    assert squash("Also call (numbers on the next page):") in first
    # Each role's numbers are on page 1 or on the overflow card, page 2...
    on_first = [r for r in roles if squash(reachable(r.people[0])) in first]
    overflow = [r for r in roles if r not in on_first]
    assert on_first and overflow
    assert second.startswith(squash("QUICK CARD · Northwind Provisions".upper()))
    assert squash("Who to call, continued") in second
    for role in roles:
        for person in role.people:
            assert squash(person.phone) in (first if role in on_first else second), (role.title, person.name)
    # ...and page 3 opens the scenario.
    assert third.startswith(squash(crowded.title))

    if paper != "a4":
        return
    # With 14 roles the denser grid holds them all on page 1: no overflow card.
    roomy = plan.scenario("warehouse-fire")
    assert roomy is not None
    first, second = (squash(p) for p in pages["warehouse-fire"][:2])
    for role in named_in_actions_and_escalation(plan, roomy):
        for person in role.people:
            assert squash(person.phone) in first, (role.title, person.name)
    assert squash("Who to call, continued") not in second
    assert second.startswith(squash(roomy.title))


def test_roles_named_lists_each_role_once_lead_first() -> None:
    plan = checked_plan(ROOT / "plans" / "brightbrew")
    scenario = plan.scenario("hacked-account")
    assert scenario is not None
    assert [r.id for r in roles_named(plan, scenario)] == [
        "crisis-lead", "security-lead", "social-lead", "scribe", "community-manager", "exec-sponsor", "legal", "spokesperson",
    ]  # fmt: skip
