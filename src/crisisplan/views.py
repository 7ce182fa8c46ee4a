"""What a reader needs from a plan, derived once for the site and the PDFs alike.

The model says what the plan holds; these views say what someone in a crisis looks
for: who to call (in order), what happens when (one timeline), and each statement
as it will be published (length against the channel it goes to).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from crisisplan.model import (
    LANGUAGE_NAMES,
    PLACEHOLDER,
    Channel,
    Placeholder,
    Plan,
    Role,
    Scenario,
    Statement,
    format_minutes,
    measure,
    parse_date,
    parse_duration,
)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def review_overdue(plan: Plan, today: dt.date) -> bool:
    due = parse_date(plan.next_review)
    return due is not None and due < today


def who_to_call(plan: Plan, scenario: Scenario) -> list[Role]:
    """The roles a scenario involves, crisis lead first, then in order of appearance."""
    order: list[str] = []
    lead = plan.crisis_lead()
    if lead:
        order.append(lead.id)
    for step in plan.actions_of(scenario):
        order.append(step.owner)
    for escalation in scenario.escalation:
        order.extend(escalation.notify)
        order.append(escalation.hand_over_to)
    for audience in scenario.audiences:
        order.append(audience.by)
    roles: list[Role] = []
    for role_id in dict.fromkeys(order):
        role = plan.role(role_id)
        if role is not None:
            roles.append(role)
    return roles


@dataclass
class TimelineItem:
    minutes: int
    kind: str  # "escalation" or "target"
    text: str
    detail: str = ""
    at_format: str = "T+{time}"  # the label at_time, in the reader's language

    @property
    def at(self) -> str:
        return self.at_format.format(time=format_minutes(self.minutes))


def timeline(plan: Plan, scenario: Scenario, words: dict[str, str]) -> list[TimelineItem]:
    """Escalation steps and the severity's response targets on one time axis."""
    items: list[TimelineItem] = []

    def titles(ids: list[str]) -> str:
        return ", ".join((r.title if (r := plan.role(i)) else i) for i in ids)

    for step in scenario.escalation:
        minutes = step.minutes
        if minutes is None:
            continue
        parts = []
        if step.notify:
            parts.append(f"{words['notify']}: {titles(step.notify)}")
        if step.hand_over_to:
            parts.append(f"{words['hand_over_to']}: {titles([step.hand_over_to])}")
        detail = []
        if step.by:
            detail.append(f"{words['by']} {titles([step.by])}")
        if step.when:
            detail.append(step.when)
        items.append(TimelineItem(minutes, "escalation", "; ".join(parts), " · ".join(detail), words["at_time"]))
    level = plan.severity(scenario.severity)
    if level is not None:
        for key, text in (("acknowledge", level.acknowledge), ("first_statement", level.first_statement)):
            minutes = parse_duration(text)
            if minutes is not None:
                items.append(TimelineItem(minutes, "target", f"{words['target']}: {words[key]}", at_format=words["at_time"]))
    # Targets sort after steps at the same minute: the step is what makes the target.
    return sorted(items, key=lambda i: (i.minutes, i.kind != "escalation"))


@dataclass
class Variant:
    """One statement in one language, as it would be published."""

    language: str
    text: str
    length: int
    limit: int | None
    limit_channel: str

    @property
    def fits(self) -> bool:
        return self.limit is None or self.length <= self.limit

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def placeholder_names(self) -> list[str]:
        """The placeholders this language's text uses, in order, each once."""
        return list(dict.fromkeys(PLACEHOLDER.findall(self.text)))


@dataclass
class StatementView:
    statement: Statement
    channels: list[Channel]
    variants: list[Variant]
    placeholders: dict[str, Placeholder] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.statement.id

    @property
    def title(self) -> str:
        return self.statement.title or self.statement.id

    @property
    def used_placeholders(self) -> list[Placeholder]:
        names: list[str] = []
        for variant in self.variants:
            names.extend(PLACEHOLDER.findall(variant.text))
        return [self.placeholders[n] for n in dict.fromkeys(names) if n in self.placeholders]


def statement_view(plan: Plan, statement: Statement) -> StatementView:
    channels = [c for c in (plan.channel(cid) for cid in statement.channels) if c]
    tightest = plan.tightest_channel(statement)
    placeholders = plan.placeholders_for(statement)
    variants = []
    for language in plan.languages + [lang for lang in statement.text if lang not in plan.languages]:
        text = statement.text.get(language)
        if text is None:
            continue
        variants.append(
            Variant(
                language,
                text.strip(),
                measure(text, placeholders),
                tightest.limit if tightest else None,
                tightest.label if tightest else "",
            )
        )
    return StatementView(statement, channels, variants, placeholders)


def statement_views(plan: Plan, scenario: Scenario) -> list[StatementView]:
    return [statement_view(plan, s) for s in plan.statements_of(scenario)]


def role_title(plan: Plan, role_id: str) -> str:
    role = plan.role(role_id)
    return role.title if role else role_id

