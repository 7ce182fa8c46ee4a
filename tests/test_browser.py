"""End to end in headless Chromium: the published site from file:// with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import offline_browser, screenshot
from tests.conftest import build_examples

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("browser") / "site"
    build_examples(target, pdf=False)
    return target


def test_search_a_trigger_open_the_scenario_find_the_statement(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "index.html").as_uri())
        search = page.locator("input.md-search__input")
        search.click()
        # Typed key by key, as a person does: Material searches on key events.
        search.press_sequentially("giveaway", delay=40)
        result = page.locator(".md-search-result__item a[href*='hacked-account']").first
        result.wait_for(timeout=15_000)
        screenshot(page, "browser-search-results.png")
        result.click()
        page.wait_for_url("**/brightbrew/scenarios/hacked-account.html*")
        heading = page.locator("h1").first
        assert heading.inner_text().rstrip("¶ ") == "A brand social media account is hacked"
        statement = page.locator("#statement-hacked-warning .cp-text").first
        statement.scroll_into_view_if_needed()
        assert statement.is_visible()
        assert "never send money or card details" in statement.inner_text()
        shot = screenshot(page, "browser-scenario-from-search.png")
        assert shot.stat().st_size > 10_000
        assert blocked == [], f"the site tried to reach the network: {blocked}"


def test_scenario_page_on_a_phone(site: Path) -> None:
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "brightbrew" / "scenarios" / "product-recall.html").as_uri())
        # Nothing wider than the screen: no sideways scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        first_action = page.locator(".cp-actions li").first
        assert first_action.is_visible()
        assert first_action.bounding_box()["y"] < 812 * 1.5  # first actions near the top
        call = page.locator("a.cp-tel").first
        assert (call.get_attribute("href") or "").startswith("tel:+44")
        screenshot(page, "browser-phone-scenario.png")
        assert blocked == []


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


def test_composer_shows_when_a_value_makes_it_too_long(site: Path) -> None:
    with offline_browser() as (page, _):
        page.goto((site / "segarkita" / "scenarios" / "hoaks-produk.html").as_uri())
        card = page.locator("#statement-klarifikasi-hoaks")
        # maxlength keeps each value within the length the checker measured with...
        field = card.locator(".cp-variant[lang=id] input[data-ph=fakta]")
        assert field.get_attribute("maxlength") == "100"
        field.fill("Fakta. " * 30)
        assert len(field.input_value()) == 100
        # ...so even the longest values fit the tightest channel (X, 280).
        card.locator(".cp-variant[lang=id] input[data-ph=produk]").fill("P" * 40)
        card.locator("input[data-ph=tautan]").fill("t" * 30)
        length = int(card.locator(".cp-variant[lang=id] .cp-length").inner_text())
        assert length <= 280
        assert "cp-over" not in (card.locator(".cp-variant[lang=id] .cp-count").get_attribute("class") or "")


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
