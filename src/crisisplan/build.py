"""`crisisplan build`: check, generate the site and PDFs in a temporary folder, then
replace the published site in one step.

A failed or interrupted build (an error in a plan, a broken mkdocs.yml, Ctrl-C)
leaves the previous site exactly as it was: nothing is written into it until
everything has been built.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from crisisplan.audience import personal_data_in_public_text, public_edition
from crisisplan.checker import Report, check_paths
from crisisplan.files import describe_os_error
from crisisplan.labels import CatalogError, labels_for, project_catalogs
from crisisplan.localtext import in_language
from crisisplan.model import Plan, parse_date
from crisisplan.pdf import PdfJob, Progress, plan_html, render_each, runbook_html
from crisisplan.pdfcache import PdfCache, cache_key
from crisisplan.publish import (
    BuildLocked,
    UnsafeSiteDir,
    guard_site_dir,
    mark_site,
    new_scratch,
    recover,
    site_lock,
    swap_in,
)
from crisisplan.site.mkdocs_site import SiteBuildError, UnsafeDocsFile, build_site, docs_dir_of
from crisisplan.site.pages import Editions, SitePlan, generate, nav_title
from crisisplan.site.search import localize_search_index
from crisisplan.views import slugify


class BuildError(Exception):
    """The site could not be built for a reason other than a plan problem."""


@dataclass
class BuildOptions:
    paths: Sequence[Path]
    site_dir: Path = Path("site")
    config_file: Path | None = None
    strict: bool = False
    pdf: bool = True
    paper: str = "a4"
    today: dt.date | None = None
    public: bool = False
    # Replace a site folder that holds files crisisplan did not write.
    force: bool = False
    # Reuse PDFs rendered by an earlier build from the same HTML (see pdfcache).
    cache: bool = True


@dataclass
class BuildResult:
    report: Report
    built: bool = False
    pages: int = 0
    pdfs: int = 0
    pdf_pages: int = 0
    seconds: float = 0.0
    pdf_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    # Which PDFs were rendered and which reused from the cache, by path in the site.
    pdfs_rendered: list[str] = field(default_factory=list)
    pdfs_reused: list[str] = field(default_factory=list)
    # Why the site could not be published, when that is not a plan problem (serve
    # reports it and keeps the last good preview).
    error: str = ""


def _site_plans(report: Report) -> list[SitePlan]:
    entries: list[SitePlan] = []
    used: set[str] = set()
    for checked in report.plans:
        if checked.plan is None:
            continue
        base = slugify(checked.source.path.stem if not checked.source.is_folder else checked.source.path.name)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        entries.append(SitePlan(checked.plan, slug))
    return sorted(entries, key=lambda e: e.slug)


@contextmanager
def _reproducible_dates(entries: list[SitePlan]) -> Iterator[None]:
    """Without SOURCE_DATE_EPOCH, MkDocs stamps today's date into sitemap.xml; pin it
    to the plans' last review so that the same plans give the same files."""
    if os.environ.get("SOURCE_DATE_EPOCH") or not entries:
        yield
        return
    dates = []
    for entry in entries:
        day = parse_date(entry.plan.last_reviewed)
        if day is not None:
            dates.append(day)
    stamp = max(dates) if dates else dt.date(2000, 1, 1)
    epoch = int(dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.UTC).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _pdf_jobs(entries: list[SitePlan], out: Path, paper: str, public: bool) -> list[PdfJob]:
    jobs = []
    for entry in entries:
        folder = out / "pdf" / entry.slug
        jobs.append(PdfJob(plan_html(entry.plan, paper, public), folder / f"{entry.slug}-plan.pdf"))
        for scenario in entry.plan.scenarios:
            jobs.append(PdfJob(runbook_html(entry.plan, scenario, paper, public), folder / f"{scenario.id}.pdf"))
    return jobs


def site_editions(plans: list[SitePlan]) -> Editions:
    """The site's editions, by language.

    The root edition shows each plan in its own first language (as a single-language
    site always has) and takes its frame (menus, search) from the first plan's. Every
    other language a plan is written in gets an edition under its code, holding the
    plans written in that language.
    """
    root = plans[0].plan.default_language if plans else "en"
    folders: dict[str, None] = {}
    for entry in plans:
        for language in entry.plan.languages[1:]:
            folders.setdefault(language, None)
    return Editions(
        root_language=root,
        folders=tuple(folders),
        languages=tuple((entry.slug, tuple(entry.plan.languages)) for entry in plans),
    )


def _edition(plan: Plan, language: str | None, public: bool) -> Plan:
    """A plan as one edition shows it: its text in that language (in the root
    edition, ``None``, its own first language), then without internal data if public."""
    edition = in_language(plan, language) if language else plan
    return public_edition(edition) if public else edition


_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def _declare_language(folder: Path, language: str, frame: str) -> None:
    """Pages of a plan in another language than the root edition's frame say so:
    MkDocs declares one language for a whole site, and a screen reader or a
    translation tool must know that a page is in Indonesian, not Malay."""
    if language == frame or not folder.is_dir():
        return
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text("utf-8")
        page.write_text(_HTML_LANG.sub(f'<html lang="{language}"', text, count=1), "utf-8")


def _guard(options: BuildOptions) -> None:
    docs = docs_dir_of(options.config_file)
    guard_site_dir(
        options.site_dir,
        plans=list(options.paths),
        config_file=options.config_file,
        docs_dir=docs,
        force=options.force,
    )


def build(
    options: BuildOptions,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.perf_counter,
    waiting: Callable[[], None] | None = None,
) -> BuildResult:
    """Check the plans and, if they pass, publish the site and PDFs into site_dir.

    Raises BuildError when the site cannot be built or published for a reason that
    is not in a plan (an unsafe --site-dir, a broken mkdocs.yml, a full disk);
    the previous site is then left exactly as it was.
    """
    started = clock()
    try:
        _guard(options)
    except UnsafeSiteDir as exc:
        raise BuildError(f"{exc.message}\n  hint: {exc.hint}") from None
    report = check_paths(options.paths, today=options.today)
    if options.public:
        # Text the public edition keeps may still name a role holder: warn (CP901).
        leaks = [d for checked in report.plans if checked.plan for d in personal_data_in_public_text(checked.plan)]
        report.diagnostics = sorted({*report.diagnostics, *leaks})
    result = BuildResult(report)
    if report.failed(options.strict):
        return result
    try:
        _publish(options, result, progress, clock, waiting)
    except UnsafeDocsFile as exc:
        # A docs file that is a link out of the repository: reported like a plan problem.
        report.diagnostics = sorted({*report.diagnostics, exc.diagnostic})
        return result
    except UnsafeSiteDir as exc:
        raise BuildError(f"{exc.message}\n  hint: {exc.hint}") from None
    except BuildLocked as exc:
        raise BuildError(f"{exc}; nothing was published") from None
    except CatalogError as exc:
        raise BuildError(f"cannot use the translations: {exc}") from None
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildError(f"cannot write the site: {describe_os_error(exc)}{where}") from None
    result.seconds = clock() - started
    return result


def _publish(
    options: BuildOptions,
    result: BuildResult,
    progress: Progress | None,
    clock: Callable[[], float],
    waiting: Callable[[], None] | None,
) -> None:
    plans = _site_plans(result.report)
    # Resolved: "site/x/.." is the site folder itself, and its scratch space goes beside it.
    site_dir = options.site_dir.resolve()
    # A team's own catalogs live in locale/ beside mkdocs.yml (or where the build runs).
    project = options.config_file.parent if options.config_file else Path.cwd()
    with project_catalogs([project]):
        _publish_in(options, result, plans, site_dir, progress, clock, waiting)


def _publish_in(
    options: BuildOptions,
    result: BuildResult,
    plans: list[SitePlan],
    site_dir: Path,
    progress: Progress | None,
    clock: Callable[[], float],
    waiting: Callable[[], None] | None,
) -> None:
    with site_lock(site_dir, waiting) as work:
        recover(work, site_dir)
        # Checked again under the lock: another build may have changed the folder.
        _guard(options)
        scratch = new_scratch(work, site_dir)
        try:
            out = scratch / "site"
            today = options.today or dt.date.today()
            jobs: list[PdfJob] = []
            editions = site_editions(plans)
            # The root edition first: MkDocs empties its site folder, which holds the
            # other editions' folders.
            for language in (None, *editions.folders):
                # An edition holds the plans written in its language as a translation;
                # each plan's first language is at the root.
                chosen = [e for e in plans if language is None or language in e.plan.languages[1:]]
                entries = [SitePlan(_edition(e.plan, language, options.public), e.slug) for e in chosen]
                edition_out = out / language if language else out
                here = replace(editions, current=language)
                pages = generate(entries, today, public=options.public, pdf=options.pdf, editions=here)
                frame = language or editions.root_language
                words = labels_for(frame)
                # Material prints site_name as raw HTML: escape what comes from a plan.
                name = nav_title(
                    words["site_name_plan"].format(organisation=entries[0].plan.organisation)
                    if len(entries) == 1
                    else words["site_name"]
                )
                with _reproducible_dates(entries):
                    try:
                        result.warnings += build_site(
                            pages,
                            scratch / f"edition-{language or 'root'}",
                            edition_out,
                            options.config_file,
                            frame,
                            name,
                            folders=bool(editions.folders),
                        )
                    except SiteBuildError as exc:
                        raise BuildError(f"MkDocs could not build the site: {exc}") from exc
                if language is None:
                    for entry in entries:
                        _declare_language(edition_out / entry.slug, entry.plan.default_language, frame)
                # Folded and root forms of every word, so readers find "læk" by "laek"
                # and "kebocoran" by "bocor" in their own edition's search.
                localize_search_index(edition_out, frame, {e.slug: e.plan.languages for e in entries})
                result.pages += len(pages.files)
                if options.pdf:
                    jobs += _pdf_jobs(entries, edition_out, options.paper, options.public)
            if options.pdf:
                pdf_started = clock()

                def published(done: int, total: int, name: str) -> None:
                    # Name each PDF where it will be published, not in the scratch folder.
                    if progress:
                        progress(done, total, str(options.site_dir / Path(name).relative_to(out)))

                cache = None if not options.cache else PdfCache.beside(site_dir)
                keys = {job.target: cache_key(job.html) for job in jobs} if cache else {}
                missing = []
                for job in jobs:
                    reused = cache.fetch(keys[job.target], job.target) if cache else None
                    if reused is None:
                        missing.append(job)
                    else:
                        result.pdf_pages += reused
                        result.pdfs_reused.append(job.target.relative_to(out).as_posix())
                rendered = render_each(missing, published)
                for target, count in rendered.items():
                    result.pdf_pages += count
                    result.pdfs_rendered.append(target.relative_to(out).as_posix())
                    if cache:
                        cache.store(keys[target], target, count)
                result.pdfs = len(jobs)
                result.pdf_seconds = clock() - pdf_started
            mark_site(out)
            swap_in(out, site_dir, scratch)
            result.built = True
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
