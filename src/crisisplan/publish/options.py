"""What a build is asked to do (BuildOptions), what it did (BuildResult), and the one
object a build under way passes down its steps (BuildRun), as MkDocs passes its
config."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crisisplan.check.pipeline import Report
from crisisplan.check.report import BuildSummary
from crisisplan.check.settings import Config
from crisisplan.errors import CrisisplanError
from crisisplan.publish.pdf.weasy import Progress


class BuildError(CrisisplanError):
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
    # Reuse PDFs rendered by an earlier build from the same HTML (see pdfcache), and
    # leave a site that is already up to date as it is (see uptodate).
    cache: bool = True
    # The site generator: "mkdocs" (Material for MkDocs) or "zensical".
    engine: str = "mkdocs"
    # (K, N): render only the K-th of N shares of the PDFs into the cache and publish
    # nothing, so that N CI jobs share the work of one build (see _render_share).
    shard: tuple[int, int] | None = None
    # The project's check settings (crisisplan.yaml): each code's severity.
    check_config: Config | None = None


@dataclass
class BuildResult:
    report: Report
    built: bool = False
    pages: int = 0
    pdfs: int = 0
    pdf_pages: int = 0
    seconds: float = 0.0
    # The stages: checking, the site (generating pages, the engine, the search index,
    # the offline copy) and the PDFs; the benchmark compares the site with plain MkDocs.
    check_seconds: float = 0.0
    site_seconds: float = 0.0
    pdf_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    # Which PDFs were rendered and which reused from the cache, by path in the site.
    pdfs_rendered: list[str] = field(default_factory=list)
    pdfs_reused: list[str] = field(default_factory=list)
    # Nothing changed since the last build of this site: it was left as it was.
    unchanged: bool = False
    # Parts of full-plan PDFs rendered anew (named by their full plan), which shows
    # that a change re-renders only the scenario it touches.
    parts_rendered: list[str] = field(default_factory=list)
    # Why the site could not be published, when that is not a plan problem (serve
    # reports it and keeps the last good preview).
    error: str = ""

    def summary(self, site_dir: Path, public: bool) -> BuildSummary:
        """What the machine formats (JSON, SARIF) report of this build."""
        return BuildSummary(
        built=self.built,
        site_dir=site_dir.as_posix(),
        public=public,
        pages=self.pages,
        pdfs=self.pdfs,
        pdf_pages=self.pdf_pages,
        pdfs_rendered=tuple(sorted(self.pdfs_rendered)),
        pdfs_reused=tuple(sorted(self.pdfs_reused)),
        seconds=round(self.seconds, 3),
        check_seconds=round(self.check_seconds, 3),
        site_seconds=round(self.site_seconds, 3),
        pdf_seconds=round(self.pdf_seconds, 3),
        unchanged=self.unchanged,
        warnings=tuple(self.warnings),
        error=self.error,
    )


@dataclass
class BuildRun:
    """A build under way: what it was asked, what it has done so far, and how it
    tells the person waiting."""

    options: BuildOptions
    result: BuildResult
    progress: Progress | None = None
    clock: Callable[[], float] = time.perf_counter
    # Called once if another build of the same site holds the lock.
    waiting: Callable[[], None] | None = None

    @property
    def site_dir(self) -> Path:
        # Resolved: "site/x/.." is the site folder itself, and its scratch space goes beside it.
        return self.options.site_dir.resolve()

    @property
    def project(self) -> Path:
        """Where a team's own files live (locale/, crisisplan.yaml): beside mkdocs.yml,
        or where the build runs."""
        config = self.options.config_file
        return config.parent if config else Path.cwd()
