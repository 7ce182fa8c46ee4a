"""Incident mode in headless Chromium, from file:// with the network blocked: the
clock, ticks and fields kept across a reload, and a downloaded log that becomes a
review `crisisplan check` accepts."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from crisisplan.checker import check_paths
from tests.browser import offline_browser, screenshot
from tests.conftest import ROOT, build_examples, invoke

pytestmark = pytest.mark.browser

PAGE = "brightbrew/scenarios/hacked-account.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("incident") / "site"
    build_examples(target, pdf=False)
    return target


@pytest.mark.parametrize("width", [375, 1280])
def test_an_incident_survives_a_reload_and_its_log_becomes_a_review(site: Path, tmp_path: Path, width: int) -> None:
    with offline_browser(width=width, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((site / PAGE).as_uri())
        page.locator(".cp-inc-start-button").click()
        action = page.locator("li.cp-action[data-cp-action='action-1']")
        action.locator(".cp-check").check()
        # Every T+ now has its clock time beside it, and says how long is left.
        assert re.fullmatch(r"\d\d:\d\d", action.locator(".cp-clock").inner_text())
        assert page.locator("li.cp-action[data-cp-action='action-3'] .cp-due").inner_text() == "in 15m"
        card = page.locator("#statement-hacked-warning")
        card.locator("input[data-ph=platform]").fill("Instagram")

        page.reload()
        assert action.locator(".cp-check").is_checked()
        assert card.locator("input[data-ph=platform]").input_value() == "Instagram"
        assert "Our Instagram account has been hacked" in card.locator(".cp-variant .cp-text").first.inner_text()

        card.locator("input[data-ph=time]").fill("16:00 GMT")
        card.locator(".cp-copy").first.click()
        page.locator(".cp-inc-note-text").fill("Meta support case opened")
        page.locator(".cp-inc-add-note").click()
        page.locator("[data-cp-escalation='escalation-1'] .cp-inc-check").check()
        # Ticked once, shown ticked in both places the step appears.
        assert page.locator("[data-cp-next-escalation='escalation-1'] .cp-inc-check").is_checked()
        page.locator(".cp-incident").scroll_into_view_if_needed()
        screenshot(page, f"incident-running-{width}.png")

        with page.expect_download() as caught:
            page.locator(".cp-inc-download").click()
        download = caught.value
        assert re.fullmatch(r"incident-hacked-account-\d{8}-\d{4}\.json", download.suggested_filename)
        log_file = tmp_path / download.suggested_filename
        download.save_as(log_file)

        # Ending asks first, then clears the ticks and fields from the page and browser.
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(".cp-inc-end").click()
        assert not action.locator(".cp-check").is_checked()
        assert page.evaluate("localStorage.getItem('crisisplan-incident:brightbrew/hacked-account')") is None
        page.reload()
        assert card.locator("input[data-ph=platform]").input_value() == ""
        assert page.locator(".cp-inc-start-button").is_visible()
        assert errors == [] and blocked == []

    log = json.loads(log_file.read_text("utf-8"))
    assert (log["format"], log["version"], log["plan"], log["scenario"]) == ("crisisplan-incident-log", 1, "brightbrew", "hacked-account")
    assert [e["kind"] for e in log["events"]] == ["start", "action", "statement", "note", "escalation"]
    assert log["events"][2]["text"].startswith("Our Instagram account has been hacked.")
    assert log["fields"] == {"hacked-warning/platform": "Instagram", "hacked-warning/time": "16:00 GMT"}

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, out, err = invoke("review", "hacked-account", "--from-log", str(log_file), cwd=tmp_path)
    assert (code, err) == (0, "")
    written = tmp_path / out.split(":")[0].removeprefix("Wrote ")
    text = written.read_text("utf-8")
    assert "Done: Try to log in, change the password and sign out all other sessions (IT security lead)" in text
    assert "Statement copied: hacked-warning (en): Our Instagram account has been hacked." in text
    assert "Note: Meta support case opened" in text
    assert check_paths([tmp_path / "plans"]).diagnostics == []


def test_overdue_deadlines_stand_out(site: Path) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / PAGE).as_uri())
        # The incident began 25 minutes ago: the T+10m and T+15m actions are late.
        began = (dt.datetime.now() - dt.timedelta(minutes=25)).strftime("%H:%M")
        page.locator(".cp-inc-time").fill(began)
        page.locator(".cp-inc-start-button").click()
        late = page.locator("li.cp-action.cp-is-overdue")
        assert late.count() == 6
        assert re.fullmatch(r"1[56]m overdue", page.locator("li.cp-action[data-cp-action='action-1'] .cp-due").inner_text())
        page.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()
        assert late.count() == 5
        bar = page.locator(".cp-inc-bar")
        # Five actions, the T+10m escalation and the T+15m first reaction.
        assert bar.is_visible() and "Overdue: 7" in bar.inner_text()
        assert bar.bounding_box()["y"] > 700  # at the bottom of the phone's screen
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "incident-overdue-375.png")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        assert blocked == []
