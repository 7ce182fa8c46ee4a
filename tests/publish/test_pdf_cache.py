"""Rebuilds render only the PDFs whose content changed, and publish the same bytes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions, BuildResult
from tests.conftest import CASES, ROOT, TODAY, seed_pdf_cache

BILINGUAL = CASES / "valid" / "bilingual" / "plan.yaml"
EXAMPLE = ROOT / "plans" / "brightbrew"
ALL = [
    "da/pdf/plans/outage.pdf",
    "da/pdf/plans/plans-call-card.pdf",
    "da/pdf/plans/plans-plan.pdf",
    "pdf/plans/outage.pdf",
    "pdf/plans/plans-call-card.pdf",
    "pdf/plans/plans-plan.pdf",
]


def run(project: Path, cache: bool = True) -> BuildResult:
    result = build(
        BuildOptions(
            paths=[project / "plans"],
            site_dir=project / "site",
            today=dt.date.fromisoformat(TODAY),
            cache=cache,
        )
    )
    assert result.built, result.report.diagnostics
    return result


def pdf_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.pdf"))}


def project(tmp_path: Path, name: str = "project") -> Path:
    folder = tmp_path / name
    (folder / "plans").mkdir(parents=True)
    shutil.copy(BILINGUAL, folder / "plans" / "plan.yaml")
    return folder


def test_an_unchanged_rebuild_renders_no_pdf_and_publishes_the_same_bytes(tmp_path: Path) -> None:
    folder = project(tmp_path)
    first = run(folder)
    assert sorted(first.pdfs_rendered) == ALL and first.pdfs_reused == []
    before = pdf_bytes(folder / "site")
    second = run(folder)
    assert second.pdfs_rendered == [] and sorted(second.pdfs_reused) == ALL
    assert second.pdf_pages == first.pdf_pages
    assert pdf_bytes(folder / "site") == before
    # The cache is its own git-ignored folder beside the site.
    assert (folder / ".crisisplan-cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_one_changed_scenario_renders_only_what_shows_it(tmp_path: Path) -> None:
    folder = project(tmp_path)
    run(folder)
    plan = folder / "plans" / "plan.yaml"
    plan.write_text(plan.read_text().replace("Kunderne kan ikke bestille", "Kunderne kan slet ikke bestille"))
    result = run(folder)
    # Only the Danish edition shows the Danish worst case: its runbook and its full plan.
    assert sorted(result.pdfs_rendered) == ["da/pdf/plans/outage.pdf", "da/pdf/plans/plans-plan.pdf"]
    assert sorted(result.pdfs_reused) == [
        "da/pdf/plans/plans-call-card.pdf",
        "pdf/plans/outage.pdf",
        "pdf/plans/plans-call-card.pdf",
        "pdf/plans/plans-plan.pdf",
    ]


def test_builds_are_identical_with_and_without_the_cache(tmp_path: Path) -> None:
    cached = project(tmp_path, "cached")
    run(cached)
    run(cached)
    fresh = project(tmp_path, "fresh")
    run(fresh, cache=False)
    assert pdf_bytes(cached / "site") == pdf_bytes(fresh / "site")
    assert not (fresh / ".crisisplan-cache").exists()


def test_a_corrupt_or_foreign_entry_is_rendered_again_never_published(tmp_path: Path) -> None:
    folder = project(tmp_path)
    run(folder)
    good = pdf_bytes(folder / "site")
    entries = sorted((folder / ".crisisplan-cache" / "pdf").glob("*.pdf"))
    # Per edition a runbook, a call card, one scenario part, the appendices and the full plan.
    assert len(entries) == 10
    for n, entry in enumerate(entries):
        if n % 2:
            entry.write_bytes(entry.read_bytes()[:100])  # truncated
        else:
            entry.write_bytes(b"%PDF-1.7 not the PDF this key was made from")  # foreign
    shutil.rmtree(folder / "site")
    result = run(folder)
    assert sorted(result.pdfs_rendered) == ALL and result.pdfs_reused == []
    assert pdf_bytes(folder / "site") == good


def test_a_rebuild_with_nothing_changed_leaves_the_site_as_it_is(tmp_path: Path) -> None:
    folder = project(tmp_path)
    first = run(folder)
    stamps = {p: p.stat().st_mtime_ns for p in (folder / "site").rglob("*")}
    second = run(folder)
    assert second.unchanged and second.built and second.pages == first.pages
    assert {p: p.stat().st_mtime_ns for p in (folder / "site").rglob("*")} == stamps
    # A file changed, added or removed in the site by hand: built again, in full.
    (folder / "site" / "index.html").write_text("tampered")
    third = run(folder)
    assert not third.unchanged and "tampered" not in (folder / "site" / "index.html").read_text()
    assert not run(folder, cache=False).unchanged


def test_one_word_changed_re_renders_only_that_scenario_and_what_includes_it(
    tmp_path: Path, example_build: tuple[Path, BuildResult]
) -> None:
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder / "plans" / "brightbrew")
    # The first build fills the cache; the shared build's cache holds the same PDFs.
    seed_pdf_cache(example_build, folder / "site")
    run(folder)
    scenario = folder / "plans" / "brightbrew" / "scenarios" / "hacked-account.yaml"
    scenario.write_text(scenario.read_text().replace("cannot log back in", "cannot log in again"))
    result = run(folder)
    # Its runbook, its part of the full plan, and the full plan composed again.
    assert sorted(result.pdfs_rendered) == ["pdf/brightbrew/brightbrew-plan.pdf", "pdf/brightbrew/hacked-account.pdf"]
    assert result.parts_rendered == ["pdf/brightbrew/brightbrew-plan.pdf#hacked-account"]
    assert len(result.pdfs_reused) == 6  # the other runbooks and the call card
