"""The full-plan PDF, composed from parts rendered one by one.

Laying out every scenario of a plan in one WeasyPrint document held the whole plan
in memory (about a gigabyte at 100 scenarios) on one core while the others waited.
Each scenario and the appendices are now rendered as PDFs of their own, in parallel
and each cached on its own (see build.py). Composing them here:

1. reads where every anchor landed in the parts (WeasyPrint writes each id as a
   named destination), so the contents can give real page numbers;
2. renders the cover and contents with those numbers (again if the contents grew a
   page, which moves everything after it);
3. joins front and parts with pypdf, keeping each part's bookmarks and links;
4. lays "page x of y" over every page from documents of blank numbered pages,
   since no part knows where it will start (each page draws its number as a form),
   SLICE_PAGES pages at a time: one document of all the blank pages grew with the
   plan (about 0.2 MB a page, a few gigabytes at a thousand scenarios);
5. links each contents entry to the page where its part starts.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

PAGES_MARK = "<!--crisisplan:pages-->"
_SLOT = re.compile(r"@@cp-page:([^@]*)@@")
# Blank pages for the page-number layer; each after the first starts a new page.
_BLANK = '<div class="cp-blank"></div>'
_BLANK_STYLE = "<style>.cp-blank + .cp-blank { break-before: page; }</style>"
# The page-number layer is laid out this many pages at a time, each slice numbering
# from its first page and told the total: its memory stays the same whatever the plan's size.
SLICE_PAGES = 200
# How the numbers template asks WeasyPrint for the total (render.labels css_content):
# in a slice it is the slice's own total, so the plan's total is written in instead.
_PAGES_COUNTER = "counter(pages)"
# WeasyPrint measures in CSS pixels, PDF in points.
_POINTS_PER_PX = 0.75


def slot(anchor: str) -> str:
    """Where the contents shows the page an anchor is on, filled in by compose()."""
    return f"@@cp-page:{anchor}@@"


@dataclass(frozen=True)
class ComposeJob:
    """The full plan: its front (with slots), its rendered parts in order, and the
    page-number layer."""

    front: str
    numbers: str
    parts: tuple[Path, ...]
    target: Path

    def make(self) -> list[tuple[Path, int]]:
        return [compose(self)]


def _anchors(reader: PdfReader, first_page: int) -> dict[str, int]:
    """Each named destination of a part, as a page index in the composed PDF."""
    found: dict[str, int] = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        if page is not None and page >= 0:
            found[str(name)] = first_page + page
    return found


def _fill(front: str, anchors: dict[str, int]) -> str:
    return _SLOT.sub(lambda m: str(anchors[m[1]] + 1) if m[1] in anchors else "", front)


def _pdf_bytes(document: Any) -> io.BytesIO:
    from crisisplan.publish.pdf.weasy import write_document

    stream = io.BytesIO()
    write_document(document, stream, tagged=False)
    stream.seek(0)
    return stream


def _content(page: Any) -> bytes:
    """A page's content, decoded but not parsed (pypdf's get_contents parses it)."""
    contents = page.get("/Contents")
    found = contents.get_object() if contents is not None else None
    streams = found if isinstance(found, list) else [] if found is None else [found]
    return b"\n".join(stream.get_object().get_data() for stream in streams)


def _numbers(html: str, first: int, count: int, total: int) -> PdfReader:
    """Pages ``first`` + 1 to ``first`` + ``count`` of the page-number layer of a plan of
    ``total`` pages: the page counter starts at the slice's first page, and the total
    is written in (a slice's own counter would count only its pages)."""
    from pypdf import PdfReader

    from crisisplan.publish.pdf.weasy import layout

    start = f"<style>@page :first {{ counter-set: page {first + 1}; }}</style>"
    sliced = html.replace(_PAGES_COUNTER, f'"{total}"').replace(PAGES_MARK, _BLANK_STYLE + start + _BLANK * count)
    return PdfReader(_pdf_bytes(layout(sliced)))


def _slices(html: str, total: int) -> list[tuple[int, int]]:
    """Where each slice of the page-number layer starts, and its page count."""
    # A template that names the total otherwise is laid out whole: right, if not bounded.
    size = SLICE_PAGES if _PAGES_COUNTER in html else total
    return [(first, min(size, total - first)) for first in range(0, total, max(size, 1))]


def _lay_over(writer: PdfWriter, numbers: PdfReader, first: int = 0) -> None:
    """Draw each page of ``numbers`` over the same page of ``writer`` from page
    ``first`` (counted from 0) on, as a form XObject.

    pypdf's merge_page parses and rewrites both pages' content, about 50 ms a page
    (minutes for a plan of a thousand scenarios); a form is drawn by reference: each
    page keeps its content, wrapped in q ... Q (WeasyPrint leaves its flip of the y
    axis in force), and then draws its number.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes) -> Any:
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

    # The two pieces of content every page shares: "save the state", and "restore it,
    # then draw the form named /CPnumber" (each page names its own form so).
    save, draw = stream(b"q\n"), stream(b"\nQ\nq /CPnumber Do Q\n")
    pages = writer.pages[first : first + len(numbers.pages)]
    for page, number in zip(pages, numbers.pages, strict=True):
        form = DecodedStreamObject()
        form.set_data(_content(number))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(number.mediabox),
                NameObject("/Resources"): number["/Resources"].clone(writer),
            }
        )
        # Copies: a part's pages may share their resources, and each draws its own form.
        own: Any = page.get("/Resources")
        resources = DictionaryObject()
        resources.update(own.get_object() if own is not None else {})
        named: Any = resources.get("/XObject")
        forms = DictionaryObject()
        forms.update(named.get_object() if named is not None else {})
        forms[NameObject("/CPnumber")] = writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = forms
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        found = contents.get_object() if contents is not None else None
        parts = list(found) if isinstance(found, ArrayObject) else [] if contents is None else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *parts, draw])


def compose(job: ComposeJob) -> tuple[Path, int]:
    """Write the full plan from its parts; returns the file and its page count."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import NameObject, TextStringObject

    from crisisplan.publish.pdf.weasy import layout

    # One part open at a time: pypdf keeps every parsed object of an open file, a
    # few megabytes a part, which at a hundred scenarios would be most of the memory.
    counts: list[int] = []
    anchored: list[dict[str, int]] = []
    for path in job.parts:
        part = PdfReader(path)
        counts.append(len(part.pages))
        anchored.append(_anchors(part, 0))
        del part
    front_pages = 1
    for _ in range(4):
        anchors: dict[str, int] = {}
        start = front_pages
        for count, found in zip(counts, anchored, strict=True):
            anchors.update((name, start + page) for name, page in found.items())
            start += count
        front = layout(_fill(job.front, anchors))
        if len(front.pages) == front_pages:
            break
        # The contents took another number of pages: every part moves.
        front_pages = len(front.pages)

    writer = PdfWriter()
    cover = PdfReader(_pdf_bytes(front))
    writer.append(cover)
    for path in job.parts:
        part = PdfReader(path)
        writer.append(part)
        # The writer holds its own copy of every object it took, but pypdf keeps each
        # reader (to resolve links when writing) with every object it parsed: about
        # 0.1 MB a part, nearly half the memory of a big plan. A reader parses again
        # whatever it is asked for later.
        part.resolved_objects.clear()
    total = len(writer.pages)
    for first, count in _slices(job.numbers, total):
        _lay_over(writer, _numbers(job.numbers, first, count, total), first)

    for index, page in enumerate(front.pages):
        # WeasyPrint gives a box for the link, its text and its leader: one link each.
        boxes: dict[str, tuple[float, float, float, float]] = {}
        for kind, target, (x0, y0, x1, y1), *_ in page.links:
            if kind == "internal" and target in anchors:
                a0, b0, a1, b1 = boxes.get(target, (x0, y0, x1, y1))
                boxes[target] = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
        for target, (x0, y0, x1, y1) in boxes.items():
            rect = (
                x0 * _POINTS_PER_PX,
                (page.height - y1) * _POINTS_PER_PX,
                x1 * _POINTS_PER_PX,
                (page.height - y0) * _POINTS_PER_PX,
            )
            writer.add_annotation(index, Link(rect=rect, target_page_index=anchors[target]))

    # The front's title, author and language stand for the whole plan.
    if cover.metadata:
        writer.add_metadata(dict(cover.metadata))
    language = cover.root_object.get("/Lang")
    if language is not None:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(language))
    job.target.parent.mkdir(parents=True, exist_ok=True)
    with job.target.open("wb") as stream:
        writer.write(stream)
    return job.target, total
