"""Search in the reader's language: folded spellings, Indonesian and Malay roots, and
Danish stemming of what is typed, with results that show the page's own words.

The plans in tests/search_language/ are built for real; the browser tests type into
Material's search in headless Chromium, from file:// with the network blocked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.site.search import (
    OFFLINE_INDEX,
    OFFLINE_PREFIX,
    SEPARATOR,
    MalayIndonesianRoots,
    SearchIndexReport,
    affix_candidates,
    fold,
    folded_forms,
    localize_search_index,
)
from tests.browser import offline_browser
from tests.conftest import ROOT, TESTS, TODAY

PLANS = TESTS / "search_language"
SCRIPT = ROOT / "src" / "crisisplan" / "assets" / "search.js"


def build_only(plan: Path, site: Path) -> None:
    """A real build of one plan, without PDFs."""
    from crisisplan.publish.build import build
    from crisisplan.publish.options import BuildOptions

    result = build(
        BuildOptions(
            paths=[plan],
            site_dir=site,
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            pdf=False,
        )
    )
    assert result.built, result.report.diagnostics


def build_site(plan: Path, site: Path, languages: Sequence[str]) -> SearchIndexReport:
    """A real build of one plan, then the search index in the plan's language."""
    build_only(plan, site)
    slug = plan.stem if plan.is_file() else plan.name
    report = localize_search_index(site, languages[0], {slug: languages})
    assert report is not None
    return report


def index_of(site: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return loaded


def variants(index: dict[str, Any], page: str) -> set[str]:
    """The forms added to the entries of one page (the page and its sections)."""
    docs = [d for d in index["docs"] if d["location"].split("#")[0] == page]
    assert docs, page
    return {form for d in docs for form in f"{d.get('title_variants', '')} {d.get('text_variants', '')}".split()}


@pytest.fixture(scope="module")
def danish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("danish") / "site"
    build_site(PLANS / "danish", site, ["da"])
    return site


@pytest.fixture(scope="module")
def indonesian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("indonesian") / "site"
    build_site(PLANS / "indonesian", site, ["id"])
    return site


def test_folding_for_readers_without_the_letters() -> None:
    assert fold("Café") == "Cafe"
    assert folded_forms("læk") == ["laek"]
    assert folded_forms("søren") == ["soren", "soeren"]
    assert folded_forms("årsag") == ["arsag", "aarsag"]
    assert folded_forms("straße") == ["strasse"]
    assert folded_forms("kunder") == []


def test_indonesian_and_malay_roots() -> None:
    roots = MalayIndonesianRoots([])
    assert roots("kebocoran") == ["bocor"]
    assert roots("menyapu") == ["sapu"]
    assert roots("perkhidmatan") == ["khidmat"]  # Malay, in Sastrawi's dictionary too
    assert roots("bocor") == []
    assert roots("café") == []  # Sastrawi would read it as "caf"
    # A root no dictionary has counts when the plan itself uses the word.
    assert "tanggungjawab" in affix_candidates("bertanggungjawab")
    assert roots("bertanggungjawab") == []
    assert MalayIndonesianRoots(["tanggungjawab"])("bertanggungjawab") == ["tanggungjawab"]


def test_danish_index_holds_folded_forms_and_shows_the_same_text(danish: Path, tmp_path: Path) -> None:
    index = index_of(danish)
    config = index["config"]
    assert config["lang"] == ["da"]
    assert "stemmer" not in config["pipeline"]  # typed words are prefixes: see search.js
    assert config["separator"] == SEPARATOR
    assert config["fields"]["title_variants"] == config["fields"]["title"]
    assert config["fields"]["text_variants"] == config["fields"]["text"]
    assert {"aarsag", "arsag", "aarsagen", "laek"} <= variants(index, "danish/scenarios/vandlaek.html")
    assert {"soren", "soeren"} <= variants(index, "danish/team.html")
    assert "cafe" in variants(index, "danish/index.html")
    # What readers see is the page's own text: the titles and texts MkDocs wrote (read
    # before the forms are added), never an added form.
    again = tmp_path / "site"
    build_only(PLANS / "danish", again)
    shown = [(d["location"], d["title"], d["text"]) for d in index_of(again)["docs"]]
    assert shown == [(d["location"], d["title"], d["text"]) for d in index["docs"]]
    for doc in index["docs"]:
        words = set(re.findall(r"[^\W_]+", f"{doc['title']} {doc['text']}".lower()))
        added = f"{doc.get('title_variants', '')} {doc.get('text_variants', '')}".split()
        assert not words & set(added), doc["location"]
    # The forms a test types are not on the pages, so only the added forms can find them.
    text = json.dumps([entry[1:] for entry in shown], ensure_ascii=False).lower()
    for typed in ("laek", "soren", "aarsag", "kunderne"):
        assert typed not in text
    # The same plans give the same bytes, and doing it again changes nothing.
    localize_search_index(again, "da", {"danish": ["da"]})
    for name in ("search_index.json", "search_index.js"):
        assert (again / "search" / name).read_bytes() == (danish / "search" / name).read_bytes()
    before = (again / "search" / "search_index.json").read_bytes()
    localize_search_index(again, "da", {"danish": ["da"]})
    assert (again / "search" / "search_index.json").read_bytes() == before
    assert (again / OFFLINE_INDEX).read_text(encoding="utf-8") == OFFLINE_PREFIX + before.decode()


def test_indonesian_index_holds_roots_and_no_english(indonesian: Path) -> None:
    index = index_of(indonesian)
    # lunr has no Indonesian: Material falls back to English; nothing English is done.
    assert index["config"]["lang"] == ["en"]
    assert index["config"]["pipeline"] == []
    title = next(d for d in index["docs"] if d["location"] == "indonesian/scenarios/kebocoran-data.html")
    assert title["title"] == "Kebocoran data pelanggan"
    assert title["title_variants"].split() == ["bocor", "langgan"]
    assert "bocor" not in json.dumps([d["text"] for d in index["docs"]]).lower().replace("kebocoran", "")


def test_malay_index_holds_roots(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(PLANS / "malay", site, ["ms"])
    index = index_of(site)
    assert index["config"]["pipeline"] == []  # no English stop words for Malay either
    assert {"khidmat", "tanggungjawab", "siasat"} <= variants(index, "malay/scenarios/gangguan.html")
    assert {"khidmat", "wang"} <= variants(index, "malay/statements.html")


def test_index_grows_little(tmp_path: Path) -> None:
    report = build_site(ROOT / "plans" / "segarkita.yaml", tmp_path / "site", ["id", "en"])
    # A bilingual plan of ordinary size: about 16% with Material 9.8, most of it roots.
    assert report.variants > 100
    assert report.size_after < report.size_before * 1.25


def test_a_site_without_search_is_left_alone(tmp_path: Path) -> None:
    assert localize_search_index(tmp_path, "da") is None
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text("[]", encoding="utf-8")
    assert localize_search_index(tmp_path, "da") is None
    (tmp_path / "search" / "search_index.json").write_text("{not json", encoding="utf-8")
    assert localize_search_index(tmp_path, "da") is None
    assert (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8") == "{not json"


def open_search(page: Any, site: Path) -> Any:
    page.goto((site / "index.html").as_uri())
    # Until build_site lists search.js, the test adds it to the page as the site would.
    if page.locator("script[src$='crisisplan/search.js']").count() == 0:
        page.add_script_tag(path=str(SCRIPT))
    return page.locator("input.md-search__input")


def search(page: Any, box: Any, query: str, expected: str) -> str:
    """Type the query key by key, as a person does, and return the text of the result
    that links to the expected page."""
    box.fill("")
    box.press_sequentially(query, delay=30)
    result = page.locator(f".md-search-result__item:has(a[href*='{expected}'])").first
    result.wait_for(timeout=10_000)
    text: str = result.inner_text()
    return text


@pytest.mark.browser
def test_danish_reader_without_a_danish_keyboard(danish: Path) -> None:
    with offline_browser() as (page, blocked):
        box = open_search(page, danish)
        box.click()
        for typed, shown in (("laek", "læk"), ("soren", "Søren"), ("aarsag", "årsag")):
            expected = "team.html" if typed == "soren" else "scenarios/vandlaek.html"
            text = search(page, box, typed, expected)
            # The reader sees the page's words, never the forms added to the index.
            assert shown in text, (typed, text)
            assert typed not in text.lower(), (typed, text)
        assert blocked == []


@pytest.mark.browser
def test_danish_words_are_stemmed_as_typed(danish: Path) -> None:
    with offline_browser() as (page, blocked):
        box = open_search(page, danish)
        page.wait_for_function("typeof (window.lunr && window.lunr.da && window.lunr.da.stemmer) === 'function'")
        box.click()
        # The page says "kunder"; "kunderne" is searched as "kund*".
        text = search(page, box, "kunderne", "scenarios/vandlaek.html")
        assert "kunder" in text
        assert blocked == []


@pytest.mark.browser
def test_indonesian_reader_finds_a_word_by_its_root(indonesian: Path) -> None:
    with offline_browser() as (page, blocked):
        box = open_search(page, indonesian)
        box.click()
        text = search(page, box, "bocor", "scenarios/kebocoran-data.html")
        assert "Kebocoran data pelanggan" in text
        assert "bocor" not in text.lower().replace("kebocoran", "")
        assert blocked == []


def test_script_is_shipped_with_the_site(danish: Path) -> None:
    # Copied with the other assets; listing it in extra_javascript is build_site's part.
    assert (danish / "assets" / "crisisplan" / "search.js").read_bytes() == SCRIPT.read_bytes()


def test_a_scenario_page_is_one_entry_with_its_terms(tmp_path: Path) -> None:
    """A result opens a scenario at its top: its sections fold into the page's entry, and
    the terms the page carries (keywords, channels, triggers) go into the boosted field.
    Other pages' sections fold into them too. Running it again changes nothing."""
    (tmp_path / "search").mkdir()
    (tmp_path / "acme" / "scenarios").mkdir(parents=True)
    (tmp_path / "acme" / "scenarios" / "hack.html").write_text(
        '<div class="cp-search-terms" hidden data-cp-terms="giveaway Instagram #brandfail caf&#233;"></div>', encoding="utf-8"
    )
    docs = [
        {"location": "", "title": "Start", "text": "pick one"},
        {"location": "acme/scenarios/hack.html", "title": "Hacked", "text": "<p>Level 3</p>"},
        {"location": "acme/scenarios/hack.html#first-actions", "title": "First actions", "text": "Change the password"},
        {"location": "acme/scenarios/hack.html#scenario", "title": "Scenario", "text": "Scams"},
        {"location": "acme/team.html", "title": "Team", "text": ""},
        {"location": "acme/team.html#lead", "title": "Lead", "text": "Maya"},
    ]
    index = {"config": {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": [], "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}, "docs": docs}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")

    localize_search_index(tmp_path, "en", {"acme": ["en"]})
    once = (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8")
    result = json.loads(once)
    # Every page is one entry: no page is listed twice, as a page and as its section.
    assert [d["location"] for d in result["docs"]] == ["", "acme/scenarios/hack.html", "acme/team.html"]
    assert result["docs"][2]["text"] == "<p>Lead</p> Maya"
    page = result["docs"][1]
    assert page["text"] == "<p>Level 3</p> <p>First actions</p> Change the password <p>Scenario</p> Scams"
    assert page["terms"] == "giveaway instagram brandfail café cafe"
    assert result["config"]["fields"]["terms"] == {"boost": 100.0}
    assert re.split(result["config"]["separator"], "#brandfail") == ["", "brandfail"]

    localize_search_index(tmp_path, "en", {"acme": ["en"]})
    assert (tmp_path / "search" / "search_index.json").read_text(encoding="utf-8") == once
