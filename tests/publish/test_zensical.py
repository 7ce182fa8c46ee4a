"""The second engine: the example plans built with Zensical instead of MkDocs, and
checked in headless Chromium from file:// with the network blocked, as
test_browser.py checks the MkDocs site.

Zensical is real here (a child process of this interpreter). Without it the tests
skip, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.site.mkdocs_site import SiteBuildError
from crisisplan.publish.site.pages import Pages
from crisisplan.publish.site.zensical_site import (
    INSTALL_HINT,
    build_site_zensical,
    zensical_installed,
)
from tests.browser import ARTIFACTS, offline_browser, screenshot
from tests.publish.test_browser import (
    JUMP_PAGES,
    TAP_TARGET,
    check_jump_bar_on_a_phone,
    phone_link_heights,
)

PHONE = (375, 812)


@pytest.fixture(autouse=True, scope="module")
def _zensical() -> None:
    if not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")


@pytest.fixture
def site(request: pytest.FixtureRequest) -> Path:
    # The suite's one Zensical build of the examples (conftest.py), shared; asked for
    # here, after _zensical has made sure that Zensical is installed.
    shared: Path = request.getfixturevalue("zensical_example_site")
    return shared


@pytest.fixture
def mkdocs_site(example_site: Path) -> Path:
    # The suite's one MkDocs build of the examples without PDFs (conftest.py), shared.
    return example_site


def html_pages(site: Path) -> set[str]:
    return {page.relative_to(site).as_posix() for page in site.rglob("*.html")}


def page_lang(page: Path) -> str:
    found = re.search(r'<html lang="([^"]*)"', page.read_text("utf-8"))
    assert found, page
    return found[1]


def test_zensical_builds_the_same_pages_as_mkdocs(site: Path, mkdocs_site: Path) -> None:
    assert html_pages(site) == html_pages(mkdocs_site)
    # Each plan's pages say their own language in the root edition, as with MkDocs.
    assert page_lang(site / "segarkita" / "scenarios" / "hoaks-produk.html") == "id"
    assert page_lang(site / "kodmuda" / "index.html") == "ms"
    assert page_lang(site / "en" / "segarkita" / "index.html") == "en"
    # Offline search from file:// reads the index from a script, in every edition.
    for edition in (site, site / "en"):
        assert (edition / "search.js").read_text("utf-8").startswith("var __index = ")


def test_a_warning_names_the_page_and_the_place(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\nSee [the old page](old.md).\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Acme runbook\nsite_url: https://acme.example/runbook/\n", "utf-8"
    )
    pages = Pages({"index.md": "# Start\n"}, [{"Start": "index.md"}])
    warnings = build_site_zensical(
        pages, tmp_path / "work", tmp_path / "site", tmp_path / "mkdocs.yml", "en", "Runbook"
    )
    assert warnings == ["guide.md:3:20: page does not exist"]
    assert (tmp_path / "site" / "guide.html").is_file()


def test_a_material_mkdocs_yml_works_unchanged(tmp_path: Path) -> None:
    """Theme overrides beside mkdocs.yml, and the Python names Material's own
    documentation has teams write for icons."""
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Acme notice{% endblock %}\n', "utf-8"
    )
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Acme runbook\n"
        "site_url: https://acme.example/runbook/\n"
        "theme:\n  name: material\n  custom_dir: overrides\n"
        "markdown_extensions:\n"
        "  - attr_list\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
        "utf-8",
    )
    pages = Pages({"index.md": "# Start :material-alert:\n"}, [{"Start": "index.md"}])
    warnings = build_site_zensical(
        pages, tmp_path / "work", tmp_path / "site", tmp_path / "mkdocs.yml", "en", "Runbook"
    )
    assert warnings == []
    start = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "Acme notice" in start
    assert '<h1 id="start">Start <span class="twemoji"><svg' in start


def test_a_zensical_failure_is_a_site_build_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Acme runbook\ntheme:\n  name: material\n  custom_dir: missing\n", "utf-8"
    )
    pages = Pages({"index.md": "# Start\n"}, [{"Start": "index.md"}])
    with pytest.raises(SiteBuildError) as caught:
        build_site_zensical(
            pages, tmp_path / "work", tmp_path / "site", tmp_path / "mkdocs.yml", "en", "Runbook"
        )
    assert str(caught.value) == f"Custom theme directory does not exist: {tmp_path / 'missing'}"
    assert not (tmp_path / "site").exists()


def test_without_zensical_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules is how Python marks a module that cannot be imported.
    monkeypatch.setitem(sys.modules, "zensical", None)
    pages = Pages({"index.md": "# Start\n"}, [{"Start": "index.md"}])
    with pytest.raises(SiteBuildError) as caught:
        build_site_zensical(pages, tmp_path / "work", tmp_path / "site", None, "en", "Runbook")
    assert (
        str(caught.value)
        == INSTALL_HINT
        == "the zensical engine needs Zensical: pip install 'crisisplan[zensical]'"
    )


def page_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def crisisplan_assets(page: Any) -> dict[str, bool]:
    """Whether crisisplan's stylesheet and script are loaded and at work on the page."""
    result: dict[str, bool] = page.evaluate(
        """() => ({
            css: [...document.styleSheets].some(s => (s.href || '').endsWith('crisisplan/crisisplan.css')),
            js: [...document.scripts].some(s => s.src.endsWith('crisisplan/crisisplan.js')),
        })"""
    )
    return result


@pytest.mark.browser
def test_start_page_and_scenario_page_render_with_crisisplan_assets(site: Path) -> None:
    with offline_browser() as (page, blocked):
        errors = page_errors(page)
        page.goto((site / "index.html").as_uri())
        assert page.locator("h1").first.inner_text().rstrip("¶ ") == "What is happening?"
        assert crisisplan_assets(page) == {"css": True, "js": True}
        # A scenario card of the start page, laid out by crisisplan.css.
        card = page.locator("a.cp-scenario-card[href*='hacked-account']")
        assert card.is_visible()
        assert card.evaluate("a => getComputedStyle(a).display") == "flex"
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        heading = page.locator("h1").first
        assert heading.inner_text().rstrip("¶ ") == "A brand social media account is hacked"
        assert crisisplan_assets(page) == {"css": True, "js": True}
        assert page.locator(".cp-actions li").first.is_visible()
        assert errors == []
        assert blocked == [], f"the site tried to reach the network: {blocked}"


@pytest.mark.browser
def test_offline_search_finds_a_scenario_from_file_url(site: Path) -> None:
    with offline_browser() as (page, blocked):
        errors = page_errors(page)
        page.goto((site / "index.html").as_uri())
        page.locator(".md-search__button").first.click()
        # Zensical's search dialog (in a shadow root, which Playwright's locators enter).
        box = page.get_by_role("combobox", name="Search")
        # Typed key by key, as a person does.
        box.press_sequentially("giveaway", delay=40)
        result = page.locator("a[role=option][href*='hacked-account']").first
        result.wait_for(timeout=15_000)
        screenshot(page, "zensical-search-results.png")
        result.click()
        page.wait_for_url("**/brightbrew/scenarios/hacked-account.html*")
        assert (
            page.locator("h1").first.inner_text().rstrip("¶ ")
            == "A brand social media account is hacked"
        )
        statement = page.locator("#statement-hacked-warning .cp-text").first
        statement.scroll_into_view_if_needed()
        assert "never send money or card details" in statement.inner_text()
        assert errors == []
        assert blocked == []


@pytest.mark.browser
def test_composer_fills_the_statement(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "brightbrew" / "scenarios" / "hacked-account.html").as_uri())
        card = page.locator("#statement-hacked-warning")
        text = card.locator(".cp-variant[lang=en] .cp-text")
        count = card.locator(".cp-variant[lang=en] .cp-length")
        button = card.locator(".cp-variant[lang=en] .cp-copy")
        assert count.inner_text() == "200"
        card.locator("input[data-ph=platform]").fill("Instagram")
        card.locator("input[data-ph=time]").press_sequentially("16:00 GMT")
        expected = (
            "Our Instagram account has been hacked. Please don't click links or reply to messages "
            "from it, and never send money or card details. We're working to get it back and will "
            "update you here by 16:00 GMT."
        )
        assert text.inner_text() == expected
        assert count.inner_text() == "199"
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert blocked == []


@pytest.mark.browser
def test_scenario_page_on_a_phone_beside_mkdocs(site: Path, mkdocs_site: Path) -> None:
    """The same checks as test_browser's phone test, and a screenshot of each engine's
    page side by side in test-artifacts/engines-phone-scenario.png to look at."""
    from PIL import Image

    shots = []
    with offline_browser(*PHONE) as (page, blocked):
        for engine, built in (("mkdocs", mkdocs_site), ("zensical", site)):
            page.goto((built / "brightbrew" / "scenarios" / "product-recall.html").as_uri())
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, engine
            first_action = page.locator(".cp-actions li").first
            assert first_action.is_visible()
            assert first_action.bounding_box()["y"] < PHONE[1] * 1.5, engine
            call = page.locator("a.cp-tel").first
            assert (call.get_attribute("href") or "").startswith("tel:+44")
            shots.append(screenshot(page, f"{engine}-phone-scenario.png"))
        assert blocked == []
    images = [Image.open(shot) for shot in shots]
    gap = 24
    side_by_side = Image.new(
        "RGB", (sum(i.width for i in images) + gap, max(i.height for i in images)), "white"
    )
    side_by_side.paste(images[0], (0, 0))
    side_by_side.paste(images[1], (images[0].width + gap, 0))
    side_by_side.save(ARTIFACTS / "engines-phone-scenario.png")


@pytest.mark.browser
@pytest.mark.parametrize("name", list(JUMP_PAGES))
def test_phone_numbers_and_jump_bar_on_a_phone(site: Path, name: str) -> None:
    """As on the MkDocs site: thumb-sized phone links, and a jump bar that marks the
    section being read, keeps its chip in view and lands headings below itself."""
    with offline_browser(*PHONE) as (page, blocked):
        errors = page_errors(page)
        page.goto((site / name).as_uri())
        assert min(phone_link_heights(page)) >= TAP_TARGET
        check_jump_bar_on_a_phone(page, JUMP_PAGES[name])
        screenshot(page, f"zensical-phone-jump-{name.split('/')[0]}.png")
        assert errors == []
        assert blocked == []


# The colour and opacity of Zensical's search sheet (in its shadow root), and of the
# theme's background it should have.
SEARCH_SHEET = """() => {
  const host = [...document.body.children].find(e => e.shadowRoot && e.shadowRoot.querySelector("[role=combobox]"));
  const sheet = host.shadowRoot.querySelector("dialog > div:has([role=combobox])");
  const probe = document.createElement("div");
  probe.style.color = getComputedStyle(document.body).getPropertyValue("--md-default-bg-color");
  document.body.appendChild(probe);
  const theme = getComputedStyle(probe).color;
  probe.remove();
  const style = getComputedStyle(sheet);
  return {background: style.backgroundColor, blur: style.backdropFilter, theme: theme};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("start", ["index.html", "kodmuda/index.html"])
def test_search_results_sheet_is_opaque_on_a_phone(site: Path, start: str) -> None:
    """The result sheet used to be 70% opaque: the page's chips and headings showed
    through the results."""
    with offline_browser(*PHONE) as (page, blocked):
        page.goto((site / start).as_uri())
        page.locator("label[for=__search]").first.click()
        page.get_by_role("combobox").first.press_sequentially("bocor", delay=30)
        page.locator("a[role=option]").first.wait_for(timeout=15_000)
        sheet = page.evaluate(SEARCH_SHEET)
        assert sheet["background"] == sheet["theme"] == "rgb(255, 255, 255)", sheet
        assert sheet["blur"] == "none"
        screenshot(page, f"zensical-phone-search-{start.split('/')[0].removesuffix('.html')}.png")
        assert blocked == []
