"""People outside the team, ways to reach them, rotas, decisions, severity raised on a
condition, and review and drill cadences (issue 9, "people and timing").

The exact-diagnostic cases are folders under cases/invalid/cp45*, cp46*, cp47*; the
plan using every part is cases/valid/people-and-timing. Here: five realistic
mistakes through the CLI with their exact output, what a reader sees on the site
page and in the PDF runbook, and the date arithmetic the cadences rest on.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from pathlib import Path

import pytest

from crisisplan.plan.values import add_cadence, parse_cadence
from crisisplan.plan.windows import covered_minutes, read_window
from crisisplan.publish.pdf.documents import runbook_html
from crisisplan.publish.site.pages import SitePlan, generate
from crisisplan.render.labels import labels_for
from crisisplan.render.views import people_named, when_text
from tests.conftest import CASES, TODAY, checked_plan, invoke

VALID = CASES / "valid" / "people-and-timing" / "plan.yaml"


def plan_with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The valid people-and-timing plan with each change made once, as a user's typo."""
    text = VALID.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, *changes: tuple[str, str]) -> tuple[int, str]:
    plan_with(tmp_path, *changes)
    code, out, err = invoke("check", "plan.yaml", cwd=tmp_path)
    assert err == ""
    return code, out


# --- five realistic mistakes -----------------------------------------------------------


def test_a_misspelt_contact_in_a_notify_list_gets_did_you_mean_over_roles_and_contacts(
    tmp_path: Path,
) -> None:
    assert check(
        tmp_path, ("notify: [ceo, outside-counsel]", "notify: [ceo, outside-counsle]")
    ) == (
        1,
        "plan.yaml:157:23: error CP201: unknown role or contact 'outside-counsle'\n"
        "  hint: did you mean 'outside-counsel'?\n"
        "1 plan checked: 1 error\n",
    )


def test_an_after_hours_number_written_as_dialled_at_home_is_caught_like_any_phone(
    tmp_path: Path,
) -> None:
    assert check(tmp_path, ('- phone: "+44 7700 900301"', '- phone: "07700 900301"')) == (
        1,
        "plan.yaml:36:16: error CP404: '07700 900301' is not an international phone number\n"
        '  hint: drop the leading 0 and add the country code, in quotes: "+44 7700 900301" (+44 is used elsewhere in this plan)\n'
        "1 plan checked: 1 error\n",
    )


def test_office_hours_written_in_am_and_pm_say_which_24_hour_time_to_write(tmp_path: Path) -> None:
    assert check(
        tmp_path,
        (
            'office-hours: {days: mon-fri, from: "08:00", to: "18:00"}',
            "office-hours: {days: mon-fri, from: 8am, to: 6pm}",
        ),
    ) == (
        1,
        "plan.yaml:11:39: error CP455: '8am' is not a time\n"
        '  hint: write it as 24-hour HH:MM in quotes: "08:00"\n'
        "plan.yaml:11:48: error CP455: '6pm' is not a time\n"
        '  hint: write it as 24-hour HH:MM in quotes: "18:00"\n'
        "1 plan checked: 2 errors\n",
    )


def test_after_a_raise_the_ceo_told_too_late_fails_on_the_new_levels_target(tmp_path: Path) -> None:
    assert check(
        tmp_path,
        ("      - at: 1h30m\n        notify: [ceo,", "      - at: 3h\n        notify: [ceo,"),
    ) == (
        1,
        "plan.yaml:156:13: error CP468: 'ceo' is told at T+3h, but after the raise to 'high' at T+1h they must be told within 30m (by T+1h30m)\n"
        "  hint: tell 'ceo' at 1h30m or earlier\n"
        "1 plan checked: 1 error\n",
    )


def test_review_every_6m_is_refused_rather_than_read_as_six_minutes(tmp_path: Path) -> None:
    assert check(tmp_path, ("review_every: 6 months ", "review_every: 6m ")) == (
        1,
        "plan.yaml:8:17: error CP470: '6m' is not a cadence\n"
        "  hint: in a plan, m means minutes: write 6 months\n"
        "1 plan checked: 1 error\n",
    )


def test_handing_the_incident_over_to_the_board_chair_says_a_role_is_needed(tmp_path: Path) -> None:
    code, out = check(
        tmp_path,
        (
            "        notify: [ceo, outside-counsel]\n",
            "        notify: [outside-counsel]\n        hand_over_to: ceo\n",
        ),
    )
    assert (code, out) == (
        1,
        "plan.yaml:158:23: error CP453: 'ceo' is a contact outside the team, but 'hand_over_to' needs a role from roles:\n"
        "  hint: name the role that does this; to tell ceo, add them to an escalation step's notify:; if they decide above the team, give them kind: command\n"
        "1 plan checked: 1 error\n",
    )


def test_a_plan_without_contacts_reports_unknown_roles_exactly_as_before(tmp_path: Path) -> None:
    minimal = (CASES / "valid" / "minimal" / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(
        minimal.replace("owner: social\n        at: 10m", "owner: socail\n        at: 10m")
    )
    assert invoke("check", "plan.yaml", cwd=tmp_path)[:2] == (
        1,
        "plan.yaml:61:16: error CP201: unknown role 'socail'\n  hint: did you mean 'social'?\n1 plan checked: 1 error\n",
    )


# --- what a reader sees ----------------------------------------------------------------




def visible(html: str) -> str:
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_scenario_page_names_both_deciders_the_options_and_the_outside_numbers() -> None:
    plan = checked_plan(VALID)
    pages = generate([SitePlan(plan, "example")], dt.date.fromisoformat(TODAY), pdf=False).files
    page = pages["example/scenarios/partner-scandal.md"]
    text = visible(page)
    # Several owners, each with a number to tap; a contact by name and number.
    assert "Crisis lead Ana Lima" in text
    assert (
        '<a class="cp-tel cp-call-name" href="tel:+442079460010"><span class="cp-call-number">+44 20 7946 0010</span></a>'
        in page
    )
    assert "Decision" in text
    assert "End the partnership today → Severity: Crisis → Publish: partnership-ended" in text
    assert "Pause it while the facts are checked → Say we are looking into it" in text
    # The raise in the escalation timeline.
    assert "Raise severity to: Crisis; Notify: Crisis lead" in text
    # Outside the team, in the who-to-call block, with when each line applies.
    assert "Outside the team" in text
    assert "+44 7700 900111 Mon–Fri 18:00–08:00; Sat, Sun Mobile" in text
    team = visible(pages["example/team.md"])
    assert (
        "Kaye & Partners LLP crisis@kayepartners.example +44 20 7946 0300 Mon–Fri 08:00–18:00 The firm's shared line"
        in team
    )
    assert (
        "Social listening cover Weekdays : Social media lead Weekends : Customer care lead" in team
    )
    assert "Crisis on-call line Shared line +44 20 7946 0999" in team


def test_the_pdf_runbook_lists_both_owners_the_options_and_the_outside_contacts() -> None:
    plan = checked_plan(VALID)
    scenario = plan.scenarios[0]
    text = visible(runbook_html(plan, scenario))
    assert "Crisis lead + Claire Whitmore (Chief executive)" in text
    assert "End the partnership today → Severity: Crisis" in text
    assert "Outside the team" in text
    assert "Kaye & Partners LLP" in text and "+44 20 7946 0300" in text
    assert [c.id for c in people_named(plan, scenario)] == ["outside-counsel", "ceo"]


def test_the_public_edition_shows_no_outside_numbers() -> None:
    plan = checked_plan(VALID)
    text = runbook_html(plan, plan.scenarios[0], public=True)
    assert "+44 7700 900111" not in text and "+44 20 7946 0300" not in text


def test_when_is_written_in_the_readers_language() -> None:
    plan = checked_plan(VALID)
    danish = labels_for("da")
    assert when_text(plan, "office-hours", danish) == "man.–fre. 08:00–18:00"
    assert when_text(plan, "weekends", danish) == "Weekender"
    assert when_text(plan, {"days": ["sat", "sun"]}, labels_for("en")) == "Sat, Sun"
    assert when_text(plan, "always", danish) == ""


def test_the_review_due_date_comes_from_the_cadence_when_next_review_is_left_out() -> None:
    plan = checked_plan(VALID)
    assert plan.next_review == ""
    assert plan.review_due == "2027-04-01"


# --- windows and cadences --------------------------------------------------------------


def test_an_overnight_window_runs_into_the_next_day() -> None:
    plan = checked_plan(VALID)
    spans, problems = read_window({"days": "fri", "from": "22:00", "to": "06:00"}, (), plan)
    assert problems == []
    minutes = covered_minutes(spans)
    friday_22, saturday_6 = 4 * 1440 + 22 * 60, 5 * 1440 + 6 * 60
    assert friday_22 in minutes and saturday_6 - 1 in minutes and saturday_6 not in minutes
    assert len(minutes) == 8 * 60


def test_sunday_to_monday_ranges_wrap_round_the_week() -> None:
    plan = checked_plan(VALID)
    spans, _ = read_window({"days": "sat-mon"}, (), plan)
    assert spans[0].days == ("mon", "sat", "sun")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 months", (6, "month")),
        ("1 year", (1, "year")),
        ("26w", (26, "week")),
        ("90 days", (90, "day")),
        ("12 Months", (12, "month")),
    ],
)
def test_cadences_people_write_are_read(text: str, expected: tuple[int, str]) -> None:
    assert parse_cadence(text) == expected


@pytest.mark.parametrize("text", ["6m", "6 mins", "0 months", "yearly", "6 months and 2 days", ""])
def test_what_is_not_a_cadence_is_refused(text: str) -> None:
    assert parse_cadence(text) is None


def test_months_are_calendar_months_ending_at_the_last_day() -> None:
    assert add_cadence(dt.date(2026, 8, 31), (6, "month")) == dt.date(2027, 2, 28)
    assert add_cadence(dt.date(2027, 8, 31), (6, "month")) == dt.date(2028, 2, 29)
    assert add_cadence(dt.date(2026, 10, 1), (1, "year")) == dt.date(2027, 10, 1)
    assert add_cadence(dt.date(2026, 10, 1), (2, "week")) == dt.date(2026, 10, 15)
    assert add_cadence(dt.date(2199, 6, 1), (12, "month")) == dt.date(2199, 12, 31)
