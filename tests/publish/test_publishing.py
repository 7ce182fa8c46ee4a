"""Publishing a team's site: site_url for a sub-path, the user's own pages next to the
generated ones, and site_dir from mkdocs.yml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import CASES, invoke

SITE_URL = (
    "warning: site_url is not set in mkdocs.yml: the 404 page's links and sitemap.xml work "
    "only for a site published at the root of its domain; set site_url: to the address the "
    "site is published at, like https://acme.github.io/crisis-runbook/\n"
)


def project(tmp_path: Path, config: str) -> Path:
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "plans")
    (tmp_path / "mkdocs.yml").write_text(config)
    return tmp_path


def built(stdout: str, site: str) -> bool:
    return re.fullmatch(rf"Built {site}/ in \d+\.\ds: 7 pages\n", stdout) is not None


def test_a_page_of_ours_at_a_generated_path_is_a_warning_and_the_generated_page_wins(
    tmp_path: Path,
) -> None:
    folder = project(tmp_path, "site_name: Acme\nsite_url: https://acme.github.io/crisis/\n")
    (folder / "docs" / "plans").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Our own start page\n")
    (folder / "docs" / "plans" / "team.md").write_text("# Our own team page\n")
    (folder / "docs" / "contacts.md").write_text("# Press contacts\n")
    code, stdout, stderr = invoke("build", "--no-pdf", cwd=folder)
    assert code == 0 and built(stdout, "site"), stdout + stderr
    assert stderr == (
        "warning: docs/index.md is not published: crisisplan generates index.md from the plans "
        "and its page replaces yours; give yours another file name, like docs/welcome.md, to keep it\n"
        "warning: docs/plans/team.md is not published: crisisplan generates plans/team.md from the "
        "plans and its page replaces yours; give yours another file name, like "
        "docs/plans/team-notes.md, to keep it\n"
    )
    site = folder / "site"
    assert "Our own start page" not in (site / "index.html").read_text()
    assert "Our own team page" not in (site / "plans" / "team.html").read_text()
    assert "Press contacts" in (site / "contacts.html").read_text()


def test_without_site_url_the_build_says_what_to_set_and_with_it_the_sitemap_is_right(
    tmp_path: Path,
) -> None:
    folder = project(tmp_path, "site_name: Acme\n")
    code, stdout, stderr = invoke("build", "--no-pdf", cwd=folder)
    assert code == 0 and built(stdout, "site"), stdout + stderr
    assert stderr == SITE_URL
    # A GitHub Pages project site lives under /<repository>/: with site_url, the
    # sitemap and the 404 page's links carry that path.
    (folder / "mkdocs.yml").write_text(
        "site_name: Acme\nsite_url: https://acme.github.io/crisis/\n"
    )
    code, stdout, stderr = invoke("build", "--no-pdf", cwd=folder)
    assert (code, stderr) == (0, "")
    sitemap = (folder / "site" / "sitemap.xml").read_text()
    assert "<loc>https://acme.github.io/crisis/plans/team.html</loc>" in sitemap
    assert 'href="/crisis/index.html"' in (folder / "site" / "404.html").read_text()


def test_site_dir_in_mkdocs_yml_is_where_the_site_goes_unless_site_dir_is_given(
    tmp_path: Path,
) -> None:
    config = "site_name: Acme\nsite_url: https://acme.github.io/crisis/\nsite_dir: public\n"
    folder = project(tmp_path, config)
    code, stdout, stderr = invoke("build", "--no-pdf", cwd=folder)
    assert code == 0 and built(stdout, "public"), stdout + stderr
    assert (folder / "public" / "index.html").is_file()
    assert not (folder / "site").exists()
    code, stdout, stderr = invoke("build", "--no-pdf", "--site-dir", "elsewhere", cwd=folder)
    assert code == 0 and built(stdout, "elsewhere"), stdout + stderr
    assert (folder / "elsewhere" / "index.html").is_file()


def test_site_dir_in_mkdocs_yml_is_guarded_like_site_dir(tmp_path: Path) -> None:
    config = "site_name: Acme\nsite_url: https://acme.github.io/crisis/\nsite_dir: docs\n"
    folder = project(tmp_path, config)
    (folder / "docs").mkdir()
    (folder / "docs" / "contacts.md").write_text("# Press contacts\n")
    code, stdout, stderr = invoke("build", "--no-pdf", cwd=folder)
    assert (code, stdout) == (1, "")
    assert stderr == (
        "Error: docs is the docs folder; building there would replace it\n"
        "  hint: publish to a folder of its own, like --site-dir site\n"
        "docs/ was left as it was.\n"
    )
    assert [p.name for p in (folder / "docs").iterdir()] == ["contacts.md"]
