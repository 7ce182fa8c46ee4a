"""Plan text into HTML without letting it become markup.

Plan text is written by people, and a plan site is sometimes published widely, so
nothing in a plan may inject HTML or script: plain fields are escaped; the long
fields that may use Markdown are rendered with raw HTML escaped first and every
link or image address checked against a short list of safe schemes.
"""

from __future__ import annotations

import html
import re
from functools import cache

import markdown
from markupsafe import Markup

_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\./|\.\./|[\w\-./]+(?:#[\w\-]*)?$)", re.I)
_URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
_IMAGE = re.compile(r'<img\b[^>]*?alt="([^"]*)"[^>]*>')
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def safe_url(url: str) -> bool:
    """Whether an address may appear in a link: web, mail, phone or relative only."""
    cleaned = html.unescape(url).strip().replace("\x00", "")
    cleaned = re.sub(r"[\s\x00-\x1f]", "", cleaned)
    return bool(_SAFE_URL.match(cleaned))


def _neutralise_urls(rendered: str) -> str:
    def keep_or_drop(match: re.Match[str]) -> str:
        attr, url = match.group(1), match.group(2)
        return match.group(0) if safe_url(url) else f'{attr}="#"'

    return _URL_ATTR.sub(keep_or_drop, rendered)


@cache
def _converter() -> markdown.Markdown:
    # Only plain Markdown: no attr_list (it would let text set attributes such as onclick).
    return markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")


def markdown_html(text: str) -> Markup:
    """Render a long text field that may use Markdown, safely."""
    if not text.strip():
        return Markup("")
    converter = _converter()
    converter.reset()
    # Escaping first turns any raw HTML into visible text; Markdown syntax survives.
    rendered = converter.convert(html.escape(text, quote=False))
    # Images become their alt text: a runbook loads nothing from other hosts.
    rendered = _IMAGE.sub(lambda m: m.group(1), rendered)
    return Markup(_neutralise_urls(rendered))  # noqa: S704  (escaped above, URLs checked)


def md_escape(text: str) -> Markup:
    """Text for a Markdown context (a heading): no HTML and no Markdown syntax."""
    escaped = html.escape(" ".join(text.split()))
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped))  # noqa: S704  (fully escaped)
