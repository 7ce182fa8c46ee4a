"""End to end in headless Chromium: the published site from file:// with no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser import offline_browser, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def site(example_site: Path) -> Path:
    # The suite's one build of the examples without PDFs (conftest.py), shared.
    return example_site


def search_for(page: Any, query: str) -> Any:
    """Type a query into Material's search, opened from the start page's search button,
    and wait for the results."""
    page.locator("button.cp-search-open").click()
    search = page.locator("input.md-search__input")
    assert search.is_visible()
    # Typed key by key, as a person does: Material searches on key events.
    search.press_sequentially(query, delay=40)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return search


def assert_at_the_top_of_hacked_account(page: Any) -> None:
    page.wait_for_url("**/brightbrew/scenarios/hacked-account.html*")
    assert "#" not in page.url  # the page, not a section of it
    page.wait_for_timeout(300)  # Material scrolls to a fragment after loading
    assert page.evaluate("window.scrollY") == 0
    heading = page.locator("h1").first
    assert heading.inner_text().rstrip("¶ ") == "A brand social media account is hacked"
    first = page.locator("li.cp-action").first
    assert first.is_visible()
    assert first.bounding_box()["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("width", [375, 1280])
def test_search_a_trigger_then_enter_opens_the_scenario_at_the_top(site: Path, width: int) -> None:
    with offline_browser(width=width, height=812) as (page, blocked):
        page.goto((site / "index.html").as_uri())
        search = search_for(page, "giveaway")
        first = page.locator(".md-search-result__item > a").first
        assert "hacked-account.html" in (first.get_attribute("href") or "")
        screenshot(page, f"browser-search-results-{width}.png")
        search.press("Enter")
        assert_at_the_top_of_hacked_account(page)
        statement = page.locator("#statement-hacked-warning .cp-text").first
        assert "never send money or card details" in statement.inner_text()
        assert blocked == [], f"the site tried to reach the network: {blocked}"


@pytest.mark.parametrize("query", ["instagram", "giveway"])
def test_a_channel_name_or_a_typo_finds_the_scenario_and_opens_it_at_the_top(site: Path, query: str) -> None:
    """The channel chips are words of their own ("instagram" used to be indexed as
    "XInstagramFacebook"), and one typo ("giveway") still finds the scenario."""
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "index.html").as_uri())
        search_for(page, query)
        result = page.locator(".md-search-result__item > a[href*='brightbrew/scenarios/hacked-account.html']")
        assert result.count() == 1  # the whole scenario is one result: no section to land in
        assert "#" not in (result.get_attribute("href") or "")
        result.click()
        assert_at_the_top_of_hacked_account(page)
        assert blocked == []


def test_search_index_has_words_not_runs_of_them(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    page = docs["brightbrew/scenarios/hacked-account.html"]
    # One entry per scenario page, holding all its sections.
    assert not [loc for loc in docs if loc.startswith("brightbrew/scenarios/hacked-account.html#")]
    assert "X Instagram Facebook" in page["text"]
    assert "XInstagram" not in page["text"]
    assert "keep criticism Never hide" in page["text"]
    assert {"giveaway", "instagram", "facebook", "crypto", "hacked"} <= set(page["terms"].split())
    assert index["config"]["fields"]["terms"] == {"boost": 100.0}


def test_scenario_page_on_a_phone_opens_with_what_to_do_and_who_to_call(site: Path) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        # The severity, then the first action with its time and a number to call, all
        # on the first screen.
        badge = page.locator(".cp-severity .cp-badge")
        assert badge.inner_text() == "Level 3: crisis"
        first_action = page.locator("li.cp-action").first
        assert first_action.locator(".cp-at").inner_text() == "T+10m"
        call = first_action.locator("a.cp-tel")
        assert call.get_attribute("href") == "tel:+447700900113"
        assert call.locator(".cp-call-person").inner_text() == "Kofi Mensah"
        for element in (badge, first_action, call):
            box = element.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 812, element
        assert badge.bounding_box()["y"] < first_action.bounding_box()["y"]
        # Who to tell next, with their numbers, right after the actions.
        tell = page.locator(".cp-tell-next li").first
        assert tell.get_attribute("data-cp-next-escalation") == "escalation-1"
        assert tell.locator("a.cp-tel").count() == 2
        # The hooks the incident clock reads.
        assert first_action.get_attribute("data-cp-offset-minutes") == "10"
        incident = page.locator("div.cp-incident")
        assert incident.get_attribute("data-cp-scenario") == "brightbrew/hacked-account"
        assert incident.get_attribute("data-cp-first-statement-minutes") == "60"
        screenshot(page, "browser-phone-scenario.png")
        # The statement is one tap away: the jump bar stays on screen and lands on it.
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(200)
        jump = page.locator("nav.cp-jump")
        assert 0 <= jump.bounding_box()["y"] < 120  # stuck under the header
        jump.get_by_role("link", name="Statement").click()
        page.wait_for_timeout(300)
        card = page.locator("#statement-hacked-warning")
        box = card.bounding_box()
        assert box is not None and jump.bounding_box()["y"] + jump.bounding_box()["height"] <= box["y"] < 812
        screenshot(page, "browser-phone-jump-to-statement.png")
        jump.get_by_role("link", name="Escalation").click()
        page.wait_for_timeout(300)
        assert 0 < page.locator("ol.cp-timeline").bounding_box()["y"] < 812
        assert blocked == []


def test_start_page_on_a_phone(site: Path) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "index.html").as_uri())
        button = page.locator("button.cp-search-open")
        assert button.bounding_box()["y"] < 250  # where a thumb finds it
        # Most severe first; the first plan's scenarios start on the first screen, under
        # the chooser of a site of several plans, which is there in full.
        cards = page.locator(".cp-scenarios").first.locator("a.cp-scenario-card")
        bands = cards.evaluate_all("cs => cs.map(c => c.className.match(/cp-card-(\\w+)/)[1])")
        order = {"high": 0, "mid": 1, "low": 2}
        assert bands == sorted(bands, key=order.__getitem__)
        last_plan = page.locator(".cp-chooser a.cp-choice-plan").last.bounding_box()
        assert last_plan["y"] + last_plan["height"] <= 812
        assert cards.nth(1).bounding_box()["y"] + cards.nth(1).bounding_box()["height"] <= 812
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        screenshot(page, "browser-phone-start.png")
        button.click()
        assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")
        assert blocked == []


def test_desktop_screenshots(site: Path) -> None:
    with offline_browser(width=1280, height=900) as (page, blocked):
        page.goto((site / "index.html").as_uri())
        screenshot(page, "browser-desktop-start.png")
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        assert page.locator("li.cp-action a.cp-tel").first.bounding_box()["y"] < 900
        screenshot(page, "browser-desktop-scenario.png")
        assert blocked == []


# Scenario pages on a phone, in Malay (the longest chip labels) and in English: the
# chips' labels and the words that end each one's section heading.
JUMP_PAGES = {
    "kodmuda/scenarios/hantaran-kesat.html": ["Lakukan sekarang", "Kenyataan", "Eskalasi", "Telefon", "Situasi"],
    "brightbrew/scenarios/hacked-account.html": ["Do now", "Statement", "Escalation", "Call", "Situation"],
}
TAP_TARGET = 44  # CSS pixels: WCAG 2.5.5, Apple's and Google's guidance for a thumb


def phone_link_heights(page: Any) -> list[float]:
    heights: list[float] = page.eval_on_selector_all(
        "a[href^='tel:']", "as => as.filter(a => a.offsetParent).map(a => a.getBoundingClientRect().height)"
    )
    return heights


def check_jump_bar_on_a_phone(page: Any, chips: list[str]) -> None:
    """Each chip tapped in turn, the last one first: it is marked as the current one and
    is wholly in view in the bar, and its section's start (its heading, or what comes
    before the heading, like "Then tell" under "Do now") shows below the bar."""
    bar = page.locator("nav.cp-jump")
    for label in [chips[-1], *chips[1:-1], chips[0]]:
        chip = bar.get_by_role("link", name=label, exact=True)
        chip.click()
        page.wait_for_timeout(300)
        assert bar.locator("a[aria-current]").all_inner_texts() == [label]
        outer, inner = bar.bounding_box(), chip.bounding_box()
        assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"], label
        target = (chip.get_attribute("href") or "")[1:]
        heading = page.locator(f"[id='{target}'] + *")
        top = heading.bounding_box()["y"]
        assert outer["y"] + outer["height"] <= top < page.viewport_size["height"] / 3, (label, top)
    # Scrolling by hand, from the top to the middle of the last chip's section, moves
    # the mark too and brings that chip (off the bar's edge in Malay) into view.
    last_heading = page.locator(f"[id='{(bar.locator('a').last.get_attribute('href') or '')[1:]}'] + *")
    page.mouse.wheel(0, last_heading.bounding_box()["y"])
    page.wait_for_timeout(400)
    last = bar.get_by_role("link", name=chips[-1], exact=True)
    assert bar.locator("a[aria-current]").all_inner_texts() == [chips[-1]]
    box = last.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("name", list(JUMP_PAGES))
def test_jump_bar_on_a_phone_shows_where_the_reader_is(site: Path, name: str) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / name).as_uri())
        bar = page.locator("nav.cp-jump")
        assert bar.locator("a[aria-current]").all_inner_texts() == [JUMP_PAGES[name][0]]
        check_jump_bar_on_a_phone(page, JUMP_PAGES[name])
        screenshot(page, f"browser-phone-jump-{name.split('/')[0]}.png")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        assert blocked == []


def test_phone_numbers_are_thumb_sized_on_a_phone_only(site: Path) -> None:
    name = "kodmuda/scenarios/hantaran-kesat.html"
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / name).as_uri())
        heights = phone_link_heights(page)
        assert len(heights) > 5 and min(heights) >= TAP_TARGET
        # Still what to do and whom to call on the first screen.
        call = page.locator("li.cp-action a.cp-tel").first.bounding_box()
        assert call["y"] + call["height"] <= 812
    with offline_browser(width=1280, height=900) as (page, blocked):
        page.goto((site / name).as_uri())
        assert max(phone_link_heights(page)) < 32  # a mouse needs no bigger line
        assert blocked == []


def test_no_page_scrolls_sideways_on_a_phone(site: Path) -> None:
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    wide = []
    with offline_browser(width=375, height=812, watch=False) as (page, _):
        for path in pages:
            # Stylesheets are in place by then; scripts that only add behaviour need not run.
            page.goto(path.as_uri(), wait_until="domcontentloaded")
            if page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 1:
                wide.append(str(path.relative_to(site)))
    assert len(pages) > 40
    assert wide == []


def test_every_page_says_its_version_and_that_copies_go_out_of_date(site: Path) -> None:
    for path in [site / "index.html", *sorted((site / "brightbrew").rglob("*.html"))]:
        text = path.read_text(encoding="utf-8")
        assert "Version 4.1 · last reviewed 15 October 2026" in text, path
        assert "Printed and offline copies go out of date." in text, path
    team = (site / "brightbrew" / "team.html").read_text(encoding="utf-8")
    assert '<footer class="cp-plan-status">' in team


def test_copy_button_copies_the_statement(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "segarkita" / "scenarios" / "keluhan-viral.html").as_uri())
        card = page.locator("#statement-balasan-keluhan")
        # The English tab shows the English text.
        card.locator("label.cp-tab-label", has_text="English").click()
        english = card.locator(".cp-variant[lang=en] .cp-text")
        assert english.is_visible()
        button = card.locator(".cp-variant[lang=en] .cp-copy")
        assert button.inner_text() == "Salin"  # the plan's language: Bahasa Indonesia
        card.locator("input[data-ph=nama]").fill("Budi")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Hi Budi, we're sorry about your order.")
        assert copied == english.inner_text()
        # The same value fills the Bahasa Indonesia text too.
        card.locator("label.cp-tab-label", has_text="Bahasa Indonesia").click()
        assert card.locator(".cp-variant[lang=id] .cp-text").inner_text().startswith("Halo Budi,")
        assert blocked == []


def test_composer_fills_the_statement_counts_and_copies_the_filled_text(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        card = page.locator("#statement-hacked-warning")
        text = card.locator(".cp-variant[lang=en] .cp-text")
        count = card.locator(".cp-variant[lang=en] .cp-length")
        button = card.locator(".cp-variant[lang=en] .cp-copy")
        # Before filling: the length counts {platform} at its longest (10) and {time}
        # as its example, as the checker does.
        assert count.inner_text() == "200"
        card.locator("input[data-ph=platform]").fill("Instagram")
        # Refused while {time} is empty, naming it, and nothing is copied.
        page.evaluate("navigator.clipboard.writeText('before')")
        button.click()
        assert button.inner_text() == "Fill in {time} first"
        assert page.evaluate("document.activeElement.dataset.ph") == "time"
        assert page.evaluate("navigator.clipboard.readText()") == "before"
        card.locator("input[data-ph=time]").press_sequentially("16:00 GMT")
        expected = (
            "Our Instagram account has been hacked. Please don't click links or reply to messages "
            "from it, and never send money or card details. We're working to get it back and will "
            "update you here by 16:00 GMT."
        )
        assert text.inner_text() == expected
        assert count.inner_text() == "199"  # the same count as `crisisplan statement`
        assert button.inner_text() == "Copy"  # typing answered the "fill in" message
        screenshot(page, "browser-composer.png")
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert blocked == []


def test_composer_shows_a_value_too_long_and_never_cuts_it(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "segarkita" / "scenarios" / "hoaks-produk.html").as_uri())
        card = page.locator("#statement-klarifikasi-hoaks")
        field = card.locator(".cp-variant[lang=id] input[data-ph=fakta]")
        assert field.get_attribute("maxlength") is None
        too_long = "Fakta. " * 30
        field.fill(too_long)
        # Kept as typed, and shown as too long, in the plan's language.
        assert field.input_value() == too_long
        assert field.get_attribute("aria-invalid") == "true"
        message = card.locator(".cp-variant[lang=id] .cp-field:has(input[data-ph=fakta]) .cp-field-msg")
        assert message.inner_text() == "Terlalu panjang: paling banyak 100 karakter"
        assert message.is_visible()
        card.locator(".cp-variant[lang=id] input[data-ph=produk]").fill("P" * 40)
        card.locator("input[data-ph=tautan]").fill("t" * 30)
        # The statement is now longer than X allows: a red count and a sentence saying so.
        length = int(card.locator(".cp-variant[lang=id] .cp-length").inner_text())
        assert length > 280
        assert "cp-over" in (card.locator(".cp-variant[lang=id] .cp-count").get_attribute("class") or "")
        warning = card.locator(".cp-variant[lang=id] .cp-too-long")
        assert warning.is_visible()
        assert warning.inner_text() == "Terlalu panjang untuk X: perpendek sebelum diunggah."
        screenshot(page, "browser-composer-too-long.png")
        # Shortened again: the messages go.
        field.fill("Produk ini bersertifikat halal.")
        assert field.get_attribute("aria-invalid") is None
        assert not message.is_visible()
        assert not warning.is_visible()
        assert blocked == []


def test_composer_examples_look_like_examples(site: Path) -> None:
    with offline_browser() as (page, _):
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        field = page.locator("#statement-hacked-warning input[data-ph=platform]")
        assert field.get_attribute("placeholder") == "e.g. Instagram"
        style = field.evaluate("e => { const s = getComputedStyle(e, '::placeholder'); return [s.fontStyle, s.color]; }")
        assert style == ["italic", "rgb(118, 118, 118)"]
        # Typed values are upright and dark: nobody mistakes one for the other.
        field.fill("TikTok")
        assert field.evaluate("e => getComputedStyle(e).fontStyle") == "normal"


def test_a_statement_written_as_a_literal_block_copies_as_paragraphs(site: Path) -> None:
    with offline_browser() as (page, _):
        page.goto((site / "brightbrew" / "scenarios" / "offensive-post.html").as_uri())
        card = page.locator("#statement-offensive-post-linkedin")
        card.locator("input[data-ph=channel_name]").fill("Instagram")
        card.locator("input[data-ph=date]").fill("20 November")
        card.locator(".cp-copy").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == (
            "Today a post on our Instagram account caused real hurt. We took it down and we "
            "apologise, without reservation, to everyone it offended.\n\n"
            "We are reviewing how the post was written and approved. By 20 November we will "
            "publish what we are changing, including who reviews our content before it goes out."
        )


def test_copying_tells_the_page_what_was_copied(site: Path) -> None:
    """The "cp:copied" event the incident log listens to (assets/incident.js)."""
    with offline_browser() as (page, _):
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        page.evaluate("window.cpCopied = []; document.addEventListener('cp:copied', e => window.cpCopied.push(e.detail))")
        card = page.locator("#statement-hacked-warning")
        card.locator("input[data-ph=platform]").fill("Instagram")
        card.locator("input[data-ph=time]").fill("16:00 GMT")
        card.locator(".cp-copy").click()
        page.wait_for_function("window.cpCopied.length === 1")
        detail = page.evaluate("window.cpCopied[0]")
        assert detail["statement"] == "hacked-warning"
        assert detail["language"] == "en"
        assert detail["text"] == page.evaluate("navigator.clipboard.readText()")
        assert detail["text"].startswith("Our Instagram account has been hacked.")


def test_composer_keeps_each_language_value_in_its_own_statement(site: Path) -> None:
    """A value typed for the Indonesian text never lands in the English one; a value
    the plan marks as the same in every language is typed once for both."""
    with offline_browser() as (page, blocked):
        page.goto((site / "segarkita" / "scenarios" / "hoaks-produk.html").as_uri())
        card = page.locator("#statement-klarifikasi-hoaks")
        indonesian = card.locator(".cp-variant[lang=id] input[data-ph=fakta]")
        english = card.locator(".cp-variant[lang=en] input[data-ph=fakta]")
        assert indonesian.count() == 1 and english.count() == 1
        # tautan is marked same_in_every_language: one field, outside the tabs.
        assert card.locator("input[data-ph=tautan]").count() == 1
        card.locator("input[data-ph=tautan]").fill("segarkita.example/fakta")
        card.locator(".cp-variant[lang=id] input[data-ph=produk]").fill("Jus Jeruk")
        indonesian.fill("Produk ini bersertifikat halal BPJPH sejak 2024.")
        # The English fields are in the English tab.
        card.locator("label.cp-tab-label[lang=en]").click()
        card.locator(".cp-variant[lang=en] input[data-ph=produk]").fill("Orange Juice")
        filled_en = card.locator(".cp-variant[lang=en]").get_attribute("data-filled") or ""
        filled_id = card.locator(".cp-variant[lang=id]").get_attribute("data-filled") or ""
        assert "bersertifikat" in filled_id and "bersertifikat" not in filled_en
        assert "segarkita.example/fakta" in filled_id and "segarkita.example/fakta" in filled_en
        assert "Orange Juice" in filled_en and "Orange Juice" not in filled_id
        # The English copy refuses while its own fact is still empty.
        button = card.locator(".cp-variant[lang=en] .cp-copy")
        button.click()
        assert "{fakta}" in button.inner_text()
        assert blocked == []


def test_each_language_tab_asks_for_its_fields_in_its_language(site: Path) -> None:
    """Issue 19: on a Malay page the English tab's field said "Masa kemas kini
    seterusnya" with "cth. 4.00 petang" as its example. Each tab now asks in its own
    language, with its own example, and the Malay tab as before."""
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "kodmuda" / "scenarios" / "kebocoran-data-peserta.html").as_uri())
        card = page.locator("#statement-notis-kebocoran")
        malay = card.locator(".cp-variant[lang=ms] .cp-field-label").filter(has=page.locator("input[data-ph=masa]"))
        assert "Masa kemas kini seterusnya" in malay.inner_text()
        assert malay.locator("input").get_attribute("placeholder") == "cth. 4.00 petang"
        card.locator("label.cp-tab-label[lang=en]").click()
        english = card.locator(".cp-variant[lang=en] .cp-field-label").filter(has=page.locator("input[data-ph=masa]"))
        assert english.is_visible()
        assert "Time of the next update" in english.inner_text() and "Masa" not in english.inner_text()
        assert english.locator("input").get_attribute("placeholder") == "e.g. 4pm"
        screenshot(page, "browser-phone-composer-english-tab-on-malay-page.png")
        # On the English edition of the same plan, the Malay tab asks in Malay.
        page.goto((site / "en" / "kodmuda" / "scenarios" / "kebocoran-data-peserta.html").as_uri())
        malay = page.locator("#statement-notis-kebocoran .cp-variant[lang=ms] input[data-ph=masa]")
        assert malay.get_attribute("placeholder") == "cth. 4.00 petang"
        assert blocked == []
