"""A plan without a clock reads as a sequence everywhere: steps in order (no at:, no
within:, no severity targets) are numbered 1, 2, 3 on the site, the runbook with its
quick card, the full plan and the call card, with no "T+" and no response targets the
plan never set, and the incident console gets no deadline for them. A plan that times
only some steps shows a time only where it gives one.

The case plan (tests/cases/valid/ordered-steps-no-clock) is built once: the site
without PDFs, then its one runbook and its call card as real PDFs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from crisisplan.check.pipeline import check_paths
from crisisplan.incident.drill import build_drill
from crisisplan.plan.model import Plan, in_sequence
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.pdf.documents import callcard_html, plan_parts, runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, render_each
from crisisplan.render.labels import labels_for
from crisisplan.render.views import action_views, escalation_summary, timeline
from tests.conftest import CASES, checked_plan

CASE = CASES / "valid" / "ordered-steps-no-clock" / "plan.yaml"
WORDS = labels_for("en")
# What a clock or an invented target would print, in the plan's language.
CLOCK_WORDS = ("T+", WORDS["acknowledge"], WORDS["first_statement"], WORDS["update_every"])


class _Text(HTMLParser):
    """The text a reader sees: no attributes (the console's own words travel in one)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def seen(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())




@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The case plan's site pages (HTML), its runbook and call card (PDF text) and its
    full plan (HTML), keyed by name."""
    folder = tmp_path_factory.mktemp("ordered")
    with pytest.MonkeyPatch.context() as patch:
        # Away from the repository, whose mkdocs.yml would add the project's own docs.
        patch.chdir(folder)
        result = build(BuildOptions(paths=[CASE], site_dir=folder / "site", pdf=False, cache=False))
    assert result.built, result.report.diagnostics
    plan = checked_plan(CASE)
    scenario = plan.scenarios[0]
    jobs = [PdfJob(runbook_html(plan, scenario), folder / "runbook.pdf"), PdfJob(callcard_html(plan), folder / "callcard.pdf")]
    render_each(jobs, workers=2)
    found = {
        str(page.relative_to(folder / "site")): page.read_text(encoding="utf-8")
        for page in (folder / "site").rglob("*.html")
    }
    for job in jobs:
        found[job.target.name] = "\n".join(p.extract_text() for p in PdfReader(job.target).pages)
    parts = plan_parts(plan)
    found["full-plan"] = "\n".join([parts.front, *parts.body])
    return found


def _page(published: dict[str, str], ending: str) -> str:
    return next(text for name, text in published.items() if name.endswith(ending))


def test_the_site_shows_no_clock_and_no_targets(published: dict[str, str]) -> None:
    pages = {name: seen(html) for name, html in published.items() if name.endswith(".html")}
    assert "ordered-steps-no-clock/scenarios/campus-emergency.html" in pages, sorted(pages)
    for name, text in pages.items():
        for word in CLOCK_WORDS:
            assert word not in text, (name, word)
    # The severity matrix still shows the level and who it tells, with no "within".
    matrix = next(text for name, text in pages.items() if name.endswith("about.html"))
    assert "Campus emergency" in matrix and "Chancellor" in matrix
    assert f"({WORDS['within']}" not in matrix


def test_the_scenario_page_numbers_its_steps_and_sets_no_deadline(published: dict[str, str]) -> None:
    html = _page(published, "scenarios/campus-emergency.html")
    text = seen(html)
    assert re.search(r"1\. Notify the Vice Chancellor.*2\. Tell the campus community.*3\. Brief the media.*4\. Update the public", text)
    assert re.search(r"1\. Notify: Vice Chancellor for Communications.*2\. Notify: Chancellor", text)
    # The incident console: the steps are there to tick, with no time to be late for.
    assert 'data-cp-escalation="escalation-2"' in html and 'data-cp-action="action-1"' in html
    assert "data-cp-offset-minutes" not in html
    assert not re.search(r"data-cp-[a-z-]+-minutes=", html)


def test_the_runbook_quick_card_and_full_plan_read_as_a_sequence(published: dict[str, str]) -> None:
    runbook, full = published["runbook.pdf"], seen(published["full-plan"])
    for word in CLOCK_WORDS:
        assert word not in runbook, word
        assert word not in full, word
    squashed = re.sub(r"\s+", "", runbook)
    # The quick card numbers its actions with its <ol>'s markers, which pypdf does not
    # extract; page 2's checklist writes them out.
    assert "1.NotifytheViceChancellor" in squashed and "4.Updatethepublic" in squashed
    assert f"{WORDS['tell_next']}:1.ViceChancellorforCommunications→2.Chancellor".replace(" ", "") in squashed
    assert re.search(r"1\. Notify the Vice Chancellor.*2\. Tell the campus community", full)


def test_the_call_card_shows_the_chain_without_a_clock(published: dict[str, str]) -> None:
    card = published["callcard.pdf"]
    assert "T+" not in card
    squashed = re.sub(r"\s+", "", card)
    for title in ("DirectorofNewsandMediaRelations", "ChiefofCampusPolice", "ViceChancellorforCommunications", "Chancellor"):
        assert title in squashed, title


# --- a plan that times some steps: a time only where it is given ------------------------

MIXED = """\
plan: {organisation: Example Co, owner: lead, version: "1", languages: [en]}
roles:
  - {id: lead, title: Crisis lead, primary: {name: Ana Lima, phone: "+44 20 7946 0001"}}
  - {id: legal, title: Legal counsel, primary: {name: Lee Hart, phone: "+44 20 7946 0003"}}
  - {id: ceo, title: Chief executive, primary: {name: Cam Dee, phone: "+44 20 7946 0004"}}
severity_levels:
  - {id: high, name: High, criteria: {harm: Safety}, targets: {first_statement: 1h}}
scenarios:
  - id: recall
    title: Recall
    severity: high
    worst_case: People are hurt.
    first_actions:
      - {do: Call the lead, owner: legal}
      - {do: Pause posts, owner: lead, at: 10m}
      - {do: Brief the CEO, owner: lead}
    escalation:
      - {notify: [legal]}
      - {at: 30m, notify: [ceo]}
      - {notify: [lead]}
"""


def _mixed(tmp_path: Path) -> Plan:
    path = tmp_path / "plan.yaml"
    path.write_text(MIXED, encoding="utf-8")
    # Made for its layout, not to pass every check (it has no drills): read as is.
    plan = check_paths([path]).plans[0].plan
    assert plan is not None
    return plan


def test_a_mixed_plan_numbers_every_step_and_times_only_the_timed_ones(tmp_path: Path) -> None:
    plan = _mixed(tmp_path)
    scenario = plan.scenarios[0]
    actions = action_views(plan, scenario)
    assert [(a.number, a.step.at, a.step.do) for a in actions] == [
        (1, "", "Call the lead"), (2, "10m", "Pause posts"), (3, "", "Brief the CEO"),
    ]
    items = timeline(plan, scenario, WORDS)
    assert [(i.step, i.at, i.text) for i in items] == [
        ("1.", "", "Notify: Legal counsel"),
        ("2.", "T+30m", "Notify: Chief executive"),
        ("3.", "", "Notify: Crisis lead"),
        # Only the target the level sets, and no number: it is not a step.
        ("", "T+1h", f"{WORDS['target']}: {WORDS['first_statement']}"),
    ]
    assert [i.minutes for i in items] == [None, 30, None, 60]
    assert escalation_summary(plan, scenario, WORDS) == ["1. Legal counsel", "2. T+30m: Chief executive", "3. Crisis lead"]
    card = seen(runbook_html(plan, scenario))
    assert "T+10m Pause posts" in card and "T+ " not in card.replace("T+10m", "").replace("T+30m", "")
    assert f"{WORDS['acknowledge']} " not in card


def test_steps_are_ordered_by_time_and_untimed_ones_follow_the_step_before() -> None:
    """Every step timed: sorted by time (written order where times tie), as before."""

    class Timed:
        def __init__(self, minutes: int | None) -> None:
            self.minutes = minutes

    steps = [Timed(30), Timed(10), Timed(10), Timed(60)]
    assert in_sequence(steps, lambda s: s.minutes) == [steps[1], steps[2], steps[0], steps[3]]
    untimed = [Timed(None), Timed(None), Timed(None)]
    assert in_sequence(untimed, lambda s: s.minutes) == untimed
    # An untimed step stays right after the step written before it.
    mixed = [Timed(None), Timed(30), Timed(None), Timed(10)]
    assert in_sequence(mixed, lambda s: s.minutes) == [mixed[0], mixed[3], mixed[1], mixed[2]]


def test_a_plan_on_a_clock_gets_no_numbers() -> None:
    plan = checked_plan(CASES / "valid" / "minimal" / "plan.yaml")
    scenario = plan.scenarios[0]
    assert [a.number for a in action_views(plan, scenario)] == [0]
    assert [(i.step, i.at) for i in timeline(plan, scenario, WORDS)][:2] == [("", "T+15m"), ("", "T+15m")]


def test_a_drill_of_a_plan_without_a_clock_expects_its_steps_at_no_time() -> None:
    """The drill script keeps its own pace (injects at 10:00, 10:15...), but expects
    the plan's untimed steps with no time of their own (crisisplan.incident.drill)."""
    plan = checked_plan(CASE)
    script = build_drill(plan, plan.scenarios[0])
    expected = [e for inject in script.injects for e in inject.expectations]
    assert [e.text for e in expected][:4] == [
        "Notify the Vice Chancellor for Communications",
        "Tell the campus community what to do",
        "Brief the media",
        "Update the public on the university website",
    ]
    assert not any(e.timed for e in expected)
    assert "Chief of Campus Police: Notify the Vice Chancellor for Communications" in script.checklist
    assert not any("T+" in line for line in script.checklist)
