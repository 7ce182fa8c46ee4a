"""The phones' side of the incident room, in headless Chromium against real processes:
a room server (`crisisplan room`, roomkit.py) on 127.0.0.1, a site built by
`crisisplan build --no-pdf` from a small plan (segarkita: Indonesian, with an English
edition) with room: in crisisplan.yaml, served over http on 127.0.0.1, and three
browser contexts as three phones (375x812). Without room: the console makes no
request and hands logs over by file.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.site.pages import SitePlan, generate
from tests.browser import ARTIFACTS, _browser, chromium_path, offline_browser
from tests.conftest import ROOT, TODAY, checked_plan, invoke, require_zensical
from tests.room.roomkit import KEY, Phone, RoomServer, call

PLAN = ROOT / "plans" / "segarkita.yaml"
SCENARIO = "keluhan-viral"
ENGLISH = f"en/segarkita/scenarios/{SCENARIO}.html"
INDONESIAN = f"segarkita/scenarios/{SCENARIO}.html"
# A page of the examples' shared build (no room:).
EXAMPLE = "brightbrew/scenarios/hacked-account.html"
SHOTS = Path(os.environ.get("CRISISPLAN_ROOM_SHOTS", str(ARTIFACTS)))
CHECKED = "document.querySelector(\"li.cp-action[data-cp-action='{}'] .cp-check\").checked"
# The events the phone keeps, as the log it would download holds them.
EVENTS = """(() => {
    const box = document.querySelector(".cp-incident");
    const key = window.crisisplan.log.storeKey(box.dataset.cpScenario, box.dataset.cpPlanKey);
    return JSON.parse(JSON.parse(localStorage.getItem(key)).state).events;
})()"""
ROOM_SESSION = """(() => {
    const box = document.querySelector(".cp-incident");
    const key = window.crisisplan.log.storeKey(box.dataset.cpScenario, box.dataset.cpPlanKey);
    return JSON.parse(localStorage.getItem(key + ":room"));
})()"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Served:
    folder: Path
    origin: str
    room: RoomServer


def _build(folder: Path, room: str | None, *args: str) -> Path:
    """The plan built without PDFs in ``folder`` (a repository of its own), with
    room: set when given; the site folder."""
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    shutil.copy(PLAN, folder / "plans" / PLAN.name)
    (folder / "crisisplan.yaml").write_text("plans: [plans]\n" + (f"room: {room}\n" if room else ""), encoding="utf-8")
    code, out, err = invoke("build", "--no-pdf", *args, cwd=folder)
    assert code == 0, out + err
    return folder / "site"


def _serve(site: Path) -> http.server.ThreadingHTTPServer:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A room, and the site built with room: pointing at it, served on 127.0.0.1 (an
    origin the room takes requests from)."""
    chromium_path()  # skips before any building on a machine without Chromium
    folder = tmp_path_factory.mktemp("room-site")
    httpd = _serve(folder / "site")
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    room = RoomServer(str(folder / "room.db"), "--origin", origin).start()
    try:
        _build(folder, f"http://127.0.0.1:{room.port}")
        yield Served(folder, origin, room)
    finally:
        room.stop()
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def _phones(count: int) -> Iterator[list[Any]]:
    """Phones: each a browser context of its own (storage, network), 375x812."""
    browser = _browser(chromium_path())
    contexts = [browser.new_context(viewport={"width": 375, "height": 812}, service_workers="block") for _ in range(count)]
    pages, errors = [], []
    for context in contexts:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append(page)
    try:
        yield pages
        assert errors == []
    finally:
        for context in contexts:
            context.close()


def _join(page: Any, url: str, code: str) -> None:
    page.goto(url)
    # Typed as a phone's keyboard gives it: lower case, spaces for dashes.
    page.locator(".cp-inc-room-code-input").fill(code.lower().replace("-", " "))
    page.locator(".cp-inc-room-join").click()


def _status_says(page: Any, text: str, timeout: float = 5000) -> None:
    page.wait_for_function(
        "text => document.querySelector('.cp-inc-room-status').textContent.includes(text)", arg=text, timeout=timeout
    )


def _record(page: Any) -> list[tuple[str, str, str, bool]]:
    """What the phone keeps, as the room knows events: id, who, kind, done."""
    return sorted((e["event_id"], e.get("by", ""), e["kind"], e.get("done", True)) for e in page.evaluate(EVENTS))


def _shots(pages: list[Any], name: str, where: str = ".cp-inc-room") -> Path:
    """The phones' screens side by side, in one picture (and each on its own)."""
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    parts = []
    for number, page in enumerate(pages, start=1):
        page.locator(".cp-inc-log").evaluate("node => { node.open = true; }")
        page.locator(where).evaluate("node => node.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -100)")  # out from under the theme's header
        path = SHOTS / f"{name}-{number}.png"
        page.screenshot(path=str(path))
        parts.append(Image.open(path))
    gap = 16
    width = sum(p.width for p in parts) + gap * (len(parts) - 1)
    whole = Image.new("RGB", (width, max(p.height for p in parts)), "#777777")
    x = 0
    for part in parts:
        whole.paste(part, (x, 0))
        x += part.width + gap
    target = SHOTS / f"{name}.png"
    whole.save(target)
    return target


def test_three_phones_one_offline_end_with_one_timeline_and_one_review(served: Served) -> None:
    with _phones(3) as phones:
        lead, legal, field = phones
        # The lead: the room key (kept in this tab only), then who they are: the room opens.
        lead.goto(f"{served.origin}/{ENGLISH}")
        assert lead.locator(".cp-inc-who").count() == 0  # reading the runbook asks nothing
        lead.locator(".cp-inc-room-key").fill(KEY)
        lead.locator(".cp-inc-room-open").click()
        lead.locator(".cp-inc-who-role").select_option("Crisis lead")
        code = lead.locator(".cp-inc-room-code-text").inner_text()
        qr = lead.locator(".cp-inc-room .cp-inc-qr-image").get_attribute("data-cp-qr")
        assert qr is not None and qr.startswith(f"{served.origin}/{ENGLISH}#cp-room=")
        assert lead.evaluate("sessionStorage.getItem('crisisplan-incident:room-key')") == KEY
        assert KEY not in json.dumps(lead.evaluate("Object.assign({}, localStorage)"))

        _join(legal, f"{served.origin}/{ENGLISH}", code)
        legal.locator(".cp-inc-who-role").select_option("Legal counsel")
        _join(field, f"{served.origin}/{INDONESIAN}", code)
        field.locator(".cp-inc-who-name").fill("Wayan")
        field.locator(".cp-inc-who-set").click()
        for page, sent in ((lead, "Sent"), (legal, "Sent"), (field, "Terkirim")):
            _status_says(page, sent)

        # A tick on one phone shows on the others within two seconds, with who did it.
        lead.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()
        began = time.monotonic()
        for page in (legal, field):
            page.wait_for_function(CHECKED.format("action-1"), timeout=2000)
        assert time.monotonic() - began < 2
        assert "Crisis lead" in legal.locator(".cp-inc-log-list").text_content()

        # The field phone loses the network; it ticks and notes, the others tick meanwhile.
        field.context.set_offline(True)
        field.locator("li.cp-action[data-cp-action='action-2'] .cp-check").check()
        field.locator(".cp-inc-note-text").fill("Pelanggan sudah dihubungi lewat DM")
        field.locator(".cp-inc-add-note").click()
        assert field.locator(".cp-inc-room-status").inner_text() == "Tanpa koneksi: 2 catatan menunggu"
        legal.locator("li.cp-action[data-cp-action='action-3'] .cp-check").check()
        lead.locator(".cp-inc-note-text").fill("Statement drafted")
        lead.locator(".cp-inc-add-note").click()
        lead.wait_for_function(CHECKED.format("action-3"), timeout=2000)
        assert not field.evaluate(CHECKED.format("action-3"))

        # Back online: it sends what waited and receives what it missed.
        field.context.set_offline(False)
        _status_says(field, "Terkirim", timeout=10000)
        for page in (lead, legal):
            page.wait_for_function(CHECKED.format("action-2"), timeout=5000)
        field.wait_for_function(CHECKED.format("action-3"), timeout=5000)
        _shots(phones, "room-three-phones")

        # Everyone has the same record, and it is the room's.
        session = lead.evaluate(ROOM_SESSION)
        status, record, _ = call(served.room.port, "GET", f"/api/incidents/{session['incident']}/log", token=session["token"])
        assert status == 200, record
        in_room = sorted((e["event_id"], e["by"], e["kind"], e["done"]) for e in record["events"])
        deadline = time.monotonic() + 5
        while any(_record(page) != in_room for page in phones) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [_record(page) for page in phones] == [in_room] * 3
        # And in the same order: events of the same second in the room's order, not in
        # the order each phone heard them (the field phone heard its own first).
        orders = [[e["event_id"] for e in page.evaluate(EVENTS)] for page in phones]
        assert orders[1] == orders[0] and orders[2] == orders[0]
        # The room's start, four ticks... the lead's, the field phone's, legal's; two notes.
        assert [kind for _, _, kind, _ in in_room].count("note") == 2
        assert len(in_room) == 6
        assert lead.locator(".cp-inc-log-list").text_content() == legal.locator(".cp-inc-log-list").text_content()
        assert field.locator(".cp-inc-log-list li").count() == lead.locator(".cp-inc-log-list li").count() == 6
        assert {e["by"] for e in record["events"]} == {"Crisis lead", "Legal counsel", "Wayan"}

        # The lead ends it for everyone; the others see it ended.
        lead.once("dialog", lambda dialog: dialog.accept())
        lead.locator(".cp-inc-room-end").click()
        _status_says(legal, "The lead has ended this incident.", timeout=3000)
        _status_says(field, "Pemimpin telah mengakhiri insiden ini.", timeout=3000)
        _shots(phones, "room-three-phones-ended", ".cp-inc-log")

    # The room's record becomes one review, each event with who did it.
    log_file = served.folder / "room-log.json"
    log_file.write_text(json.dumps(record), encoding="utf-8")
    code_, out, err = invoke("review", SCENARIO, "--from-log", str(log_file), cwd=served.folder)
    assert code_ == 0, out + err
    (review,) = [p for p in served.folder.rglob(f"*{SCENARIO}*.yaml") if "review" in str(p.relative_to(served.folder))]
    text = review.read_text(encoding="utf-8")
    for who in ("Crisis lead", "Legal counsel", "Wayan"):
        assert f"{who}:" in text


@pytest.mark.parametrize(
    ("page_path", "said"),
    [
        (ENGLISH, "That code is not right. Check it with the crisis lead and type it again."),
        # The room speaks English; the phone says it in the page's language.
        (INDONESIAN, "Kode itu salah. Periksa lagi dengan ketua tim krisis, lalu ketik ulang."),
    ],
    ids=["en", "id"],
)
def test_a_wrong_code_is_said_in_the_pages_language(served: Served, page_path: str, said: str) -> None:
    with _phones(1) as (page,):
        page.goto(f"{served.origin}/{page_path}")
        page.evaluate("localStorage.setItem('crisisplan-incident:who', 'Spokesperson')")
        _join(page, f"{served.origin}/{page_path}", "ABCD-EFGH-22222-22222")
        error = page.locator(".cp-inc-room-error")
        error.wait_for(state="visible", timeout=5000)
        assert error.inner_text() == said
        assert page.locator(".cp-inc-room-status").is_hidden()
        assert page.evaluate(ROOM_SESSION) is None


def test_a_zensical_page_joins_and_sees_what_another_phone_did(served: Served) -> None:
    require_zensical()
    # Built beside the MkDocs site, so that it is served from the origin the room takes.
    code, out, err = invoke("build", "--no-pdf", "--engine", "zensical", "--site-dir", "site/zensical", cwd=served.folder)
    assert code == 0, out + err
    opened = Phone.lead(served.room.port, "Crisis lead")
    lead, shown = opened
    with _phones(1) as (page,):
        page.goto(f"{served.origin}/zensical/{ENGLISH}")
        page.evaluate("localStorage.setItem('crisisplan-incident:who', 'Spokesperson')")
        _join(page, f"{served.origin}/zensical/{ENGLISH}", share_code(lead.incident, shown))
        _status_says(page, "Sent")
        lead.act("note", text="Called the customer back")
        page.wait_for_function(
            "document.querySelector('.cp-inc-log-list').textContent.includes('Called the customer back')", timeout=2000
        )
        assert "Crisis lead" in page.locator(".cp-inc-log-list").text_content()


def share_code(incident: str, code: str) -> str:
    """The join code as the lead's phone shows it (incident-share.js joinCode)."""
    plain = (incident + code.replace("-", "")).upper()
    return f"{plain[:4]}-{plain[4:8]}-{plain[8:13]}-{plain[13:]}"


@pytest.fixture
def plain_site(example_site: Path) -> Path:
    """The example plans built without room: (the suite's one shared build, conftest.py):
    file://, no server of any kind."""
    return example_site


def test_without_a_room_the_page_has_none_and_makes_no_request(plain_site: Path) -> None:
    pages = list(plain_site.rglob("*.html"))
    assert not any("data-cp-room" in page_file.read_text(encoding="utf-8") for page_file in pages)
    assert "data-cp-roles=" in (plain_site / EXAMPLE).read_text(encoding="utf-8")
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((plain_site / EXAMPLE).as_uri())
        assert page.locator(".cp-inc-room").count() == 0
        action = page.locator("li.cp-action[data-cp-action='action-1']")
        action.locator(".cp-check").check()
        # Asked beside the tick that started the clock, once, on this device.
        action.locator(".cp-inc-who-role").select_option("Spokesperson")
        page.locator(".cp-inc-note-text").fill("Holding statement ready")
        page.locator(".cp-inc-add-note").click()
        assert {e["by"] for e in page.evaluate(EVENTS)} == {"Spokesperson"}
        assert page.locator(".cp-inc-who-line").inner_text() == "You are: Spokesperson · Change"
        page.goto((plain_site / "brightbrew/scenarios/product-recall.html").as_uri())
        page.locator(".cp-inc-start-button").click()
        assert page.locator(".cp-inc-who").count() == 0
        assert blocked == []


def test_a_log_handed_over_by_file_is_added_once_and_a_wrong_file_refused(plain_site: Path, tmp_path: Path) -> None:
    url = (plain_site / EXAMPLE).as_uri()
    with offline_browser(width=375, height=812) as (one, blocked_one), offline_browser(width=375, height=812) as (two, blocked_two):
        for page, who in ((one, "Crisis lead"), (two, "Legal counsel")):
            page.goto(url)
            page.evaluate(f"localStorage.setItem('crisisplan-incident:who', {json.dumps(who)})")
            page.reload()
            page.locator(".cp-inc-start-button").click()
        one.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()
        one.locator(".cp-inc-note-text").fill("Customer called back")
        one.locator(".cp-inc-add-note").click()
        two.locator("li.cp-action[data-cp-action='action-1'] .cp-check").check()
        two.locator("li.cp-action[data-cp-action='action-1'] .cp-check").uncheck()
        with one.expect_download() as caught:
            one.locator(".cp-inc-download").click()
        handed = tmp_path / "from-one.json"
        caught.value.save_as(handed)
        assert json.loads(handed.read_text(encoding="utf-8"))["by"] == "Crisis lead"

        said = two.locator(".cp-inc-running .cp-inc-handover-said")
        picker = two.locator(".cp-inc-running .cp-inc-import-file")
        picker.set_input_files(str(handed))
        said.filter(has_text="added").wait_for()
        assert said.inner_text() == "3 new entries added."
        picker.set_input_files(str(handed))
        said.filter(has_text="0 new").wait_for()
        events = two.evaluate(EVENTS)
        assert sorted((e["by"], e["kind"], e.get("done", True)) for e in events if e["kind"] != "start") == [
            ("Crisis lead", "action", True),
            ("Crisis lead", "note", True),
            ("Legal counsel", "action", False),
            ("Legal counsel", "action", True),
        ]
        wrong = tmp_path / "notes.json"
        wrong.write_text('{"hello": "world"}', encoding="utf-8")
        picker.set_input_files(str(wrong))
        said.filter(has_text="not a log").wait_for()
        assert said.inner_text() == (
            'This file is not a log saved from a runbook page. Choose the .json file that "Download log" saved on the other phone.'
        )
        assert len(two.evaluate(EVENTS)) == len(events)
        assert blocked_one == blocked_two == []


def test_the_public_edition_never_carries_the_room() -> None:
    plan = checked_plan(PLAN)
    today = dt.date.fromisoformat(TODAY)
    for public, expected in ((True, False), (False, True)):
        pages = generate([SitePlan(plan, "segarkita")], today, public=public, pdf=False, room="https://room.example.org")
        scenario_page = pages.files[f"segarkita/scenarios/{SCENARIO}.md"]
        assert ('data-cp-room="https://room.example.org"' in scenario_page) is expected
        assert not public or not any("data-cp-room" in text for text in pages.files.values())


def test_a_log_handed_over_by_qr_links_is_added_after_asking(plain_site: Path) -> None:
    url = (plain_site / EXAMPLE).as_uri()
    with offline_browser(width=375, height=812) as (one, blocked_one), offline_browser(width=375, height=812) as (two, blocked_two):
        one.goto(url)
        one.evaluate("localStorage.setItem('crisisplan-incident:who', 'Crisis lead')")
        one.reload()
        one.locator(".cp-inc-start-button").click()
        for number in range(40):  # a log long enough for several codes
            one.locator(".cp-inc-note-text").fill(f"Call {number}: customer {number * 7919 % 1000} reached, case noted")
            one.locator(".cp-inc-add-note").click()
        one.locator(".cp-inc-qr-show").click()
        links = []
        caption = one.locator(".cp-inc-qr-caption")
        caption.wait_for()
        total = int(caption.inner_text().rsplit(" of ", 1)[1])
        assert total > 1 and caption.inner_text().endswith(f"1 of {total}")
        for _ in range(total):
            links.append(one.locator(".cp-inc-qr img").get_attribute("data-cp-qr"))
            one.locator(".cp-inc-qr-next").click()
        assert all(link.startswith(url + "#cp-log=") for link in links)

        # The other phone's camera opens each link; the page asks before adding.
        two.on("dialog", lambda dialog: dialog.accept())
        for link in links:
            two.goto(link)
        two.wait_for_function("document.querySelector('.cp-inc-log-list') && document.querySelectorAll('.cp-inc-log-list li').length === 41")
        assert two.evaluate(EVENTS) == one.evaluate(EVENTS)
        assert "#" not in two.url  # taken off the address: a reload does not ask again
        assert blocked_one == blocked_two == []
