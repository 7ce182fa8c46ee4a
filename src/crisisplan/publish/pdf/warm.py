"""Imported by the PDF workers' fork server (see weasy._workers): lays out and writes
one small document there, so that every worker forked from it starts warm.

A worker's first PDF used to cost about half a second more than the next ones:
cffi parsing the C types WeasyPrint uses, fontconfig loading its configuration,
fontTools and WeasyPrint's own caches. Done once in the fork server, every worker
(one per weasy.DOCUMENTS_PER_WORKER documents) shares that work.
"""

from __future__ import annotations

import contextlib
import io

# Headings (bookmarks), links, lists, a table, boxes and page margins: the kinds of
# content our runbooks hold, so the warm-up reaches the code they use.
_SAMPLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>warm-up</title><style>
@page { size: A4; margin: 20mm; @top-left { content: "warm"; } @bottom-right { content: counter(page) " / " counter(pages); } }
h1 { bookmark-level: 1; } .box { border: 1px solid #ccc; border-radius: 3pt; background: #eee; break-inside: avoid; }
</style></head><body><h1 id="a">Warm <b>up</b> <i>é</i></h1>
<p class="box">Text <a href="#a">link</a> <a href="tel:+1">+1</a> · → –</p><ol><li>one</li></ol><ul><li>two</li></ul>
<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table></body></html>"""


def warm_up() -> None:
    from crisisplan.publish.pdf.weasy import layout, write_document

    document = layout(_SAMPLE)
    write_document(document, io.BytesIO(), tagged=True)
    write_document(document, io.BytesIO(), tagged=False)


# The fork server imports this module and ignores only an ImportError: a warm-up
# that fails for any other reason must not stop it, it only leaves workers cold.
with contextlib.suppress(Exception):
    warm_up()
