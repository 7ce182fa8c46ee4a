"""Plan -> the HTML of the PDF runbooks, which publish.pdf.weasy renders.

Each scenario gets a short runbook whose first page is a quick card (first actions,
who to call, the main holding statement); each plan gets a full PDF, composed from
parts, and a wallet-size call card.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from markupsafe import Markup

from crisisplan.plan.model import Plan, Scenario
from crisisplan.render.labels import labels_for
from crisisplan.render.templating import environment
from crisisplan.render.views import (
    QuickCard,
    call_tree,
    quick_card,
    reachable,
    statement_views,
    text_lines,
    timeline,
    who_to_call,
)

PAPER = {"a4": "A4", "letter": "letter"}


def _scenario_context(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    words = labels_for(plan.default_language)
    return {
        "scenario": scenario,
        "level": plan.severity(scenario.severity),
        "steps": plan.actions_of(scenario),
        "callers": who_to_call(plan, scenario),
        "statements": statement_views(plan, scenario),
        "timeline": timeline(plan, scenario, words),
        "rules": plan.response_rules_of(scenario),
        "moderation": plan.moderation_of(scenario),
        "review": plan.review_of(scenario),
    }


def stylesheet() -> Markup:
    # Our own stylesheet, inserted into <style> as is.
    return Markup(resources.files("crisisplan").joinpath("templates/pdf/pdf.css").read_text("utf-8"))  # noqa: S704


def runbook_html(plan: Plan, scenario: Scenario, paper: str = "a4", public: bool = False) -> str:
    return environment().get_template("pdf/runbook.html.j2").render(
        plan=plan,
        w=labels_for(plan.default_language),
        title=f"{scenario.title} ({plan.organisation})",
        paper=PAPER[paper],
        css=stylesheet(),
        public=public,
        card=_quick_card(plan, scenario, paper, public),
        **_scenario_context(plan, scenario),
    )


@dataclass(frozen=True)
class PlanParts:
    """The full plan as separately rendered parts (see pdfcompose): no part holds
    every scenario, so memory stays bounded and the parts share the cores."""

    front: str  # cover and contents, with page-number slots
    body: tuple[str, ...]  # each scenario, then the appendices
    numbers: str  # blank pages carrying only "page x of y"
    # A blank page with a part's header and footer: a scenario's part is cut from its
    # runbook's layout (pdf.weasy.PlanPart) and given these instead of the runbook's.
    frame: str


def plan_parts(plan: Plan, paper: str = "a4", public: bool = False) -> PlanParts:
    from crisisplan.publish.pdf.compose import slot

    template = environment().get_template
    common = {"plan": plan, "w": labels_for(plan.default_language), "title": plan.name, "paper": PAPER[paper], "css": stylesheet(), "public": public}
    scenarios = [_scenario_context(plan, s) for s in plan.scenarios]
    front = template("pdf/plan_front.html.j2").render(
        **common, layer="part", lead=plan.crisis_lead(), scenario_pages=scenarios, slot=slot
    )
    body = [template("pdf/plan_scenario.html.j2").render(**common, layer="part", **context) for context in scenarios]
    body.append(template("pdf/plan_appendix.html.j2").render(**common, layer="part"))
    numbers = template("pdf/plan_numbers.html.j2").render(**common, layer="numbers")
    # The numbers document as a part: one blank page with the header and footer alone.
    frame = template("pdf/plan_numbers.html.j2").render(**common, layer="part")
    return PlanParts(front, tuple(body), numbers, frame)


# --- the quick card's layout and the wallet-size call card ------------------------------


def _quick_card(plan: Plan, scenario: Scenario, paper: str, public: bool) -> QuickCard:
    statements = statement_views(plan, scenario)
    main = statements[0].variants[0].text if statements and statements[0].variants else None
    return quick_card(plan, scenario, labels_for(plan.default_language), paper, public, main)


# An ID-1 card (ISO/IEC 7810: a bank card) is 85.60 x 53.98 mm. Inside a panel's
# 2.5 mm x 3 mm padding that leaves 139 x 225 pt for text.
_PANEL_PT = (225.0, 139.0)


def _panels(plan: Plan, public: bool, words: dict[str, str]) -> list[list[Any]]:
    """The call tree cut into card-size panels, by an estimate of each entry's lines
    at the call card's type sizes (pdf.css, .cc-*); the first panel also holds the
    card's title, how to use it and its date. tests/publish/test_callcard.py checks on the
    rendered PDF that no panel overflows."""
    width, height = _PANEL_PT
    nodes = call_tree(plan)
    room = height - 4
    used = 11.0 + 14 + text_lines(words["call_card_howto"], width, 6.5) * 8.0 + 3
    used += text_lines(words["printed_stamp"] + plan.version + plan.last_reviewed, width, 6) * 7.4 + 3
    panels: list[list[Any]] = [[]]
    for node in nodes:
        indent = 8.0 * min(node.depth, 3)
        lines = text_lines(f"{node.number} {node.role.title}", width - indent, 7.5, 0.62) * 9.2
        for person in node.role.people[:3]:
            lines += text_lines(f"{person.name}  {reachable(person)}", width - indent - 8, 7, 0.58) * 8.6
        entry = lines + 3
        if used + entry > room and panels[-1]:
            panels.append([])
            used = 0.0
        panels[-1].append(node)
        used += entry
    if public:
        points = [p for p in plan.contact_points if p.public]
        if points:
            panels.append(points)
    return panels


def callcard_html(plan: Plan, paper: str = "a4", public: bool = False) -> str:
    """The plan's call tree as a wallet-size call card: bank-card panels on an A4 or
    letter sheet, to print at 100%, cut out as one strip and fold."""
    words = labels_for(plan.default_language)
    panels = _panels(plan, public, words)
    return environment().get_template("pdf/callcard.html.j2").render(
        plan=plan,
        w=words,
        title=f"{words['call_card']} ({plan.organisation})",
        paper=PAPER[paper],
        css=stylesheet(),
        public=public,
        panels=panels,
        # Four panels (216 mm) fit the height inside the margins of A4 and letter alike.
        strips=[panels[i : i + 4] for i in range(0, len(panels), 4)],
    )
