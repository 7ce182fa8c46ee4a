"""The documentation site in docs/: it builds with no warning (a broken link or anchor
included), its checks reference lists every code crisisplan reports, its rule packs
page every pack, and the README's links lead to pages that exist."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crisisplan.check.codes import all_codes
from crisisplan.check.rules import PACKS
from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGES = DOCS / "pages"
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built as CI builds it: strictly, from the repository's root."""
    out = tmp_path_factory.mktemp("docs-site")
    # Material's end-of-life banner is not a warning of this site's.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(DOCS / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def plain(text: str) -> str:
    """What a reader sees of a summary: its words, without the docstrings' code marks."""
    return " ".join(text.replace("`", "").split())


def section_text(page: str, anchor: str) -> str:
    """The words of the section under the heading with this id, up to the next heading."""
    start = page.index(f'id="{anchor}"')
    end = re.compile(r"<h[1-3][ >]").search(page, start)
    body = page[start : end.start() if end else len(page)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def test_the_checks_reference_lists_every_code_with_its_summary(site: Path) -> None:
    page = (site / "reference" / "checks.html").read_text(encoding="utf-8")
    for info in all_codes():
        section = section_text(page, info.code.lower())
        assert info.name in section, info.code
        assert info.severity.capitalize() in section, info.code
        assert plain(info.summary) in section, (info.code, section[:300])


def test_the_rule_packs_page_documents_every_pack_and_its_rules(site: Path) -> None:
    page = (site / "rule-packs.html").read_text(encoding="utf-8")
    for pack in PACKS.values():
        section = section_text(page, pack.name)
        assert plain(pack.title) in section, pack.name
        for info in all_codes():
            if info.pack == pack.name:
                assert f'href="reference/checks.html#{info.code.lower()}"' in page, info.code


def readme_links() -> list[str]:
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    return [link for link in links if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


def test_the_readme_links_lead_to_pages_that_exist(site: Path) -> None:
    links = readme_links()
    assert any(link.startswith("docs/pages/") for link in links), "the README links into the documentation"
    for link in links:
        target, _, fragment = link.partition("#")
        assert (ROOT / target).exists(), link
        if target.startswith("docs/"):
            assert target.startswith("docs/pages/") and target.endswith(".md"), f"{link}: link to a page of the documentation"
            built = site / Path(target).relative_to("docs/pages").with_suffix(".html")
            assert built.is_file(), f"{link}: not a page of the built site"
            if fragment:
                assert f'id="{fragment}"' in built.read_text(encoding="utf-8"), f"{link}: no such anchor"


def test_the_readme_stays_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 200, "the README points into docs/; put the details there"


def test_the_example_runbook_does_not_publish_these_docs() -> None:
    """`crisisplan build` in this repository publishes every file of the docs folder
    that the root mkdocs.yml names: it must not be (or hold, or be inside) docs/,
    or the example runbook would carry crisisplan's own documentation."""
    from crisisplan.publish.site.mkdocs_site import docs_dir_of

    runbook_docs = docs_dir_of(ROOT / "mkdocs.yml").resolve()
    docs = DOCS.resolve()
    assert runbook_docs != docs and docs not in runbook_docs.parents and runbook_docs not in docs.parents, (
        f"mkdocs.yml's docs_dir is {runbook_docs}: point it at a folder of its own, apart from docs/"
    )
