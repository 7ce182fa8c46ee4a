"""Real builds of the example plans: what a reader sees in pages, search and PDFs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions, BuildResult
from tests.conftest import CASES, ROOT

HOSTED = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture
def built(example_build: tuple[Path, BuildResult]) -> tuple[Path, BuildResult]:
    # The suite's one build of the examples with PDFs (conftest.py), shared.
    return example_build


def page(site: Path, relative: str) -> str:
    return (site / relative).read_text("utf-8")


def test_every_scenario_has_a_page_and_a_pdf(built: tuple[Path, BuildResult]) -> None:
    site, result = built
    plans = {
        "brightbrew": ["viral-complaint", "offensive-post", "hacked-account", "product-recall", "data-breach", "executive-misconduct"],
        "segarkita": ["keluhan-viral", "hoaks-produk", "kebocoran-data"],
        "kodmuda": ["kebocoran-data-peserta", "hantaran-kesat", "ambilan-dibatalkan"],
        "fjordby": ["forurenet-drikkevand", "cyberangreb", "doedsulykke", "vildledende-opslag"],
    }
    # Each plan at the root in its first language; the bilingual ones again in English.
    for root in (site, site / "en"):
        for plan, scenarios in plans.items():
            if root != site and plan == "brightbrew":
                assert not (root / plan).exists()
                continue
            for scenario in scenarios:
                html = page(root, f"{plan}/scenarios/{scenario}.html")
                assert f'href="../../pdf/{plan}/{scenario}.pdf"' in html
                assert (root / "pdf" / plan / f"{scenario}.pdf").stat().st_size > 10_000
            assert (root / "pdf" / plan / f"{plan}-plan.pdf").is_file()
    # A runbook per scenario, the full plan and the call card, per plan and language.
    assert result.pdfs == (6 + 2) + 2 * (3 + 2) + 2 * (3 + 2) + 2 * (4 + 2)
    # Start page, and per plan an overview, team, statements, monitoring and about page plus its scenarios.
    assert result.pages == (1 + 5 * 4 + 16) + (1 + 5 * 3 + 10)


def test_scenario_page_shows_what_to_do_who_to_call_and_what_to_say(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    html = page(site, "brightbrew/scenarios/hacked-account.html")
    assert "A brand social media account is hacked" in html
    assert "Level 3: crisis" in html
    assert "T+10m" in html and "change the password and sign out all other sessions" in html
    assert 'href="tel:+447700900101"' in html  # the crisis lead, tap to call
    assert 'href="mailto:maya.okafor@brightbrew.example"' in html
    assert "never send money or card details" in html
    assert 'class="cp-copy' in html
    assert re.search(r"<span class=\"cp-length\">200</span> / 280 characters \(X\)", html)
    assert 'class="cp-timeline"' in html and "T+30m" in html


def test_start_page_lists_every_scenario_with_severity_and_who_to_call(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    html = page(site, "index.html")
    assert "What is happening?" in html
    for title in ("A customer complaint goes viral", "Keluhan pelanggan yang viral"):
        assert title in html
    assert 'href="brightbrew/scenarios/hacked-account.html"' in html
    assert 'href="tel:+447700900101"' in html


def test_indonesian_plan_pages_speak_indonesian(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    html = page(site, "segarkita/scenarios/keluhan-viral.html")
    assert "Langkah pertama" in html and "Siapa yang dihubungi" in html
    assert 'lang="id"' in html and "Bahasa Indonesia" in html


def test_search_index_covers_triggers_statements_and_roles(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    index = json.loads(page(site, "search/search_index.json"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "password-reset or login e-mail nobody asked for" in text  # a trigger
    assert "never send money or card details" in text  # a statement
    assert "Maya Okafor" in text and "IT security lead" in text  # a person and a role
    assert index["config"]["lang"] == ["en"]
    # The offline plugin inlines the index so that search works from file://.
    assert page(site, "search/search_index.js").startswith("var __index = ")


def test_site_language_follows_the_first_plan(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    assert '<html lang="en"' in page(site, "index.html")


def test_no_page_or_stylesheet_loads_anything_from_another_host(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    offenders = []
    for file in site.rglob("*"):
        if file.suffix in (".html", ".css"):
            text = file.read_text("utf-8", errors="replace")
            for match in HOSTED.finditer(text):
                offenders.append(f"{file.relative_to(site)}: {match.group(0)}")
            if file.suffix == ".css":
                offenders += [f"{file.name}: {u}" for u in re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", text)]
                offenders += [f"{file.name}: {u}" for u in re.findall(r"@import\s+['\"]?(?:url\()?['\"]?(?:https?:)?//", text)]
    assert offenders == []
    # Material's bundle still names two CDN scripts, loaded only for Mermaid diagrams
    # and for browsers without ResizeObserver; the runbook has no diagrams, and the
    # browser test blocks the network and sees no request leave file://.
    assert not any('class="mermaid"' in f.read_text("utf-8") for f in site.rglob("*.html"))


def test_pdf_runbook_opens_with_a_quick_card(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    reader = PdfReader(site / "pdf" / "brightbrew" / "hacked-account.pdf")
    first = reader.pages[0].extract_text()
    assert "QUICK CARD" in first.upper()
    assert "A brand social media account is hacked" in first
    assert "T+10m" in first and "First actions" in first
    assert "Maya Okafor" in first and "+44 7700 900101" in first
    assert "Main holding statement" in first and "hacked" in first
    assert "Printed copies go out of date" in first
    assert re.search(r"Page 1 of \d+", first)
    assert "Version 4.1" in first
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "A brand social media account is hacked" in titles
    links = {
        annotation.get_object()["/A"].get("/URI")
        for annotation in reader.pages[0].get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert "tel:+447700900101" in links


def test_full_plan_pdf_has_every_scenario_in_its_outline(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    reader = PdfReader(site / "pdf" / "brightbrew" / "brightbrew-plan.pdf")

    def titles(items: Sequence[object]) -> list[str]:
        found: list[str] = []
        for item in items:
            if isinstance(item, list):
                found += titles(item)
            else:
                found.append(str(getattr(item, "title", "")))
        return found

    outline = titles(reader.outline)
    for title in ("Hacked", "Product recall", "Customer data breach", "Executive misconduct"):
        assert any(title.lower() in t.lower() for t in outline), title
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Severity levels" in text and "Team directory" in text
    assert reader.metadata is not None
    assert "/CreationDate" not in reader.metadata  # same plan, same bytes


def test_full_plan_composed_from_parts_numbers_pages_and_links_its_contents(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    reader = PdfReader(site / "pdf" / "brightbrew" / "brightbrew-plan.pdf")
    total = len(reader.pages)
    # Every page numbered across the whole plan, though each part was rendered alone.
    for number, pdf_page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in pdf_page.extract_text(), number
    # The contents gives the page each scenario's bookmark points at, and links there.
    starts: dict[str, int] = {}
    for item in reader.outline:
        if not isinstance(item, list):
            starts[str(item.title)] = (reader.get_destination_page_number(item) or 0) + 1
    contents = reader.pages[0].extract_text()
    for title in ("A brand social media account is hacked", "Product recall or safety issue"):
        assert re.search(re.escape(title) + r" \.+ " + str(starts[title]) + r"\b", contents), title
    pages: dict[int, int] = {}
    for n, pdf_page in enumerate(reader.pages):
        assert pdf_page.indirect_reference is not None
        pages[pdf_page.indirect_reference.idnum] = n + 1
    annotations: Any = reader.pages[0]["/Annots"]
    linked = {
        pages[annotation.get_object()["/Dest"][0].idnum]
        for annotation in annotations
        if "/Dest" in annotation.get_object()
    }
    assert {starts["A brand social media account is hacked"], starts["Product recall or safety issue"]} <= linked
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert reader.metadata is not None and reader.metadata.title == "Brightbrew Coffee: Social media crisis plan"


def test_letter_paper(tmp_path: Path) -> None:
    from crisisplan.check.pipeline import check_paths
    from crisisplan.publish.pdf.documents import runbook_html
    from crisisplan.publish.pdf.weasy import PdfJob, render_pdf

    plan = check_paths([CASES / "valid" / "minimal"]).plans[0].plan
    assert plan is not None
    target, _ = render_pdf(PdfJob(runbook_html(plan, plan.scenarios[0], "letter"), tmp_path / "a.pdf"))
    box = PdfReader(target).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_same_plans_give_the_same_site(tmp_path: Path, example_site: Path) -> None:
    # Built again in another folder, at another time, the site is byte for byte the
    # suite's shared build of the same plans.
    def digest(site: Path) -> dict[str, str]:
        return {
            str(f.relative_to(site)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(site.rglob("*"))
            if f.is_file()
        }

    options = BuildOptions(paths=[ROOT / "plans"], site_dir=tmp_path / "again", config_file=ROOT / "mkdocs.yml", pdf=False)
    assert build(options).built
    assert digest(tmp_path / "again") == digest(example_site)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crisisplan", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_broken_plan_publishes_nothing_and_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<p>the previous, good site</p>")
    # What crisisplan leaves in every site it builds, so that a later build knows it may replace it.
    (site / ".crisisplan-site").write_text("built by crisisplan\n")
    (site / "sub" / "page.html").write_bytes(b"\x00\x01 bytes")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    scenario = tmp_path / "plans" / "brightbrew" / "scenarios" / "hacked-account.yaml"
    scenario.write_text(scenario.read_text().replace("owner: social-lead", "owner: socail-lead"))
    result = run_cli("build", cwd=tmp_path)

    assert result.returncode == 1
    assert "error CP201: unknown role or contact 'socail-lead'" in result.stdout
    assert "hint: did you mean 'social-lead'?" in result.stdout
    assert "Nothing published" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".crisisplan-build-*")), "the scratch folder is cleaned up"


def test_build_replaces_the_site_and_reports_a_summary(tmp_path: Path) -> None:
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "plans")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "stale.html").write_text("old")
    (tmp_path / "site" / ".crisisplan-site").write_text("built by crisisplan\n")
    result = run_cli("build", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"Built site/ in \d+\.\ds: 7 pages\n", result.stdout)
    assert not (tmp_path / "site" / "stale.html").exists()
    assert (tmp_path / "site" / "plans" / "scenarios" / "outage.html").is_file()
    # Without PDFs, pages do not link to PDFs that do not exist.
    assert ".pdf" not in (tmp_path / "site" / "plans" / "scenarios" / "outage.html").read_text()


def test_strict_build_fails_on_warnings(tmp_path: Path) -> None:
    shutil.copytree(CASES / "invalid" / "cp605-not-approved", tmp_path / "plans")
    result = run_cli("build", "--no-pdf", "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "warning CP605" in result.stdout
    assert not (tmp_path / "site").exists()
    assert run_cli("build", "--no-pdf", cwd=tmp_path).returncode == 0


def test_broken_mkdocs_config_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "plans")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: no-such-theme\n")
    result = run_cli("build", "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1
    assert "MkDocs could not build the site" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
