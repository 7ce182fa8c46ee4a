"""The wallet-size call card: the plan's call tree (who calls whom, primary then
deputy, with numbers) in bank-card panels on one printable sheet, in the plan's
language. Rendered for real with WeasyPrint; read back with pypdf, and the layout
itself checked so that no panel's text runs past the card's edge."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from crisisplan.publish.pdf.documents import callcard_html
from crisisplan.publish.pdf.weasy import PdfJob, layout, render_each
from crisisplan.render.labels import labels_for
from crisisplan.render.views import call_tree, reachable
from tests.conftest import ROOT, TESTS, checked_plan

MANY_ROLES = TESTS / "quick_card" / "many-roles"
PLANS = {
    "brightbrew": ROOT / "plans" / "brightbrew",
    "segarkita": ROOT / "plans" / "segarkita.yaml",
    "kodmuda": ROOT / "plans" / "kodmuda",
    "many-roles": MANY_ROLES,
}
PX_PER_MM = 96 / 25.4  # WeasyPrint lays out in CSS pixels


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)




@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    folder = tmp_path_factory.mktemp("callcards")
    jobs = [PdfJob(callcard_html(checked_plan(path)), folder / f"{name}-call-card.pdf") for name, path in PLANS.items()]
    jobs.append(PdfJob(callcard_html(checked_plan(MANY_ROLES), "letter"), folder / "many-roles-letter.pdf"))
    render_each(jobs, workers=2)
    return {job.target.stem.removesuffix("-call-card"): PdfReader(job.target) for job in jobs}


@pytest.mark.parametrize("name", [*PLANS, "many-roles-letter"])
def test_one_sheet_holds_every_role_and_number_in_the_plans_language(cards: dict[str, PdfReader], name: str) -> None:
    plan = checked_plan(PLANS[name.removesuffix("-letter")])
    reader = cards[name]
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    words = labels_for(plan.default_language)
    assert squash(words["call_card"]) in text
    assert squash(words["call_card_howto"]) in text
    assert squash(words["printed_stamp"].format(version=plan.version, date=words.format_date(plan.last_reviewed))) in text
    for role in plan.roles:
        assert squash(role.title) in text, role.title
        for person in role.people:
            assert squash(person.name) in text and squash(reachable(person)) in text, person.name


def test_the_card_speaks_the_plans_language(cards: dict[str, PdfReader]) -> None:
    assert "Kartu telepon darurat" in cards["segarkita"].pages[0].extract_text()
    assert "Kad panggilan kecemasan" in cards["kodmuda"].pages[0].extract_text()
    assert "Hubungi yang utama dahulu, kemudian penggantinya." in cards["kodmuda"].pages[0].extract_text()


def test_the_tree_says_who_calls_whom_primary_then_deputy(cards: dict[str, PdfReader]) -> None:
    text = cards["brightbrew"].pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    # The lead is 1; the social lead, told by the lead, is 1.1; the IT security lead,
    # whom the social lead calls when an account is hacked, is 1.1.1.
    assert "1 Crisis lead" in lines and "1.1 Social media lead" in lines and "1.1.1 IT security lead" in lines
    lead = lines.index("1 Crisis lead")
    assert lines[lead + 1 : lead + 3] == ["Maya Okafor +44 7700 900101", "Tom Reilly +44 7700 900102"]
    links = {a.get_object()["/A"].get("/URI") for a in cards["brightbrew"].pages[0].get("/Annots", [])}
    assert "tel:+447700900101" in links and "tel:+447700900102" in links


def test_call_tree_places_each_role_once_under_the_caller_nearest_the_lead() -> None:
    plan = checked_plan(PLANS["brightbrew"])
    tree = call_tree(plan)
    assert [(n.number, n.role.id, n.caller.id if n.caller else None) for n in tree] == [
        ("1", "crisis-lead", None),
        ("1.1", "social-lead", "crisis-lead"),
        ("1.1.1", "security-lead", "social-lead"),
        ("1.2", "exec-sponsor", "crisis-lead"),
        ("1.3", "spokesperson", "crisis-lead"),
        ("1.4", "legal", "crisis-lead"),
        ("1.5", "customer-care-lead", "crisis-lead"),
        ("1.6", "community-manager", "crisis-lead"),
        ("1.7", "scribe", "crisis-lead"),
    ]


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


# Plans whose holders are positions reached through a switchboard, with emergency lines
# and a media rule on a front panel: longer lines than a name and a number.
POSITIONS = {
    "positions-chain-command": TESTS / "cases" / "valid" / "positions-chain-command" / "plan.yaml",
    "fjordby": ROOT / "plans" / "fjordby",
}


@pytest.mark.parametrize(
    ("name", "paper"),
    [(name, paper) for name in ("kodmuda", "many-roles") for paper in ("a4", "letter")]
    + [(name, "a4") for name in POSITIONS],
)
def test_every_panel_is_bank_card_size_and_its_text_stays_inside(name: str, paper: str) -> None:
    document = layout(callcard_html(checked_plan({**PLANS, **POSITIONS}[name]), paper))
    panels = [
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if type(box).__name__ == "BlockBox" and "cc-panel" in (box.element.get("class") or "").split()
    ]
    assert len(panels) >= 2
    for panel in panels:
        # ISO/IEC 7810 ID-1: 85.60 x 53.98 mm.
        assert round(panel.border_width() / PX_PER_MM, 1) == 85.6
        assert round(panel.border_height() / PX_PER_MM, 1) == 54.0
        bottom = max(child.position_y + child.margin_height() for child in panel.children)
        assert bottom <= panel.content_box_y() + panel.height + 0.5
