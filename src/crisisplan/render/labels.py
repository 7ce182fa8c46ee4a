"""The words crisisplan itself writes (headings, buttons, PDF footers, drill scripts,
review files) in the reader's language.

Staff read the runbook in the plan's language; a page in Bahasa Indonesia with English
headings would slow them down. The words live in gettext catalogs, so translators work
in the tools they know (Poedit, Weblate, a text editor):

    locale/crisisplan.pot                     the English, and the template for a new language
    locale/<lang>/LC_MESSAGES/crisisplan.po   one per shipped language: id, ms, da

An entry's msgctxt is the label's key (templates write ``w.copy_button``), its msgid
the English and its msgstr the translation. A team adds or adjusts a language without
forking crisisplan: the same layout under its project folder (beside mkdocs.yml) is
found through the ``extra_dirs`` of ``labels_for`` and wins over the shipped
catalogs, label by label; whatever no catalog has shows in English.

Catalogs are read with Babel when first needed instead of being compiled to .mo files:
there is no binary to commit and keep in step with its source, and no build step for
a user or a team's translator. Parsing every catalog takes milliseconds, once per
change of the file.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext
import io
import os
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from crisisplan.errors import CrisisplanError
from crisisplan.files import UnsafeFile, boundary_for, describe_os_error, read_bounded
from crisisplan.plan.values import format_minutes, parse_date, parse_duration

if TYPE_CHECKING:
    # Babel is imported where it is used: every command enters project_catalogs(), and
    # `crisisplan --version` or `check` of a plan in English should not pay for it.
    from babel import Locale
    from babel.messages.catalog import Message

DOMAIN = "crisisplan"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
TEMPLATE_FILE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"
SHIPPED_LANGUAGES = ("en", "id", "ms", "da")
# As for plan files: far beyond any real catalog, and a bound on what a build reads.
MAX_CATALOG_BYTES = 2 * 1024 * 1024

# crisisplan's English is British English, and so are its dates ("1 October 2026");
# a plan in en-US gets American ones.
_DATE_LOCALES = {"en": "en_GB"}
_CODE_PART = re.compile(r"[A-Za-z0-9]{1,8}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CSS_COUNTER = re.compile(r"[a-z][a-z-]*")
# The parts of a duration the plan's notation allows (1w2d3h4m), each a label of its own.
_DURATION_PART = re.compile(r"(\d+)([wdhm])", re.ASCII)
_DURATION_UNITS = {"w": "duration_weeks", "d": "duration_days", "h": "duration_hours", "m": "duration_minutes"}

Plural = Callable[[int], int]


class CatalogError(CrisisplanError):
    """A catalog that cannot be read or parsed at all; the message names the file."""


# Compared and hashed by identity: parsed catalogs are cached, keyed by their template.
@dataclass(frozen=True, eq=False)
class Catalog:
    """One .po (or the .pot) as label key -> text, with what was wrong in it.

    For the template, ``texts`` and ``forms`` hold the English msgids. For a
    translation, only entries fit to show are kept; ``problems`` says why the others
    were left out ("file:line: ...").
    """

    path: Path
    texts: Mapping[str, str]
    forms: Mapping[str, tuple[str, ...]]
    plural: Plural
    problems: tuple[str, ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.texts) | frozenset(self.forms)


class Labels(dict[str, str]):
    """Label key -> text in one language, the mapping templates use as ``w.key``.

    Plural labels are not in the mapping: ``w.ngettext(key, count)`` picks their form.
    The methods below are what templates need beyond a lookup; no label key may be
    the name of one of them (tests/render/test_labels.py holds that).
    """

    def __init__(
        self,
        texts: Mapping[str, str],
        forms: Mapping[str, tuple[tuple[str, ...], Plural]],
        language: str,
        locale: Locale,
    ) -> None:
        super().__init__(texts)
        self.language = language
        self.locale = locale
        self._forms = dict(forms)

    def ngettext(self, key: str, count: int, **values: object) -> str:
        """The plural label ``key`` for ``count``, with {count} and ``values`` filled in:
        ``w.ngettext('days_overdue', 3)`` is "3 days overdue" in English."""
        forms, plural = self._forms[key]
        # A team's Plural-Forms may name more forms than its entry has: use the last.
        text = forms[max(0, min(plural(abs(int(count))), len(forms) - 1))]
        return text.format(count=count, **values)

    def format_date(self, value: object, style: str = "long") -> str:
        """A date as readers of this language write it: "1 October 2026" (en),
        "1 Oktober 2026" (id, ms), "1. oktober 2026" (da). Takes a date or the plan's
        YYYY-MM-DD text; anything else is shown as written."""
        day = value if isinstance(value, dt.date) else parse_date(value)
        if day is None:
            return "" if value is None else str(value)
        from babel.dates import format_date

        return format_date(day, format=style, locale=self.locale)

    def duration(self, value: str | int) -> str:
        """A duration as readers of this language write it: "1h30m" is "1h30m" (en),
        "1 t 30 min" (da), "1 jam 30 mnt" (id). Takes the plan's notation, kept in the
        units the plan chose ("90m" stays ninety minutes), or whole minutes (largest
        unit first); text that is not a duration is shown as written."""
        text = format_minutes(value) if isinstance(value, int) else value
        if not isinstance(text, str) or parse_duration(text) is None:
            return "" if value is None else str(value)
        shown = ""
        for digits, unit in _DURATION_PART.findall(text.strip()):
            # The digits as written, so that English output is the plan's own text.
            forms, plural = self._forms[_DURATION_UNITS[unit]]
            part = forms[max(0, min(plural(int(digits)), len(forms) - 1))].format(count=digits)
            shown = self["duration_join"].format(larger=shown, smaller=part) if shown else part
        return shown

    def zone(self, name: str) -> str:
        """A time zone as its city in the reader's language ("København" for
        Europe/Copenhagen in Danish, "Kopenhagen" in Indonesian), from Babel. English
        keeps the name the plan gives, as do zones Babel does not know."""
        if not name or self.language.split("-")[0].split("_")[0].lower() == SOURCE_LANGUAGE:
            return name
        try:
            from babel.dates import get_timezone, get_timezone_location

            return str(get_timezone_location(get_timezone(name), locale=self.locale, return_city=True))
        except (LookupError, ValueError, OSError):
            return name

    def choice(self, kind: str, value: str, default: str | None = None) -> str:
        """The word for one of the plan format's fixed values: ``w.choice('action',
        'delete')`` is the label ``action_delete``. A value no label has (a plan that
        failed the check) is shown as written, or as ``default``."""
        key = f"{kind}_{value}".replace("-", "_")
        if key in self:
            return self[key]
        return value if default is None else default

    def css_content(self, key: str, **counters: str) -> Markup:
        """A label as a CSS ``content`` value, its placeholders as CSS counters, for the
        PDF margins: ``w.css_content('page_of', page='page', pages='pages')`` is
        ``"Page " counter(page) " of " counter(pages)``."""
        parts: list[str] = []
        for literal, name, _spec, _conversion in string.Formatter().parse(self[key]):
            if literal:
                parts.append(f'"{_css_escape(literal)}"')
            if name is not None:
                counter = counters[name]
                if not _CSS_COUNTER.fullmatch(counter):
                    raise ValueError(f"not a CSS counter name: {counter!r}")
                parts.append(f"counter({counter})")
        # Every character that could end the string or the <style> element is escaped.
        return Markup(" ".join(parts) or '""')  # noqa: S704


Folders = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


# The project folders whose locale/ catalogs apply while a command runs, so that
# every page, PDF and script of a build speaks the team's own words without threading
# the folder through every function that asks for labels.
_PROJECT_DIRS: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("project_dirs", default=())


@contextmanager
def project_catalogs(folders: Iterable[Path]) -> Iterator[None]:
    """Use the catalogs in these project folders for every labels_for() inside."""
    token = _PROJECT_DIRS.set(tuple(folders))
    try:
        yield
    finally:
        _PROJECT_DIRS.reset(token)


def labels_for(language: str, extra_dirs: Folders | None = None) -> Labels:
    """The words for readers of ``language``, a plan's language code ('da', 'en-GB').

    Each label comes from the first catalog that has it: the project folders in
    ``extra_dirs`` (each folder's ``locale/<lang>/LC_MESSAGES/crisisplan.po``), then
    crisisplan's own catalogs, then the English. A code with a region tries its own
    catalog, then its language's (pt-BR: pt_BR, then pt). An entry that is fuzzy,
    empty, stale (its msgid is no longer the English) or whose placeholders differ
    from the English is passed over, so the next catalog's text or the English shows.

    Raises CatalogError when a project's catalog cannot be read or parsed.
    """
    if extra_dirs is None:
        extra_dirs = _PROJECT_DIRS.get()
    # One folder is one folder, not the characters of its name.
    folders = [extra_dirs] if isinstance(extra_dirs, str | os.PathLike) else list(extra_dirs)
    template = _template()
    codes = _codes(language)
    chain: list[Catalog] = []
    for folder in folders:
        root = Path(folder)
        for code in codes:
            path = root / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            if os.path.lexists(path):
                chain.append(_project_catalog(path, root, template))
    for code in codes:
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            chain.append(_load(path, _stamp(path), None, template))
    texts = {
        key: next((c.texts[key] for c in chain if key in c.texts), english)
        for key, english in template.texts.items()
    }
    forms = {
        key: next(((c.forms[key], c.plural) for c in chain if key in c.forms), (english, template.plural))
        for key, english in template.forms.items()
    }
    return Labels(texts, forms, language, _date_locale(language))


def template_catalog() -> Catalog:
    """The English source: every label key, its English text and plural forms."""
    return _template()


def read_catalog(path: Path) -> Catalog:
    """A translation checked against the English, for tests and tools: its
    ``problems`` list every missing, unknown, stale, fuzzy, empty or malformed entry."""
    return parse_catalog(path.read_bytes(), path, _template())


def shipped_catalogs() -> dict[str, Path]:
    """The translations crisisplan ships, by language (English is the template)."""
    return {
        lang: LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        for lang in SHIPPED_LANGUAGES
        if lang != SOURCE_LANGUAGE
    }


def parse_catalog(data: bytes, path: Path, template: Catalog | None) -> Catalog:
    """A .po file's bytes as a Catalog; with ``template`` None, the bytes are the
    English template itself. Raises CatalogError when they are not a catalog."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        po = read_po(io.BytesIO(data), abort_invalid=True)
        plural = gettext.c2py(po.plural_expr)
    except (PoFileError, UnicodeDecodeError, ValueError, SyntaxError) as exc:
        raise CatalogError(f"{path}: not a readable gettext catalog: {exc}") from None
    texts: dict[str, str] = {}
    forms: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    present: set[str] = set()

    def problem(message: Message, text: str) -> None:
        problems.append(f"{path}:{message.lineno}: {text}")

    for message in po:
        if not message.id:
            continue  # the header
        key = message.context
        if not key:
            problem(message, f"{message.id!r} has no msgctxt: every entry needs its label key there")
            continue
        if key in present:
            problem(message, f"'{key}' appears twice")
            continue
        present.add(key)
        if template is None:
            reason = _source_problem(message)
            if reason:
                problem(message, f"'{key}' {reason}")
            elif isinstance(message.id, str):
                texts[key] = message.id
            else:
                forms[key] = tuple(message.id)
            continue
        english = template.texts.get(key) or template.forms.get(key)
        source = message.id if isinstance(message.id, str) else tuple(message.id)
        if english is None:
            problem(message, f"'{key}' is not a label crisisplan has (see {TEMPLATE_FILE.name})")
        elif source != english:
            problem(message, f"'{key}': msgid is not the current English {english!r}; update the catalog from {TEMPLATE_FILE.name}")
        elif message.fuzzy:
            problem(message, f"'{key}' is marked fuzzy: check the translation, then remove the flag")
        elif isinstance(english, str):
            text = message.string if isinstance(message.string, str) else ""
            reason = _text_problem(text, _fields(english) or frozenset())
            if reason:
                problem(message, f"'{key}' {reason}")
            else:
                texts[key] = text
        else:
            strings = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
            wanted = frozenset().union(*(_fields(form) or frozenset() for form in english))
            reasons = [r for r in (_text_problem(s, wanted, optional=frozenset({"count"})) for s in strings) if r]
            if len(strings) != po.num_plurals:
                reasons.append(f"has {len(strings)} plural forms where Plural-Forms says {po.num_plurals}")
            if reasons:
                problem(message, f"'{key}' {'; '.join(reasons)}")
            else:
                forms[key] = strings
    if template is not None:
        problems.extend(f"{path}: '{key}' has no translation" for key in sorted(template.keys - present))
    return Catalog(path, texts, forms, plural, tuple(problems))


def _source_problem(message: Message) -> str | None:
    sources = [message.id] if isinstance(message.id, str) else list(message.id)
    for text in sources:
        if _CONTROL.search(text):
            return "holds a line break or control character"
        if _fields(text) is None:
            return "has braces that are not a placeholder like {name}"
    return None


def _text_problem(text: str, wanted: frozenset[str], optional: frozenset[str] = frozenset()) -> str | None:
    if not text.strip():
        return "is not translated (empty msgstr)"
    if _CONTROL.search(text):
        # Labels are one line: a line break would end a YAML comment or a heading.
        return "holds a line break or control character"
    names = _fields(text)
    if names is None:
        return "has braces that are not a placeholder like {name}"
    if not (wanted - optional <= names <= wanted):
        shown = ", ".join("{" + n + "}" for n in sorted(wanted)) or "none"
        return f"has placeholders {', '.join('{' + n + '}' for n in sorted(names)) or 'none'} where the English has {shown}"
    return None


def _fields(text: str) -> frozenset[str] | None:
    """The {name} placeholders of a label; None when it has any other braces.

    Labels are filled with str.format, so only plain names are allowed: "{date.year}"
    or "{0}" in a team's catalog would read attributes or crash a build.
    """
    if "{{" in text or "}}" in text:
        return None
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names: set[str] = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return frozenset(names)


def _css_escape(text: str) -> str:
    return "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' else ch for ch in text)


def _codes(language: str) -> list[str]:
    """Catalog folder names to try, most specific first: 'pt-BR' -> pt_BR, pt."""
    parts = language.replace("_", "-").split("-")
    if not all(_CODE_PART.fullmatch(part) for part in parts):
        return []  # never a path: the incident tools read plans that failed the check
    parts = [parts[0].lower()] + [
        part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part
        for part in parts[1:]
    ]
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


@lru_cache(maxsize=64)
def _date_locale(language: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    for code in _codes(language):
        try:
            return Locale.parse(_DATE_LOCALES.get(code, code))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(_DATE_LOCALES[SOURCE_LANGUAGE])


Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp:
    # Parsed catalogs are reused until the file changes (crisisplan serve rebuilds).
    info = path.stat()
    return info.st_mtime_ns, info.st_size, info.st_ino


def _template() -> Catalog:
    return _load(TEMPLATE_FILE, _stamp(TEMPLATE_FILE), None, None)


def _project_catalog(path: Path, root: Path, template: Catalog) -> Catalog:
    try:
        return _load(path, _stamp(path), boundary_for(root), template)
    except UnsafeFile as exc:
        raise CatalogError(f"{path}: {exc.message}") from None
    except OSError as exc:
        raise CatalogError(f"{path}: {describe_os_error(exc)}") from None


@lru_cache(maxsize=64)
def _load(path: Path, stamp: Stamp, boundary: Path | None, template: Catalog | None) -> Catalog:
    if boundary is None:
        data = path.read_bytes()  # crisisplan's own
    else:
        # A team's file: read as plan files are, never through a link out of the repository.
        data = read_bounded(path, MAX_CATALOG_BYTES, boundary)
        if len(data) > MAX_CATALOG_BYTES:
            raise CatalogError(f"{path}: larger than {MAX_CATALOG_BYTES // (1024 * 1024)} MiB; is it really a catalog?")
    return parse_catalog(data, path, template)
