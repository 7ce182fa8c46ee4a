"""Text from plans never becomes live markup or script in the site or the PDFs."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crisisplan.markup import markdown_html, md_escape, safe_url
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from tests.conftest import CASES, ROOT

ATTACKS = {
    "Service outage": '<script>alert("title")</script> Outage',
    "Customers cannot order for a day and move to competitors.": (
        "Customers leave. [Click me](javascript:alert(1)) "
        "<img src=x onerror=alert(2)> ![pic](https://tracker.example/p.png)"
    ),
    "Pause scheduled posts": 'Pause posts <a href="javascript:alert(3)" onclick="x()">now</a>',
    "name: Ana Lima": 'name: "Ana <svg onload=alert(4)> Lima"',
    "We know {product} is down and we are on it.": "We know {product} is down </div><script>alert(5)</script>",
    "organisation: Example Co": 'organisation: "Example </style><script>alert(6)</script> Co"',
}


def test_injected_markup_never_reaches_a_page_alive(tmp_path: Path) -> None:
    source = (CASES / "valid" / "minimal" / "plan.yaml").read_text()
    for old, new in ATTACKS.items():
        assert old in source
        source = source.replace(old, new)
    source = source.replace("scenarios:\n  - id: outage\n", "scenarios:\n  - id: outage\n    description: \"**Bold** <iframe src=//evil.example></iframe>\"\n")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.yaml").write_text(source)
    result = build(
        BuildOptions(paths=[plans], site_dir=tmp_path / "site", config_file=ROOT / "mkdocs.yml", pdf=True)
    )
    assert result.built, result.report.diagnostics
    generated = [
        f
        for f in (tmp_path / "site").rglob("*.html")
        if "assets" not in f.parts
    ]
    assert generated
    for file in generated:
        html = file.read_text("utf-8")
        assert "<script>alert" not in html, file
        # An event attribute inside a real tag; escaped text (&lt;svg onload=...) is fine.
        assert not re.search(r"<[a-z][^<>]*\son(?:error|load|click)\s*=", html, re.I), file
        assert "<iframe" not in html, file
        assert not re.search(r"<[a-z][^<>]*evil\.example", html), file
        assert 'href="javascript:' not in html.lower(), file
        assert "tracker.example" not in html, file
    scenario = (tmp_path / "site" / "plans" / "scenarios" / "outage.html").read_text()
    # The text is still there for the reader, as text.
    assert re.search(r"<h1[^>]*>&lt;script&gt;alert\((?:&quot;|&#34;|\")title", scenario)
    assert "<strong>Bold</strong>" in scenario
    assert "Click me" in scenario


def test_markdown_fields_are_rendered_safely() -> None:
    rendered = str(markdown_html("[a](javascript:alert(1)) [b](https://ok.example) <b onclick=x>hi</b>"))
    assert 'href="#"' in rendered and 'href="https://ok.example"' in rendered
    assert "<b onclick" not in rendered and "&lt;b onclick=x&gt;" in rendered
    assert str(markdown_html("[x](JaVaScRiPt:alert(1))")).count('href="#"') == 1
    # CommonMark allows no whitespace in a bare address, so this one is not a link at
    # all; inside <...> it is one, and its address is dropped.
    assert "<a" not in str(markdown_html("[x](java\tscript:alert(1))"))
    assert str(markdown_html("[x](<java\tscript:alert(1)>)")).count('href="#"') == 1


class _Tags(HTMLParser):
    """Every element and attribute as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(rendered: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(rendered)
    parser.close()
    return parser.tags


ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}


@pytest.mark.parametrize(
    "attack",
    [
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x]( <javascript:alert(1)> )",
        "[x](https://ok.example 'a\" onmouseover=\"alert(1)')",
        "```x\" onclick=\"alert(1)\ncode\n```",
        "<div onclick=x>\n\n<script>alert(1)</script>\n\n<a href=javascript:alert(1)>a</a>",
        "<!-- x --><?php ?><![CDATA[x]]>",
        "![pic](https://tracker.example/p.png) [![pic](https://tracker.example/p.png)](https://ok.example)",
        '[x](https://ok.example "t") ![a "b" <c>](x.png)',
    ],
)
def test_markdown_output_has_only_plain_elements_and_safe_links(attack: str) -> None:
    for tag, attrs in _tags(str(markdown_html(attack))):
        assert tag in ALLOWED_TAGS, (attack, tag)
        assert not any(name.startswith("on") or name in {"src", "style"} for name in attrs), (attack, attrs)
        if tag == "a":
            assert set(attrs) <= {"href", "title"} and safe_url(attrs["href"] or ""), (attack, attrs)
        if tag == "code" and "class" in attrs:
            assert attrs["class"] is not None and attrs["class"].startswith("language-"), attack


def test_markdown_images_are_their_description_and_load_nothing() -> None:
    rendered = str(markdown_html("![Store front, closed](https://tracker.example/p.png) ![*x* <y>](x.png)"))
    assert rendered == "<p>Store front, closed x &lt;y&gt;</p>\n"


def test_markdown_keeps_safe_links_and_makes_no_others() -> None:
    rendered = str(markdown_html("[t](tel:+4412) [m](mailto:a@b.c) [r](../page.html#x) [h](#top) <care@example.com>"))
    for href in ("tel:+4412", "mailto:a@b.c", "../page.html#x", "#top", "mailto:care@example.com"):
        assert f'href="{href}"' in rendered, href
    # No linkify: an address in prose stays prose, as it does in the PDF.
    assert "<a" not in str(markdown_html("see https://example.com or www.example.com"))
    # No typographer: what the author typed is what the reader sees.
    assert str(markdown_html("\"a\" -- b... (c)")) == "<p>&quot;a&quot; -- b... (c)</p>\n"


def test_headings_cannot_carry_markdown_links() -> None:
    assert str(md_escape("[x](javascript:alert(1))")) == r"\[x\]\(javascript:alert\(1\)\)"
    assert str(md_escape("<b>")) == "&lt;b&gt;"


def test_safe_urls() -> None:
    assert safe_url("https://example.com") and safe_url("mailto:a@b.c") and safe_url("tel:+4412")
    assert safe_url("../page.html") and safe_url("#top")
    for bad in ("javascript:alert(1)", " javascript:x", "data:text/html,x", "vbscript:x", "java&#09;script:x"):
        assert not safe_url(bad), bad


def test_example_plans_pass_through_unchanged_by_escaping(tmp_path: Path) -> None:
    # Ordinary punctuation in plans (apostrophes, ampersands, quotes) reads normally.
    shutil.copytree(ROOT / "plans" / "brightbrew", tmp_path / "brightbrew")
    result = build(
        BuildOptions(paths=[tmp_path / "brightbrew"], site_dir=tmp_path / "site", config_file=ROOT / "mkdocs.yml", pdf=False)
    )
    assert result.built
    html = (tmp_path / "site" / "brightbrew" / "scenarios" / "product-recall.html").read_text()
    assert "don&#39;t eat or drink" in html or "don't eat or drink" in html
    assert "&amp;amp;" not in html
