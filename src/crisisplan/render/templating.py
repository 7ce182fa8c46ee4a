"""The Jinja environment shared by site pages and PDFs: autoescaping, safe filters."""

from __future__ import annotations

import html
import posixpath
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from crisisplan.markup import markdown_html, md_escape
from crisisplan.plan.values import PLACEHOLDER
from crisisplan.render.views import (
    callcard_howto,
    callcard_panels,
    holder_text,
    language_name,
    media_desk,
    numbered_audiences,
    owners_title,
    party_lines,
    people_named,
    phone_lines,
    role_title,
    statement_title,
    when_text,
)


def _block(text: str) -> Markup:
    """An HTML fragment as one Markdown raw-HTML block: no indentation (which
    Markdown would read as code) and no blank lines (which would end the block)."""
    lines = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    # Blank lines around the block keep the Markdown before and after it apart.
    return Markup(f"\n{lines}\n\n") if lines else Markup("")  # noqa: S704  (already escaped by the template)


def _oneline(text: Any) -> Markup:
    return Markup(str(escape(text)).replace("\n", "&#10;"))  # noqa: S704  (escaped)


def _css_string(text: Any) -> Markup:
    """Text inside a double-quoted CSS string in a <style> element (PDF headers).

    <style> is raw text, so HTML escaping would show up literally; CSS escapes keep
    quotes inside the string and '<' from closing the element.
    """
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '\\"<>&\n' else ch for ch in str(text)
    )
    return Markup(escaped)  # noqa: S704  (every character that could end the string or element is escaped)


def _highlight_placeholders(text: str) -> Markup:
    escaped = html.escape(text, quote=False)
    return Markup(  # noqa: S704  (escaped above; placeholder names are [a-z0-9_])
        PLACEHOLDER.sub(lambda m: f'<span class="cp-ph">{m.group(0)}</span>', escaped)
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crisisplan", "templates"),
        # *.text.j2 prints to a terminal; everything else is HTML, or Markdown that
        # MkDocs turns into HTML, and is escaped.
        autoescape=jinja2.select_autoescape(disabled_extensions=("text.j2",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        block=_block,
        md=md_escape,
        markdown=markdown_html,
        oneline=_oneline,
        highlight_placeholders=_highlight_placeholders,
        language_name=language_name,
        css_string=_css_string,
    )
    env.globals.update(
        role_title=role_title,
        owners_title=owners_title,
        people_named=people_named,
        when_text=when_text,
        holder_text=holder_text,
        phone_lines=phone_lines,
        party_lines=party_lines,
        media_desk=media_desk,
        numbered_audiences=numbered_audiences,
        statement_title=statement_title,
        callcard_panels=callcard_panels,
        callcard_howto=callcard_howto,
    )
    return env


def relative_link(from_page: str, target: str) -> str:
    """A link from one generated page to another file, as a relative URL.

    Pages are built without directory URLs (so the site works from file://):
    page.md becomes page.html next to it.
    """
    if target.endswith(".md"):
        target = target[:-3] + ".html"
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(target, start)
