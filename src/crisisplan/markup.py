"""Plan text into HTML without letting it become markup.

Plan text is written by people, and a plan site is sometimes published widely, so
nothing in a plan may inject HTML or script: plain fields are escaped; the long
fields that may use Markdown are rendered by a CommonMark parser with raw HTML off,
every link address checked against a short list of safe schemes and images reduced
to their alt text.

Plan text can also be hostile in size and shape (a runbook site is built from files
anyone with write access can change), so rendering must stay linear in the length of
the text: markdown-it-py is built for that and caps nesting, where Python-Markdown's
inline patterns go quadratic on a run of brackets and recurse on deep lists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    # markdown-it is imported where text is parsed: `crisisplan check` of a plan
    # whose text cannot nest deeply (nests_too_deep) never needs it.
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# The relative branch allows '%' because markdown-it percent-encodes addresses
# (über.html arrives as %C3%BC...); it still allows no ':' so it cannot name a scheme.
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\./|\.\./|[\w\-./%]+(?:#[\w\-]*)?$)", re.I)
# Deep enough for any list, quote or emphasis a person writes. Past it markdown-it
# stops nesting blocks, and _flatten_deep_inline stops nesting inline elements, so
# neither recursion (here, in MkDocs or in WeasyPrint) nor output grows with depth.
_MAX_NESTING = 20
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def safe_url(url: str) -> bool:
    """Whether an address may appear in a link: web, mail, phone or relative only."""
    cleaned = html.unescape(url).strip().replace("\x00", "")
    cleaned = re.sub(r"[\s\x00-\x1f]", "", cleaned)
    return bool(_SAFE_URL.match(cleaned))


def _flatten_deep_inline(state: StateCore) -> None:
    """Past the nesting limit, inline markers (emphasis) stay text, not elements.

    markdown-it pairs emphasis after parsing, so its maxNesting does not see it:
    "*a " a thousand times (6 KB) gave a thousand nested <em>, which overflowed
    WeasyPrint's recursion and failed the PDF build.
    """
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        depth = 0
        # For each open element, whether it was flattened, so its close matches.
        flattened: list[bool] = []
        for index, token in enumerate(children):
            if token.nesting == 1:
                flat = depth >= _MAX_NESTING
                flattened.append(flat)
            elif token.nesting == -1:
                flat = flattened.pop() if flattened else True
            else:
                continue
            if flat:
                children[index] = Token("text", "", 0, content=token.markup)
            else:
                depth += token.nesting


def _renderer_class() -> type[RendererHTML]:
    from markdown_it.common.utils import escapeHtml
    from markdown_it.renderer import RendererHTML

    class _SafeRenderer(RendererHTML):
        """The HTML renderer, with links checked and images left as text.

        Every link_open token passes here, whether it came from [text](address), a
        reference or an <autolink>, so this is the one place addresses are judged. A
        rejected one becomes "#": the reader still sees the link's text, not the raw
        Markdown around an address they could not use anyway.
        """

        def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
            token = tokens[idx]
            href = token.attrGet("href")
            if not isinstance(href, str) or not safe_url(href):
                token.attrSet("href", "#")
            return self.renderToken(tokens, idx, options, env)

        def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
            # A runbook loads nothing from other hosts (it must work offline, and must
            # not tell a tracker who opened it), so an image is only its description.
            return escapeHtml(self.renderInlineAsText(tokens[idx].children, options, env))

    return _SafeRenderer


def _parser_class() -> type[MarkdownIt]:
    from markdown_it import MarkdownIt

    class _Parser(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            # Every address is judged once, by safe_url in _SafeRenderer, which keeps a
            # rejected link's text; markdown-it's own check would leave raw Markdown.
            return True

    return _Parser


@cache
def _parser() -> MarkdownIt:
    parser = _parser_class()(
        "commonmark",
        {
            "html": False,
            # Plan authors write line by line; a newline is a line break, as nl2br did.
            "breaks": True,
            "maxNesting": _MAX_NESTING,
            "xhtmlOut": False,
            "linkify": False,
            "typographer": False,
        },
        renderer_cls=_renderer_class(),
    )
    # `html: False` already makes these rules decline; disabling them as well means
    # raw HTML cannot come back through an option flipped elsewhere.
    parser.disable(["html_block", "html_inline"])
    parser.core.ruler.after("inline", "flatten_deep_inline", _flatten_deep_inline)
    return parser


MAX_MARKDOWN_NESTING = _MAX_NESTING


@cache
def _depth_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Allowed a little past the limit, so that going past it shows in the tokens
    # while the parse itself stays bounded.
    return MarkdownIt("commonmark", {"html": False, "maxNesting": _MAX_NESTING + 2})


def markdown_depth(text: str) -> int:
    """How deeply Markdown in a text nests (lists in lists, quotes, emphasis), up to
    a little past the limit: the check reports text whose nesting would not show."""
    deepest = 0
    for block in _depth_parser().parse(text):
        deepest = max(deepest, block.level)
        depth = 0
        for token in block.children or []:
            depth += token.nesting
            deepest = max(deepest, block.level + depth)
    return deepest


# Every level of nesting is opened by a character of its own: a list marker (-, +, *,
# or a digit then . or ) for a numbered item) opens two, the list and its item; a
# quote's >, emphasis' * or _ and a link's [ or < open one. The text itself is one
# level (its paragraph). So a text with few of these cannot nest past the limit.
_NESTING_MARK = re.compile(r"[-+*>_\[<]|\d[.)]")


def nests_too_deep(text: str) -> bool:
    """Whether Markdown in a text nests past what the site and PDFs show. Nearly
    every text has too few marks to nest that deep, and is answered without the
    parser: `crisisplan check` of such a plan never loads it."""
    for marks, _ in enumerate(_NESTING_MARK.finditer(text), start=1):
        if 1 + 2 * marks > _MAX_NESTING:
            return markdown_depth(text) > _MAX_NESTING
    return False


def markdown_html(text: str) -> Markup:
    """Render a long text field that may use Markdown, safely."""
    if not text.strip():
        return Markup("")
    # The renderer escapes all text and attribute values; raw HTML is off.
    return Markup(_parser().render(text))  # noqa: S704  (escaped by the renderer, URLs checked)


def md_escape(text: str) -> Markup:
    """Text for a Markdown context (a heading): no HTML and no Markdown syntax.

    MkDocs' Python-Markdown reads every escape (and entity) as one inline match and
    copies the rest of the line for each, so a heading costs its length times its
    escapes. No escaping avoids that: '[', '<' or '`' must be neutralised, and any
    way of doing so is a match. Only the schema's length limit on the fields used as
    headings keeps this bounded (see tests/check/test_markdown_cost.py).
    """
    escaped = html.escape(" ".join(text.split()))
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped))  # noqa: S704  (fully escaped)
