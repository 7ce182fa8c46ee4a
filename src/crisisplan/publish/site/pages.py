"""Plans -> Markdown pages for MkDocs, and the navigation that lists them."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from crisisplan.plan.localtext import in_language
from crisisplan.plan.model import EscalationStep, Plan, Scenario, Statement, in_sequence
from crisisplan.plan.values import parse_duration
from crisisplan.publish.site.console_keys import plan_key, plan_seal
from crisisplan.render.labels import Labels, labels_for
from crisisplan.render.templating import environment, relative_link
from crisisplan.render.views import (
    action_views,
    language_name,
    review_overdue,
    statement_views,
    timeline,
    who_to_call,
)

NavItem = str | dict[str, Any]


@dataclass
class SitePlan:
    plan: Plan
    slug: str


@dataclass(frozen=True)
class PagesPart:
    """Plans of a site in another language than its frame (the menus, the search
    box, the header), built on their own with the theme in their language, so that
    their pages speak it throughout: the plans' folders (slugs), their navigation
    and the site's name in that language."""

    language: str
    folders: tuple[str, ...]
    nav: list[NavItem]
    name: str


@dataclass
class Pages:
    """Every page of a site by its path under docs/, and the navigation; ``parts``
    are the plans built in a language of their own (see PagesPart)."""

    files: dict[str, str]
    nav: list[NavItem]
    parts: list[PagesPart] = field(default_factory=list)

    def frame(self) -> Pages:
        """The pages built in the site's own language: all but the parts'."""
        folders = tuple(f"{folder}/" for part in self.parts for folder in part.folders)
        return Pages({path: text for path, text in self.files.items() if not path.startswith(folders)}, self.nav)

    def part(self, part: PagesPart) -> Pages:
        """One part's pages, with the start page that its navigation leads back to."""
        folders = tuple(f"{folder}/" for folder in part.folders)
        files = {path: text for path, text in self.files.items() if path == "index.md" or path.startswith(folders)}
        return Pages(files, part.nav)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True)
class Editions:
    """Where each plan is published in each of its languages, for the language bar.

    The root edition shows every plan in its own first language; each language in
    ``folders`` is an edition under its code. ``languages`` holds each plan's
    languages as written (first first), by slug; ``current`` is the edition being
    generated (None for the root).
    """

    root_language: str
    folders: tuple[str, ...] = ()
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    current: str | None = None

    def _prefix(self, folder: str | None) -> str:
        return f"{folder}/" if folder else ""

    def _href(self, page: str, folder: str | None, target: str | None = None) -> str:
        here = self._prefix(self.current) + page
        return relative_link(here, self._prefix(folder) + (target or page))

    def for_plan(self, slug: str, page: str, target: str | None = None) -> list[LanguageLink]:
        """The same page (or ``target``) in each of the plan's languages; none for a
        one-language plan."""
        languages = dict(self.languages).get(slug, ())
        if len(languages) < 2:
            return []
        first = languages[0]
        links = []
        for code in languages:
            folder = None if code == first else code
            if folder is not None and folder not in self.folders:
                continue
            current = folder == self.current or (self.current is None and folder is None)
            links.append(LanguageLink(code, language_name(code), self._href(page, folder, target), current))
        return links

    def for_home(self, slugs: list[str]) -> list[LanguageLink]:
        """The start page's bar: a one-plan site's start page is that plan's, so it
        links to the start page of the plan's other languages. A site of several
        plans has a bar per plan instead (see home.md.j2)."""
        return self.for_plan(slugs[0], "index.md") if len(slugs) == 1 else []


def nav_title(text: str) -> Markup:
    """Plan text used as a nav title or site name, safe wherever Material prints it.

    Material prints these raw as text and inside attributes (the logo's aria-label),
    escaped with `| e` in others (its title, the footer's aria-label), and through
    `striptags`, which unescapes entities again, in <title>. Markup gives each context
    what it needs: fully escaped text (quotes included) for the raw ones, no second
    escaping under `| e`, which would show "&amp;" to a reader. Angle brackets, the
    only characters that could open a tag once `striptags` has unescaped the text,
    become look-alike guillemets.
    """
    text = " ".join(text.split()).replace("<", "\u2039").replace(">", "\u203a")
    return Markup(html.escape(text, quote=True))  # noqa: S704  (fully escaped)


def _render(template: str, page: str, editions: Editions | None = None, **context: Any) -> str:
    if editions is None:
        languages: list[LanguageLink] = []
    elif "slug" in context:
        languages = editions.for_plan(str(context["slug"]), page)
    else:
        languages = editions.for_home([str(e["slug"]) for e in context.get("entries", [])])
    return environment().get_template(template).render(
        link=lambda target: relative_link(page, target), languages=languages, **context
    )


def by_severity(plan: Plan) -> list[Scenario]:
    """The plan's scenarios, most severe first (as written within a level): the start
    page puts the most urgent on a phone's first screen."""

    def rank(scenario: Scenario) -> int:
        level = plan.severity(scenario.severity)
        return -level.rank if level is not None else 1

    return sorted(plan.scenarios, key=rank)


def _tell_next(scenario: Scenario) -> list[tuple[str, int | None, EscalationStep]]:
    """The first escalation step(s), with the key the timeline gives them
    ("escalation-1") and their minute: on a clock, those at the earliest time; in a
    sequence (a step without a time), the first step in order, whose minute is None
    when it has no time (the incident console then sets no deadline for it)."""
    steps = [(f"escalation-{n}", step.minutes, step) for n, step in enumerate(scenario.escalation, start=1)]
    if any(minutes is None for _, minutes, _ in steps):
        return in_sequence(steps, lambda entry: entry[1])[:1]
    first = min((m for _, m, _ in steps if m is not None), default=None)
    return [entry for entry in steps if entry[1] == first]


def _search_terms(plan: Plan, scenario: Scenario, words: dict[str, str]) -> str:
    """What a reader may type for this scenario, for the search index's boosted terms
    field (site/search.py): its keywords, the channels its statements go to (name,
    platform, handle) and its triggers."""
    terms: list[str] = list(scenario.keywords)
    for statement in plan.statements_of(scenario):
        for channel_id in statement.channels:
            channel = plan.channel(channel_id)
            if channel is not None:
                platform = words.get(f"platform_{channel.platform}".replace("-", "_"), channel.platform)
                terms += [channel.name, platform, channel.handle]
    terms += scenario.triggers
    return " ".join(dict.fromkeys(t for t in terms if t))


# The duration units the console's clock counts in (assets/incident-clock.js).
_CLOCK_UNITS = (("minutes", "m"), ("hours", "h"), ("days", "d"))


def incident_words(words: Labels) -> dict[str, str]:
    """The incident console's words (incident.js has none of its own): its labels,
    the page's "T+{time}", and the catalog's duration units, so that its clock says
    "T+12 min" on a Danish page: each unit as "{count} t" for any count and, as
    "duration_hours_one", for one ("1 dag", "2 dage"), from Labels.duration."""
    said = {key: text for key, text in words.items() if key.startswith(("incident_", "duration_")) or key == "at_time"}
    for unit, letter in _CLOCK_UNITS:
        for suffix, count in (("_one", 1), ("", 2)):
            said[f"duration_{unit}{suffix}"] = words.duration(f"{count}{letter}").replace(str(count), "{count}", 1)
    return said


# Where a page gives the composer (assets/crisisplan.js) its fields' words per language.
COMPOSER_WORDS_CLASS = "cp-composer-words"
# Where every page gives crisisplan.js the words of Zensical's search dialog, which
# has its own English and no translations ("3 results", "Close search").
SEARCH_WORDS_CLASS = "cp-search-words"
SEARCH_WORDS = ("search_results_list", "search_close", "search_filters", "search_loading")


def _with_data(page: str, css_class: str, data: object) -> str:
    """The page with data for the site's scripts at its end: JSON in an attribute of an
    empty hidden element, escaped as any attribute is (plan text never in a script)."""
    value = html.escape(json.dumps(data, ensure_ascii=False, sort_keys=True), quote=True)
    return f'{page.rstrip()}\n\n<div class="{css_class}" hidden data-cp-data="{value}"></div>\n'


def _with_search_words(page: str, language: str) -> str:
    words = labels_for(language)
    return _with_data(page, SEARCH_WORDS_CLASS, {key: words[key] for key in SEARCH_WORDS})


def composer_words(plan: Plan, statements: list[Statement]) -> dict[str, Any]:
    """What each language tab of a statement's composer says about its fields, in that
    tab's language: by language, the catalog's "e.g. {example}" and, by statement and
    field, the field's description and example as the plan writes them in it. The
    page's own labels are in the page's language; crisisplan.js puts these in each
    tab, so that the English tab of a Malay page asks in English, with an English
    example."""
    words: dict[str, Any] = {}
    for language in plan.languages:
        edition = plan if language == plan.default_language else in_language(plan, language)
        fields = {}
        written = {statement.id: statement for statement in edition.all_statements()}
        for statement in statements:
            mine = written.get(statement.id)
            if mine is not None:
                fields[statement.id] = {
                    name: [ph.description, ph.example] for name, ph in edition.placeholders_for(mine).items()
                }
        words[language] = {"example": labels_for(language)["example_value"], "statements": fields}
    return words


def _with_composer_words(page: str, words: dict[str, Any] | None, statements: list[Statement]) -> str:
    """The page with the composer_words of its statements at its end; the page as it
    is for a plan in one language."""
    if not words or not statements:
        return page
    ids = {statement.id for statement in statements}
    mine = {
        language: {**said, "statements": {k: v for k, v in said["statements"].items() if k in ids}}
        for language, said in words.items()
    }
    return _with_data(page, COMPOSER_WORDS_CLASS, mine)


def _incident_minutes(plan: Plan, scenario: Scenario) -> list[tuple[str, int]]:
    """The severity's targets in minutes, for the incident clock's data-cp-*-minutes."""
    level = plan.severity(scenario.severity)
    if level is None:
        return []
    found = []
    for name, text in (("acknowledge", level.acknowledge), ("first-statement", level.first_statement), ("update", level.update_every)):
        minutes = parse_duration(text)
        if minutes is not None:
            found.append((name, minutes))
    return found


def _scenario_page(
    entry: SitePlan,
    scenario: Scenario,
    today: dt.date,
    public: bool,
    pdf: bool,
    editions: Editions | None,
    composer: dict[str, Any] | None = None,
    room: str | None = None,
) -> str:
    plan = entry.plan
    words = labels_for(plan.default_language)
    page = f"{entry.slug}/scenarios/{scenario.id}.md"
    key = plan_key(plan, entry.slug, public)
    text = _render(
        "site/scenario.md.j2",
        page,
        editions,
        plan=plan,
        slug=entry.slug,
        w=words,
        overdue=review_overdue(plan, today),
        public=public,
        pdf=pdf,
        scenario=scenario,
        level=plan.severity(scenario.severity),
        actions=action_views(plan, scenario),
        tell_next=_tell_next(scenario),
        incident_minutes=_incident_minutes(plan, scenario),
        incident_key=key,
        incident_seal=plan_seal(plan, key),
        incident_words=incident_words(words),
        incident_roles=[role.title for role in plan.roles if role.title],
        # The public edition never talks to the team's room, whatever the settings say.
        incident_room=None if public else room,
        search_terms=_search_terms(plan, scenario, words),
        callers=who_to_call(plan, scenario),
        statements=statement_views(plan, scenario),
        timeline=timeline(plan, scenario, words),
        rules=plan.response_rules_of(scenario),
        moderation=plan.moderation_of(scenario),
        review=plan.review_of(scenario),
        reviews=[] if public else plan.reviews_of(scenario),
        drills=plan.drills_of(scenario),
        today=today.isoformat(),
    )
    return _with_composer_words(text, composer, plan.statements_of(scenario))


# More scenarios than this in one plan are listed on its overview page, not in the
# navigation that every page repeats.
NAV_SCENARIOS = 40


def generate(
    entries: list[SitePlan],
    today: dt.date,
    public: bool = False,
    pdf: bool = True,
    editions: Editions | None = None,
    room: str | None = None,
) -> Pages:
    """Every page of the site, keyed by its path under docs/. Plans in another
    language than the site's frame (the first plan's, or the edition's) become parts
    built with the theme in their language. ``room``: the team's incident room
    (crisisplan.yaml's room:), which the internal edition's consoles join."""
    files: dict[str, str] = {}
    frame = _frame_language(entries, editions)
    files["index.md"] = _render(
        "site/home.md.j2",
        "index.md",
        editions,
        entries=_home_entries(entries, today, editions),
        w=labels_for(frame),
        public=public,
    )
    files["index.md"] = _with_search_words(files["index.md"], frame)
    sections: dict[str, list[NavItem]] = {}
    for entry in entries:
        language = entry.plan.default_language
        files.update({path: _with_search_words(text, language) for path, text in _plan_pages(entry, today, public, pdf, editions, room).items()})
        sections.setdefault(language, []).append(_plan_nav(entry, public))

    def home(language: str) -> NavItem:
        return {labels_for(language)["what_is_happening"]: "index.md"}

    parts = [
        PagesPart(language, tuple(e.slug for e in entries if e.plan.default_language == language), [home(language), *nav], _part_name(language, entries))
        for language, nav in sections.items()
        if language != frame
    ]
    return Pages(files, [home(frame), *sections.get(frame, [])], parts)


def _frame_language(entries: list[SitePlan], editions: Editions | None) -> str:
    if editions is not None:
        return editions.current or editions.root_language
    return entries[0].plan.default_language if entries else "en"


def _part_name(language: str, entries: list[SitePlan]) -> Markup:
    """A part's site name, as editions.py names an edition: the organisation's
    runbook for one plan, a runbook for several."""
    words = labels_for(language)
    plans = [e.plan for e in entries if e.plan.default_language == language]
    if len(plans) == 1:
        return nav_title(words["site_name_plan"].format(organisation=plans[0].organisation))
    return nav_title(words["site_name"])


def _home_entries(entries: list[SitePlan], today: dt.date, editions: Editions | None) -> list[dict[str, Any]]:
    return [
        {
            "plan": e.plan,
            "slug": e.slug,
            "w": labels_for(e.plan.default_language),
            "lead": e.plan.crisis_lead(),
            "scenarios": by_severity(e.plan),
            "overdue": review_overdue(e.plan, today),
            "languages": editions.for_plan(e.slug, "index.md", f"{e.slug}/index.md")
            if editions is not None and len(entries) > 1
            else [],
        }
        for e in entries
    ]


def _plan_pages(
    entry: SitePlan, today: dt.date, public: bool, pdf: bool, editions: Editions | None, room: str | None = None
) -> dict[str, str]:
    plan, slug = entry.plan, entry.slug
    common = {
        "plan": plan,
        "slug": slug,
        "w": labels_for(plan.default_language),
        "overdue": review_overdue(plan, today),
        "public": public,
        "pdf": pdf,
    }
    files = {f"{slug}/index.md": _render("site/plan_index.md.j2", f"{slug}/index.md", editions, lead=plan.crisis_lead(), **common)}
    # Once per plan: each of its languages is the plan read again.
    composer = composer_words(plan, plan.all_statements()) if len(plan.languages) > 1 else None
    for scenario in plan.scenarios:
        files[f"{slug}/scenarios/{scenario.id}.md"] = _scenario_page(entry, scenario, today, public, pdf, editions, composer, room)
    sections = [
        ("team", "site/team.md.j2"),
        ("statements", "site/statements.md.j2"),
        ("monitoring", "site/monitoring.md.j2"),
        ("about", "site/about.md.j2"),
    ]
    if public:
        # How the team watches is internal: the public edition has no monitoring page.
        sections.remove(("monitoring", "site/monitoring.md.j2"))
    for name, template in sections:
        extra: dict[str, Any] = {}
        if name == "statements":
            extra["by_scenario"] = [{"scenario": s, "views": statement_views(plan, s)} for s in plan.scenarios]
        files[f"{slug}/{name}.md"] = _render(template, f"{slug}/{name}.md", editions, **common, **extra)
    files[f"{slug}/statements.md"] = _with_composer_words(
        files[f"{slug}/statements.md"], composer, [s for scenario in plan.scenarios for s in plan.statements_of(scenario)]
    )
    return files


def _plan_nav(entry: SitePlan, public: bool) -> NavItem:
    plan, slug = entry.plan, entry.slug
    words = labels_for(plan.default_language)
    scenario_nav: list[NavItem] = [{nav_title(s.title): f"{slug}/scenarios/{s.id}.md"} for s in plan.scenarios]
    if len(scenario_nav) > NAV_SCENARIOS:
        # Every page carries the whole navigation: listing hundreds of scenarios
        # on each would make the site grow with the square of their number. The
        # plan's overview lists them all, and search finds each.
        scenario_nav = []
    return {
        nav_title(plan.name): [
            {words["overview"]: f"{slug}/index.md"},
            *([{words["scenarios"]: scenario_nav}] if scenario_nav else []),
            {words["team"]: f"{slug}/team.md"},
            {words["statement_library"]: f"{slug}/statements.md"},
            *([] if public else [{words["monitoring"]: f"{slug}/monitoring.md"}]),
            {words["plan_info"]: f"{slug}/about.md"},
        ]
    }
