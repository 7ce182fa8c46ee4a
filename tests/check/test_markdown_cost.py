"""Markdown in plan text renders in work linear in its length, and stays sensible.

Plan text may be hostile in size and shape, and the site is built from it on every
push, so rendering must not go quadratic on some run of characters (Python-Markdown
did: a run of '[' took minutes) nor recurse on deep nesting (it raised
RecursionError). Work is counted, not timed, so the tests mean the same on any
machine: every Python call and line executed while rendering (sys.settrace), the
peak memory (tracemalloc) and the output length, at sizes n and 2n.

Work done inside C (a regular expression scanning to the end of the text, a string
copied per match) is not in the count; timings up to 100 KB, end to end, were taken
when markdown-it-py replaced Python-Markdown, and benchmarks/ is where speed is
measured.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

import pytest

from crisisplan.check.pipeline import check_paths
from crisisplan.markup import markdown_html
from crisisplan.plan.schema import plan_schema
from tests.conftest import ROOT, TODAY

# Twice the input may cost at most this much more: linear work with a constant
# overhead stays below 2, quadratic work approaches 4.
GROWTH = 2.3
# markdown-it's nesting limit, set in safe.py: deeper structure is not rendered.
MAX_NESTING = 20
# Characters in the smaller worst case: tracing makes every line slow, and a
# quadratic term shows at any size.
SIZE = 500

Tracer = Callable[[FrameType, str, Any], "Tracer | None"]


@dataclass(frozen=True)
class Cost:
    events: int
    peak_bytes: int
    output: str


def cost(render: Callable[[str], object], text: str) -> Cost:
    """The work one call does: Python call and line events, and peak memory."""
    events = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Tracer:
        nonlocal events
        events += 1
        return tracer

    previous = sys.gettrace()
    tracemalloc.start()
    sys.settrace(tracer)
    try:
        output = render(text)
    finally:
        sys.settrace(previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return Cost(events, peak, str(output))


# Each makes a worst case of about n characters.
WORST_CASES: dict[str, Callable[[int], str]] = {
    "open brackets": lambda n: "[" * n,
    "close-open parens": lambda n: "](" * (n // 2),
    "open links": lambda n: "[a](" * (n // 4),
    "open images": lambda n: "[![" * (n // 3),
    "emphasis": lambda n: "*a" * (n // 2),
    "underscores": lambda n: "_a" * (n // 2),
    "strong runs": lambda n: "**" * (n // 2),
    "emphasis closers": lambda n: "a**" * (n // 3),
    "backticks": lambda n: "`" * n,
    "code spans": lambda n: "`a" * (n // 2),
    "angle brackets": lambda n: "<" * n,
    "tag openers": lambda n: "<a" * (n // 2),
    "entities": lambda n: "&#" * (n // 2),
    "backslashes": lambda n: "\\" * n,
    "nested quotes": lambda n: ">" * n + " a",
    "nested list markers": lambda n: "- " * (n // 2) + "a",
    "references": lambda n: "".join(f"[r{i}]: /u{i}\n" for i in range(n // 16)) + "[r1]" * (n // 8),
    "mixed": lambda n: "[*a`<&#](**_\\" * (n // 13),
}


@pytest.mark.parametrize("name", WORST_CASES)
def test_work_grows_linearly_with_hostile_input(name: str) -> None:
    make = WORST_CASES[name]
    small, large = cost(markdown_html, make(SIZE)), cost(markdown_html, make(2 * SIZE))
    assert large.events <= GROWTH * small.events, (name, small.events, large.events)
    assert large.peak_bytes <= GROWTH * small.peak_bytes, (name, small.peak_bytes, large.peak_bytes)
    assert len(large.output) <= GROWTH * len(small.output) + 100, name
    # Escaping can lengthen text ('<' is '&lt;'), but by a bounded factor.
    assert len(large.output) <= 8 * len(make(2 * SIZE)) + 100, name


DEEP: dict[str, Callable[[int], str]] = {
    "indented list": lambda depth: "\n".join("  " * level + "- a" for level in range(depth)),
    "ordered list": lambda depth: "\n".join("   " * level + "1. a" for level in range(depth)),
    "list markers": lambda depth: "- " * depth + "a",
    "quotes": lambda depth: ">" * depth + " a",
    "quoted lists": lambda depth: "> - " * depth + "a",
    "links in links": lambda depth: "[" * depth + "a" + "](/x)" * depth,
    "images in images": lambda depth: "![" * depth + "a" + "](/x)" * depth,
    "emphasis": lambda depth: "*a " * depth + "a" + " a*" * depth,
    "strong": lambda depth: "**a " * depth + "a" + " a**" * depth,
}


def _element_depth(rendered: str) -> int:
    depth = deepest = 0
    for closing, tag in re.findall(r"<(/?)([a-z][a-z0-9]*)", rendered):
        if tag in {"br", "hr", "img"}:
            continue
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_renders_bounded_without_recursing(name: str) -> None:
    make = DEEP[name]
    # 800 levels of list recursed past Python's limit in Python-Markdown, and 1,000
    # of emphasis past WeasyPrint's; neither may give more than the nesting limit.
    shallow, deep = str(markdown_html(make(800))), str(markdown_html(make(1600)))
    # Block elements wrap in pairs (<ul><li>, <blockquote><p>), inline ones add theirs.
    assert _element_depth(deep) <= MAX_NESTING + 2, name
    assert len(deep) <= GROWTH * len(shallow) + 100, name
    assert len(deep) <= 8 * len(make(1600)) + 100, name


def test_the_yardstick_sees_quadratic_work() -> None:
    # The kind of loop that made Python-Markdown slow: from every '[', look for
    # its ']' to the end of the text. If the count missed it, the tests above
    # would prove nothing.
    def naive_brackets(text: str) -> int:
        found = 0
        for start, char in enumerate(text):
            if char == "[":
                for later in text[start:]:
                    if later == "]":
                        found += 1
                        break
        return found

    small, large = cost(naive_brackets, "[" * 300), cost(naive_brackets, "[" * 600)
    assert large.events > 3.5 * small.events


# The fields the site and PDFs render with `| markdown`.
def _markdown_fields() -> Iterator[tuple[str, str]]:
    report = check_paths([ROOT / "plans"], today=dt.date.fromisoformat(TODAY))
    for checked in report.plans:
        plan = checked.plan
        assert plan is not None
        for scenario in plan.scenarios:
            yield f"{scenario.id} description", scenario.description
            yield f"{scenario.id} worst_case", scenario.worst_case
            for step in plan.actions_of(scenario):
                yield f"{scenario.id} {step.do[:20]} details", step.details
            for statement in plan.statements_of(scenario):
                yield f"{scenario.id} {statement.id} notes", statement.notes
            for review in plan.reviews_of(scenario):
                yield f"{scenario.id} review {review.date}", review.summary


def _visible_text(rendered: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def test_example_plans_markdown_reads_as_written() -> None:
    fields = [(where, text) for where, text in _markdown_fields() if text.strip()]
    assert len(fields) >= 20
    for where, text in fields:
        rendered = str(markdown_html(text))
        assert rendered.startswith("<p>"), where
        # Prose, and any *italics*: every word is still there, and only the asterisks
        # became markup.
        assert _visible_text(rendered) == " ".join(text.replace("*", "").split()), where
        assert rendered.count("<em>") == text.count("*") // 2, where
        # Authors break lines where they want them.
        assert rendered.count("<br>") == text.strip().count("\n"), where


def test_plan_markdown_gives_bold_links_lists_and_breaks() -> None:
    rendered = str(
        markdown_html(
            "Call **the duty manager** first, *then* check\n"
            "[the status page](https://status.example.com) or [the log](../log.html#today).\n"
            "\n"
            "- Pause posts\n"
            "- Brief [care](mailto:care@example.com)\n"
            "\n"
            "1. Draft\n"
            "2. Approve\n"
            "\n"
            "> Never guess.\n"
            "\n"
            "Ring `+44 20 7946 0001` or <https://bridge.example.com>; R&D's \"lab\" too."
        )
    )
    assert "<strong>the duty manager</strong>" in rendered
    assert "<em>then</em> check<br>\n" in rendered
    assert '<a href="https://status.example.com">the status page</a>' in rendered
    assert '<a href="../log.html#today">the log</a>' in rendered
    assert "<ul>\n<li>Pause posts</li>\n<li>Brief <a href=\"mailto:care@example.com\">care</a></li>\n</ul>" in rendered
    assert "<ol>\n<li>Draft</li>\n<li>Approve</li>\n</ol>" in rendered
    assert "<blockquote>\n<p>Never guess.</p>\n</blockquote>" in rendered
    assert "<code>+44 20 7946 0001</code>" in rendered
    assert '<a href="https://bridge.example.com">https://bridge.example.com</a>' in rendered
    # No typographer: quotes and apostrophes stay as typed.
    assert "R&amp;D's &quot;lab&quot; too." in rendered


def _max_length(schema: dict[str, Any], node: dict[str, Any]) -> int | None:
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        return _max_length(schema, schema["definitions"][name])
    value = node.get("maxLength")
    return value if isinstance(value, int) else None


def test_heading_fields_are_short_enough_for_mkdocs() -> None:
    # Headings (`# {{ title | md }}`) are rendered by MkDocs' Python-Markdown, which
    # copies the whole line for every escaped character: work grows with length
    # times escapes. Only a length limit keeps that bounded (10,000 characters cost
    # under half a second), so the fields printed as headings must keep one.
    schema = plan_schema()
    definitions = schema["definitions"]
    for where, node in {
        "plan organisation": definitions["planInfo"]["properties"]["organisation"],
        "plan title": definitions["planInfo"]["properties"]["title"],
        "scenario title": definitions["scenario"]["properties"]["title"],
        "role title": definitions["role"]["properties"]["title"],
    }.items():
        limit = _max_length(schema, node)
        assert limit is not None and limit <= 10_000, where
