"""Rendering PDFs with WeasyPrint, called directly: laying out our HTML, writing
tagged PDFs, and spreading the work over worker processes. WeasyPrint is imported
only here, when a PDF is made, so `crisisplan check` stays fast.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from crisisplan.files import WriteRefused, write_new

Progress = Callable[[int, int, str], None]
# A file a job wrote, and its page count.
Made = tuple[Path, int]


@dataclass(frozen=True)
class PlanPart:
    """A scenario's pages in its plan's full PDF, cut from the layout of its runbook.

    The runbook holds the scenario's section after its quick card, laid out by the
    same template and stylesheet on the same paper: laying the section out again for
    the full plan (as builds once did) doubled the PDF stage. Only the header and
    footer differ: the full plan's come from ``frame``, a blank page of the plan.
    """

    target: Path
    anchor: str  # the id that opens the scenario's section
    frame: str  # HTML of a blank page with the full plan's header and footer
    # The part on its own, laid out only if the runbook has no ``anchor`` (a
    # template that no longer opens the section with it): the plan stays complete.
    html: str


@dataclass(frozen=True)
class PdfJob:
    html: str
    target: Path
    # Tagged PDF (PDF/UA) for screen readers. Parts of a full plan are not: the
    # structure tree cannot survive joining them, and it is most of their memory.
    tagged: bool = True
    # Also write this runbook's part of its full plan, from the same layout.
    part: PlanPart | None = None

    def make(self) -> list[Made]:
        if self.part is None:
            return [render_pdf(self)]
        document = layout(self.html)
        made = [_written(document, self.target, self.tagged)]
        made.append(_written(part_document(document, self.part), self.part.target, tagged=False))
        return made


class Job(Protocol):
    """Work for a PDF worker: the PDFs to make, the first of them at ``target``."""

    @property
    def target(self) -> Path: ...

    def make(self) -> list[Made]: ...


def _make_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing: runbooks carry their CSS inline
    and plan text cannot add images, so any request is a mistake or an attack."""
    from weasyprint.urls import URLFetcher

    class NothingFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, fail_on_errors=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"PDF runbooks load nothing: {url}")

    return NothingFetcher()


# href="..." in our own templates' output: attribute values are always double-quoted
# and escaped by Jinja, so a quote cannot occur inside one.
_HREF = re.compile(r'\shref="([^"]*)"')
_KEPT_LINK = re.compile(r"^(?:https?://|mailto:|tel:|#[^#\s]+$)", re.IGNORECASE)


def pdf_links(html: str) -> str:
    """Keep only links a PDF reader can follow anywhere: web, mail, phone, and anchors
    inside the document. A relative or neutralised link would otherwise become a
    file:// address holding the build machine's folder."""
    return _HREF.sub(lambda m: m.group(0) if _KEPT_LINK.match(m.group(1).strip()) else "", html)


def _metadata_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


def layout(html: str) -> Any:
    """Lay out one of our HTML documents with WeasyPrint: a ``weasyprint.Document``."""
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every refused URL and CSS nicety; the build's summary says enough.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    # No base URL: nothing in a runbook is relative to a folder on this machine.
    return HTML(string=pdf_links(html), url_fetcher=_make_fetcher()).render()


def write_document(document: Any, target: Any, tagged: bool = True) -> None:
    """Write a laid-out document as PDF (tagged, unless told) to a path or binary stream."""
    stamp = _metadata_epoch()
    # No creation date unless SOURCE_DATE_EPOCH asks for one: the same plan gives
    # byte-identical PDFs.
    document.metadata.created = stamp.isoformat() if stamp else None
    document.metadata.modified = stamp.isoformat() if stamp else None
    document.write_pdf(target, pdf_variant="pdf/ua-1" if tagged else None)


def render_pdf(job: PdfJob) -> Made:
    """Render one PDF; runs in a worker process. Returns the file and its page count."""
    return _written(layout(job.html), job.target, job.tagged)


def _written(document: Any, target: Path, tagged: bool) -> Made:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_document(document, target, tagged)
    return target, len(document.pages)


def part_document(runbook: Any, part: PlanPart) -> Any:
    """The pages of a laid-out runbook from the scenario's section on, under the full
    plan's header and footer (no page number: the full plan numbers its pages once
    they are joined)."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import MarginBox

    start = next((n for n, page in enumerate(runbook.pages) if part.anchor in page.anchors), None)
    if start is None:
        return layout(part.html)
    margins = _frame_margins(part.frame)
    pages = []
    for page in runbook.pages[start:]:
        # Page boxes are laid out once; only their margin boxes (header and footer,
        # placed on their own) are swapped for the frame's.
        box = page._page_box
        kept = [child for child in box.children if not isinstance(child, MarginBox)]
        pages.append(Page(box.copy_with_children([*kept, *(margin.deepcopy() for margin in margins)])))
    return runbook.copy(pages)


@lru_cache(maxsize=4)
def _frame_margins(frame: str) -> tuple[Any, ...]:
    """The margin boxes of a laid-out blank page, once per plan in each worker."""
    from weasyprint.formatting_structure.boxes import MarginBox

    page = layout(frame).pages[0]
    return tuple(child for child in page._page_box.children if isinstance(child, MarginBox))


# A worker is replaced after this many documents: WeasyPrint's caches (fonts, images,
# layout) grow with each document and are never given back.
DOCUMENTS_PER_WORKER = 16
Finished = Callable[[Path, int], None]


def _die_with_build(build: int) -> None:
    """Worker start-up: stop when the build stops, however it stops.

    Workers are forked by the fork server, not by the build, and each holds the end
    of a pipe the server waits on: if the build dies (even by SIGKILL), nothing else
    ends them. So each worker watches the build process itself, and exits the moment
    it is gone. Ctrl-C is the build's to handle: it stops the workers itself.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_when_gone, args=(build,), daemon=True).start()


def _exit_when_gone(pid: int) -> None:
    """Wait for a process to end, then end this one."""
    import select
    import time

    try:
        # A descriptor that becomes readable when the process ends (Linux 5.3+).
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        while _running(pid):
            time.sleep(0.5)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _render_in_worker(job: Job, environment: dict[str, str]) -> list[Made]:
    # A worker forked from the fork server has the environment the server started
    # with; a PDF must see the build's (SOURCE_DATE_EPOCH sets its dates).
    if os.environ != environment:
        os.environ.clear()
        os.environ.update(environment)
    return job.make()


def render_all(jobs: Sequence[Job], progress: Progress | None = None, workers: int | None = None) -> int:
    """Render PDFs in parallel across cores; returns the total page count."""
    return sum(render_each(jobs, progress, workers).values())


def render_each(
    jobs: Sequence[Job],
    progress: Progress | None = None,
    workers: int | None = None,
    finished: Finished | None = None,
    then: Sequence[tuple[Job, Collection[Path]]] = (),
) -> dict[Path, int]:
    """Render PDFs in parallel across cores; returns each PDF's page count.

    ``then`` are jobs that need files the ``jobs`` make (a full plan needs its
    parts): each starts as soon as its files are made, beside the jobs still running,
    and always in a worker, so a full plan's memory never stays with the build.
    ``finished`` hears of each PDF the moment it is written, so a build that is
    stopped half-way (a CI time-out) has cached what it rendered. ``progress``
    counts jobs (a runbook and its part of the full plan are one). If the build
    fails or is interrupted, no more PDFs are started and the workers are stopped.
    """
    total = len(jobs) + len(then)
    if not total:
        return {}
    workers = max(1, min(workers or os.cpu_count() or 1, total))
    pages: dict[Path, int] = {}
    count = iter(range(1, total + 1))

    def done(made: list[Made]) -> None:
        for target, pages_made in made:
            pages[target] = pages_made
            if finished:
                finished(target, pages_made)
        if progress:
            progress(next(count), total, str(made[0][0]))

    if workers == 1 and not then:
        for job in jobs:
            done(job.make())
        return pages
    environment = dict(os.environ)
    waiting, later = deque(jobs), list(then)

    def take(running: int) -> Job | None:
        # A job whose files are made goes first: a full plan is composed while the
        # other plans' runbooks are still being rendered.
        for index, (job, needs) in enumerate(later):
            if all(path in pages for path in needs) or not (waiting or running):
                del later[index]
                return job
        return waiting.popleft() if waiting else None

    with _workers(workers) as executor:
        # One PDF per worker at a time, the next submitted as one finishes: with a
        # backlog queued, Python 3.11-3.13 may never replace a retired worker
        # (CPython gh-115634) and the build would hang. Nothing queued also means
        # nothing to cancel when the build stops.
        running: set[Future[list[Made]]] = set()
        while True:
            while len(running) < workers and (upcoming := take(len(running))) is not None:
                running.add(executor.submit(_render_in_worker, upcoming, environment))
            if not running:
                break
            ready, running = wait(running, return_when=FIRST_COMPLETED)
            for future in ready:
                done(future.result())
    return pages


def _start_fork_server_quietly() -> None:
    """Start the fork server (once per process) with its standard error, which every
    worker inherits, sent nowhere.

    A worker caught starting up when the build is stopped (Ctrl-C, a CI time-out)
    cannot reach the build any more and Python prints a traceback: that must never
    reach an author's terminal. A worker's real errors reach the build through its
    result; CRISISPLAN_DEBUG=1 keeps the stream for a bug report.
    """
    from multiprocessing import forkserver

    if os.environ.get("CRISISPLAN_DEBUG"):
        forkserver.ensure_running()
        return
    saved = os.dup(2)
    nowhere = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(nowhere, 2)
        forkserver.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(nowhere)


@contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of PDF workers that is shut down without hanging, however the build ends.

    concurrent.futures, unlike multiprocessing.Pool (whose terminate() can deadlock
    with a worker that died), notices dead workers and cancels cleanly. Workers come
    from a fork server that has WeasyPrint imported, so a fresh worker (one per
    DOCUMENTS_PER_WORKER documents) starts in milliseconds, and warm (see warm.py).
    """
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crisisplan.publish.pdf.weasy", "weasyprint", "crisisplan.publish.pdf.warm"])
        _start_fork_server_quietly()
    else:
        context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        count, mp_context=context, initializer=_die_with_build, initargs=(os.getpid(),), max_tasks_per_child=DOCUMENTS_PER_WORKER
    )
    try:
        yield executor
    except BaseException:
        # A PDF takes seconds: stop the ones being rendered rather than wait for them.
        # The executor keeps its processes in a private mapping (gone after shutdown);
        # without it, the pool still ends, when the running PDFs do.
        workers = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def write_pdf_file(html: str, name: str, replace: bool = False) -> int:
    """Render one PDF to a file a person named; returns its page count.

    The file must be new, unless ``replace`` allows replacing a regular file; it is
    never written through a symbolic link, and a name ending in '/' is a folder, not
    a file. Rendering happens first, so nothing is written when it fails.
    """
    import tempfile

    target = Path(name)
    if name.endswith(("/", os.sep)) or target.is_dir():
        raise WriteRefused(f"{name} is a folder", "give a file name, like drill.pdf")
    if target.is_symlink():
        raise WriteRefused(f"{name} is a symbolic link; crisisplan does not write through links", "choose another file name")
    with tempfile.TemporaryDirectory(prefix="crisisplan-pdf-") as scratch:
        rendered, pages = render_pdf(PdfJob(html, Path(scratch) / "out.pdf"))
        data = rendered.read_bytes()
    if replace and target.is_file():
        staged = target.with_name(f".{target.name}.crisisplan-new")
        staged.unlink(missing_ok=True)
        write_new(staged, data)
        os.replace(staged, target)
    else:
        write_new(target, data)
    return pages
