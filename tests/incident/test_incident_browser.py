"""Incident mode in headless Chromium, from file:// with the network blocked: the
clock, ticks and fields kept across a reload, and a downloaded log that becomes a
review `crisisplan check` accepts.

Every test runs against both site engines, MkDocs Material and Zensical: the same
incident.js must work in both themes' page chrome. Without Zensical its runs skip,
except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from crisisplan.check.pipeline import check_paths
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.site.zensical_site import zensical_installed
from tests.browser import offline_browser, screenshot
from tests.conftest import ROOT, TODAY, invoke

pytestmark = pytest.mark.browser

PAGE = "brightbrew/scenarios/hacked-account.html"
# Where versions before the plan key kept the incident (see incident-log.js legacyKey).
LEGACY = "crisisplan-incident:brightbrew/hacked-account"
# Where the open page keeps its incident: under its plan's key (incident-log.js storeKey).
STORE_KEY = """(() => {
    const box = document.querySelector(".cp-incident");
    return window.crisisplan.log.storeKey(box.dataset.cpScenario, box.dataset.cpPlanKey);
})()"""


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "zensical" and not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    return name


@pytest.fixture
def site(request: pytest.FixtureRequest, engine: str) -> Path:
    # The suite's one build of the examples without PDFs per engine (conftest.py), shared.
    shared: Path = request.getfixturevalue("example_site" if engine == "mkdocs" else "zensical_example_site")
    return shared


def shot_name(engine: str, name: str) -> str:
    """The MkDocs screenshots keep their names; Zensical's say which engine took them."""
    return name if engine == "mkdocs" else f"{engine}-{name}"


@pytest.mark.parametrize("width", [375, 1280])
def test_an_incident_survives_a_reload_and_its_log_becomes_a_review(
    site: Path, engine: str, tmp_path: Path, width: int
) -> None:
    with offline_browser(width=width, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((site / PAGE).as_uri())
        page.locator(".cp-inc-start-button").click()
        action = page.locator("li.cp-action[data-cp-action='action-1']")
        action.locator(".cp-check").check()
        # Every T+ now has its clock time beside it, and says how long is left; a
        # deadline past midnight carries its weekday ("Tue 00:02": a run near midnight).
        assert re.fullmatch(r"(\S+ )?\d\d:\d\d", action.locator(".cp-clock").inner_text())
        assert (
            page.locator("li.cp-action[data-cp-action='action-3'] .cp-due").inner_text() == "in 15m"
        )
        card = page.locator("#statement-hacked-warning")
        card.locator("input[data-ph=platform]").fill("Instagram")

        page.reload()
        assert action.locator(".cp-check").is_checked()
        assert card.locator("input[data-ph=platform]").input_value() == "Instagram"
        assert (
            "Our Instagram account has been hacked"
            in card.locator(".cp-variant .cp-text").first.inner_text()
        )

        card.locator("input[data-ph=time]").fill("16:00 GMT")
        card.locator(".cp-copy").first.click()
        page.locator(".cp-inc-note-text").fill("Meta support case opened")
        page.locator(".cp-inc-add-note").click()
        page.locator("[data-cp-escalation='escalation-1'] .cp-inc-check").check()
        # Ticked once, shown ticked in both places the step appears.
        assert page.locator("[data-cp-next-escalation='escalation-1'] .cp-inc-check").is_checked()
        page.locator(".cp-incident").scroll_into_view_if_needed()
        screenshot(page, shot_name(engine, f"incident-running-{width}.png"))

        with page.expect_download() as caught:
            page.locator(".cp-inc-download").click()
        download = caught.value
        assert re.fullmatch(
            r"incident-hacked-account-\d{8}-\d{4}\.json", download.suggested_filename
        )
        log_file = tmp_path / download.suggested_filename
        download.save_as(log_file)

        # Ending asks first, then clears the ticks and fields from the page and browser.
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(".cp-inc-end").click()
        assert not action.locator(".cp-check").is_checked()
        assert page.evaluate(f"localStorage.getItem({STORE_KEY})") is None
        page.reload()
        assert card.locator("input[data-ph=platform]").input_value() == ""
        assert page.locator(".cp-inc-start-button").is_visible()
        assert errors == [] and blocked == []

    log = json.loads(log_file.read_text("utf-8"))
    assert (log["format"], log["version"], log["plan"], log["scenario"]) == (
        "crisisplan-incident-log",
        1,
        "brightbrew",
        "hacked-account",
    )
    # The file says where its events come from, in the page's words too.
    assert (log["recorded_in"], log["verified"]) == ("browser", False)
    assert log["notice"].startswith("Recorded in a web browser and not verified")
    assert [e["kind"] for e in log["events"]] == [
        "start",
        "action",
        "statement",
        "note",
        "escalation",
    ]
    assert log["events"][2]["text"].startswith("Our Instagram account has been hacked.")
    assert log["fields"] == {
        "hacked-warning/platform": "Instagram",
        "hacked-warning/time": "16:00 GMT",
    }

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, out, err = invoke("review", "hacked-account", "--from-log", str(log_file), cwd=tmp_path)
    assert (code, err) == (0, "")
    written = tmp_path / out.split(":")[0].removeprefix("Wrote ")
    text = written.read_text("utf-8")
    assert (
        "Done: Try to log in, change the password and sign out all other sessions (IT security lead)"
        in text
    )
    assert "Statement copied: hacked-warning (en): Our Instagram account has been hacked." in text
    assert "Note: Meta support case opened" in text
    assert "recorded in a web browser and are not verified" in text
    assert check_paths([tmp_path / "plans"]).diagnostics == []


def test_overdue_deadlines_stand_out(site: Path, engine: str) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / PAGE).as_uri())
        # The incident began 25 minutes ago: the T+10m and T+15m actions are late.
        began = (dt.datetime.now() - dt.timedelta(minutes=25)).strftime("%H:%M")
        page.locator(".cp-inc-time").fill(began)
        page.locator(".cp-inc-start-button").click()
        late = page.locator("li.cp-action.cp-is-overdue")
        assert late.count() == 6
        assert re.fullmatch(
            r"1[56]m overdue",
            page.locator("li.cp-action[data-cp-action='action-1'] .cp-due").inner_text(),
        )
        page.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()
        assert late.count() == 5
        bar = page.locator(".cp-inc-bar")
        # Five actions, the T+10m escalation and the T+15m first reaction.
        assert bar.is_visible() and "Overdue: 7" in bar.inner_text()
        assert bar.bounding_box()["y"] > 700  # at the bottom of the phone's screen
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, shot_name(engine, "incident-overdue-375.png"))
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        assert blocked == []


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, engine: str) -> Iterator[str]:
    """The example plans with navigation.instant on, served over http from this
    machine with a matching site_url: both themes navigate instantly only then, never
    from file://. The address of the start page's folder."""
    site = tmp_path / "site"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["site_url"] = base
    config["theme"]["features"].append("navigation.instant")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    result = build(
        BuildOptions(
            paths=[ROOT / "plans"],
            site_dir=site,
            config_file=tmp_path / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            pdf=False,
            engine=engine,
        )
    )
    assert result.built, result.report.diagnostics
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def test_an_incident_follows_instant_navigation(served: str, engine: str) -> None:
    """Instant navigation swaps pages in without loading incident.js again: the panel
    must still appear, its bar leave with its page, and ticks be logged once."""
    from playwright.sync_api import expect

    with offline_browser(width=375, height=812) as (page, blocked):
        # This machine's server only (the pages, and the service worker the site
        # registers over http); everything else stays blocked.
        page.context.route(f"{served}**", lambda route: route.continue_())
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        card = page.locator("a.cp-scenario-card[href*='hacked-account']")
        page.goto(served + "index.html")
        page.evaluate("window.cpSamePage = true")
        card.click()
        page.wait_for_url("**/brightbrew/scenarios/hacked-account.html")
        # Still the same page in the browser's eyes: the theme swapped the content in.
        assert page.evaluate("window.cpSamePage") is True
        # The composer measured the swapped-in page's statements too (what copy copies).
        expect(page.locator(".cp-statement .cp-variant[data-filled]").first).to_be_attached()
        page.locator(".cp-inc-start-button").click()
        page.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()

        # The address changes before the content does: expect() waits for the swap.
        page.go_back()
        expect(card).to_be_visible()
        expect(page.locator(".cp-inc-bar")).to_have_count(0)
        expect(page.locator("body")).not_to_have_class(re.compile(r"\bcp-incident-running\b"))

        card.click()
        expect(page.locator(".cp-inc-status")).to_be_visible()
        assert page.evaluate("window.cpSamePage") is True
        expect(page.locator("li.cp-action[data-cp-action='action-1'] .cp-check")).to_be_checked()
        expect(page.locator(".cp-inc-bar")).to_have_count(1)
        page.locator("li.cp-action[data-cp-action='action-3'] .cp-check").check()
        events = page.evaluate(f"JSON.parse(JSON.parse(localStorage.getItem({STORE_KEY})).state).events")
        assert [(e["kind"], e.get("id")) for e in events] == [
            ("start", None),
            ("action", "action-1"),
            ("action", "action-3"),
        ]
        assert errors == [] and blocked == []


# --- What the browser's storage holds is not trusted (issue 20) ------------------------

KEY_A = "a1" * 16
KEY_B = "b2" * 16
SEAL = "5e" * 16


def page_copy(site: Path, folder: Path, name: str, plan_key: str | None = None, seal: str | None = None) -> str:
    """The scenario page as another file (another plan's runbook, in file://'s one
    shared storage), with the plan key and seal a build would write into it; the
    page's own scripts and styles still load from the site (a <base>)."""
    html = (site / PAGE).read_text("utf-8")
    base = (site / PAGE).parent.as_uri() + "/"
    html = html.replace("<head>", f'<head><base href="{base}">', 1)
    extra = "".join(f' data-cp-plan-{n}="{v}"' for n, v in (("key", plan_key), ("seal", seal)) if v)
    html = html.replace('<div class="cp-incident" ', f'<div class="cp-incident"{extra} ', 1)
    target = folder / name
    target.write_text(html, "utf-8")
    return target.as_uri()


def stored(page: object, key: str) -> object:
    return page.evaluate(f"localStorage.getItem({json.dumps(key)})")  # type: ignore[attr-defined]


def test_a_malformed_stored_incident_is_set_aside_once_and_the_page_works(example_site: Path) -> None:
    """A stored value with a note no text field can show threw on every load until
    "End incident"; now it is set aside, the reader told once, and the page works."""
    with offline_browser(width=375, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((example_site / PAGE).as_uri())
        # Opened from a file: the reader is told what that means for these notes.
        assert page.locator(".cp-inc-storage").inner_text().startswith(
            "Opened from a file: other files opened in this browser can read and change these notes."
        )
        damaged = json.dumps({"version": 1, "startedMs": 1.7e12, "done": {}, "fields": {}, "events": [], "note": {"toString": 1}})
        page.evaluate(f"localStorage.setItem({json.dumps(LEGACY)}, {json.dumps(damaged)})")
        page.reload()
        notice = page.locator(".cp-inc-notice")
        assert notice.is_visible() and "were set aside" in notice.inner_text()
        assert page.locator(".cp-inc-start-button").is_visible()
        assert stored(page, LEGACY) is None
        assert stored(page, "crisisplan-incident-set-aside:" + LEGACY) == damaged
        page.reload()
        assert not notice.is_visible()  # once
        page.locator(".cp-inc-start-button").click()
        assert page.locator(".cp-inc-status").is_visible()
        assert errors == [] and blocked == []


def test_a_planted_incident_is_refused_and_two_plans_keep_their_own(example_site: Path, tmp_path: Path) -> None:
    """Two plans with the same plan and scenario ids, told apart by the build's plan
    key; an incident another local file planted, without the page's seal, is set aside."""
    with offline_browser(width=375, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        first = page_copy(example_site, tmp_path, "first.html", KEY_A, SEAL)
        second = page_copy(example_site, tmp_path, "second.html", KEY_B, SEAL)
        page.goto(first)
        page.locator(".cp-inc-start-button").click()
        page.locator(".cp-inc-note-text").fill("First plan's note")
        page.locator(".cp-inc-add-note").click()
        key_a = f"crisisplan-incident:v2:{KEY_A}:brightbrew/hacked-account"
        assert json.loads(stored(page, key_a))["state"].count("First plan's note") == 1  # type: ignore[arg-type]

        page.goto(second)
        assert page.locator(".cp-inc-start-button").is_visible()
        assert not page.locator(".cp-inc-notice").is_visible()

        # What a planted page can do: the same scripts, but not the seal's secret.
        key_b = f"crisisplan-incident:v2:{KEY_B}:brightbrew/hacked-account"
        page.evaluate(
            """key => {
                const log = window.crisisplan.log;
                const state = log.start(Date.now(), "Incident started");
                log.note(state, Date.now(), "Forged: call 555-0100 now");
                localStorage.setItem(key, log.seal(state, key, ""));
            }""",
            key_b,
        )
        page.reload()
        assert page.locator(".cp-inc-notice").is_visible()
        assert page.locator(".cp-inc-start-button").is_visible()
        assert "Forged" not in page.locator(".cp-incident").inner_text()
        assert stored(page, key_b) is None

        page.goto(first)
        assert "First plan's note" in page.locator(".cp-inc-log").text_content()
        # The search finds its index beside the page, not the <base>: not this test's.
        assert [e for e in errors if "search_index" not in e] == [] and blocked == []


def test_an_incident_kept_before_the_plan_key_is_moved_once(example_site: Path, tmp_path: Path) -> None:
    """A running incident the earlier versions kept (plan/scenario key, no seal)
    carries on under the plan's own key, sealed, and the old entry is gone."""
    started = int((dt.datetime.now() - dt.timedelta(minutes=5)).timestamp() * 1000)
    old = {
        "version": 1,
        "startedMs": started,
        "done": {"action/action-1": started + 60_000},
        "fields": {"hacked-warning/platform": "Instagram"},
        "events": [{"at": "2026-11-22T10:05:00+01:00", "kind": "note", "text": "Kept from before"}],
        "lastUpdateMs": None,
    }
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto(page_copy(example_site, tmp_path, "keyed.html", KEY_A, SEAL))
        page.evaluate(f"localStorage.setItem({json.dumps(LEGACY)}, {json.dumps(json.dumps(old))})")
        page.reload()
        assert page.locator(".cp-inc-status").is_visible()
        assert not page.locator(".cp-inc-notice").is_visible()
        assert page.locator("li.cp-action[data-cp-action='action-1'] .cp-check").is_checked()
        assert "Kept from before" in page.locator(".cp-inc-log").text_content()
        assert stored(page, LEGACY) is None
        entry = json.loads(stored(page, f"crisisplan-incident:v2:{KEY_A}:brightbrew/hacked-account"))  # type: ignore[arg-type]
        assert json.loads(entry["state"])["fields"] == {"hacked-warning/platform": "Instagram"}
        assert blocked == []


# --- The console cannot lose work (issue 19) ------------------------------------------


def test_a_tick_before_start_starts_the_incident_and_survives_a_reload(site: Path, engine: str) -> None:
    """"Start incident" is two screens below the first actions, and a phone may reload
    the tab after a call: the first tick starts the clock, asks once when the incident
    began, and is still there after a reload."""
    with offline_browser(width=375, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((site / PAGE).as_uri())
        action = page.locator("li.cp-action[data-cp-action='action-1']")
        action.locator(".cp-check").check()
        ask = action.locator(".cp-inc-ask")
        assert re.fullmatch(r"This tick started the incident clock at \d\d:\d\d\.", ask.locator(".cp-inc-ask-text").inner_text())
        assert page.locator(".cp-inc-status").is_visible()
        screenshot(page, shot_name(engine, "incident-first-tick-375.png"))
        # The incident began 20 minutes ago: said once, beside the tick.
        began = dt.datetime.now() - dt.timedelta(minutes=20)
        ask.locator(".cp-inc-ask-time").fill(began.strftime("%H:%M"))
        ask.locator(".cp-inc-ask-set").click()
        assert ask.count() == 0

        page.reload()
        assert action.locator(".cp-check").is_checked()
        assert action.locator(".cp-inc-ask").count() == 0  # asked once
        status = page.locator(".cp-inc-status").inner_text()
        # A start before midnight, read after it, carries its weekday ("Mon 23:50").
        assert re.fullmatch(rf"Started (\S+ )?{began:%H:%M} · now T\+2[01]m", status), status
        events = page.evaluate(f"JSON.parse(JSON.parse(localStorage.getItem({STORE_KEY})).state).events")
        assert [(e["kind"], e.get("id")) for e in events] == [("start", None), ("action", "action-1")]
        assert events[0]["at"][11:16] == f"{began:%H:%M}"
        assert errors == [] and blocked == []


def test_the_log_keeps_a_half_typed_note_and_prints_as_a_timeline(site: Path, engine: str, tmp_path: Path) -> None:
    """On a Malay page: the downloaded log carries the note still being typed, and
    "Printable timeline" saves a self-contained page in the page's language."""
    malay = "kodmuda/scenarios/" + next(p.name for p in (site / "kodmuda" / "scenarios").glob("*.html"))
    with offline_browser(width=375, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((site / malay).as_uri())
        page.locator(".cp-inc-start-button").click()
        page.locator(".cp-inc-note-text").fill("Polis dihubungi, menunggu")
        page.reload()
        with page.expect_download() as caught:
            page.locator(".cp-inc-download").click()
        log = json.loads(Path(caught.value.path()).read_text("utf-8"))
        assert log["unsent_note"] == "Polis dihubungi, menunggu"
        assert [e["kind"] for e in log["events"]] == ["start"]
        assert page.locator(".cp-inc-print").inner_text() == "Garis masa untuk dicetak"
        with page.expect_download() as caught:
            page.locator(".cp-inc-print").click()
        assert re.fullmatch(r"incident-[a-z0-9-]+-\d{8}-\d{4}\.html", caught.value.suggested_filename)
        printable = tmp_path / caught.value.suggested_filename
        caught.value.save_as(printable)

        page.goto(printable.as_uri())
        assert page.locator("html").get_attribute("lang") == "ms"
        assert page.locator("h1").inner_text().startswith("Log insiden: ")
        assert page.locator("th").all_inner_texts() == ["Waktu", "T+", "Apa yang berlaku"]
        rows = page.locator("tbody tr")
        assert rows.nth(0).locator("td").nth(2).inner_text() == "Insiden bermula"
        assert rows.nth(1).locator("td").nth(2).inner_text() == (
            "Nota yang belum ditambah ke log (masih ditaip semasa log disimpan): Polis dihubungi, menunggu"
        )
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        screenshot(page, shot_name(engine, "incident-printable-timeline-375.png"))
        assert errors == [] and blocked == []


def test_a_scenario_the_plan_times_nothing_in_promises_no_clock(site: Path, engine: str) -> None:
    """The Fjordby plan times nothing: its console offers a log of what was done and
    when, never "every deadline becomes a time of day"; a timed scenario still does."""
    with offline_browser() as (page, blocked):
        for relative, intro in (
            ("en/fjordby/scenarios/cyberangreb.html", "Start the log when the incident begins"),
            ("fjordby/scenarios/cyberangreb.html", "Start loggen, når hændelsen begynder"),
            (PAGE, "Start the clock when the incident begins: every deadline becomes a time of day"),
        ):
            page.goto((site / relative).as_uri())
            shown = page.locator(".cp-inc-intro").inner_text()
            assert shown.startswith(intro), (engine, relative, shown)
        assert blocked == []
