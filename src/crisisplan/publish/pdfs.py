"""Which PDFs a build makes (each scenario's runbook, the call card, each plan's full
PDF in parts), and rendering those the cache does not hold.

Each scenario is laid out once: its runbook job also writes the scenario's part of
the full plan, cut from the same layout (pdf.weasy.PlanPart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from crisisplan.publish.options import BuildRun
from crisisplan.publish.pdf.cache import PdfCache, cache_key
from crisisplan.publish.pdf.compose import ComposeJob
from crisisplan.publish.pdf.documents import PlanParts, callcard_html, plan_parts, runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, PlanPart, render_each
from crisisplan.publish.site.pages import SitePlan


@dataclass
class FullPlan:
    """A plan's full PDF: composed (pdfcompose) from its cover and contents, each
    scenario's part (written by the scenario's runbook job) and its appendices."""

    target: Path
    parts: PlanParts
    part_files: list[Path]  # each scenario's part, then the appendices
    part_names: list[str]  # each scenario's id, then "appendix"
    appendix: PdfJob


def pdf_jobs(entries: list[SitePlan], out: Path, parts_dir: Path, paper: str, public: bool) -> tuple[list[PdfJob], list[FullPlan]]:
    """Each runbook (with its part of the full plan) and call card, and each full plan."""
    runbooks, plans = [], []
    for entry in entries:
        folder = out / "pdf" / entry.slug
        parts = plan_parts(entry.plan, paper, public)
        where = parts_dir / entry.slug
        files = [where / f"{n:05d}.pdf" for n in range(len(parts.body))]
        plans.append(
            FullPlan(
                folder / f"{entry.slug}-plan.pdf",
                parts,
                files,
                [*(scenario.id for scenario in entry.plan.scenarios), "appendix"],
                PdfJob(parts.body[-1], files[-1], tagged=False),
            )
        )
        for scenario, html, file in zip(entry.plan.scenarios, parts.body[:-1], files[:-1], strict=True):
            part = PlanPart(file, f"scenario-{scenario.id}", parts.frame, html)
            runbooks.append(PdfJob(runbook_html(entry.plan, scenario, paper, public), folder / f"{scenario.id}.pdf", part=part))
        if not public:
            # The call tree is names and numbers: the public edition has none to print.
            runbooks.append(PdfJob(callcard_html(entry.plan, paper, public), folder / f"{entry.slug}-call-card.pdf"))
    return runbooks, plans


def pdf_keys(runbooks: list[PdfJob], full_plans: list[FullPlan]) -> dict[Path, str]:
    """The cache key of every PDF and part a build makes, by where it is written.

    A part is cut from its runbook's layout: its key holds the runbook's HTML, the
    frame it is given and the part's own HTML (its fallback). The same parts and the
    same cover make the same full plan.
    """
    keys: dict[Path, str] = {}
    for job in runbooks:
        keys[job.target] = cache_key(job.html, job.tagged)
        if job.part is not None:
            keys[job.part.target] = cache_key("\0".join(("part", job.html, job.part.frame, job.part.html)), tagged=False)
    for full in full_plans:
        keys[full.appendix.target] = cache_key(full.appendix.html, full.appendix.tagged)
        composed = "\0".join([full.parts.front, full.parts.numbers, *(keys[file] for file in full.part_files)])
        keys[full.target] = cache_key(composed)
    return keys


def render_pdfs(run: BuildRun, runbooks: list[PdfJob], full_plans: list[FullPlan], out: Path) -> None:
    """Render what the cache does not hold across the cores: the runbooks (each with
    its part of its full plan) and the appendices, and each full plan from its parts
    as soon as they are made.

    A PDF (or part) whose HTML is unchanged comes from the cache; a full plan is
    composed again only when one of its parts or its cover changed.
    """
    options, result, progress = run.options, run.result, run.progress
    cache, refused = PdfCache.open_beside(run.site_dir) if options.cache else (None, None)
    if refused and refused not in result.warnings:
        result.warnings.append(refused)
    # Where each PDF is published, for progress; each part as its full plan "#" its name.
    names: dict[Path, str] = {job.target: job.target.relative_to(out).as_posix() for job in runbooks}
    for full in full_plans:
        name = full.target.relative_to(out).as_posix()
        names[full.target] = name
        names.update((file, f"{name}#{part}") for file, part in zip(full.part_files, full.part_names, strict=True))
    keys = pdf_keys(runbooks, full_plans) if cache else {}

    def fetch(target: Path) -> bool:
        pages = cache.fetch(keys[target], target) if cache else None
        if pages is None:
            return False
        if target.is_relative_to(out):
            result.pdf_pages += pages
            result.pdfs_reused.append(target.relative_to(out).as_posix())
        return True

    def rendered(target: Path, count: int) -> None:
        # Cached the moment it is written: a build stopped half-way (a CI time-out)
        # keeps what it rendered for the next run.
        if cache:
            cache.store(keys[target], target, count)
        if target.is_relative_to(out):
            result.pdf_pages += count
            result.pdfs_rendered.append(target.relative_to(out).as_posix())
        else:
            result.parts_rendered.append(names[target])

    compose = [
        ComposeJob(full.parts.front, full.parts.numbers, tuple(full.part_files), full.target)
        for full in full_plans
        if not fetch(full.target)
    ]
    first = _first_round(runbooks, full_plans, {path for job in compose for path in job.parts}, fetch)
    # Each full plan waits only for the parts this build renders (the others are
    # copied from the cache already).
    made = {path for job in first for path in (job.target, *([job.part.target] if job.part else []))}

    def published(done: int, total: int, name: str) -> None:
        if progress:
            progress(done, total, str(options.site_dir / names.get(Path(name), name)))

    render_each(first, published, finished=rendered, then=[(job, made.intersection(job.parts)) for job in compose])
    result.pdfs = len(runbooks) + len(full_plans)


def _first_round(runbooks: list[PdfJob], full_plans: list[FullPlan], needed: set[Path], fetch: Callable[[Path], bool]) -> list[PdfJob]:
    """The runbooks and appendices to render: what the cache does not hold. Only the
    parts of full plans to compose are needed; a runbook whose part is needed and not
    cached is rendered again with it (the part is cut from its layout)."""
    first: list[PdfJob] = []
    for job in runbooks:
        part = job.part if job.part is not None and job.part.target in needed else None
        if part is not None and not fetch(part.target):
            first.append(replace(job, part=part))
        elif not fetch(job.target):
            first.append(replace(job, part=None))
    first += [full.appendix for full in full_plans if full.appendix.target in needed and not fetch(full.appendix.target)]
    return first
