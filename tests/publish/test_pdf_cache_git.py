"""A PDF cache git cannot vouch for is never used: a pull request can commit one full
of forged PDFs, and in many CI containers git refuses to say what is committed
("detected dubious ownership"). Real git, real repositories; one tiny PDF renders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from crisisplan.check.pipeline import check_paths
from crisisplan.check.settings import Config
from crisisplan.publish.build import build
from crisisplan.publish.editions import edition_entries, site_editions, site_plans
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.pdf.cache import PdfCache, refusal, unusable
from crisisplan.publish.pdfs import pdf_jobs, pdf_keys
from tests.conftest import CASES, TODAY
from tests.gitrepo import DUBIOUS, commit_all, git, init_repo, isolate_git, make_dubious

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"
FORGED = b"%PDF-1.4 forged by a pull request"


def forge(cache: Path, key: str) -> None:
    """An entry as an attacker writes it: the forged bytes with their own checksum."""
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{key}.pdf").write_bytes(FORGED)
    record = {"format": "crisisplan-pdf-cache-1", "key": key, "pages": 1, "sha256": hashlib.sha256(FORGED).hexdigest()}
    (cache / f"{key}.json").write_text(json.dumps(record))


def forge_every_pdf(options: BuildOptions) -> int:
    """A forged entry for every PDF a build of ``options`` takes from the cache, keyed
    as publish/pdfs.py keys them (anyone with the plan can): each runbook and part by
    its HTML, each full plan by its cover and its parts' keys (pdf_keys)."""
    plans = site_plans(check_paths(options.paths, today=options.today, config=options.check_config))
    keys: list[str] = []
    for _language, entries in edition_entries(options, site_editions(plans), plans):
        runbooks, full_plans = pdf_jobs(entries, Path("out"), Path("parts"), options.paper, options.public)
        keys += pdf_keys(runbooks, full_plans).values()
    for key in keys:
        forge(options.site_dir.parent / ".crisisplan-cache" / "pdf", key)
    return len(keys)


def published_pdfs(site: Path) -> list[bytes]:
    return [pdf.read_bytes() for pdf in sorted(site.rglob("*.pdf"))]


@pytest.mark.parametrize("how", DUBIOUS)
def test_a_committed_cache_in_a_repository_git_refuses_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    site = repo / "site"
    cache = repo / ".crisisplan-cache" / "pdf"
    forge(cache, "k" * 64)
    target = tmp_path / "out.pdf"
    # The entry is sound as far as the cache can see: used, it would be published.
    assert PdfCache(cache).fetch("k" * 64, target) == 1 and target.read_bytes() == FORGED
    commit_all(repo, ".crisisplan-cache")
    make_dubious(repo, how, monkeypatch)
    # It used to be used: "tracked by git?" answered no on any git error.
    assert PdfCache.beside(site) is None
    cache_folder = repo / ".crisisplan-cache"
    assert unusable(site) == (
        f"git could not tell whether {cache_folder} is committed: detected dubious ownership in repository "
        f"at '{repo}' (git suggests: git config --global --add safe.directory {repo})"
    )
    # Said once, plainly, in the build's warnings (publish/pdfs.py adds it).
    assert PdfCache.open_beside(site) == (None, refusal(site))
    assert refusal(site) == (
        f"every PDF is rendered again instead of being taken from {cache_folder}: {unusable(site)}. "
        "Only a cache git vouches for is used (a committed one could hold forged PDFs); "
        "keep it out of git, between CI runs with the CI's own cache"
    )


def test_a_cache_git_vouches_for_is_used_and_has_no_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    forge(repo / ".crisisplan-cache" / "pdf", "k" * 64)
    assert refusal(repo / "site") is None
    assert PdfCache.open_beside(repo / "site") == (PdfCache(repo / ".crisisplan-cache" / "pdf"), None)
    git(repo, "add", "-f", ".crisisplan-cache")
    assert unusable(repo / "site") == f"{repo / '.crisisplan-cache'} is committed to git"
    assert PdfCache.beside(repo / "site") is None


def test_a_build_in_a_repository_git_refuses_never_publishes_forged_pdfs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    (repo / "plans").mkdir()
    # The smallest build with a PDF: no scenario (CP304 off), public (no call card), so
    # one PDF, the full plan, from one part.
    plan = yaml.safe_load(MINIMAL.read_text())
    del plan["scenarios"], plan["drills"]
    (repo / "plans" / "plan.yaml").write_text(yaml.safe_dump(plan))
    options = BuildOptions(
        paths=[repo / "plans"],
        site_dir=repo / "site",
        today=dt.date.fromisoformat(TODAY),
        public=True,
        check_config=Config(codes={"CP304": "off"}),
    )
    assert forge_every_pdf(options) == 2  # the full plan and its one part
    commit_all(repo, ".crisisplan-cache")
    make_dubious(repo, DUBIOUS[1], monkeypatch)
    why = refusal(options.site_dir)
    assert why is not None and "dubious ownership" in why
    result = build(options)
    assert result.built, result.report.diagnostics
    assert result.warnings.count(why) == 1  # said once, in the build's report
    # Before: both forged PDFs were published byte for byte, from the cache.
    assert result.pdfs_reused == [] and result.pdfs_rendered == ["pdf/plans/plans-plan.pdf"]
    assert all(FORGED not in pdf for pdf in published_pdfs(repo / "site"))
    # The forgery was exact: once git vouches for an uncommitted cache, a build takes it.
    monkeypatch.delenv("GIT_TEST_ASSUME_DIFFERENT_OWNER")
    git(repo, "rm", "-r", "-q", "--cached", ".crisisplan-cache")
    shutil.rmtree(repo / "site")
    again = build(options)
    assert again.pdfs_reused == ["pdf/plans/plans-plan.pdf"] and again.pdfs_rendered == []
    assert published_pdfs(repo / "site") == [FORGED]
