"""One complete runbook per language: each plan's first language at the root, each
other under its code, linked by a language bar that keeps the reader on the same page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions, BuildResult
from tests.conftest import CASES, TODAY

BILINGUAL = CASES / "valid" / "bilingual" / "plan.yaml"


def build_plans(tmp_path: Path, *plans: tuple[str, str], pdf: bool = False) -> tuple[Path, BuildResult]:
    folder = tmp_path / "plans"
    folder.mkdir()
    for name, text in plans:
        (folder / name).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = build(BuildOptions(paths=[folder], site_dir=site, pdf=pdf, today=dt.date.fromisoformat(TODAY)))
    assert result.built, result.report.diagnostics
    return site, result


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual plan built once without PDFs, for the tests that only read it."""
    site, _ = build_plans(tmp_path_factory.mktemp("bilingual"), ("plan.yaml", BILINGUAL.read_text("utf-8")))
    return site


def page_lang(page: Path) -> str:
    found = re.search(r'<html lang="([^"]+)"', page.read_text("utf-8"))
    assert found, page
    return found.group(1)


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "assets" not in p.parts]


def test_each_language_is_a_complete_edition_with_its_own_lang(bilingual_site: Path) -> None:
    site = bilingual_site
    english = [p for p in pages(site) if "da" not in p.relative_to(site).parts[:1]]
    danish = pages(site / "da")
    assert {p.relative_to(site) for p in english} == {p.relative_to(site / "da") for p in danish}
    assert {page_lang(p) for p in english} == {"en"}
    assert {page_lang(p) for p in danish} == {"da"}
    assert "Driftsforstyrrelse" in (site / "da" / "plans" / "scenarios" / "outage.html").read_text("utf-8")
    assert "Driftsforstyrrelse" not in (site / "plans" / "scenarios" / "outage.html").read_text("utf-8")
    # Each edition searches its own words.
    assert "Driftsforstyrrelse" in (site / "da" / "search" / "search_index.json").read_text("utf-8")
    assert "Driftsforstyrrelse" not in (site / "search" / "search_index.json").read_text("utf-8")


def test_the_language_bar_links_the_same_page_in_each_edition(bilingual_site: Path) -> None:
    site = bilingual_site
    danish = (site / "da" / "plans" / "scenarios" / "outage.html").read_text()
    assert re.findall(r'class="cp-language" href="([^"]*)" hreflang="([^"]+)"', danish) == [
        ("../../../plans/scenarios/outage.html", "en")
    ]
    assert '<span class="cp-language" lang="da" aria-current="page">Dansk</span>' in danish
    english = (site / "plans" / "team.html").read_text()
    assert re.findall(r'class="cp-language" href="([^"]*)"', english) == ["../da/plans/team.html"]


def test_a_single_language_plan_has_one_edition_and_no_selector(tmp_path: Path) -> None:
    site, _ = build_plans(tmp_path, ("plan.yaml", (CASES / "valid" / "minimal" / "plan.yaml").read_text()))
    assert not [p for p in site.iterdir() if p.is_dir() and len(p.name) == 2]
    assert "cp-languages" not in (site / "plans" / "scenarios" / "outage.html").read_text()
    assert "cp-languages" not in (site / "index.html").read_text()


def test_plans_with_different_languages_share_one_site(tmp_path: Path) -> None:
    """The root shows each plan in its own first language; an edition per other language
    holds the plans translated into it."""
    danish_first = BILINGUAL.read_text("utf-8").replace("  - en\n  - da\n", "  - da\n  - en\n", 1)
    english_only = (CASES / "valid" / "minimal" / "plan.yaml").read_text().replace("Example Co", "Solo Co")
    site, _ = build_plans(tmp_path, ("a-danish.yaml", danish_first), ("b-english.yaml", english_only))
    assert "Driftsforstyrrelse" in (site / "a-danish" / "scenarios" / "outage.html").read_text("utf-8")
    assert "Service outage" in (site / "en" / "a-danish" / "scenarios" / "outage.html").read_text("utf-8")
    assert "Service outage" in (site / "b-english" / "scenarios" / "outage.html").read_text("utf-8")
    assert not (site / "en" / "b-english").exists()
    assert not (site / "da").exists()


def test_each_edition_has_its_own_pdfs_in_its_language(tmp_path: Path) -> None:
    from pypdf import PdfReader

    site, result = build_plans(tmp_path, ("plan.yaml", BILINGUAL.read_text("utf-8")), pdf=True)
    assert result.pdfs == 6  # per language: the runbook, the full plan and the call card
    danish = "".join(page.extract_text() for page in PdfReader(site / "da" / "pdf" / "plans" / "outage.pdf").pages)
    english = "".join(page.extract_text() for page in PdfReader(site / "pdf" / "plans" / "outage.pdf").pages)
    assert "Driftsforstyrrelse" in danish and "Driftsforstyrrelse" not in english
    assert "Service outage" in english


@pytest.mark.browser
def test_switching_language_lands_on_the_same_page(bilingual_site: Path) -> None:
    from tests.browser import offline_browser

    site = bilingual_site
    with offline_browser(375, 812) as (page, blocked):
        page.goto((site / "da" / "plans" / "scenarios" / "outage.html").as_uri())
        page.locator("a.cp-language[hreflang=en]").click()
        page.wait_for_load_state()
        assert page.url.endswith("/site/plans/scenarios/outage.html")
        assert page.locator("h1").first.inner_text().startswith("Service outage")
        assert blocked == []


def test_every_edition_of_the_examples_speaks_only_its_language(tmp_path: Path) -> None:
    """No English label on the Malay and Indonesian pages, and every page says its language."""
    from tests.conftest import ROOT

    site = tmp_path / "site"
    build(
        BuildOptions(
            paths=[ROOT / "plans" / "kodmuda", ROOT / "plans" / "segarkita.yaml"],
            site_dir=site,
            pdf=False,
            today=dt.date.fromisoformat(TODAY),
        )
    )
    english_labels = ("First actions", "Who to call", "Worst case", "Holding statements", "Escalation timeline", ">Copy<")
    for slug, language in (("kodmuda", "ms"), ("segarkita", "id")):
        for file in (site / slug).rglob("*.html"):
            html = file.read_text("utf-8")
            assert page_lang(file) == language, file
            assert not [label for label in english_labels if label in html], file
        for file in (site / "en" / slug).rglob("*.html"):
            assert page_lang(file) == "en", file
            assert "First actions" in file.read_text("utf-8") or "scenarios" not in file.parts


def test_the_sitemap_lists_the_pages_of_plans_built_in_their_own_language(tmp_path: Path) -> None:
    """Plans in another language than the first plan's are built on their own, with the
    theme in their language (mkdocs_site.add_part): their pages join the site's
    sitemap.xml and its .gz, once each, the .gz keeping its time."""
    import gzip

    from crisisplan.publish.site.mkdocs_site import merge_sitemap

    def sitemap(folder: Path, *pages: str) -> None:
        folder.mkdir(parents=True)
        urls = "".join(f"    <url>\n         <loc>https://acme.example/runbook/{p}</loc>\n    </url>\n" for p in pages)
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>'
        (folder / "sitemap.xml").write_text(text, "utf-8")
        with (folder / "sitemap.xml.gz").open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=1_700_000_000) as out:
            out.write(text.encode("utf-8"))

    site, part = tmp_path / "site", tmp_path / "part"
    sitemap(site, "index.html", "brightbrew/index.html")
    sitemap(part, "index.html", "kodmuda/index.html", "kodmuda/scenarios/bocor.html")
    merge_sitemap(site, part, ["kodmuda"])
    text = (site / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>https://acme.example/runbook/([^<]*)</loc>", text)
    assert locs == ["index.html", "brightbrew/index.html", "kodmuda/index.html", "kodmuda/scenarios/bocor.html"]
    assert text.endswith("</urlset>")
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == text
    assert int.from_bytes(packed[4:8], "little") == 1_700_000_000
    merge_sitemap(site, part, ["kodmuda"])  # again: nothing twice
    assert (site / "sitemap.xml").read_text("utf-8") == text
