"""A site of several plans speaks each page's language: the frame around a Malay or
Indonesian plan (header, search box, its result counts, skip link, table of contents,
back-to-top button, navigation) is in that language, on both engines; the start page
opens on a chooser naming each plan in its own language, on a phone's first screen."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.site.zensical_site import THEME_GAPS, _language_partial, zensical_installed
from crisisplan.render.labels import labels_for
from tests.browser import offline_browser

ENGINES = ["mkdocs", "zensical"]
# The frame's words a reader saw in English on Malay and Indonesian pages (issue 19),
# by their keys in the engines' own translations and in crisisplan's catalog: the
# English text of each comes from there.
ENGINE_KEYS = (
    "action.skip",
    "toc",
    "top",
    "search",
    "search.placeholder",
    "search.result.placeholder",
    "search.result.none",
    "search.result.other",
    "search.result.term.missing",
)
LABEL_KEYS = ("site_name", "what_is_happening", "team", "statement_library", "plan_info")
_ENTRY = re.compile(r'"([a-z.]+)"\s*:\s*"([^"]*)"')
# The page's own text (the plan's words, which may quote English): not the frame.
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_LANG = re.compile(r'<html lang="([^"]+)"')


@cache
def english_chrome(engine: str) -> tuple[str, ...]:
    """The English strings of the frame: the engine's English translation of each of
    ENGINE_KEYS (split at its "#" count) and crisisplan's English labels."""
    import material
    import zensical

    package = Path(str((material if engine == "mkdocs" else zensical).__file__)).parent
    english = dict(_ENTRY.findall((package / "templates/partials/languages/en.html").read_text("utf-8")))
    found = [part.strip() for key in ENGINE_KEYS for part in english[key].split("#") if part.strip()]
    words = labels_for("en")
    return tuple(dict.fromkeys([*found, *(words[key] for key in LABEL_KEYS)]))


def _site(request: pytest.FixtureRequest, engine: str) -> Path:
    if engine == "zensical" and not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    site: Path = request.getfixturevalue("example_site" if engine == "mkdocs" else "zensical_example_site")
    return site


def plan_languages(site: Path) -> dict[str, str]:
    """Each plan folder of the site's root edition, with the language of its pages."""
    found = {}
    for folder in sorted(p for p in site.iterdir() if (p / "scenarios").is_dir()):
        lang = _LANG.search((folder / "index.html").read_text("utf-8"))
        assert lang, folder
        found[folder.name] = lang.group(1)
    return found


@pytest.mark.parametrize("engine", ENGINES)
def test_pages_of_plans_in_other_languages_have_no_english_frame(request: pytest.FixtureRequest, engine: str) -> None:
    site = _site(request, engine)
    english = english_chrome(engine)
    assert "Skip to content" in english and "Team directory" in english  # the list is read right
    languages = plan_languages(site)
    assert {"kodmuda": "ms", "segarkita": "id"}.items() <= languages.items()
    found = {}
    for folder, language in languages.items():
        if language == "en":
            continue
        pages = sorted((site / folder).rglob("*.html"))
        assert len(pages) >= 8
        for page in pages:
            text = page.read_text("utf-8")
            assert f'<html lang="{language}"' in text, page
            frame = _ARTICLE.sub("", text)
            said = [word for word in english if word in frame]
            if said:
                found[page.relative_to(site).as_posix()] = said
    assert found == {}
    # The frame is the language's own: the Malay header names KodMuda's runbook in Malay.
    words = labels_for("ms")
    assert words["site_name_plan"].format(organisation="KodMuda") in (site / "kodmuda" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_english_plan_keeps_an_english_frame(request: pytest.FixtureRequest, engine: str) -> None:
    """The split is by language, not a translation of everything: the English plan and
    the start page (whose frame is the first plan's language) stay English."""
    site = _site(request, engine)
    for page in (site / "index.html", site / "brightbrew" / "team.html", site / "en" / "kodmuda" / "index.html"):
        text = page.read_text("utf-8")
        assert '<html lang="en"' in text
        assert "Team directory" in _ARTICLE.sub("", text)


def test_zensical_gaps_fill_what_its_translations_lack() -> None:
    """Zensical's Malay has no word for its search button: crisisplan's partial gives
    it, the others come from Zensical's own translation, English last."""
    partial = _language_partial("ms")
    assert '"search": "Cari"' in partial
    assert "lang.t(key) or gaps[key] or fallback.t(key)" in partial
    assert set(THEME_GAPS) == {"ms", "id", "da"}
    assert _language_partial("en").count("{}") == 1


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_the_start_page_opens_on_a_chooser_each_reader_can_read(request: pytest.FixtureRequest, engine: str) -> None:
    site = _site(request, engine)
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "index.html").as_uri())
        choices: Any = page.locator(".cp-chooser .cp-choice")
        assert choices.count() == len(plan_languages(site)) >= 3
        seen = {}
        for n in range(choices.count()):
            choice = choices.nth(n)
            plan = choice.locator("a.cp-choice-plan")
            box = plan.bounding_box()
            # On the first screen, a full-size tap target.
            assert box is not None and box["y"] + box["height"] <= 812 and box["height"] >= 44
            seen[choice.get_attribute("lang")] = plan.inner_text()
        assert seen["ms"].startswith("KodMuda: Pelan krisis") and seen["id"].startswith("SegarKita: Rencana krisis")
        page.locator('.cp-choice[lang="ms"] a.cp-choice-plan').click()
        page.wait_for_url("**/kodmuda/index.html")
        assert page.locator("html").get_attribute("lang") == "ms"
        assert blocked == []


# What Zensical's search dialog says in English of its own, whatever the page's
# language (its translations do not reach it); Material's for the same.
SEARCH_ENGLISH = re.compile(r"\b(?:\d+ results?|No results|Close search|Filters|Search results|Loading search|Search)\b")
SEARCH_TEXTS = """() => {
  const found = [];
  const walk = (root) => {
    for (const node of root.querySelectorAll("*")) {
      for (const name of ["aria-label", "placeholder", "title"]) if (node.getAttribute(name)) found.push(node.getAttribute(name));
      if (node.shadowRoot) walk(node.shadowRoot);
      for (const child of node.childNodes) if (child.nodeType === 3 && child.nodeValue.trim()) found.push(child.nodeValue.trim());
    }
  };
  for (const dialog of [document.querySelector(".md-search"), ...[...document.body.children].filter(e => e.shadowRoot).map(e => e.shadowRoot)]) if (dialog) walk(dialog);
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_the_search_dialog_speaks_the_pages_language(request: pytest.FixtureRequest, engine: str) -> None:
    """Issue 19: on a Malay page, Zensical's search said "3 results"."""
    site = _site(request, engine)
    with offline_browser(width=375, height=812) as (page, blocked):
        page.goto((site / "kodmuda" / "index.html").as_uri())
        page.locator("button.cp-search-open, .md-search__button, label[for=__search]").first.click()
        box = page.locator("input.md-search__input") if engine == "mkdocs" else page.get_by_role("combobox")
        box.first.press_sequentially("data bocor", delay=20)
        page.locator(".md-search-result__item, a[role=option]").first.wait_for(timeout=15_000)
        page.wait_for_timeout(300)
        texts = page.evaluate(SEARCH_TEXTS)
        assert any("dokumen yang sepadan" in text for text in texts), texts
        assert [text for text in texts if SEARCH_ENGLISH.search(text)] == []
        assert blocked == []
