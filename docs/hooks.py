"""MkDocs hooks for crisisplan's own documentation site (docs/mkdocs.yml).

Reference pages are generated from the code when the site is built, as yamllint's
rules page is generated from its rules' docstrings, so they cannot drift from what
crisisplan does. A page asks for generated content with a marker on a line of its
own:

    <!-- crisisplan:checks -->    every diagnostic code, from the check registry
    <!-- crisisplan:packs -->     every rule pack and its rules
    <!-- crisisplan:modules -->   every module of src/crisisplan, from its docstring

The source of each is what `crisisplan checks` and `crisisplan explain` print:
``crisisplan.check.codes.all_codes()`` (each code's name, severity, summary and
documentation, which is the check's docstring), and ``PACKS`` and ``pack_doc`` in
``crisisplan.check.rules``. An unknown marker fails the build.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

import crisisplan
from crisisplan.check.checks.honesty import acceptable
from crisisplan.check.codes import CodeInfo, all_codes
from crisisplan.check.registry import REGISTRY
from crisisplan.check.rules import PACKS, pack_doc

MARKER = re.compile(r"^<!--\s*crisisplan:([a-z-]+)\s*-->$", re.MULTILINE)

# Where each code is documented: the page that the checks marker is on.
CHECKS_PAGE = "reference/checks.md"

# crisisplan's own codes are numbered by what they concern, a hundred at a time.
GROUPS = {
    "CP0": "Reading the files",
    "CP1": "The plan format",
    "CP2": "References by id",
    "CP3": "Scenarios",
    "CP4": "The team, people outside it, cadences and deadlines",
    "CP5": "Escalation",
    "CP6": "Statements and languages",
    "CP7": "Reviews, drills and accepted findings",
    "CP8": "Moderation",
    "CP9": "The public edition",
}


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            known = ", ".join(f"crisisplan:{n}" for n in GENERATORS)
            raise PluginError(f"{page.file.src_uri}: unknown marker crisisplan:{name} (known: {known})")
        if name == "checks" and page.file.src_uri != CHECKS_PAGE:
            raise PluginError(f"{page.file.src_uri}: the checks reference belongs on {CHECKS_PAGE}, which other pages link to")
        return GENERATORS[name]()

    return MARKER.sub(replace, markdown)


# --- docstrings as Markdown -----------------------------------------------------------------

# Code spans as the docstrings write them: ``double`` (reStructuredText) or `single`.
CODE_SPAN = re.compile(r"(``.+?``|`[^`\n]+`)", re.DOTALL)
# Characters that Markdown would read as markup in plain prose ("<" is not one it
# unescapes, so it becomes an entity instead).
SPECIAL = re.compile(r"([\\*_\[\]{}>|])")
LINE_START = re.compile(r"^(\s*)([-+#>]|\d+\.)", re.MULTILINE)


def _unlisted(match: re.Match[str]) -> str:
    """A line that would start a list, a heading or a quote, escaped to stay text."""
    indent, mark = match.groups()
    return f"{indent}{mark[:-1]}\\." if mark.endswith(".") else f"{indent}\\{mark}"


def inline(text: str) -> str:
    """Docstring prose as Markdown that shows exactly those words: code spans stay
    code, everything else is escaped (a docstring is not written as Markdown)."""
    parts = []
    for index, part in enumerate(CODE_SPAN.split(text)):
        if index % 2:  # a code span
            code = part.strip("`").replace("\n", " ")
            parts.append(f"`` {code} ``" if "`" in code else f"`{code}`")
        else:
            escaped = SPECIAL.sub(r"\\\1", part).replace("<", "&lt;")
            parts.append(LINE_START.sub(_unlisted, escaped))
    return "".join(parts)


def plain(text: str) -> str:
    """A docstring's words without code-span marks: what a reader sees on the page."""
    return " ".join(CODE_SPAN.sub(lambda m: m.group(0).strip("`"), text).split())


def documentation(doc: str) -> str:
    """A check's docstring after its first line, with its examples set apart: each
    "Fails:" and "Passes:" starts a paragraph of its own."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", doc.strip()):
        current: list[str] = []
        for line in paragraph.splitlines():
            label = re.match(r"(Fails|Passes):\s*", line)
            if label and current:
                blocks.append("\n".join(current))
                current = []
            current.append(line)
        blocks.append("\n".join(current))
    rendered = []
    for block in blocks:
        label = re.match(r"(Fails|Passes):\s*", block)
        if label:
            rendered.append(f"**{label.group(1)}:** {inline(block[label.end():])}")
        else:
            rendered.append(inline(block))
    return "\n\n".join(rendered)


def cell(text: str) -> str:
    return inline(" ".join(text.split()))


def anchor(code: str) -> str:
    return code.lower()


# --- the checks reference -------------------------------------------------------------------


def _table(codes: Iterable[CodeInfo], page: str = "") -> list[str]:
    rows = ["| Code | Name | Severity | What it catches |", "| --- | --- | --- | --- |"]
    for info in codes:
        rows.append(f"| [{info.code}]({page}#{anchor(info.code)}) | `{info.name}` | {info.severity} | {cell(info.summary)} |")
    return rows


def _entry(info: CodeInfo) -> list[str]:
    facts = [f"**{info.severity.capitalize()}**"]
    if info.pack:
        facts.append(f"rule pack `{info.pack}`")
    if info.code in REGISTRY:
        facts.append("severity can be changed in `crisisplan.yaml`")
        if acceptable(info.code):
            facts.append("can be accepted with `accepted:`")
    else:
        facts.append("always reported as written: a plan must be readable and follow the format to be checked")
    if info.code == "CP901":
        facts[-1] = "reported only by `crisisplan build --audience public`"
    lines = [f"### {info.code} {info.name} {{#{anchor(info.code)}}}", "", " · ".join(facts), "", cell(info.summary)]
    rest = info.doc.split("\n", 1)[1] if "\n" in info.doc else ""
    if rest.strip():
        lines += ["", documentation(rest)]
    lines += ["", f"See it in a terminal: `crisisplan explain {info.code}`.", ""]
    return lines


def checks_reference() -> str:
    codes = all_codes()
    own = [c for c in codes if not c.pack]
    lines = ["## Every code", "", *_table(codes), ""]
    group = ""
    for info in own:
        prefix = info.code[:3]
        if prefix != group:
            group = prefix
            title = GROUPS.get(prefix, f"Codes {prefix}00 to {prefix}99")
            lines += [f"## {title}", ""]
        lines += _entry(info)
    for pack in PACKS.values():
        lines += [f"## Rule pack {pack.name}: {cell(pack.title)}", "", f"Checked only for plans with `rules: [{pack.name}]`, on {cell(pack.applies_to)}. [About this pack](../rule-packs.md#{pack.name}).", ""]
        for info in codes:
            if info.pack == pack.name:
                lines += _entry(info)
    return "\n".join(lines)


def packs_reference() -> str:
    codes = all_codes()
    lines: list[str] = []
    for pack in PACKS.values():
        doc = pack_doc(pack.name)
        rest = doc.partition("\n")[2]
        lines += [f"### {pack.name} {{#{pack.name}}}", "", f"**{cell(pack.title)}.** Checks {cell(pack.applies_to)}.", ""]
        if rest.strip():
            lines += [documentation(rest), ""]
        lines += [f"A plan opts in with `rules: [{pack.name}]` under `plan:`. Its rules:", ""]
        lines += _table((c for c in codes if c.pack == pack.name), CHECKS_PAGE)
        lines.append("")
    return "\n".join(lines)


# --- the code map ---------------------------------------------------------------------------

# The stages in the order data flows (the import-linter contract in pyproject.toml).
STAGES = {
    "": "Leaves: every stage may use them",
    "plan": "plan/: reading a plan",
    "check": "check/: judging it",
    "render": "render/: what readers see",
    "publish": "publish/: the site and the PDFs",
    "incident": "incident/: during and after an incident",
    "cli": "cli/: the command line, Click only",
}


def _summary_of(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.split("\n\n", 1)[0]


def modules_reference() -> str:
    package = Path(crisisplan.__file__).parent
    by_stage: dict[str, list[Path]] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        stage = relative.parts[0] if len(relative.parts) > 1 else ""
        by_stage.setdefault(stage, []).append(relative)
    lines: list[str] = []
    for stage in [*STAGES, *sorted(set(by_stage) - set(STAGES))]:
        if stage not in by_stage:
            continue
        lines += [f"### {STAGES.get(stage, stage + '/')}", "", "| Module | What it holds |", "| --- | --- |"]
        for relative in by_stage[stage]:
            summary = _summary_of(package / relative) or "the entry point of `python -m crisisplan`"
            lines.append(f"| `{relative.as_posix()}` | {cell(summary)} |")
        lines.append("")
    return "\n".join(lines)


GENERATORS: dict[str, Callable[[], str]] = {
    "checks": checks_reference,
    "packs": packs_reference,
    "modules": modules_reference,
}
