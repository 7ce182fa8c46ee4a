"""Which PDFs a build makes (each scenario's runbook, the call card, each plan's full
PDF in parts), and rendering those the cache does not hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crisisplan.publish.options import BuildRun
from crisisplan.publish.pdf.cache import PdfCache, cache_key
from crisisplan.publish.pdf.compose import ComposeJob
from crisisplan.publish.pdf.documents import PlanParts, callcard_html, plan_parts, runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, render_each
from crisisplan.publish.site.pages import SitePlan


@dataclass
class FullPlan:
    """A plan's full PDF: rendered in parts (each scenario, the appendices), then
    composed with its cover and contents (pdfcompose)."""

    target: Path
    parts: PlanParts
    part_jobs: list[PdfJob]
    part_names: list[str]  # each scenario's id, then "appendix"


def pdf_jobs(entries: list[SitePlan], out: Path, parts_dir: Path, paper: str, public: bool) -> tuple[list[PdfJob], list[FullPlan]]:
    runbooks, plans = [], []
    for entry in entries:
        folder = out / "pdf" / entry.slug
        parts = plan_parts(entry.plan, paper, public)
        where = parts_dir / entry.slug
        plans.append(
            FullPlan(
                folder / f"{entry.slug}-plan.pdf",
                parts,
                [PdfJob(html, where / f"{n:05d}.pdf", tagged=False) for n, html in enumerate(parts.body)],
                [*(scenario.id for scenario in entry.plan.scenarios), "appendix"],
            )
        )
        for scenario in entry.plan.scenarios:
            runbooks.append(PdfJob(runbook_html(entry.plan, scenario, paper, public), folder / f"{scenario.id}.pdf"))
        if not public:
            # The call tree is names and numbers: the public edition has none to print.
            runbooks.append(PdfJob(callcard_html(entry.plan, paper, public), folder / f"{entry.slug}-call-card.pdf"))
    return runbooks, plans


def render_pdfs(run: BuildRun, runbooks: list[PdfJob], full_plans: list[FullPlan], out: Path) -> None:
    """Render what the cache does not hold, in two rounds across the cores: the
    runbooks and the parts of each full plan, then each full plan from its parts.

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
        names.update((job.target, f"{name}#{part}") for job, part in zip(full.part_jobs, full.part_names, strict=True))
    parts = [job for full in full_plans for job in full.part_jobs]
    keys = {job.target: cache_key(job.html, job.tagged) for job in [*runbooks, *parts]} if cache else {}
    for full in full_plans:
        if cache:
            # The same parts and the same cover make the same full plan.
            composed = "\0".join([full.parts.front, full.parts.numbers, *(keys[job.target] for job in full.part_jobs)])
            keys[full.target] = cache_key(composed)

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
        ComposeJob(full.parts.front, full.parts.numbers, tuple(j.target for j in full.part_jobs), full.target)
        for full in full_plans
        if not fetch(full.target)
    ]
    # Only the parts of full plans to compose; a part unchanged since it was cached
    # is copied, not rendered.
    needed = {path for job in compose for path in job.parts}
    needed.update(job.target for job in runbooks)
    first = [job for job in [*runbooks, *parts] if job.target in needed and not fetch(job.target)]
    total = len(first) + len(compose)
    done_before = 0

    def published(done: int, _total: int, name: str) -> None:
        if progress:
            progress(done_before + done, total, str(options.site_dir / names.get(Path(name), name)))

    render_each(first, published, finished=rendered)
    done_before = len(first)
    render_each(compose, published, finished=rendered)
    result.pdfs = len(runbooks) + len(full_plans)
