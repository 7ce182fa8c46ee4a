"""Plan -> PDF runbooks with WeasyPrint, called directly.

Each scenario gets a short runbook whose first page is a quick card (first actions,
who to call, the main holding statement); each plan gets a full PDF. WeasyPrint is
imported only here, so `crisisplan check` stays fast.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from crisisplan.drill import DrillScript
from crisisplan.files import WriteRefused, write_new
from crisisplan.labels import labels_for
from crisisplan.model import Plan, Scenario
from crisisplan.templating import environment
from crisisplan.views import (
    QuickCard,
    call_tree,
    quick_card,
    reachable,
    statement_views,
    text_lines,
    timeline,
    who_to_call,
)

PAPER = {"a4": "A4", "letter": "letter"}
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PdfJob:
    html: str
    target: Path
    # Tagged PDF (PDF/UA) for screen readers. Parts of a full plan are not: the
    # structure tree cannot survive joining them, and it is most of their memory.
    tagged: bool = True

    def make(self) -> tuple[Path, int]:
        return render_pdf(self)


class Job(Protocol):
    """Work for a PDF worker: one PDF to make, and where it goes."""

    @property
    def target(self) -> Path: ...

    def make(self) -> tuple[Path, int]: ...


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
        card=_quick_card(plan, scenario, paper, public),
        **_scenario_context(plan, scenario),
    )


@dataclass(frozen=True)
class PlanParts:
    """The full plan as separately rendered parts (see pdfcompose): no part holds
    every scenario, so memory stays bounded and the parts share the cores."""

    front: str  # cover and contents, with page-number slots
    body: tuple[str, ...]  # each scenario, then the appendices
    numbers: str  # blank pages carrying only "page x of y"


def plan_parts(plan: Plan, paper: str = "a4", public: bool = False) -> PlanParts:
    from crisisplan.pdfcompose import slot

    template = environment().get_template
    common = {"plan": plan, "w": labels_for(plan.default_language), "title": plan.name, "paper": PAPER[paper], "css": _css(), "public": public}
    scenarios = [_scenario_context(plan, s) for s in plan.scenarios]
    front = template("pdf/plan_front.html.j2").render(
        **common, layer="part", lead=plan.crisis_lead(), scenario_pages=scenarios, slot=slot
    )
    body = [template("pdf/plan_scenario.html.j2").render(**common, layer="part", **context) for context in scenarios]
    body.append(template("pdf/plan_appendix.html.j2").render(**common, layer="part"))
    numbers = template("pdf/plan_numbers.html.j2").render(**common, layer="numbers")
    return PlanParts(front, tuple(body), numbers)


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


def render_pdf(job: PdfJob) -> tuple[Path, int]:
    """Render one PDF; runs in a worker process. Returns the file and its page count."""
    document = layout(job.html)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    write_document(document, job.target, job.tagged)
    return job.target, len(document.pages)


def _die_with_parent(parent: int) -> None:
    """Worker start-up: stop when the build stops, however it stops.

    On Linux the kernel kills the worker when the build process dies (even by
    SIGKILL); elsewhere a worker checks its parent before each PDF. Ctrl-C is the
    build's to handle: it stops the workers itself.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    # The parent may have died before prctl took effect.
    if os.getppid() != parent:
        os._exit(1)


def _render_in_worker(job: Job) -> tuple[Path, int]:
    if os.getppid() != _PARENT[0]:
        os._exit(1)
    return job.make()


_PARENT = [0]


def _init_worker(parent: int) -> None:
    _PARENT[0] = parent
    _die_with_parent(parent)


def render_all(jobs: Sequence[Job], progress: Progress | None = None, workers: int | None = None) -> int:
    """Render PDFs in parallel across cores; returns the total page count."""
    return sum(render_each(jobs, progress, workers).values())


def render_each(jobs: Sequence[Job], progress: Progress | None = None, workers: int | None = None) -> dict[Path, int]:
    """Render PDFs in parallel across cores; returns each PDF's page count.

    If the build fails or is interrupted, the workers are stopped at once rather
    than left writing PDFs nobody will publish.
    """
    if not jobs:
        return {}
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    pages: dict[Path, int] = {}
    if workers == 1:
        for done, job in enumerate(jobs, start=1):
            pages[job.target] = job.make()[1]
            if progress:
                progress(done, len(jobs), str(job.target))
        return pages
    # fork where there is one: workers start at once, with crisisplan already imported.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    pool = context.Pool(workers, initializer=_init_worker, initargs=(os.getpid(),))
    try:
        for done, (target, count) in enumerate(pool.imap_unordered(_render_in_worker, jobs), start=1):
            pages[target] = count
            if progress:
                progress(done, len(jobs), str(target))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return pages


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


def drill_html(script: DrillScript, paper: str = "a4") -> str:
    """A drill script as printable HTML."""
    plan = script.plan
    return environment().get_template("pdf/drill.html.j2").render(
        plan=plan,
        d=script,
        w=script.words,
        title=script.words["drill_title"].format(title=script.scenario.title),
        paper=PAPER[paper],
        css=_css(),
    )


# --- the quick card's layout and the wallet-size call card ------------------------------


def _quick_card(plan: Plan, scenario: Scenario, paper: str, public: bool) -> QuickCard:
    statements = statement_views(plan, scenario)
    main = statements[0].variants[0].text if statements and statements[0].variants else None
    return quick_card(plan, scenario, labels_for(plan.default_language), paper, public, main)


# An ID-1 card (ISO/IEC 7810: a bank card) is 85.60 x 53.98 mm. Inside a panel's
# 2.5 mm x 3 mm padding that leaves 139 x 225 pt for text.
_PANEL_PT = (225.0, 139.0)


def _panels(plan: Plan, public: bool, words: dict[str, str]) -> list[list[Any]]:
    """The call tree cut into card-size panels, by an estimate of each entry's lines
    at the call card's type sizes (pdf.css, .cc-*); the first panel also holds the
    card's title, how to use it and its date. tests/test_callcard.py checks on the
    rendered PDF that no panel overflows."""
    width, height = _PANEL_PT
    nodes = call_tree(plan)
    room = height - 4
    used = 11.0 + 14 + text_lines(words["call_card_howto"], width, 6.5) * 8.0 + 3
    used += text_lines(words["printed_stamp"] + plan.version + plan.last_reviewed, width, 6) * 7.4 + 3
    panels: list[list[Any]] = [[]]
    for node in nodes:
        indent = 8.0 * min(node.depth, 3)
        lines = text_lines(f"{node.number} {node.role.title}", width - indent, 7.5, 0.62) * 9.2
        for person in node.role.people[:3]:
            lines += text_lines(f"{person.name}  {reachable(person)}", width - indent - 8, 7, 0.58) * 8.6
        entry = lines + 3
        if used + entry > room and panels[-1]:
            panels.append([])
            used = 0.0
        panels[-1].append(node)
        used += entry
    if public:
        points = [p for p in plan.contact_points if p.public]
        if points:
            panels.append(points)
    return panels


def callcard_html(plan: Plan, paper: str = "a4", public: bool = False) -> str:
    """The plan's call tree as a wallet-size call card: bank-card panels on an A4 or
    letter sheet, to print at 100%, cut out as one strip and fold."""
    words = labels_for(plan.default_language)
    panels = _panels(plan, public, words)
    return environment().get_template("pdf/callcard.html.j2").render(
        plan=plan,
        w=words,
        title=f"{words['call_card']} ({plan.organisation})",
        paper=PAPER[paper],
        css=_css(),
        public=public,
        panels=panels,
        # Four panels (216 mm) fit the height inside the margins of A4 and letter alike.
        strips=[panels[i : i + 4] for i in range(0, len(panels), 4)],
    )
