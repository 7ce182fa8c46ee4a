"""The site's editions: the root edition shows each plan in its own first language,
and every other language a plan is written in gets an edition under its code. Here
the plans become site pages, edition by edition."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from crisisplan.check.pipeline import Report
from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.plan.localtext import in_language
from crisisplan.plan.model import Plan
from crisisplan.plan.public import public_edition
from crisisplan.plan.today import today as current_day
from crisisplan.plan.values import LAST_YEAR, parse_date
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.site.pages import Editions, Pages, SitePlan, generate, nav_title
from crisisplan.render.labels import labels_for
from crisisplan.render.views import slugify


def site_plans(report: Report) -> list[SitePlan]:
    entries: list[SitePlan] = []
    used: set[str] = set()
    for checked in report.plans:
        if checked.plan is None:
            continue
        base = slugify(checked.source.path.stem if not checked.source.is_folder else checked.source.path.name)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        entries.append(SitePlan(checked.plan, slug))
    return sorted(entries, key=lambda e: e.slug)


# The reproducible-builds variable that dates a build's output (sitemap.xml, PDFs).
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# Dates in plans run to the end of LAST_YEAR; so may the build's.
_LAST_EPOCH = int(dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC).timestamp()) - 1


class EpochError(CrisisplanError):
    """SOURCE_DATE_EPOCH is set to something that is not a usable time."""

    exit_code = EXIT_USAGE


def build_epoch() -> int | None:
    """SOURCE_DATE_EPOCH in seconds, or None when it is not set; EpochError when it
    cannot be used, so that neither MkDocs nor Zensical fails on it in its own words."""
    value = os.environ.get(EPOCH_VARIABLE)
    if not value:
        return None
    # ASCII digits only, as `date +%s` writes them: no sign, no spaces, no fraction.
    if value.isascii() and value.isdigit() and len(value) <= len(str(_LAST_EPOCH)) and int(value) <= _LAST_EPOCH:
        return int(value)
    shown = value if len(value) <= 40 and value.isprintable() else repr(value[:40])[1:-1] + "..."
    raise EpochError(
        f"{EPOCH_VARIABLE} must be a whole number of seconds since 1970 (up to the end of {LAST_YEAR}), not '{shown}'",
        f"unset it, or set it as reproducible builds do: {EPOCH_VARIABLE}=$(git log -1 --format=%ct)",
    )


@contextmanager
def reproducible_dates(entries: list[SitePlan]) -> Iterator[None]:
    """Without SOURCE_DATE_EPOCH, MkDocs stamps today's date into sitemap.xml; pin it
    to the plans' last review so that the same plans give the same files."""
    if build_epoch() is not None or not entries:
        yield
        return
    dates = []
    for entry in entries:
        day = parse_date(entry.plan.last_reviewed)
        if day is not None:
            dates.append(day)
    stamp = max(dates) if dates else dt.date(2000, 1, 1)
    epoch = int(dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.UTC).timestamp())
    os.environ[EPOCH_VARIABLE] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop(EPOCH_VARIABLE, None)


def site_editions(plans: list[SitePlan]) -> Editions:
    """The site's editions, by language.

    The root edition shows each plan in its own first language (as a single-language
    site always has) and takes its frame (menus, search) from the first plan's. Every
    other language a plan is written in gets an edition under its code, holding the
    plans written in that language.
    """
    root = plans[0].plan.default_language if plans else "en"
    folders: dict[str, None] = {}
    for entry in plans:
        for language in entry.plan.languages[1:]:
            folders.setdefault(language, None)
    return Editions(
        root_language=root,
        folders=tuple(folders),
        languages=tuple((entry.slug, tuple(entry.plan.languages)) for entry in plans),
    )


def _in_edition(plan: Plan, language: str | None, public: bool) -> Plan:
    """A plan as one edition shows it: its text in that language (in the root
    edition, ``None``, its own first language), then without internal data if public."""
    edition = in_language(plan, language) if language else plan
    return public_edition(edition) if public else edition


_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def declare_language(folder: Path, language: str, frame: str) -> None:
    """Pages of a plan in another language than the root edition's frame say so:
    MkDocs declares one language for a whole site, and a screen reader or a
    translation tool must know that a page is in Indonesian, not Malay."""
    if language == frame or not folder.is_dir():
        return
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text("utf-8")
        page.write_text(_HTML_LANG.sub(f'<html lang="{language}"', text, count=1), "utf-8")


@dataclass
class Edition:
    """One language edition of the site, generated and ready for MkDocs."""

    language: str | None  # None: the root edition
    entries: list[SitePlan]
    pages: Pages
    frame: str
    name: str


def edition_entries(options: BuildOptions, editions: Editions, plans: list[SitePlan]) -> Iterator[tuple[str | None, list[SitePlan]]]:
    """Each edition's language (None: the root) and the plans it shows, in its language.

    The root edition comes first: MkDocs empties its site folder, which holds the
    other editions' folders. An edition holds the plans written in its language as a
    translation; each plan's first language is at the root.
    """
    for language in (None, *editions.folders):
        chosen = [e for e in plans if language is None or language in e.plan.languages[1:]]
        yield language, [SitePlan(_in_edition(e.plan, language, options.public), e.slug) for e in chosen]


def generate_editions(options: BuildOptions, plans: list[SitePlan]) -> tuple[Editions, list[Edition]]:
    today = options.today or current_day()
    editions = site_editions(plans)
    generated = []
    for language, entries in edition_entries(options, editions, plans):
        here = replace(editions, current=language)
        room = options.check_config.room if options.check_config else None
        pages = generate(entries, today, public=options.public, pdf=options.pdf, editions=here, room=room)
        frame = language or editions.root_language
        words = labels_for(frame)
        # Material prints site_name as raw HTML: escape what comes from a plan.
        name = nav_title(
            words["site_name_plan"].format(organisation=entries[0].plan.organisation)
            if len(entries) == 1
            else words["site_name"]
        )
        generated.append(Edition(language, entries, pages, frame, name))
    return editions, generated
