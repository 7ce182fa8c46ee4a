"""Plan -> PDF runbooks with WeasyPrint, called directly.

Each scenario gets a short runbook whose first page is a quick card (first actions,
who to call, the main holding statement); each plan gets a full PDF. WeasyPrint is
imported only here, so `crisisplan check` stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from crisisplan.drill import DrillScript
from crisisplan.labels import labels_for
from crisisplan.model import Plan, Scenario
from crisisplan.templating import environment
from crisisplan.views import statement_views, timeline, who_to_call

PAPER = {"a4": "A4", "letter": "letter"}
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PdfJob:
    html: str
    target: Path
    root: Path


def _scenario_context(plan: Plan, scenario: Scenario) -> dict[str, Any]:
    words = labels_for(plan.default_language)
    return {
        "scenario": scenario,
        "level": plan.severity(scenario.severity),
        "steps": plan.actions_of(scenario),
        "callers": who_to_call(plan, scenario),
        "statements": statement_views(plan, scenario),
        "timeline": timeline(plan, scenario, words),
        "rules": plan.response_rules_of(scenario),
        "moderation": plan.moderation_of(scenario),
        "review": plan.review_of(scenario),
    }


def _css() -> Markup:
    # Our own stylesheet, inserted into <style> as is.
    return Markup(resources.files("crisisplan").joinpath("templates/pdf/pdf.css").read_text("utf-8"))  # noqa: S704


def runbook_html(plan: Plan, scenario: Scenario, paper: str = "a4", public: bool = False) -> str:
    return environment().get_template("pdf/runbook.html.j2").render(
        plan=plan,
        w=labels_for(plan.default_language),
        title=f"{scenario.title} ({plan.organisation})",
        paper=PAPER[paper],
        css=_css(),
        public=public,
        **_scenario_context(plan, scenario),
    )


def plan_html(plan: Plan, paper: str = "a4", public: bool = False) -> str:
    return environment().get_template("pdf/plan.html.j2").render(
        plan=plan,
        w=labels_for(plan.default_language),
        title=plan.name,
        paper=PAPER[paper],
        css=_css(),
        public=public,
        lead=plan.crisis_lead(),
        scenario_pages=[_scenario_context(plan, s) for s in plan.scenarios],
    )


def _make_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that serves only files inside the build folder."""
    from weasyprint.urls import URLFetcher

    class BuildOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(root.resolve()):
                    return super().fetch(url, headers)
            raise ValueError(f"PDF runbooks load nothing from outside the build: {url}")

    return BuildOnlyFetcher()


def _metadata_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


def render_pdf(job: PdfJob) -> tuple[Path, int]:
    """Render one PDF; runs in a worker process. Returns the file and its page count."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every refused URL and CSS nicety; the build's summary says enough.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = HTML(
        string=job.html, base_url=str(job.root) + "/", url_fetcher=_make_fetcher(job.root)
    ).render()
    stamp = _metadata_epoch()
    # No creation date unless SOURCE_DATE_EPOCH asks for one: the same plan gives
    # byte-identical PDFs.
    document.metadata.created = stamp.isoformat() if stamp else None
    document.metadata.modified = stamp.isoformat() if stamp else None
    job.target.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(job.target, pdf_variant="pdf/ua-1")
    return job.target, len(document.pages)


def render_all(jobs: list[PdfJob], progress: Progress | None = None, workers: int | None = None) -> int:
    """Render PDFs in parallel across cores; returns the total page count."""
    if not jobs:
        return 0
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    pages = 0
    if workers == 1:
        for done, job in enumerate(jobs, start=1):
            pages += render_pdf(job)[1]
            if progress:
                progress(done, len(jobs), str(job.target))
        return pages
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(render_pdf, job) for job in jobs]
        for done, future in enumerate(as_completed(futures), start=1):
            target, count = future.result()
            pages += count
            if progress:
                progress(done, len(jobs), str(target))
    return pages


def drill_html(script: DrillScript, paper: str = "a4") -> str:
    """A drill script as printable HTML."""
    plan = script.plan
    return environment().get_template("pdf/drill.html.j2").render(
        plan=plan,
        d=script,
        w=labels_for(plan.default_language),
        title=f"Drill: {script.scenario.title}",
        paper=PAPER[paper],
        css=_css(),
    )
