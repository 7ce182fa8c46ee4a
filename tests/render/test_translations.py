"""The catalogs: every shipped language complete and consistent with the English, a
team's own language found beside its project, plurals, dates, and every label the
templates ask for present."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from crisisplan.plan.schema import plan_schema
from crisisplan.render import labels
from crisisplan.render.labels import (
    TEMPLATE_FILE,
    CatalogError,
    labels_for,
    parse_catalog,
    read_catalog,
    shipped_catalogs,
    template_catalog,
)
from tests.conftest import TESTS

SRC = Path(labels.__file__).resolve().parent.parent
TEAM = TESTS  # holds locale/sv and locale/da, as a project folder would
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
LANGUAGES = sorted(shipped_catalogs())


def entries(path: Path) -> list[Any]:
    with path.open("rb") as file:
        return [m for m in read_po(file) if m.id]


def test_the_english_template_is_sound() -> None:
    template = template_catalog()
    assert template.problems == ()
    assert len(template.keys) > 150
    for message in entries(TEMPLATE_FILE):
        # Translators see a note on where each label shows and what it means.
        assert message.auto_comments, f"{message.context} has no note for translators"
        assert message.context, message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_language_has_exactly_the_labels_english_has(language: str) -> None:
    keys = {m.context for m in entries(shipped_catalogs()[language])}
    assert keys == template_catalog().keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_language_has_no_empty_fuzzy_or_stale_entry(language: str) -> None:
    template = template_catalog()
    for message in entries(shipped_catalogs()[language]):
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(form.strip() for form in forms), f"{language}: {message.context} is empty"
        assert not message.fuzzy, f"{language}: {message.context} is fuzzy"
        english = template.texts.get(message.context) or template.forms.get(message.context)
        assert (message.id if isinstance(message.id, str) else tuple(message.id)) == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_language_keeps_the_placeholders_of_the_english(language: str) -> None:
    for message in entries(shipped_catalogs()[language]):
        if isinstance(message.id, str):
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), message.context
        else:
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                assert set(PLACEHOLDER.findall(form)) == wanted, message.context


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_language_passes_every_check_crisisplan_makes(language: str) -> None:
    assert read_catalog(shipped_catalogs()[language]).problems == ()


BROKEN = b'''msgid ""
msgstr ""
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgctxt "copy_button"
msgid "Copy"
msgstr ""

msgctxt "fill_first"
msgid "Fill in {name} first"
msgstr "Udfyld {navn} f\xc3\xb8rst"

msgctxt "review_overdue"
msgid "This plan's review was due on {date}. Contacts and statements may be out of date."
msgstr "{date.year}"

#, fuzzy
msgctxt "copied"
msgid "Copied"
msgstr "Kopieret"

msgctxt "worst_case"
msgid "Worst-case scenario"
msgstr "V\xc3\xa6rste scenarie"

msgctxt "invented"
msgid "Invented"
msgstr "Opfundet"

msgctxt "characters"
msgid "character"
msgid_plural "characters"
msgstr[0] "tegn"

msgctxt "what_is_happening"
msgid "What is happening?"
msgstr "Hvad\\nsker der?"
'''


def test_every_kind_of_mistake_in_a_catalog_is_reported() -> None:
    problems = "\n".join(parse_catalog(BROKEN, Path("da.po"), template_catalog()).problems)
    for expected in (
        "'copy_button' is not translated",
        "'fill_first' has placeholders {navn} where the English has {name}",
        "'review_overdue' has braces that are not a placeholder",
        "'copied' is marked fuzzy",
        "'worst_case': msgid is not the current English",
        "'invented' is not a label crisisplan has",
        "'characters' is not translated",  # its second plural form is missing
        "'what_is_happening' holds a line break",
        "da.po: 'first_actions' has no translation",
    ):
        assert expected in problems


@pytest.mark.parametrize(
    "data",
    [
        b"just some text\n",
        b'msgid "a"\nmsgid "b"\nmsgstr ""\n',
        b'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1;\\n"\n',
        b"\xff\xfe",
    ],
)
def test_a_catalog_that_is_not_one_names_its_file(data: bytes) -> None:
    with pytest.raises(CatalogError, match=r"bad\.po: not a readable gettext catalog"):
        parse_catalog(data, Path("bad.po"), template_catalog())


def test_a_team_adds_swedish_beside_its_project() -> None:
    swedish = labels_for("sv", [TEAM])
    assert swedish["what_is_happening"] == "Vad händer?"
    assert swedish["copy_button"] == "Kopiera"
    assert swedish.ngettext("days_overdue", 1) == "1 dag försenad"
    assert swedish.ngettext("days_overdue", 3) == "3 dagar försenad"
    # What the team has not translated, and what it got wrong, shows in English.
    assert swedish["team"] == "Team directory"
    assert swedish["review_overdue"].startswith("This plan's review was due on {date}.")
    assert swedish["copied"] == "Copied"
    assert swedish["worst_case"] == "Worst case"
    # Swedish dates whatever the catalog holds: Babel knows the language.
    assert swedish.format_date("2026-10-01") == "1 oktober 2026"
    assert labels_for("sv-SE", [TEAM])["copy_button"] == "Kopiera"
    assert labels_for("sv")["copy_button"] == "Copy"  # without the project folder


def test_the_mistakes_in_the_team_catalog_are_reported() -> None:
    problems = read_catalog(TEAM / "locale" / "sv" / "LC_MESSAGES" / "crisisplan.po").problems
    flagged = [p for p in problems if "has no translation" not in p]
    assert len(flagged) == 4
    assert all(re.match(r".*crisisplan\.po:\d+: '", p) for p in flagged)


def test_a_team_catalog_outside_the_repository_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    folder = project / "locale" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.po"
    secret.write_text('msgid ""\nmsgstr ""\n', "utf-8")
    (folder / "crisisplan.po").symlink_to(secret)
    with pytest.raises(CatalogError, match="outside the repository"):
        labels_for("sv", [project])


def test_a_broken_team_catalog_stops_with_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "locale" / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "crisisplan.po").write_bytes(b"\xff\xfe not a catalog")
    with pytest.raises(CatalogError, match=r"sv/LC_MESSAGES/crisisplan\.po"):
        labels_for("sv", [tmp_path])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1 October 2026"),
        ("en-GB", "1 October 2026"),
        ("en-US", "October 1, 2026"),
        ("id", "1 Oktober 2026"),
        ("ms", "1 Oktober 2026"),
        ("da", "1. oktober 2026"),
        ("xx", "1 October 2026"),
    ],
)
def test_dates_as_readers_write_them(language: str, expected: str) -> None:
    words = labels_for(language)
    assert words.format_date("2026-10-01") == expected
    assert words.format_date(dt.date(2026, 10, 1)) == expected


def test_a_date_that_is_not_one_is_shown_as_written() -> None:
    words = labels_for("da")
    assert words.format_date("2026-02-30") == "2026-02-30"
    assert words.format_date("soon") == "soon"
    assert words.format_date(None) == ""


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "1 day overdue", "12 days overdue"),
        ("da", "1 dag over fristen", "12 dage over fristen"),
        ("id", "terlambat 1 hari", "terlambat 12 hari"),
        ("ms", "lewat 1 hari", "lewat 12 hari"),
    ],
)
def test_plural_forms(language: str, one: str, many: str) -> None:
    words = labels_for(language)
    assert words.ngettext("days_overdue", 1) == one
    assert words.ngettext("days_overdue", 12) == many


def test_plural_labels_take_more_values() -> None:
    english = labels_for("en")
    assert english.ngettext("characters", 1) == "character"
    assert english.ngettext("characters", 280) == "characters"
    assert english.ngettext("over_limit_by", 12) == "over by 12 characters"
    assert (
        english.ngettext("drill_check_statement_limit", 280, title="Apology", channel="X")
        == "Statement 'Apology' filled in and personalised, within 280 characters on X, and approved"
    )


def test_words_for_the_fixed_values_of_a_plan() -> None:
    words = labels_for("ms")
    assert words.choice("action", "delete") == "padam"
    assert words.choice("content", "hate-speech") == "ucapan kebencian"
    assert words.choice("audience", "regulators") == "pengawal selia"
    assert words.choice("rating", "medium") == "sederhana"
    # A value the format does not have (a plan that failed the check) shows as written.
    assert words.choice("action", "shout") == "shout"
    assert words.choice("platform", "x", "X") == "X"


def schema_enum(*path: str) -> list[str]:
    node: Any = plan_schema()["definitions"]
    definitions = node
    for part in path:
        node = node[part] if part in node else node["properties"][part]
    # A value list kept once under definitions (audienceKind) is reached by its $ref.
    while "$ref" in node:
        node = definitions[node["$ref"].rsplit("/", 1)[-1]]
    return list(node["enum"])


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("action", ("moderationRule", "action")),
        ("content", ("moderationRule", "content")),
        ("audience", ("audience", "audience")),
        ("rating", ("scenario", "likelihood")),
        ("rating", ("scenario", "impact")),
        ("approval", ("statement", "approval", "status")),
        ("status", ("review", "status")),
    ],
)
def test_every_value_the_format_allows_has_a_word(kind: str, values: tuple[str, ...]) -> None:
    keys = template_catalog().keys
    missing = [v for v in schema_enum(*values) if f"{kind}_{v}".replace("-", "_") not in keys]
    assert missing == []


def test_page_numbers_in_the_pdf_margin() -> None:
    assert labels_for("da").css_content("page_of", page="page", pages="pages") == '"Side " counter(page) " af " counter(pages)'
    with pytest.raises(ValueError, match="counter"):
        labels_for("en").css_content("page_of", page="page)", pages="pages")


# Label lookups in templates and code: w.key, w['key'], words["key"], and the keys
# handed to ngettext, css_content and choice.
_LOOKUPS = (
    re.compile(r"\bw\.(?!ngettext|format_date|choice|css_content|get\b)([a-z_]+)\b(?!\()"),
    re.compile(r"""\bw(?:ords)?\[["']([a-z_]+)["']\]"""),
    re.compile(r"""\.(?:ngettext|css_content)\(\s*["']([a-z_]+)["']"""),
)
_CHOICES = re.compile(r"""\.choice\(\s*["']([a-z_]+)["']""")


def test_every_label_the_templates_and_code_ask_for_exists() -> None:
    template = template_catalog()
    sources = [*SRC.joinpath("templates").rglob("*.j2"), *SRC.rglob("*.py")]
    sources.remove(SRC / "render" / "labels.py")  # its docstrings show w.key as an example
    unknown: list[str] = []
    for source in sources:
        text = source.read_text("utf-8")
        for pattern in _LOOKUPS:
            for key in pattern.findall(text):
                if key not in template.keys and not key.startswith("_"):
                    unknown.append(f"{source.name}: {key}")
        for kind in _CHOICES.findall(text):
            if not any(key.startswith(kind + "_") for key in template.keys):
                unknown.append(f"{source.name}: choice {kind!r}")
    assert unknown == []


def test_catalogs_ship_with_the_package() -> None:
    # pyproject.toml's package-data must carry them into a wheel.
    pyproject = (SRC.parent.parent / "pyproject.toml").read_text("utf-8")
    assert '"locale/*.pot"' in pyproject and '"locale/*/LC_MESSAGES/*.po"' in pyproject
    assert {p.parent.parent.name for p in SRC.joinpath("locale").rglob("*.po")} == set(LANGUAGES)



def english_phrases(language: str) -> list[str]:
    """English labels of two words or more that the language translates differently."""
    english, words = labels_for("en"), labels_for(language)
    return [
        text
        for key, text in english.items()
        if len(text.split()) > 1 and "{" not in text and words[key] != text
    ]


def reader_text(output: str) -> str:
    # The PDFs' stylesheet has comments in English; readers never see them.
    return html.unescape(re.sub(r"<style>.*?</style>", "", output, flags=re.DOTALL))


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_pdfs_drills_and_reviews_speak_the_language(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The English example plan rendered with another language's words: no English
    label shows anywhere, unless the plan's own text has it."""
    from crisisplan.check.pipeline import check_paths
    from crisisplan.incident.drill import build_drill
    from crisisplan.incident.review import review_text
    from crisisplan.publish.pdf import documents as pdf
    from crisisplan.publish.site import pages
    from crisisplan.render.templating import environment

    folder = SRC.parent.parent / "plans" / "brightbrew"
    plan = check_paths([folder]).plans[0].plan
    assert plan is not None
    words = labels_for(language)
    monkeypatch.setattr(pages, "labels_for", lambda *_a, **_k: words)
    monkeypatch.setattr(pdf, "labels_for", lambda *_a, **_k: words)
    outputs = dict(pages.generate([pages.SitePlan(plan, "brightbrew")], dt.date(2026, 11, 22)).files)
    scenario = plan.scenarios[0]
    outputs["runbook"] = pdf.runbook_html(plan, scenario)
    parts = pdf.plan_parts(plan)
    outputs["plan"] = "\n".join([parts.front, *parts.body])
    script = build_drill(plan, scenario, words=words)
    outputs["drill"] = environment().get_template("text/drill.text.j2").render(d=script)
    outputs["review"] = review_text(plan, scenario, dt.date(2026, 11, 20), words)
    plan_text = "\n".join(p.read_text("utf-8") for p in sorted(folder.rglob("*.yaml")))
    phrases = english_phrases(language)
    leaks = [
        f"{name}: {phrase!r}"
        for name, output in outputs.items()
        for phrase in phrases
        if phrase in reader_text(output) and phrase not in plan_text
    ]
    assert leaks == [], "\n".join(leaks)
    assert words["first_actions"] in outputs["brightbrew/scenarios/" + scenario.id + ".md"]
