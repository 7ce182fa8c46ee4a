"""Each scenario is laid out once: its runbook job also writes its part of the full
plan, cut from the runbook's layout (publish/pdf/weasy.py, PlanPart). The full plan
composed from those parts is the one composed from parts laid out on their own, as
builds once did: same pages, bookmarks, links, text and "page x of y"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import crisisplan.publish.pdf.compose as compose_module
from crisisplan.publish.pdf.compose import ComposeJob, compose
from crisisplan.publish.pdf.weasy import PdfJob, render_each
from crisisplan.publish.pdfs import FullPlan, pdf_jobs
from crisisplan.publish.site.pages import SitePlan
from tests.conftest import CASES, checked_plan

PLAN = CASES / "valid" / "minimal"


def _outline(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    found: list[tuple[int, str, int | None]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def _links(reader: PdfReader) -> list[tuple[int, str]]:
    """Each link by its page and where it goes: a page number or an address."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages) if page.indirect_reference}
    found = []
    for n, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []) or []:
            link = annotation.get_object()
            if "/Dest" in link:
                found.append((n, f"page {numbers[link['/Dest'][0].idnum]}"))
            elif "/A" in link:
                action = link["/A"]
                found.append((n, str(action.get("/URI", action.get("/D")))))
    return found


def _shape(path: Path) -> dict[str, Any]:
    reader = PdfReader(path)
    return {
        "pages": len(reader.pages),
        "text": [page.extract_text() for page in reader.pages],
        "outline": _outline(reader),
        "links": sorted(_links(reader)),
        "destinations": sorted(reader.named_destinations),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[PdfJob], FullPlan]:
    folder = tmp_path_factory.mktemp("compose")
    runbooks, (full,) = pdf_jobs([SitePlan(checked_plan(PLAN), "plan")], folder / "out", folder / "parts", "a4", False)
    render_each([*runbooks, full.appendix], workers=1)
    return folder, runbooks, full


def _composed(full: FullPlan, parts: list[Path], target: Path) -> Path:
    return compose(ComposeJob(full.parts.front, full.parts.numbers, tuple(parts), target))[0]


def test_the_full_plan_from_runbook_layouts_is_the_one_from_parts_laid_out_alone(
    built: tuple[Path, list[PdfJob], FullPlan],
) -> None:
    folder, _, full = built
    # Each scenario's part laid out on its own, as builds did before.
    alone = [folder / "alone" / f"{n:05d}.pdf" for n in range(len(full.part_files) - 1)]
    render_each([PdfJob(html, path, tagged=False) for html, path in zip(full.parts.body, alone, strict=False)], workers=1)
    alone.append(full.part_files[-1])  # the appendices, laid out on their own either way
    before = _shape(_composed(full, alone, folder / "before.pdf"))
    after = _shape(_composed(full, full.part_files, folder / "after.pdf"))
    assert after == before
    total = after["pages"]
    assert total > 2 and all(f"Page {n} of {total}" in text for n, text in enumerate(after["text"], start=1))
    assert any(title == "Service outage" for _, title, _ in after["outline"])
    assert any(target.startswith("page ") for _, target in after["links"])


@pytest.fixture(scope="module")
def fallback(built: tuple[Path, list[PdfJob], FullPlan]) -> list[tuple[Path, int]]:
    """The first runbook's job for a template that no longer opens the scenario's
    section with its anchor: the part is then laid out on its own."""
    folder, runbooks, _ = built
    job = runbooks[0]
    assert job.part is not None
    lost = replace(job, target=folder / "lost.pdf", part=replace(job.part, anchor="no-such-id", target=folder / "lost-part.pdf"))
    return lost.make()


def test_a_runbook_is_the_same_whichever_way_its_part_is_made_and_stays_tagged(
    built: tuple[Path, list[PdfJob], FullPlan], fallback: list[tuple[Path, int]]
) -> None:
    _, runbooks, _ = built
    job = runbooks[0]
    assert job.part is not None and job.part.target.is_file()
    (runbook, _), _ = fallback
    assert job.target.read_bytes() == runbook.read_bytes()
    root: Any = PdfReader(job.target).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    # The part starts where the scenario does: the quick card stays in the runbook only.
    part, whole = _shape(job.part.target), _shape(job.target)
    assert "QUICK CARD" not in " ".join(part["text"]).upper() and "QUICK CARD" in whole["text"][0].upper()
    assert [text.splitlines()[0] for text in part["text"]] == [text.splitlines()[0] for text in whole["text"][-part["pages"] :]]


def test_a_runbook_without_the_scenario_anchor_still_gives_the_part(
    built: tuple[Path, list[PdfJob], FullPlan], fallback: list[tuple[Path, int]]
) -> None:
    _, runbooks, _ = built
    part = runbooks[0].part
    assert part is not None
    (_, _), (lost_part, pages) = fallback
    assert lost_part.name == "lost-part.pdf" and pages >= 1
    assert _shape(lost_part)["text"] == _shape(part.target)["text"]


def test_the_page_numbers_laid_out_in_slices_give_the_same_plan(
    built: tuple[Path, list[PdfJob], FullPlan], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: one document of blank numbered pages for the whole plan grew with it
    (about 0.2 MB a page). Laid out a few pages at a time, each slice numbering from
    its first page and given the plan's total, the plan is the same."""
    folder, _, full = built
    # Parts repeated: a plan of several slices of 2 pages, the last one short.
    parts = [*full.part_files[:-1] * 4, full.part_files[-1]]
    monkeypatch.setattr(compose_module, "SLICE_PAGES", 10_000)
    whole = _composed(full, parts, folder / "whole.pdf")
    monkeypatch.setattr(compose_module, "SLICE_PAGES", 2)
    sliced = _composed(full, parts, folder / "sliced.pdf")
    before, after = _shape(whole), _shape(sliced)
    assert after == before
    total = after["pages"]
    assert total >= 5 and total % 2 == 1
    assert all(f"Page {n} of {total}" in text for n, text in enumerate(after["text"], start=1))
    assert PdfReader(sliced).metadata == PdfReader(whole).metadata
    roots: list[Any] = [PdfReader(path).trailer["/Root"] for path in (sliced, whole)]
    assert roots[0]["/Lang"] == roots[1]["/Lang"]
