"""Plan text is data, everywhere: whatever a plan's text fields hold, no script runs
in the site, its search, the statement composer, the page titles or the PDFs.

Every free-text field is found from the JSON Schema, so a field added to the format
is attacked too: the fixture in tests/text_is_data/ must fill it, or
test_every_text_field_of_the_schema_is_attacked fails and names it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape as html_escape
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from crisisplan.check.pipeline import check_paths
from crisisplan.plan.localtext import LOCAL_TYPES
from crisisplan.plan.schema import plan_schema
from crisisplan.plan.yamlfile import load_file
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions, BuildResult
from crisisplan.publish.pdf.documents import runbook_html
from crisisplan.publish.pdf.weasy import PdfJob, render_all
from crisisplan.render.labels import labels_for
from tests.browser import offline_browser
from tests.conftest import ROOT, TESTS, TODAY

FIXTURE = TESTS / "text_is_data" / "plan.yaml"
SLUG = "attacked"
DAY = dt.date.fromisoformat(TODAY)

# Fields the checks hold to a strict shape (a number that can be dialled, an e-mail
# address by the standards, an IANA zone, the id of a severity level, a cadence, a
# named time window or days and hours): no attack
# passes `check`, so a build publishes nothing. They are attacked in
# test_format_checked_fields_refuse_attacks instead of in the site.
FORMAT_CHECKED = frozenset(
    {
        "contact_points[].phone",
        "roles[].primary.phone",
        "roles[].deputies[].phone",
        "contact_points[].email",
        "roles[].primary.email",
        "roles[].deputies[].email",
        "contacts[].email",
        "contacts[].phone",
        "plan.drill_every",
        "plan.review_every",
        "scenarios[].drill_every",
        "time_windows.*",
        "time_windows.*.days",
        "time_windows.*.days[]",
        "time_windows.*.from",
        "time_windows.*.to",
        "rotas[].shifts[].when",
        "rotas[].shifts[].when.days",
        "rotas[].shifts[].when.days[]",
        "rotas[].shifts[].when.from",
        "rotas[].shifts[].when.to",
        "contacts[].reach[].email",
        "contacts[].reach[].phone",
        "contacts[].reach[].when",
        "contacts[].reach[].when.days",
        "contacts[].reach[].when.days[]",
        "contacts[].reach[].when.from",
        "contacts[].reach[].when.to",
        "roles[].deputies[].reach[].email",
        "roles[].deputies[].reach[].phone",
        "roles[].deputies[].reach[].when",
        "roles[].deputies[].reach[].when.days",
        "roles[].deputies[].reach[].when.days[]",
        "roles[].deputies[].reach[].when.from",
        "roles[].deputies[].reach[].when.to",
        "roles[].primary.reach[].email",
        "roles[].primary.reach[].phone",
        "roles[].primary.reach[].when",
        "roles[].primary.reach[].when.days",
        "roles[].primary.reach[].when.days[]",
        "roles[].primary.reach[].when.from",
        "roles[].primary.reach[].when.to",
        "rotas[].reach[].email",
        "rotas[].reach[].phone",
        "rotas[].reach[].when",
        "rotas[].reach[].when.days",
        "rotas[].reach[].when.days[]",
        "rotas[].reach[].when.from",
        "rotas[].reach[].when.to",
        "roles[].primary.timezone",
        "roles[].deputies[].timezone",
        "monitoring.escalate_when[].severity",
        "media_inquiries.phone",
        "media_inquiries.email",
        "emergency[].number",
        "rotas[].shifts[].who.phone",
        "rotas[].shifts[].who.email",
        "rotas[].shifts[].who.timezone",
        "rotas[].shifts[].who.reach[].email",
        "rotas[].shifts[].who.reach[].phone",
        "rotas[].shifts[].who.reach[].when",
        "rotas[].shifts[].who.reach[].when.days",
        "rotas[].shifts[].who.reach[].when.days[]",
        "rotas[].shifts[].who.reach[].when.from",
        "rotas[].shifts[].who.reach[].when.to",
    }
)

# One attack per context the text may land in: element content, a double- or
# single-quoted attribute, raw-text elements, Markdown links and attribute lists, and
# entities that a second unescaping (Jinja's striptags) would turn into markup. The
# animation makes on*-handlers fire without a user; `pulse` is one of Material's
# keyframes, so it exists on every page. "{m}" is the field's marker.
ATTACKS = (
    "<script>window.__pwn='{m}'</script>",
    "\"'><img src=x data-pwn={m} onerror=\"window.__pwn='{m}'\">",
    "\" data-pwn=\"{m}\" onmouseover=\"window.__pwn='{m}'\" style=\"--pwn:{m};animation:1s pulse\" onanimationstart=\"window.__pwn='{m}'\" x=\"",
    "' data-pwn='{m}' onfocus='window.__pwn=\"{m}\"' autofocus style='--pwn:{m};animation:1s pulse' onanimationstart='window.__pwn=\"{m}\"' x='",
    "</title></textarea></style></script><svg data-pwn={m} onload=window.__pwn='{m}'>",
    "[{m}](javascript:window.__pwn='{m}') ![{m}](x\" onerror=\"window.__pwn='{m}')",
    "&lt;img src=x data-pwn={m} onerror=window.__pwn='{m}'&gt; &#34; data-pwn=&#34;{m}&#34; onmouseover=&#34;window.__pwn='{m}'",
    "{: data-pwn=\"{m}\" onclick=\"window.__pwn='{m}'\" }",
    # Short ones, for fields with a small maxLength.
    "<svg/onload=__pwn=1>",
    "\" onfocus=__pwn=1 autofocus x=\"",
)
# An e-mail address must keep one @, a domain and no spaces to pass CP405, and is
# printed inside href="mailto:...": the same breakouts, written without spaces.
EMAIL_ATTACK = (
    "\"data-pwn=\"{m}\"onmouseover=\"window.__pwn='{m}'\"style=\"--pwn:{m};animation:1s/**/pulse\""
    "onanimationstart=\"window.__pwn='{m}'\"'><img/src=x/data-pwn={m}/onerror=window.__pwn='{m}'>@{m}.example"
)
# Codes of accepted findings: at most 20 characters, too short for any attack with
# its marker, and `check` refuses a code it does not know (CP722), so no markup can
# reach a page through them; test_accepted_codes_refuse_markup proves the refusal.
CODE_FIELDS = frozenset(
    {
        "accepted[].code",
        "scenarios[].accepted[].code",
        "scenarios[].statements[].accepted[].code",
        "statements[].accepted[].code",
    }
)
MARKER = re.compile(r"cpx\d{3}q")
PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+$")
URL_SHAPE = re.compile(r"^https?://")


# --- the schema's text fields -------------------------------------------------------


def _dotted(path: tuple[str, ...]) -> str:
    """('scenarios', '[]', 'worst_case') -> 'scenarios[].worst_case'."""
    return ".".join(path).replace(".[]", "[]")


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _is_local(node: Any, root: dict[str, Any]) -> bool:
    """Whether a schema is (a reference to) the translatable text type."""
    while isinstance(node, dict) and "$ref" in node:
        if node["$ref"] in LOCAL_TYPES:
            return True
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return False


@dataclass
class SchemaFields:
    text: dict[str, dict[str, Any]]  # free text: any string is valid
    patterned: dict[str, dict[str, Any]]  # strings held to a pattern (urls, ids, ...)
    maps: set[str]  # objects whose keys are data (statement text per language)


def schema_fields(schema: dict[str, Any]) -> SchemaFields:
    found = SchemaFields({}, {}, set())

    def walk(node: Any, path: tuple[str, ...], depth: int, seen: frozenset[str] = frozenset()) -> None:
        if _is_local(node, schema):
            # Translatable text: a string, or the same per language. The string form
            # is what the fixture attacks; localize() makes the other into it.
            found.text[_dotted(path)] = _resolve(node, schema)
            return
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str):
            # A definition may hold itself (a time window is a list of time windows):
            # walk each once along a path.
            if ref in seen:
                return
            seen = seen | {ref}
        node = _resolve(node, schema)
        if not isinstance(node, dict) or depth > 40:
            return
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key, []):
                walk(sub, path, depth + 1, seen)
        # `if` only selects a branch; its own constraints say nothing about the value.
        for key in ("then", "else"):
            if key in node:
                walk(node[key], path, depth + 1, seen)
        types = node.get("type", [])
        if "string" in ([types] if isinstance(types, str) else types):
            if not any(k in node for k in ("pattern", "enum", "format", "const")):
                found.text[_dotted(path)] = node
            elif "pattern" in node and not any(k in node for k in ("enum", "format", "const")):
                found.patterned[_dotted(path)] = node
        for name, sub in (node.get("properties") or {}).items():
            walk(sub, (*path, name), depth + 1, seen)
        values = [node.get("additionalProperties"), *(node.get("patternProperties") or {}).values()]
        for sub in values:
            if isinstance(sub, dict):
                found.maps.add(_dotted(path))
                walk(sub, (*path, "*"), depth + 1, seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "[]"), depth + 1, seen)

    walk(schema, (), 0)
    return found


def _leaves(node: Any, maps: set[str], path: tuple[str, ...] = (), at: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every string in a plan: where it is, its schema path and its value."""
    if isinstance(node, dict):
        is_map = _dotted(path) in maps
        for key, value in node.items():
            yield from _leaves(value, maps, (*path, "*" if is_map else key), (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, maps, (*path, "[]"), (*at, index))
    elif isinstance(node, str):
        yield at, _dotted(path), node


def _set(data: Any, at: tuple[Any, ...], value: str) -> None:
    for key in at[:-1]:
        data = data[key]
    data[at[-1]] = value


# --- the attacked plan --------------------------------------------------------------


def attack(marker: str, base: str, spec: dict[str, Any], start: int) -> str | None:
    """The attack for one field, shaped to stay valid (length, pattern, placeholders)."""
    limit = spec.get("maxLength", 100_000)
    if EMAIL_SHAPE.match(base):
        text = EMAIL_ATTACK.replace("{m}", marker)
        return text if len(text) <= limit else None
    prefix = f"https://{marker}.example/ " if URL_SHAPE.match(base) else marker + " "
    # Statement texts keep their placeholders (the composer fills them); a stray
    # brace there is refused by CP602, so the brace attack has no place in them.
    keep = " ".join(PLACEHOLDER.findall(base))
    attacks = [a for a in ATTACKS if not (keep and "{:" in a)]
    text, pieces = prefix, 0
    for offset in range(len(attacks)):
        piece = attacks[(start + offset) % len(attacks)].replace("{m}", marker) + " "
        if len(text) + len(piece) + len(keep) <= limit:
            text, pieces = text + piece, pieces + 1
    text = (text + keep).strip()
    # A field too short for any attack is not counted as attacked: the coverage
    # test then names it, and a shorter attack belongs in ATTACKS.
    if not pieces or len(text) > limit:
        return None
    pattern = spec.get("pattern")
    if pattern and not re.search(pattern, text):
        return None
    return text


@dataclass
class Attacked:
    plans: Path
    markers: dict[str, str]  # marker -> the field's schema path
    injected: set[str]  # schema paths holding an attack
    fields: SchemaFields


def write_attacked(folder: Path, only: frozenset[str] | None = None) -> Attacked:
    """The fixture with an attack in every text field (or only in `only`)."""
    fields = schema_fields(plan_schema())
    data = load_file(FIXTURE).data
    markers: dict[str, str] = {}
    injected: set[str] = set()
    for at, path, base in list(_leaves(data, fields.maps)):
        spec = fields.text.get(path) or fields.patterned.get(path)
        if spec is None or (only is not None and path not in only):
            continue
        if only is None and path in FORMAT_CHECKED:
            continue
        marker = f"cpx{len(markers):03d}q"
        text = attack(marker, base, spec, len(markers))
        if text is None:
            continue
        _set(data, at, text)
        markers[marker] = path
        injected.add(path)
    plans = folder / "plans"
    plans.mkdir(parents=True)
    (plans / f"{SLUG}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8"
    )
    return Attacked(plans, markers, injected, fields)


# Material features that print nav titles in more places: tabs, breadcrumbs and the
# previous/next footer, whose aria-label escapes them a second time with `| e`.
NAV_FEATURES = ("navigation.tabs", "navigation.path", "navigation.footer", "navigation.indexes")


def _config_without_site_name(folder: Path, features: tuple[str, ...] = ()) -> Path:
    """The repository's mkdocs.yml with no site_name, so the plan's name is used."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    settings.pop("site_name", None)
    theme = settings.setdefault("theme", {"name": "material"})
    theme["features"] = [*theme.get("features", []), *features]
    config = folder / f"mkdocs{len(features)}.yml"
    config.write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    return config


def _build(plans: Path, site: Path, config: Path | None, **options: Any) -> BuildResult:
    result = build(BuildOptions(paths=[plans], site_dir=site, config_file=config, today=DAY, **options))
    errors = [str(d) for d in result.report.diagnostics if d.is_error]
    assert result.built, errors
    return result


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Attacked:
    return write_attacked(tmp_path_factory.mktemp("attacked"))


@pytest.fixture(scope="module")
def sites(attacked: Attacked, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The attacked plan built three ways: with a mkdocs.yml that has no site_name,
    with no mkdocs.yml at all, and the public edition with every navigation feature."""
    work = tmp_path_factory.mktemp("sites")
    built = {
        "config": work / "config" / "site",
        "no-config": work / "no-config" / "site",
        "public": work / "public" / "site",
    }
    _build(attacked.plans, built["config"], _config_without_site_name(work), pdf=False)
    _build(attacked.plans, built["no-config"], None, pdf=False)
    _build(attacked.plans, built["public"], _config_without_site_name(work, NAV_FEATURES), pdf=False, public=True)
    return built


# --- static check: nothing the payload wrote is markup ------------------------------


class LiveMarkup(HTMLParser):
    """Elements and attributes that an attack made live, as a browser would parse them."""

    # Elements that load or run something from their attributes.
    ACTIVE = frozenset(
        {"img", "svg", "iframe", "frame", "object", "embed", "video", "audio", "image", "math", "base", "form", "link", "meta"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._raw: str | None = None

    def _flag(self, what: str, value: str) -> None:
        fields = sorted(set(MARKER.findall(value)))
        self.problems.append(f"{what} (markers {fields}): {value[:160]!r}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, raw in attrs:
            value = raw or ""
            tainted = "__pwn" in value or "--pwn" in value or bool(MARKER.search(value))
            if name == "data-pwn":
                self._flag(f"<{tag}> has an attribute written by plan text", value)
            elif name.startswith("on") and tainted:
                self._flag(f"<{tag} {name}> runs plan text", value)
            elif name in ("style", "srcdoc") and tainted:
                self._flag(f"<{tag} {name}> holds plan text", value)
            elif name in ("href", "src", "action", "formaction", "xlink:href") and "__pwn" in value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    self._flag(f"<{tag} {name}> is a script link from plan text", value)
            elif tag in self.ACTIVE and tainted:
                self._flag(f"<{tag}> was created from plan text", value)
        if tag in ("script", "style"):
            self._raw = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._raw = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw and ("__pwn" in data or MARKER.search(data)):
            self._flag(f"<{self._raw}> holds plan text", data)


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems


def _site_text(site: Path) -> dict[str, str]:
    """Every generated HTML page and each search document, as Material would render it."""
    found = {
        str(f.relative_to(site)): f.read_text("utf-8")
        for f in site.rglob("*.html")
        if "assets" not in f.relative_to(site).parts
    }
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    # Material's search inserts both as HTML (innerHTML), so they must be safe HTML.
    for number, doc in enumerate(index["docs"]):
        found[f"search #{number} {doc['location']}"] = f"<h1>{doc['title']}</h1>{doc['text']}"
    script = (site / "search" / "search_index.js").read_text("utf-8")
    assert json.loads(script.removeprefix("var __index = ").rstrip().rstrip(";")) == index
    return found


def test_the_detector_sees_attacks_that_went_live() -> None:
    # A test that can never fail proves nothing: each HTML attack, printed unescaped
    # into the context it targets, is caught; escaped, none is. (The Markdown and
    # entity attacks only go live through a renderer: the site builds test those.)
    contexts = ("<p>{}</p>", '<a title="{}">x</a>', "<a title='{}'>x</a>", "<title>{}</title>")
    for attack_text in (*ATTACKS[:5], *ATTACKS[-2:], EMAIL_ATTACK):
        text = attack_text.replace("{m}", "cpx999q")
        assert any(live_markup(c.format(text)) for c in contexts), attack_text
        assert not any(live_markup(c.format(html_escape(text))) for c in contexts), attack_text


def test_every_text_field_of_the_schema_is_attacked(attacked: Attacked) -> None:
    text_fields = set(attacked.fields.text)
    assert text_fields, "no free-text field found in the schema: the walk is broken"
    missing = text_fields - attacked.injected - FORMAT_CHECKED - CODE_FIELDS
    assert not missing, (
        f"text fields of the schema that {FIXTURE.relative_to(ROOT)} does not fill, "
        f"so nothing attacks them: {sorted(missing)}"
    )
    # The exemptions stay honest: each still exists and is still free text.
    assert text_fields >= FORMAT_CHECKED, sorted(FORMAT_CHECKED - text_fields)
    # Several fields are held to a prefix only (`^https?://`): attacked too.
    assert {"channels[].url", "contact_points[].url"} <= attacked.injected


def test_format_checked_fields_refuse_attacks(tmp_path: Path) -> None:
    for path in sorted(FORMAT_CHECKED):
        attempt = write_attacked(tmp_path / re.sub(r"\W+", "-", path), only=frozenset({path}))
        assert attempt.injected == {path}, f"the fixture does not fill {path}"
        report = check_paths([attempt.plans], today=DAY)
        assert report.failed(), f"an attack in {path} passes `check`, so it reaches the site"
        # Refused for the attack itself, not for something else in the plan.
        lines = (attempt.plans / f"{SLUG}.yaml").read_text("utf-8").splitlines()
        for problem in (d for d in report.diagnostics if d.is_error):
            assert MARKER.search(lines[problem.line - 1]), (path, str(problem))


def test_accepted_codes_refuse_markup(tmp_path: Path) -> None:
    text = FIXTURE.read_text("utf-8").replace("  - code: CP606\n", '  - code: "<svg/onload=1>"\n', 1)
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    report = check_paths([tmp_path / "plan.yaml"], today=DAY)
    assert [d.code for d in report.diagnostics if d.is_error] == ["CP722"]


def test_attacked_plan_passes_check(attacked: Attacked) -> None:
    report = check_paths([attacked.plans], today=DAY)
    assert not report.failed(), [str(d) for d in report.diagnostics if d.is_error]


@pytest.mark.parametrize("edition", ["config", "no-config", "public"])
def test_no_plan_text_becomes_markup(sites: dict[str, Path], attacked: Attacked, edition: str) -> None:
    site = sites[edition]
    problems = {name: found for name, html in _site_text(site).items() if (found := live_markup(html))}
    assert not problems, json.dumps(
        {name: [f"{p} <- {', '.join(sorted({attacked.markers[m] for m in MARKER.findall(p)}))}" for p in found[:3]] for name, found in problems.items()},
        indent=1,
    )


def test_attacked_text_still_reads_as_text(sites: dict[str, Path], attacked: Attacked) -> None:
    def marker_of(path: str) -> str:
        return next(m for m, p in attacked.markers.items() if p == path)

    pages = _site_text(sites["config"])
    scenario = unescape(pages[f"{SLUG}/scenarios/outage.html"])
    for path in ("scenarios[].title", "scenarios[].worst_case", "scenarios[].statements[].text.*", "steps[].do"):
        assert marker_of(path) in scenario, path
    # Shown as the characters the author wrote, not dropped or mangled.
    assert "<script>window.__pwn='" in scenario
    start = pages["index.html"]
    title = re.search(r"<title>(.*?)</title>", start, re.S)
    assert title and marker_of("plan.organisation") in title.group(1)


# --- the browser: pages, search and the composer, with the attacked plan -------------

# Inline handlers fire for synthetic events too: run every one an attack could have
# planted, on every element, whether visible or not.
FIRE_HANDLERS = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart', 'load', 'error', 'click']) {
      if (type === 'click' && el.closest('a[href], button, label, input, summary')) continue;
      el.dispatchEvent(new Event(type, {bubbles: false, cancelable: true}));
    }
  }
}"""
LIVE_IN_DOM = """() => Array.from(document.querySelectorAll('*')).flatMap(el =>
  Array.from(el.attributes)
    .filter(a => a.name === 'data-pwn' || (/^on/.test(a.name) && /__pwn|cpx\\d{3}q/.test(a.value))
      || (a.name === 'style' && /--pwn|__pwn/.test(a.value)))
    .map(a => `<${el.localName} ${a.name}=${a.value.slice(0, 80)}>`))"""


def _record_dialogs(page: Any) -> list[str]:
    """alert(), confirm() and print() dialogs the page opens, dismissed."""
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


def _assert_quiet(page: Any, dialogs: list[str], where: str) -> None:
    page.evaluate(FIRE_HANDLERS)
    assert page.evaluate("() => window.__pwn") is None, f"script ran on {where}: {page.evaluate('() => String(window.__pwn)')}"
    assert dialogs == [], where
    assert page.evaluate(LIVE_IN_DOM) == [], where


@pytest.mark.browser
def test_no_script_runs_in_the_browser(sites: dict[str, Path], attacked: Attacked) -> None:
    site = sites["config"]
    title_marker = next(m for m, p in attacked.markers.items() if p == "scenarios[].title")
    with offline_browser() as (page, blocked):
        dialogs = _record_dialogs(page)

        page.goto((site / "index.html").as_uri())
        page.locator("a.md-logo").first.hover()
        page.locator("article").first.hover()
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(title_marker, delay=20)
        result = page.locator(".md-search-result__item").first
        result.wait_for(timeout=10_000)
        result.hover()
        _assert_quiet(page, dialogs, "the start page and its search results")

        page.goto((site / SLUG / "scenarios" / "outage.html").as_uri())
        for heading in page.locator("article h1, article h2").all()[:4]:
            heading.hover()
        _fill_composer(page, "the scenario page")
        page.wait_for_timeout(1100)  # the attacks' animations last 1 s
        _assert_quiet(page, dialogs, "the scenario page")

        page.goto((site / SLUG / "statements.html").as_uri())
        _fill_composer(page, "the statement library")
        for label in page.locator("label.cp-tab-label").all()[:4]:
            if label.is_visible():
                label.click()
        page.wait_for_timeout(1100)
        _assert_quiet(page, dialogs, "the statement library")
        assert blocked == []


def _fill_composer(page: Any, where: str) -> None:
    inputs = page.locator(".cp-input").all()
    assert inputs, f"no composer field on {where}"
    for number, field in enumerate(inputs):
        if field.is_visible():
            field.fill(f"cpx9{number:02d}q<img src=x onerror=window.__pwn=1>\"'><svg onload=window.__pwn=2>")
    copy = page.locator(".cp-copy").first
    if copy.is_visible():
        copy.click()


# --- the PDFs ---------------------------------------------------------------------------


def test_pdf_shows_attacks_as_text_and_links_nowhere_local(attacked: Attacked, tmp_path: Path) -> None:
    from pypdf import PdfReader

    # One scenario runbook, rendered as the build renders it: the site builds above
    # skip PDFs, which would triple their time.
    plan = check_paths([attacked.plans], today=DAY).plans[0].plan
    assert plan is not None
    site = tmp_path / "site"
    target = site / "pdf" / SLUG / "outage.pdf"
    render_all([PdfJob(runbook_html(plan, plan.scenarios[0], "a4", False), target)])
    reader = PdfReader(target)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    for path in ("scenarios[].title", "scenarios[].worst_case", "scenarios[].first_actions[].do", "scenarios[].statements[].text.*"):
        marker = next(m for m, p in attacked.markers.items() if p == path)
        assert marker in text, path
    # The attacks are printed as the characters they are, not parsed as markup.
    flat = text.replace("\n", "")
    assert "<script>window.__pwn='" in flat and "onerror=" in flat
    catalog: Any = reader.trailer["/Root"]
    assert "/OpenAction" not in catalog and "/AA" not in catalog
    assert "/JavaScript" not in (catalog.get("/Names") or {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert action.get("/S") in (None, "/URI", "/GoTo"), action
            uri = str(action.get("/URI", ""))
            # An attacked e-mail address stays a mailto: link, percent-encoded: harmless.
            assert not uri or uri.lower().startswith(("https:", "http:", "mailto:", "tel:")), uri
            assert str(tmp_path) not in uri, uri


def test_fixture_is_a_valid_plan() -> None:
    # The attacks go into a temporary copy: the fixture itself stays a clean plan.
    report = check_paths([FIXTURE], today=DAY)
    assert not report.failed(), [str(d) for d in report.diagnostics]


# --- the known bug: an organisation name closing Material's site_name attribute -----

SITE_NAME_ATTACK = 'SegarKita" style="animation:pulse 1s" onanimationstart="alert(1)//'
PUNCTUATED_TITLE = "Fish & Chips' \"Special\" day"


@pytest.fixture(scope="module")
def site_name_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("site-name")
    plans = work / "plans"
    plans.mkdir()
    text = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
    text = text.replace("  organisation: SegarKita\n", f"  organisation: {json.dumps(SITE_NAME_ATTACK)}\n", 1)
    text = text.replace(
        "    title:\n      id: Keluhan pelanggan yang viral\n      en: Viral customer complaint\n",
        f"    title: {json.dumps(PUNCTUATED_TITLE)}\n",
        1,
    )
    assert json.dumps(SITE_NAME_ATTACK) in text and json.dumps(PUNCTUATED_TITLE) in text
    (plans / "segarkita.yaml").write_text(text, "utf-8")
    built = {"config": work / "config" / "site", "no-config": work / "no-config" / "site"}
    _build(plans, built["config"], _config_without_site_name(work, NAV_FEATURES), pdf=False)
    _build(plans, built["no-config"], None, pdf=False)
    return built


class Attributes(HTMLParser):
    """Material's logo and footer links, and every element with an event handler."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.logos: list[dict[str, str | None]] = []
        self.footer: list[str] = []
        self.handlers: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if any(name.startswith("on") for name in found):
            self.handlers.append(found)
        if tag == "a" and "md-logo" in (found.get("class") or ""):
            self.logos.append(found)
        if tag == "a" and "md-footer__link" in (found.get("class") or ""):
            self.footer.append(found.get("aria-label") or "")


@pytest.mark.parametrize("edition", ["config", "no-config"])
def test_organisation_name_cannot_close_the_site_name_attribute(site_name_sites: dict[str, Path], edition: str) -> None:
    site = site_name_sites[edition]
    name = labels_for("id")["site_name_plan"].format(organisation=SITE_NAME_ATTACK)
    for page in (site / "index.html", site / "segarkita" / "scenarios" / "keluhan-viral.html", site / "404.html"):
        html = page.read_text("utf-8")
        parser = Attributes()
        parser.feed(html)
        assert len(parser.logos) == 2, page
        for logo in parser.logos:
            # The whole name stays inside the attributes: no style or handler escapes.
            assert set(logo) == {"href", "title", "class", "aria-label", "data-md-component"}, logo
            assert logo["title"] == name and logo["aria-label"] == name
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        shown = unescape(title.group(1)) if title else ""
        assert shown == name or shown.endswith(f" - {name}"), shown
        assert parser.handlers == [], page
        # Ordinary punctuation reads normally: escaped once, never twice.
        assert "&amp;amp;" not in html and "&amp;#" not in html and "&amp;quot;" not in html
    scenario = (site / "segarkita" / "scenarios" / "keluhan-viral.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", scenario, re.S)
    assert title and unescape(title.group(1)) == f"{PUNCTUATED_TITLE} - {name}"
    assert PUNCTUATED_TITLE in unescape(scenario)
    if edition == "config":
        # The footer escapes nav titles once more with `| e`: still read as written.
        parser = Attributes()
        parser.feed((site / "segarkita" / "index.html").read_text("utf-8"))
        assert any(label.endswith(f": {PUNCTUATED_TITLE}") for label in parser.footer), parser.footer


@pytest.mark.browser
def test_organisation_name_runs_no_script_in_the_browser(site_name_sites: dict[str, Path]) -> None:
    site = site_name_sites["no-config"]
    with offline_browser() as (page, blocked):
        dialogs = _record_dialogs(page)
        for target in (site / "index.html", site / "segarkita" / "scenarios" / "keluhan-viral.html"):
            page.goto(target.as_uri())
            page.wait_for_timeout(1200)  # longer than the 1 s animation the attack asks for
            logo = page.locator("a.md-logo").first
            assert logo.get_attribute("aria-label") == labels_for("id")["site_name_plan"].format(organisation=SITE_NAME_ATTACK)
        assert dialogs == []
        assert blocked == []
