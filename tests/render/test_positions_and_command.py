"""What readers see of the shapes real plans have (issue 18): a role held by a position
"(or designee)", a role named during the crisis by the body above the team, a holder
reached through a switchboard, who decides (kind: command) first, activation before
"Do now", where media inquiries go, emergency lines on top of every page, purpose and
principles, audiences in the plan's own words and in order, the customer's own
mistake: on the site (both languages), the runbook's quick card, the full plan's first
page and the call card, and in the public edition.

The case plan (tests/cases/valid/positions-chain-command) is built once without PDFs;
the PDFs are checked in the HTML they are made from. A variant written here adds the
shapes the Danish plan distorted: a holder reached only through reach: lines, a rota
watching, a shift's member with no role, and a decision leading to a statement.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from crisisplan.plan.model import Plan
from crisisplan.plan.public import public_edition
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.pdf.documents import callcard_html, plan_parts, runbook_html
from crisisplan.render.labels import labels_for
from crisisplan.render.views import holder_text, party_lines, phone_lines
from tests.conftest import CASES, checked_plan
from tests.render.test_ordered_steps import seen

CASE = CASES / "valid" / "positions-chain-command" / "plan.yaml"
SLUG = "positions-chain-command"  # the plan's folder names its pages
DA, EN = labels_for("da"), labels_for("en")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case plan's site (Danish at the root, English under en/)."""
    folder = tmp_path_factory.mktemp("positions")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)  # away from the repository's mkdocs.yml
        result = build(BuildOptions(paths=[CASE], site_dir=folder / "site", pdf=False, cache=False))
    assert result.built, result.report.diagnostics
    return folder / "site"


def _pages(site: Path) -> dict[str, str]:
    return {
        str(page.relative_to(site)): page.read_text(encoding="utf-8")
        for page in site.rglob("*.html")
        if SLUG in page.parts
    }


def content(html: str) -> str:
    """The text of a page's own content, without the navigation before it."""
    return seen(html[html.index('<article class="md-content__inner') :])


def _card(html: str) -> str:
    """The text of a runbook's quick card (page 1)."""
    return seen(html[html.index('<section class="quick-card"') : html.index('<section class="scenario"')])


def _scenario(site: Path, edition: str) -> str:
    return (site / edition / SLUG / "scenarios" / "vandforurening.html").read_text(encoding="utf-8")


def test_every_page_opens_with_the_emergency_lines_a_tap_dials(site: Path) -> None:
    pages = _pages(site)
    assert len(pages) >= 10, sorted(pages)
    for name, html in pages.items():
        text = seen(html)
        # Before the page's own heading: the first thing on the page after the languages.
        assert 'href="tel:112"' in html and 'href="tel:+4570102030"' in html, name
        assert html.index('href="tel:112"') < html.index("<h1"), name
        words = DA if not name.startswith("en/") else EN
        assert words["emergency_lines"] in text, name
    # The name already holds the number: "Alarm 112", not "Alarm 112 112".
    assert "112 112" not in seen(_scenario(site, ""))


@pytest.mark.parametrize(("edition", "words"), [("", DA), ("en", EN)])
def test_the_scenario_says_media_activation_and_who_to_tell_before_the_actions(site: Path, edition: str, words: dict[str, str]) -> None:
    html = _scenario(site, edition)
    text = seen(html)
    desk = "Kommunikationschef" if words is DA else "Head of Communications"
    media = words["media_go_to"].format(who=desk)
    activation = words["activated_by"]
    first_action = "Kriseledelsen aktiverer planen" if words is DA else "The crisis management team activates the plan"
    assert text.index(media) < text.index(activation) < text.index(words["tell_next"]) < text.index(first_action)
    # The media desk's number, the rule for everyone else, the assessment and trigger.
    assert re.search(re.escape(media) + r" \+45 70 10 20 50", text)
    rule = "Alle andre henviser journalister" if words is DA else "Everyone else refers journalists"
    assert rule in text and f"{words['everyone_else']}: {rule}" not in text  # never said twice
    assert f"{words['activation_after']}: " in text and f"{words['activation_when']}: " in text
    body = "Kriseledelsen" if words is DA else "Crisis management team"
    assert re.search(re.escape(activation) + r": " + body + r" \+45 70 10 20 40", text)
    # No clock the plan did not set, no deputy it does not have.
    assert "T+" not in text and words["deputy"] not in text


@pytest.mark.parametrize(("edition", "words"), [("", DA), ("en", EN)])
def test_positions_show_where_a_name_would_be_and_go_betweens_give_their_number(site: Path, edition: str, words: dict[str, str]) -> None:
    text = seen(_scenario(site, edition))
    designee = words["or_designee"]
    office = "Kommunikationsafdelingen" if words is DA else "Communications department"
    # The Head of Communications is a position in an office: "(or designee)", no name.
    assert f"{office} {designee} +45 70 10 20 50" in text
    # The operations lead is reached through the switchboard: its number, "via" it.
    switchboard = "Omstillingen" if words is DA else "Switchboard"
    lead = "Driftsleder" if words is DA else "Operations lead"
    assert re.search(re.escape(f"{lead} {designee} +45 70 10 20 00 ") + re.escape(words["reached_via"].format(who=switchboard)), text)


@pytest.mark.parametrize(("edition", "words"), [("", DA), ("en", EN)])
def test_the_team_page_puts_who_decides_first_and_names_the_spokesperson_then(site: Path, edition: str, words: dict[str, str]) -> None:
    text = content((site / edition / SLUG / "team.html").read_text(encoding="utf-8"))
    body = "Kriseledelsen" if words is DA else "Crisis management team"
    head = "Kommunikationschef" if words is DA else "Head of Communications"
    assert text.index(words["who_decides"]) < text.index(body) < text.index(head)
    # The body is not pushed down among the outsiders.
    assert body not in text[text.index(words["outside_team"]) :]
    member = "Borgmester" if words is DA else "Mayor"
    decision = "Udpeger talsperson" if words is DA else "Names the spokesperson"
    assert f"{words['members']}: " in text and member in text and decision in text
    # Named during the crisis, and handed over later: no empty holder, no deputy line.
    assert words["named_during_crisis"].format(body=body) in text
    handover = "Til kommunikationschefen" if words is DA else "To the Head of Communications"
    assert f"{words['handover']}: {handover}" in text
    assert words["deputy"] not in text and words["primary"] not in text
    # A shift's member who holds no role: name, position and number.
    officer = "Kommunikationsmedarbejder" if words is DA else "Communications officer"
    assert f"Jonas Berg, {officer} +45 20 30 40 50" in text


@pytest.mark.parametrize(("edition", "words"), [("", DA), ("en", EN)])
def test_the_start_page_has_purpose_principles_questions_and_the_media_rule(site: Path, edition: str, words: dict[str, str]) -> None:
    text = seen((site / edition / SLUG / "index.html").read_text(encoding="utf-8"))
    for label in ("purpose", "principles", "fact_questions", "activation"):
        assert words[label] in text, label
    safety = "Sikkerhed først" if words is DA else "Safety first"
    question = "Er nogen kommet til skade?" if words is DA else "Is anyone hurt?"
    assert safety in text and question in text
    assert words["media_go_to"].format(who="Kommunikationschef" if words is DA else "Head of Communications") in text


@pytest.mark.parametrize(("edition", "words"), [("", DA), ("en", EN)])
def test_audiences_in_the_plans_words_in_order_and_the_customers_mistake(site: Path, edition: str, words: dict[str, str]) -> None:
    html = _scenario(site, edition)
    text = seen(html)
    # Danish has one word for both: "Pårørende" is said once.
    kin, volunteers = ("Pårørende", "Frivillige") if words is DA else ("Next of kin Families and next of kin", "Volunteers")
    # No times: an order, 1 -> 5, the plan's own word first, the kind under it.
    assert re.search(
        rf"1\. {re.escape(words['audience_affected_people'])}.*2\. {kin} .*3\. "
        rf"{re.escape(words['audience_elected_officials'])}.*4\. {volunteers}.*5\. Sydsjællands Politi \+45 33 14 14 48",
        text,
    )
    assert "Pårørende Pårørende" not in text
    assert words["audience_other"] not in text  # 'other' with a name says only the name
    assert 'href="#contact-politi"' in html and 'id="contact-politi"' in html
    assert words["customer_error"] in text


def test_the_quick_card_and_full_plan_show_the_lines_the_activation_and_no_deputy_column() -> None:
    plan = checked_plan(CASE)
    scenario = plan.scenarios[0]
    card = _card(runbook_html(plan, scenario))
    assert card.index(DA["emergency_lines"]) < card.index(scenario.title) < card.index(DA["activated_by"]) < card.index(DA["first_actions"])
    assert "Alarm 112" in card and "+45 70 10 20 30" in card
    assert DA["media_go_to"].format(who="Kommunikationschef") + " +45 70 10 20 50" in card
    # Positions where the names would be, the switchboard's number, and the deciding
    # body and the mayor (reached through the switchboard) with theirs.
    assert f"Kommunikationsafdelingen {DA['or_designee']} +45 70 10 20 50" in card
    assert f"+45 70 10 20 00 {DA['reached_via'].format(who='Omstillingen')}" in card
    assert "Kriseledelsen +45 70 10 20 40" in card and "Mette Holm (Borgmester) +45 70 10 20 00" in card
    assert DA["deputy"] not in card and DA["primary"] not in card and "T+" not in card
    front = seen(plan_parts(plan).front)
    for label in ("emergency_lines", "purpose", "principles", "fact_questions", "activated_by"):
        assert DA[label] in front, label
    assert DA["media_go_to"].format(who="Kommunikationschef") in front


def test_the_call_card_has_a_front_panel_with_the_lines_and_the_media_rule() -> None:
    plan = checked_plan(CASE)
    html = callcard_html(plan)
    panels = html.split('<div class="cc-panel">')[1:]
    front, tree = seen(panels[0]), seen(panels[1])
    assert DA["emergency_lines"] in front and "Alarm 112" in front and "+45 70 10 20 30" in front
    assert DA["media_go_to"].format(who="Kommunikationschef") + " +45 70 10 20 50" in front
    assert 'href="tel:112"' in panels[0]
    # The tree: a position "(or designee)", a role named during the crisis, a go-between.
    assert f"Kommunikationsafdelingen {DA['or_designee']} +45 70 10 20 50" in tree
    assert DA["named_during_crisis"].format(body="Kriseledelsen") in tree
    assert f"+45 70 10 20 00 {DA['reached_via'].format(who='Omstillingen')}" in tree
    # No role has a deputy: the card does not say to call one.
    assert DA["call_card_howto_chain"] in tree and DA["call_card_howto"] not in seen(html)


# --- the Danish plan's distortions, in a variant of the case plan ---------------------------


def _variant(folder: Path) -> Path:
    """The case plan with a holder reached only through reach: lines, a rota that
    watches, and a decision whose option leads to a statement."""
    yaml = YAML()
    data: Any = yaml.load(CASE.read_text(encoding="utf-8"))
    data["roles"].append({
        "id": "presse",
        "title": {"da": "Presseansvarlig", "en": "Press officer"},
        "primary": {
            "name": "Sara Lund",
            "email": "sara@nordby.example",
            "reach": [
                {"phone": "+45 70 10 20 60", "when": "weekdays"},
                {"phone": "+45 20 10 20 60", "when": "weekends"},
            ],
        },
        "deputies": [{"name": "Ole Dahl", "phone": "+45 20 10 20 61"}],
    })
    data["monitoring"] = {"watchers": [{"rota": "presse-vagt"}]}
    scenario = data["scenarios"][0]
    scenario["first_actions"].insert(0, {
        "do": {"da": "Beslut, om vi går ud nu", "en": "Decide whether to speak now"},
        "owner": "presse",
        "options": [
            {"option": {"da": "Ja", "en": "Yes"}, "statement": "kog-vandet"},
            {"option": {"da": "Nej", "en": "No"}, "then": {"da": "Vent på prøverne", "en": "Wait for the samples"}},
        ],
    })
    scenario["escalation"].insert(0, {"by": "presse", "notify": ["borgmester"]})
    scenario["statements"][0]["title"] = {"da": "Kog vandet", "en": "Boil the water"}
    target = folder / "nordby" / "plan.yaml"
    target.parent.mkdir()
    with target.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return target


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    folder = tmp_path_factory.mktemp("variant")
    source = _variant(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        internal = build(BuildOptions(paths=[source], site_dir=folder / "site", pdf=False, cache=False))
        public = build(BuildOptions(paths=[source], site_dir=folder / "public", pdf=False, cache=False, public=True))
    assert internal.built and public.built, (internal.report.diagnostics, public.report.diagnostics)
    return checked_plan(source), folder


def test_a_holder_reached_only_through_reach_lines_shows_the_number_that_applies(variant: tuple[Plan, Path]) -> None:
    plan, folder = variant
    assert [(line.phone, line.when) for line in party_lines(plan, "presse", DA)] == [
        ("+45 70 10 20 60", DA["window_weekdays"]),
        ("+45 20 10 20 60", DA["window_weekends"]),
    ]
    text = content((folder / "site" / "nordby" / "scenarios" / "vandforurening.html").read_text(encoding="utf-8"))
    # In the first action that names her, and in "Then tell".
    action = text[text.index("Beslut, om vi går ud nu") :]
    assert action.index("Sara Lund +45 70 10 20 60") < action.index("Kriseledelsen aktiverer planen")
    tell = text[text.index(DA["tell_next"]) : text.index(DA["first_actions"])]
    assert "Mette Holm (Borgmester) +45 70 10 20 00" in tell
    # A decision's option that leads to a statement: its title, not its id.
    assert f"{DA['then_statement']}: Kog vandet" in text and f"{DA['then_statement']}: kog-vandet" not in text
    # The quick card: her number, not only her e-mail.
    card = _card(runbook_html(plan, plan.scenarios[0]))
    assert "Sara Lund +45 70 10 20 60" in card and "sara@nordby.example" not in card


def test_a_rota_that_watches_is_named_with_its_line(variant: tuple[Plan, Path]) -> None:
    _, folder = variant
    html = (folder / "site" / "nordby" / "monitoring.html").read_text(encoding="utf-8")
    html = html[html.index('<article class="md-content__inner') :]
    watchers = html[html.index(DA["watchers"]) :]
    watchers = watchers[: watchers.index("</ul>")]
    assert "<li></li>" not in watchers and "<li>:" not in watchers
    assert "Pressevagt" in seen(watchers)


def test_the_public_edition_names_contacts_and_positions_never_ids_or_numbers(variant: tuple[Plan, Path]) -> None:
    plan, folder = variant
    text = content((folder / "public" / "nordby" / "scenarios" / "vandforurening.html").read_text(encoding="utf-8"))
    # "Orientér: borgmester" was the raw id: the contact is named by its position.
    assert f"{DA['notify']}: Borgmester" in text and f"{DA['notify']}: borgmester" not in text
    assert f"{DA['notify']}: Kriseledelsen" in text
    for private in ("Mette Holm", "Sara Lund", "+45 70 10 20 00", "+45 70 10 20 40", "+45 70 10 20 60", "Jonas Berg"):
        assert private not in text, private
    public = public_edition(plan)
    head = public.role("kommunikationschef")
    assert head is not None and head.primary is not None
    assert holder_text(head.primary, DA, head.title) == f"Kommunikationsafdelingen {DA['or_designee']}"
    assert not phone_lines(public, head.primary, DA)
