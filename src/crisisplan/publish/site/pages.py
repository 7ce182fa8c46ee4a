"""Plans -> Markdown pages for MkDocs, and the navigation that lists them."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from crisisplan.plan.model import EscalationStep, Plan, Scenario, in_sequence
from crisisplan.plan.values import parse_duration
from crisisplan.publish.site.console_keys import plan_key, plan_seal
from crisisplan.render.labels import labels_for
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


@dataclass
class Pages:
    files: dict[str, str]
    nav: list[NavItem]


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
    entry: SitePlan, scenario: Scenario, today: dt.date, public: bool, pdf: bool, editions: Editions | None
) -> str:
    plan = entry.plan
    words = labels_for(plan.default_language)
    page = f"{entry.slug}/scenarios/{scenario.id}.md"
    key = plan_key(plan, entry.slug, public)
    return _render(
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
        # The incident console's words (incident.js has none of its own): its labels,
        # and the page's "T+{time}" for the time since the start.
        incident_words={key: text for key, text in words.items() if key.startswith("incident_") or key == "at_time"},
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


# More scenarios than this in one plan are listed on its overview page, not in the
# navigation that every page repeats.
NAV_SCENARIOS = 40


def generate(
    entries: list[SitePlan],
    today: dt.date,
    public: bool = False,
    pdf: bool = True,
    editions: Editions | None = None,
) -> Pages:
    """Every page of the site, keyed by its path under docs/."""
    files: dict[str, str] = {}
    nav: list[NavItem] = []
    site_words = labels_for(entries[0].plan.default_language) if entries else labels_for("en")

    home_entries = [
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
    files["index.md"] = _render(
        "site/home.md.j2",
        "index.md",
        editions,
        entries=home_entries,
        w=site_words,
        public=public,
    )
    nav.append({site_words["what_is_happening"]: "index.md"})

    for entry in entries:
        plan, slug = entry.plan, entry.slug
        words = labels_for(plan.default_language)
        common = {
            "plan": plan,
            "slug": slug,
            "w": words,
            "overdue": review_overdue(plan, today),
            "public": public,
            "pdf": pdf,
        }
        files[f"{slug}/index.md"] = _render(
            "site/plan_index.md.j2", f"{slug}/index.md", editions, lead=plan.crisis_lead(), **common
        )
        scenario_nav: list[NavItem] = []
        for scenario in plan.scenarios:
            path = f"{slug}/scenarios/{scenario.id}.md"
            files[path] = _scenario_page(entry, scenario, today, public, pdf, editions)
            scenario_nav.append({nav_title(scenario.title): path})
        if len(scenario_nav) > NAV_SCENARIOS:
            # Every page carries the whole navigation: listing hundreds of scenarios
            # on each would make the site grow with the square of their number. The
            # plan's overview lists them all, and search finds each.
            scenario_nav = []
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
                extra["by_scenario"] = [
                    {"scenario": s, "views": statement_views(plan, s)} for s in plan.scenarios
                ]
            files[f"{slug}/{name}.md"] = _render(template, f"{slug}/{name}.md", editions, **common, **extra)
        nav.append(
            {
                nav_title(plan.name): [
                    {words["overview"]: f"{slug}/index.md"},
                    *([{words["scenarios"]: scenario_nav}] if scenario_nav else []),
                    {words["team"]: f"{slug}/team.md"},
                    {words["statement_library"]: f"{slug}/statements.md"},
                    *([] if public else [{words["monitoring"]: f"{slug}/monitoring.md"}]),
                    {words["plan_info"]: f"{slug}/about.md"},
                ]
            }
        )
    return Pages(files, nav)
