"""Enter in the search box opens the scenario the reader needs, on both engines.

Realistic queries in English, Malay and Indonesian (one with a typo in each language),
typed key by key on the example site's start page on a phone (375x812), from file://
with the network blocked, then Enter: the scenario page opens, at its top. One Chromium
page per engine serves every query. Also: the index both engines search holds one entry
per page and what each plan says about its scenarios (assets/search-scenarios.js).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.site.search import localize_search_index
from crisisplan.publish.site.zensical_site import zensical_installed
from tests.browser import offline_browser, screenshot

LEAK = ("kodmuda/scenarios/kebocoran-data-peserta.html", "segarkita/scenarios/kebocoran-data.html")

# query -> the scenario pages any of which the reader needs (both plans in Malay and
# Indonesian have a data leak scenario: "bocor" is a word of both languages).
QUERIES: dict[str, tuple[str, ...]] = {
    "instagram": ("brightbrew/scenarios/hacked-account.html",),
    "instgram": ("brightbrew/scenarios/hacked-account.html",),  # English typo
    "giveway": ("brightbrew/scenarios/hacked-account.html",),
    "alergy": ("brightbrew/scenarios/product-recall.html",),
    "bocor": LEAK,
    "data bocor": LEAK,
    "bocoran data": LEAK,
    "kebocran data peserta": ("kodmuda/scenarios/kebocoran-data-peserta.html",),  # Malay typo
    "buli": ("kodmuda/scenarios/hantaran-kesat.html",),
    "ambilan dibatalkan": ("kodmuda/scenarios/ambilan-dibatalkan.html",),
    "hoaks": ("segarkita/scenarios/hoaks-produk.html",),
    "data pelangan bocor": ("segarkita/scenarios/kebocoran-data.html",),  # Indonesian typo
    "keluhan viral": ("segarkita/scenarios/keluhan-viral.html",),
    # Danish, from the Fjordby plan: a resident's words, one with a typo.
    "drikkevand": ("fjordby/scenarios/forurenet-drikkevand.html",),
    "forurenet drikevand": ("fjordby/scenarios/forurenet-drikkevand.html",),  # Danish typo
    "cyberangreb": ("fjordby/scenarios/cyberangreb.html",),
    "ulykke skole": ("fjordby/scenarios/doedsulykke.html",),
}

ENGINES = ["mkdocs", "zensical"]


def _built(request: pytest.FixtureRequest, engine: str) -> Path:
    if engine == "zensical" and not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    site: Path = request.getfixturevalue("example_site" if engine == "mkdocs" else "zensical_example_site")
    return site


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    """One phone-sized page for every test of the module."""
    from playwright.sync_api import Error

    session = offline_browser(width=375, height=812)
    page, blocked = session.__enter__()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, blocked, errors
    # conftest.py closes the shared Chromium after the module's last test, and the page with it.
    with contextlib.suppress(Error):
        session.__exit__(None, None, None)


def open_search(page: Any, site: Path, engine: str) -> Any:
    page.goto((site / "index.html").as_uri())
    page.locator("button.cp-search-open").click()
    if engine == "mkdocs":
        return page.locator("input.md-search__input"), ".md-search-result__item"
    # Zensical's search dialog, in a shadow root (Playwright's locators enter it).
    return page.get_by_role("combobox", name="Search"), "a[role=option]"


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", list(QUERIES))
def test_a_query_then_enter_opens_the_scenario(
    request: pytest.FixtureRequest, phone: Any, engine: str, query: str
) -> None:
    site = _built(request, engine)
    page, blocked, errors = phone
    box, results = open_search(page, site, engine)
    # Typed key by key, as a person does: both engines search on key events.
    box.press_sequentially(query, delay=10)
    page.locator(results).first.wait_for(timeout=15_000)
    box.press("Enter")
    page.wait_for_url("**/scenarios/*.html", timeout=10_000)
    opened = page.url.removeprefix(site.as_uri() + "/")
    assert opened in QUERIES[query], f"{engine}: {query!r} opened {opened}"
    assert page.evaluate("window.scrollY") == 0  # at the top, where the first actions are
    assert page.locator("li.cp-action").first.is_visible()
    assert blocked == [] and errors == []


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_results_of_another_plan_or_language_are_labelled(request: pytest.FixtureRequest, phone: Any, engine: str) -> None:
    site = _built(request, engine)
    page, blocked, errors = phone
    box, results = open_search(page, site, engine)
    box.press_sequentially("bocor", delay=25)
    page.locator(results).first.wait_for(timeout=15_000)
    labels = page.locator(".cp-search-other")
    labels.first.wait_for(timeout=5_000)
    # On the English start page, in English: the plan and the language of the result.
    assert {"KodMuda · Malay", "SegarKita · Indonesian"} <= set(labels.all_inner_texts())
    # Seen, not only there: nothing of the result list is drawn over a label (Zensical
    # drew its highlight over it).
    labels.first.scroll_into_view_if_needed()
    on_top = labels.first.evaluate(
        "n => { const r = n.getBoundingClientRect(); return n.getRootNode().elementFromPoint(r.left + 4, r.top + 4) === n; }"
    )
    assert on_top
    screenshot(page, f"{engine}-phone-search-labels.png")
    # On a KodMuda page (Malay), in Malay: only the other plan's results are labelled.
    page.goto((site / "kodmuda" / "index.html").as_uri())
    page.locator("button.cp-search-open, .md-search__button, label[for=__search]").first.click()
    box = page.locator("input.md-search__input") if engine == "mkdocs" else page.get_by_role("combobox")
    box.first.press_sequentially("instagram", delay=25)
    labels.first.wait_for(timeout=15_000)
    texts = set(labels.all_inner_texts())
    assert texts and all(t.startswith(("Brightbrew Coffee", "SegarKita")) for t in texts), texts
    # The language's name in Malay, from the browser (Intl.DisplayNames): "Indonesia".
    assert page.evaluate("new Intl.DisplayNames(['ms'], {type: 'language'}).of('id')") in {t.split(" · ")[-1] for t in texts}
    box.first.press("Enter")
    page.wait_for_url("**/kodmuda/scenarios/*.html", timeout=10_000)  # its own plan first
    assert blocked == [] and errors == []


@pytest.mark.parametrize("engine", ENGINES)
def test_the_index_has_one_entry_per_page_and_the_scenarios(request: pytest.FixtureRequest, engine: str) -> None:
    site = _built(request, engine)
    file, key = ("search/search_index.json", "docs") if engine == "mkdocs" else ("search.json", "items")
    index = json.loads((site / file).read_text("utf-8"))
    locations = [entry["location"] for entry in index[key]]
    assert not [at for at in locations if "#" in at]
    assert len(locations) == len(set(locations))
    plans = {plan["slug"]: (plan["name"], plan["lang"]) for plan in index["crisisplan"]["plans"]}
    expected = {"brightbrew": ("Brightbrew Coffee", "en"), "kodmuda": ("KodMuda", "ms"), "segarkita": ("SegarKita", "id")}
    assert expected.items() <= plans.items()  # and any plan added to the examples since
    scenarios = {s["location"]: s for s in index["crisisplan"]["scenarios"]}
    assert set(scenarios) == {at for at in locations if "/scenarios/" in at}
    leak = scenarios["kodmuda/scenarios/kebocoran-data-peserta.html"]
    assert leak["plan"] == "kodmuda" and leak["lang"] == "ms"
    # Keywords, channels and triggers, with the roots of Malay words.
    assert {"kebocoran", "bocor", "pdpa", "whatsapp", "telegram"} <= set(leak["terms"].split())
    assert "peribadi" in leak["title"].split()


def test_running_it_again_changes_nothing(example_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    for name in ("search/search_index.json", "search/search_index.js"):
        (site / name).write_bytes((example_site / name).read_bytes())
    before = (site / "search/search_index.json").read_text("utf-8")
    # Every plan of the examples, with its languages as the build gives them.
    plans = {
        plan["slug"]: [plan["lang"], *(["en"] if (example_site / "en" / plan["slug"]).is_dir() else [])]
        for plan in json.loads(before)["crisisplan"]["plans"]
    }
    assert {"brightbrew": ["en"], "kodmuda": ["ms", "en"], "segarkita": ["id", "en"]}.items() <= plans.items()
    for plan in plans:
        for page in (example_site / plan).rglob("*.html"):
            target = site / page.relative_to(example_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.read_bytes())
    localize_search_index(site, "en", plans)
    assert (site / "search/search_index.json").read_text("utf-8") == before
