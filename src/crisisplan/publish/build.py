"""`crisisplan build`: check, generate the site and PDFs in a temporary folder, then
replace the published site in one step.

A failed or interrupted build (an error in a plan, a broken mkdocs.yml, Ctrl-C)
leaves the previous site exactly as it was: nothing is written into it until
everything has been built.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from crisisplan.check.pipeline import check_paths
from crisisplan.errors import CrisisplanError
from crisisplan.files import boundary_for, describe_os_error
from crisisplan.plan.discovery import STDIN, discover
from crisisplan.plan.public import personal_data_in_public_text
from crisisplan.publish import uptodate
from crisisplan.publish.editions import (
    Edition,
    EpochError,
    build_epoch,
    declare_language,
    edition_entries,
    generate_editions,
    reproducible_dates,
    site_editions,
    site_plans,
)
from crisisplan.publish.options import BuildError, BuildOptions, BuildResult, BuildRun
from crisisplan.publish.pdf.cache import PdfCache, unusable
from crisisplan.publish.pdf.weasy import PdfJob, Progress
from crisisplan.publish.pdfs import FullPlan, pdf_jobs, render_pdfs
from crisisplan.publish.site.mkdocs_site import (
    SiteBuildError,
    UnsafeDocsFile,
    build_site,
    custom_dir_of,
    docs_dir_of,
    user_config,
)
from crisisplan.publish.site.offline import write_offline_files
from crisisplan.publish.site.pages import SitePlan
from crisisplan.publish.site.search import localize_search_index
from crisisplan.publish.site.zensical_site import build_site_zensical, input_stamp
from crisisplan.publish.sitefolder import (
    CACHE_DIR,
    BuildLocked,
    UnsafeDocsDir,
    UnsafeSiteDir,
    finish_kept_input,
    guard_docs_dir,
    guard_site_dir,
    mark_site,
    new_scratch,
    open_kept_input,
    recover,
    site_lock,
    swap_in,
)
from crisisplan.render.labels import CatalogError, project_catalogs

# Both take the generated pages and build the site the same way (see site/).
ENGINES = {"mkdocs": build_site, "zensical": build_site_zensical}


def _guard(options: BuildOptions) -> None:
    """Refuse, before the plans are checked and anything is written, what the build
    cannot use: a SOURCE_DATE_EPOCH or mkdocs.yml it cannot read, a docs or theme
    folder that would publish the plan files, a site folder whose replacement would
    lose something."""
    try:
        build_epoch()
        # Read here, whole: a broken mkdocs.yml must not leave the docs folder unknown.
        user_config(options.config_file)
    except (EpochError, SiteBuildError) as exc:
        raise BuildError(_said(exc)) from None
    docs = docs_dir_of(options.config_file)
    try:
        guard_site_dir(
            options.site_dir,
            plans=list(options.paths),
            config_file=options.config_file,
            docs_dir=docs,
            force=options.force,
        )
        folders, files = _plan_folders_and_files(options.paths)
        guard_docs_dir(docs, folders=folders, files=files, config_file=options.config_file)
        theme = custom_dir_of(options.config_file)
        if theme is not None and options.config_file is not None:
            guard_docs_dir(
                theme,
                folders=folders,
                files=files,
                config_file=options.config_file,
                setting="custom_dir",
                boundary=boundary_for(options.config_file),
            )
    except (UnsafeSiteDir, UnsafeDocsDir) as exc:
        raise BuildError(_said(exc)) from None


def _said(exc: CrisisplanError) -> str:
    return f"{exc.message}\n  hint: {exc.hint}" if exc.hint else exc.message


def _plan_folders_and_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The folders that hold plans and every plan file the build reads, as discovery
    finds them (a plan named on standard input has neither)."""
    named = [path for path in paths if str(path) != STDIN]
    try:
        sources, _ = discover(named)
        folders = [path for path in named if path.is_dir()] + [source.path for source in sources if source.is_folder]
        files = [path for path in named if path.is_file()] + [file for source in sources for file in source.files()]
    except OSError as exc:
        raise BuildError(f"cannot read the plans: {describe_os_error(exc)}") from None
    return folders, files


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
    _guard(options)
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
        _publish(BuildRun(options, result, progress, clock, waiting))
    except UnsafeDocsFile as exc:
        # A docs file that is a link out of the repository: reported like a plan problem.
        report.diagnostics = sorted({*report.diagnostics, exc.diagnostic})
        return result
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


def _publish(run: BuildRun) -> None:
    plans = site_plans(run.result.report)
    # A team's own catalogs live in locale/ beside mkdocs.yml (or where the build runs).
    with project_catalogs([run.project]):
        if run.options.shard:
            _render_share(run, run.options.shard, plans)
        else:
            _publish_in(run, plans)


def _render_share(run: BuildRun, shard: tuple[int, int], plans: list[SitePlan]) -> None:
    """Render one share of the PDFs into the cache beside site_dir; publish nothing.

    PDFs are most of a build. N jobs (CI runners) each render a share, whole plans
    in whole language editions, balanced by size; with their caches gathered into
    one folder, a last ordinary build renders nothing and publishes the site. Shares
    take no site lock and clean no scratch space: they never touch the site.
    """
    import tempfile

    options, site_dir = run.options, run.site_dir
    number, count = shard
    if not options.pdf or not options.cache:
        raise BuildError("--shard renders PDFs into the cache: it cannot be used with --no-pdf or --no-cache")
    if PdfCache.beside(site_dir) is None:
        why = unusable(site_dir) or f"{site_dir.parent / CACHE_DIR} cannot be made"
        raise BuildError(f"--shard renders into the PDF cache, and it cannot be used: {why}")
    editions = site_editions(plans)
    groups = [(language, entry) for language, entries in edition_entries(options, editions, plans) for entry in entries]
    # Largest first onto the least loaded share: the same plans give the same shares.
    load = [0] * count
    mine = []
    for language, entry in sorted(groups, key=lambda g: (-len(g[1].plan.scenarios), g[0] or "", g[1].slug)):
        share = load.index(min(load))
        load[share] += 2 * len(entry.plan.scenarios) + 2
        if share == number - 1:
            mine.append((language, entry))
    _require_weasyprint()
    started = run.clock()
    with tempfile.TemporaryDirectory(prefix="crisisplan-share-") as scratch:
        out = Path(scratch) / "site"
        runbooks: list[PdfJob] = []
        full_plans: list[FullPlan] = []
        for language, entry in mine:
            more_runbooks, more_plans = pdf_jobs(
                [entry], out / language if language else out, Path(scratch) / "parts" / (language or "root"), options.paper, options.public
            )
            runbooks += more_runbooks
            full_plans += more_plans
        render_pdfs(run, runbooks, full_plans, out)
    run.result.pdf_seconds = run.clock() - started


def _require_weasyprint() -> None:
    """Once, before anything imports WeasyPrint: a missing Pango or font is one
    message, not a traceback from each PDF worker."""
    from crisisplan.publish.pdf.deps import PdfLibrariesMissing, require_weasyprint

    try:
        require_weasyprint()
    except PdfLibrariesMissing as exc:
        raise BuildError(str(exc)) from None


def _publish_in(run: BuildRun, plans: list[SitePlan]) -> None:
    """Build everything in scratch space beside the site, then swap it in: under the
    site's lock, and not at all when nothing changed since the last build."""
    options, result, site_dir = run.options, run.result, run.site_dir
    with site_lock(site_dir, run.waiting) as work:
        recover(work, site_dir)
        # Checked again under the lock: another build may have changed the folder.
        _guard(options)
        key = uptodate.inputs_key(options, [checked.source for checked in result.report.plans], run.project)
        if options.cache and uptodate.unchanged(work, site_dir, key, result):
            return
        editions, generated = generate_editions(options, plans)
        scratch = new_scratch(work, site_dir)
        try:
            out = scratch / "site"
            runbooks, full_plans = _all_pdf_jobs(run, generated, out, scratch)
            if options.pdf:
                _require_weasyprint()
            for edition in generated:
                _build_edition(run, edition, bool(editions.folders), out, scratch)
            if options.pdf:
                pdf_started = run.clock()
                render_pdfs(run, runbooks, full_plans, out)
                result.pdf_seconds = run.clock() - pdf_started
            for edition in generated:
                # After the PDFs: the offline copy lists every file the edition has.
                write_offline_files(_edition_folder(out, edition), str(edition.name), edition.frame)
            mark_site(out)
            swap_in(out, site_dir, scratch)
            result.built = True
            uptodate.remember(work, site_dir, key, result)
        finally:
            _remove_scratch(scratch)


def _remove_scratch(scratch: Path) -> None:
    """Remove the scratch folder, again if a PDF worker stopped by a signal was still
    finishing a file in it (it makes its folder anew): nothing of a stopped build stays."""
    for _ in range(25):
        shutil.rmtree(scratch, ignore_errors=True)
        if not scratch.exists():
            return
        time.sleep(0.2)


def _edition_folder(out: Path, edition: Edition) -> Path:
    return out / edition.language if edition.language else out


def _all_pdf_jobs(run: BuildRun, generated: list[Edition], out: Path, scratch: Path) -> tuple[list[PdfJob], list[FullPlan]]:
    """Every edition's PDFs (none without PDFs), each plan's parts in scratch space."""
    runbooks: list[PdfJob] = []
    full_plans: list[FullPlan] = []
    if not run.options.pdf:
        return runbooks, full_plans
    for edition in generated:
        more_runbooks, more_plans = pdf_jobs(
            edition.entries,
            _edition_folder(out, edition),
            scratch / "parts" / (edition.language or "root"),
            run.options.paper,
            run.options.public,
        )
        runbooks += more_runbooks
        full_plans += more_plans
    return runbooks, full_plans


@contextmanager
def _engine_input(run: BuildRun, name: str, scratch: Path) -> Iterator[Path]:
    """Where the engine builds an edition: Zensical in a folder kept between builds
    (with its cache, it renders again only the pages that changed), unless --no-cache
    or the cache folder cannot be trusted; MkDocs, which renders every page anyway,
    in scratch space."""
    kept = None
    if run.options.engine == "zensical" and run.options.cache and unusable(run.site_dir) is None:
        stamp = input_stamp()
        kept = open_kept_input(run.site_dir, name, stamp)
    if kept is None:
        yield scratch / name
        return
    # A failed build leaves the folder marked as in use: the next one starts it afresh.
    yield kept
    finish_kept_input(kept, stamp)


def _build_edition(run: BuildRun, edition: Edition, folders: bool, out: Path, scratch: Path) -> None:
    """One edition's site, by the engine asked for, with its pages' languages and
    its search index made right for the plans it holds."""
    options, result = run.options, run.result
    language, entries, frame = edition.language, edition.entries, edition.frame
    edition_out = _edition_folder(out, edition)
    with reproducible_dates(entries), _engine_input(run, f"edition-{language or 'root'}", scratch) as work_dir:
        try:
            warnings = ENGINES[options.engine](
                edition.pages,
                work_dir,
                edition_out,
                options.config_file,
                frame,
                edition.name,
                folders=folders,
            )
        except SiteBuildError as exc:
            engine = "Zensical" if options.engine == "zensical" else "MkDocs"
            raise BuildError(f"{engine} could not build the site: {exc}") from exc
    # Each edition is built from the same mkdocs.yml: say each warning once.
    result.warnings += [w for w in warnings if w not in result.warnings]
    if language is None:
        for entry in entries:
            declare_language(edition_out / entry.slug, entry.plan.default_language, frame)
    # Folded and root forms of every word, so readers find "læk" by "laek"
    # and "kebocoran" by "bocor" in their own edition's search.
    localize_search_index(edition_out, frame, {e.slug: e.plan.languages for e in entries})
    result.pages += len(edition.pages.files)
