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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from crisisplan.check.pipeline import Report, check_paths
from crisisplan.files import describe_os_error
from crisisplan.plan.localtext import in_language
from crisisplan.plan.model import Plan, parse_date
from crisisplan.plan.public import personal_data_in_public_text, public_edition
from crisisplan.plan.today import today as current_day
from crisisplan.publish import uptodate
from crisisplan.publish.options import BuildError, BuildOptions, BuildResult
from crisisplan.publish.pdf.cache import PdfCache, cache_key
from crisisplan.publish.pdf.compose import ComposeJob
from crisisplan.publish.pdf.documents import PlanParts, callcard_html, plan_parts, runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, Progress, render_each
from crisisplan.publish.site.mkdocs_site import (
    SiteBuildError,
    UnsafeDocsFile,
    build_site,
    docs_dir_of,
)
from crisisplan.publish.site.offline import write_offline_files
from crisisplan.publish.site.pages import Editions, Pages, SitePlan, generate, nav_title
from crisisplan.publish.site.search import localize_search_index
from crisisplan.publish.site.zensical_site import build_site_zensical
from crisisplan.publish.sitefolder import (
    CACHE_DIR,
    BuildLocked,
    UnsafeSiteDir,
    guard_site_dir,
    mark_site,
    new_scratch,
    recover,
    site_lock,
    swap_in,
)
from crisisplan.render.labels import CatalogError, labels_for, project_catalogs
from crisisplan.render.views import slugify

# Both take the generated pages and build the site the same way (see site/).
ENGINES = {"mkdocs": build_site, "zensical": build_site_zensical}


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


@dataclass
class _FullPlan:
    """A plan's full PDF: rendered in parts (each scenario, the appendices), then
    composed with its cover and contents (pdfcompose)."""

    target: Path
    parts: PlanParts
    part_jobs: list[PdfJob]
    part_names: list[str]  # each scenario's id, then "appendix"


def _pdf_jobs(entries: list[SitePlan], out: Path, parts_dir: Path, paper: str, public: bool) -> tuple[list[PdfJob], list[_FullPlan]]:
    runbooks, plans = [], []
    for entry in entries:
        folder = out / "pdf" / entry.slug
        parts = plan_parts(entry.plan, paper, public)
        where = parts_dir / entry.slug
        plans.append(
            _FullPlan(
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
    report = check_paths(options.paths, today=options.today, config=options.check_config)
    checked = clock()
    if options.public:
        # Text the public edition keeps may still name a role holder: warn (CP901).
        leaks = [d for checked in report.plans if checked.plan for d in personal_data_in_public_text(checked.plan)]
        report.diagnostics = sorted({*report.diagnostics, *leaks})
    result = BuildResult(report, check_seconds=checked - started)
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
    result.site_seconds = max(0.0, result.seconds - result.check_seconds - result.pdf_seconds)
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
        if options.shard:
            _render_share(options, options.shard, result, plans, site_dir, progress, clock)
        else:
            _publish_in(options, result, plans, site_dir, project, progress, clock, waiting)


def _render_share(
    options: BuildOptions,
    shard: tuple[int, int],
    result: BuildResult,
    plans: list[SitePlan],
    site_dir: Path,
    progress: Progress | None,
    clock: Callable[[], float],
) -> None:
    """Render one share of the PDFs into the cache beside site_dir; publish nothing.

    PDFs are most of a build. N jobs (CI runners) each render a share, whole plans
    in whole language editions, balanced by size; with their caches gathered into
    one folder, a last ordinary build renders nothing and publishes the site. Shares
    take no site lock and clean no scratch space: they never touch the site.
    """
    import tempfile

    from crisisplan.publish.pdf.deps import PdfLibrariesMissing, require_weasyprint

    number, count = shard
    if not options.pdf or not options.cache:
        raise BuildError("--shard renders PDFs into the cache: it cannot be used with --no-pdf or --no-cache")
    if PdfCache.beside(site_dir) is None:
        raise BuildError(f"--shard renders into the PDF cache, and {site_dir.parent / CACHE_DIR} cannot be used (a link, or committed to git)")
    editions = site_editions(plans)
    groups = [(language, entry) for language, entries in _edition_entries(options, editions, plans) for entry in entries]
    # Largest first onto the least loaded share: the same plans give the same shares.
    load = [0] * count
    mine = []
    for language, entry in sorted(groups, key=lambda g: (-len(g[1].plan.scenarios), g[0] or "", g[1].slug)):
        share = load.index(min(load))
        load[share] += 2 * len(entry.plan.scenarios) + 2
        if share == number - 1:
            mine.append((language, entry))
    try:
        require_weasyprint()
    except PdfLibrariesMissing as exc:
        raise BuildError(str(exc)) from None
    started = clock()
    with tempfile.TemporaryDirectory(prefix="crisisplan-share-") as scratch:
        out = Path(scratch) / "site"
        runbooks: list[PdfJob] = []
        full_plans: list[_FullPlan] = []
        for language, entry in mine:
            more_runbooks, more_plans = _pdf_jobs(
                [entry], out / language if language else out, Path(scratch) / "parts" / (language or "root"), options.paper, options.public
            )
            runbooks += more_runbooks
            full_plans += more_plans
        _render_pdfs(options, result, runbooks, full_plans, out, site_dir, progress)
    result.pdf_seconds = clock() - started


@dataclass
class _Edition:
    """One language edition of the site, generated and ready for MkDocs."""

    language: str | None  # None: the root edition
    entries: list[SitePlan]
    pages: Pages
    frame: str
    name: str


def _edition_entries(options: BuildOptions, editions: Editions, plans: list[SitePlan]) -> Iterator[tuple[str | None, list[SitePlan]]]:
    """Each edition's language (None: the root) and the plans it shows, in its language.

    The root edition comes first: MkDocs empties its site folder, which holds the
    other editions' folders. An edition holds the plans written in its language as a
    translation; each plan's first language is at the root.
    """
    for language in (None, *editions.folders):
        chosen = [e for e in plans if language is None or language in e.plan.languages[1:]]
        yield language, [SitePlan(_edition(e.plan, language, options.public), e.slug) for e in chosen]


def _generate_editions(options: BuildOptions, plans: list[SitePlan]) -> tuple[Editions, list[_Edition]]:
    today = options.today or current_day()
    editions = site_editions(plans)
    generated = []
    for language, entries in _edition_entries(options, editions, plans):
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
        generated.append(_Edition(language, entries, pages, frame, name))
    return editions, generated


def _publish_in(
    options: BuildOptions,
    result: BuildResult,
    plans: list[SitePlan],
    site_dir: Path,
    project: Path,
    progress: Progress | None,
    clock: Callable[[], float],
    waiting: Callable[[], None] | None,
) -> None:
    with site_lock(site_dir, waiting) as work:
        recover(work, site_dir)
        # Checked again under the lock: another build may have changed the folder.
        _guard(options)
        key = uptodate.inputs_key(options, [checked.source for checked in result.report.plans], project)
        if options.cache and uptodate.unchanged(work, site_dir, key, result):
            return
        editions, generated = _generate_editions(options, plans)
        scratch = new_scratch(work, site_dir)
        try:
            out = scratch / "site"
            runbooks: list[PdfJob] = []
            full_plans: list[_FullPlan] = []
            for edition in generated:
                if options.pdf:
                    more_runbooks, more_plans = _pdf_jobs(
                        edition.entries,
                        out / edition.language if edition.language else out,
                        scratch / "parts" / (edition.language or "root"),
                        options.paper,
                        options.public,
                    )
                    runbooks += more_runbooks
                    full_plans += more_plans
            if options.pdf:
                from crisisplan.publish.pdf.deps import PdfLibrariesMissing, require_weasyprint

                try:
                    # Once, before anything imports WeasyPrint: a missing Pango or font
                    # is one message, not a traceback from each PDF worker.
                    require_weasyprint()
                except PdfLibrariesMissing as exc:
                    raise BuildError(str(exc)) from None
            for edition in generated:
                language, entries, frame = edition.language, edition.entries, edition.frame
                edition_out = out / language if language else out
                with _reproducible_dates(entries):
                    try:
                        warnings = ENGINES[options.engine](
                            edition.pages,
                            scratch / f"edition-{language or 'root'}",
                            edition_out,
                            options.config_file,
                            frame,
                            edition.name,
                            folders=bool(editions.folders),
                        )
                    except SiteBuildError as exc:
                        engine = "Zensical" if options.engine == "zensical" else "MkDocs"
                        raise BuildError(f"{engine} could not build the site: {exc}") from exc
                # Each edition is built from the same mkdocs.yml: say each warning once.
                result.warnings += [w for w in warnings if w not in result.warnings]
                if language is None:
                    for entry in entries:
                        _declare_language(edition_out / entry.slug, entry.plan.default_language, frame)
                # Folded and root forms of every word, so readers find "læk" by "laek"
                # and "kebocoran" by "bocor" in their own edition's search.
                localize_search_index(edition_out, frame, {e.slug: e.plan.languages for e in entries})
                result.pages += len(edition.pages.files)
            if options.pdf:
                pdf_started = clock()
                _render_pdfs(options, result, runbooks, full_plans, out, site_dir, progress)
                result.pdf_seconds = clock() - pdf_started
            for edition in generated:
                # After the PDFs: the offline copy lists every file the edition has.
                write_offline_files(out / edition.language if edition.language else out, str(edition.name), edition.frame)
            mark_site(out)
            swap_in(out, site_dir, scratch)
            result.built = True
            uptodate.remember(work, site_dir, key, result)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _render_pdfs(
    options: BuildOptions,
    result: BuildResult,
    runbooks: list[PdfJob],
    full_plans: list[_FullPlan],
    out: Path,
    site_dir: Path,
    progress: Progress | None,
) -> None:
    """Render what the cache does not hold, in two rounds across the cores: the
    runbooks and the parts of each full plan, then each full plan from its parts.

    A PDF (or part) whose HTML is unchanged comes from the cache; a full plan is
    composed again only when one of its parts or its cover changed.
    """
    cache = PdfCache.beside(site_dir) if options.cache else None
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
