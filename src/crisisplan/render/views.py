"""What a reader needs from a plan, derived once for the site and the PDFs alike.

The model says what the plan holds; these views say what someone in a crisis looks
for: who to call (in order), what happens when (one timeline), and each statement
as it will be published (length against the channel it goes to).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from crisisplan.plan.model import (
    Audience,
    Channel,
    Contact,
    ContactPoint,
    Person,
    Placeholder,
    Plan,
    Ref,
    Role,
    Rota,
    Scenario,
    Statement,
    Step,
    all_timed,
    in_sequence,
)
from crisisplan.plan.names import LANGUAGE_NAMES
from crisisplan.plan.values import (
    PLACEHOLDER,
    format_minutes,
    measure,
    parse_date,
    parse_duration,
    tel_number,
)
from crisisplan.render.labels import Labels

if TYPE_CHECKING:
    from babel import Locale


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "plan"


def duration_text(words: Mapping[str, str], value: str | int) -> str:
    """A duration in the reader's words ("1 t 30 min" in Danish) when ``words`` are a
    language's labels; in the plan's notation ("1h30m") for a bare mapping of words."""
    if isinstance(words, Labels):
        return words.duration(value)
    return format_minutes(value) if isinstance(value, int) else value


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def review_overdue(plan: Plan, today: dt.date) -> bool:
    due = parse_date(plan.review_due)
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
    minutes: int | None  # None: a step in a sequence, with no time of its own
    kind: str  # "escalation" or "target"
    text: str
    detail: str = ""
    at_format: str = "T+{time}"  # the label at_time, in the reader's language
    # A stable id for the site's incident clock: "escalation-2" (the plan's second
    # escalation step, counted as written) or the target's name ("first_statement").
    key: str = ""
    # Its place in a sequence (1, 2, 3) when the escalation is not all on a clock; 0
    # when the times alone order it.
    number: int = 0
    # The minute it is read at: its own, else that of the step before it.
    after: int = 0
    # ``minutes`` as the reader writes a duration ("30 min" in Danish); the plan's
    # notation ("30m") when empty.
    time: str = ""

    @property
    def at(self) -> str:
        """"T+30m", or "" for a step without a time: no clock is shown that the plan
        did not set."""
        if self.minutes is None:
            return ""
        return self.at_format.format(time=self.time or format_minutes(self.minutes))

    @property
    def step(self) -> str:
        """"2." for the second step of a sequence; "" on a clock."""
        return f"{self.number}." if self.number else ""


def sequence_numbers(minutes: list[int | None]) -> list[int]:
    """1, 2, 3 for a list read as a sequence (some entry has no time); all 0 for a list
    on a clock, which its times order."""
    return [0] * len(minutes) if all_timed(minutes) else list(range(1, len(minutes) + 1))


def timeline(plan: Plan, scenario: Scenario, words: dict[str, str]) -> list[TimelineItem]:
    """Escalation steps, in order (by time, or as written where no time is given), and
    the severity's response targets where it sets them."""
    items: list[TimelineItem] = []

    def titles(ids: list[str]) -> str:
        return ", ".join(plan.party_title(i) for i in ids)

    written = {id(step): n for n, step in enumerate(scenario.escalation, start=1)}
    ordered = in_sequence(scenario.escalation, lambda e: e.minutes)
    numbers = sequence_numbers([e.minutes for e in ordered])
    after = 0
    for step, place in zip(ordered, numbers, strict=True):
        minutes = step.minutes
        after = after if minutes is None else minutes
        parts = []
        if step.notify:
            parts.append(f"{words['notify']}: {titles(step.notify)}")
        if step.hand_over_to:
            parts.append(f"{words['hand_over_to']}: {titles([step.hand_over_to])}")
        raised = plan.severity(step.raise_to) if step.raise_to else None
        if raised is not None:
            parts.insert(0, f"{words['raise_to']}: {raised.name}")
        detail = []
        if step.by:
            detail.append(f"{words['by']} {titles([step.by])}")
        if step.when:
            detail.append(step.when)
        items.append(
            TimelineItem(
                minutes, "escalation", "; ".join(parts), " · ".join(detail), words["at_time"],
                f"escalation-{written[id(step)]}", place, after,
                "" if minutes is None else duration_text(words, minutes),
            )
        )
    level = plan.severity(scenario.severity)
    if level is not None:
        for key, text in (("acknowledge", level.acknowledge), ("first_statement", level.first_statement)):
            minutes = parse_duration(text)
            if minutes is not None:
                items.append(
                    TimelineItem(
                        minutes, "target", f"{words['target']}: {words[key]}", at_format=words["at_time"], key=key,
                        after=minutes, time=duration_text(words, minutes),
                    )
                )
    # Targets sort after steps at the same minute: the step is what makes the target.
    return sorted(items, key=lambda i: (i.after, i.kind != "escalation"))


@dataclass(frozen=True)
class ActionView:
    """One first action as the site lists it, with a stable id for the incident clock
    and log: the shared step's id, or "action-3" for the third action as written (the
    same in every language edition, whatever the time order)."""

    step: Step
    key: str
    # Its place in a sequence (1, 2, 3) when the actions are not all on a clock; 0
    # when the times alone order them.
    number: int = 0

    @property
    def offset(self) -> int | None:
        """Minutes after T+0, or None for an action without a time."""
        return parse_duration(self.step.at)


def action_views(plan: Plan, scenario: Scenario) -> list[ActionView]:
    """A scenario's first actions in order (as Plan.actions_of), each with its key, and
    numbered 1, 2, 3 when they are a sequence rather than a clock."""
    keyed: list[ActionView] = []
    seen: set[str] = set()
    for number, entry in enumerate(scenario.first_actions, start=1):
        step = plan.shared_step(entry.id) if isinstance(entry, Ref) else entry
        if step is None:
            continue
        key = step.id or f"action-{number}"
        if key in seen:  # a shared step listed twice
            key = f"{key}-{number}"
        seen.add(key)
        keyed.append(ActionView(step, key))
    ordered = in_sequence(keyed, lambda a: a.offset)
    numbers = sequence_numbers([a.offset for a in ordered])
    return [ActionView(a.step, a.key, n) for a, n in zip(ordered, numbers, strict=True)]


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


# A line break inside a paragraph, unless the next line starts a list item ("- ", "2. ").
_SOFT_BREAK = re.compile(r"(?<!\n)\n(?![\n \t]|(?:[-*•]|\d+[.)])\s)")


def reflow(text: str) -> str:
    """A statement as it is published: the line breaks a YAML literal block (``|``)
    keeps inside a paragraph become spaces, so that a copied statement has no break in
    the middle of a sentence; blank lines (paragraphs) and list items stay. A break
    and a space are one character each: the length the checker measured is kept."""
    return _SOFT_BREAK.sub(" ", text)


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
                reflow(text.strip()),
                measure(text, placeholders),
                tightest.limit if tightest else None,
                tightest.label if tightest else "",
            )
        )
    return StatementView(statement, channels, variants, placeholders)


def statement_views(plan: Plan, scenario: Scenario) -> list[StatementView]:
    return [statement_view(plan, s) for s in plan.statements_of(scenario)]


def role_title(plan: Plan, role_id: str) -> str:
    """A role's title, or the name of a person or organisation from contacts:."""
    return plan.party_title(role_id)


def statement_title(plan: Plan, statement_id: str) -> str:
    """A statement's title for the id an option leads to; the id when it has none."""
    for statement in plan.all_statements():
        if statement.id == statement_id:
            return statement.title or statement.id
    return statement_id


def owners_title(plan: Plan, step: Step) -> str:
    """Everyone who owns (or decides) a first action, as one line: "Crisis lead + CEO"."""
    return " + ".join(plan.party_title(o) for o in step.owners or [step.owner])


def people_named(plan: Plan, scenario: Scenario) -> list[Contact]:
    """The people and organisations outside the team a scenario names (owners,
    deciders, who is told, and whom each severity level it may reach requires), each
    once: a reader told to call one needs the number on the same page."""
    order: list[str] = []
    for step in plan.actions_of(scenario):
        order.extend(step.owners)
    for escalation in in_sequence(scenario.escalation, lambda e: e.minutes):
        order.extend(escalation.notify)
    for _, level in plan.severity_phases(scenario):
        order.extend(n.role for n in level.notify)
    order.extend(a.contact for a in scenario.audiences if a.contact)
    activation = plan.activation_of(scenario)
    order.extend(activation.by if activation is not None else [])
    return [c for cid in dict.fromkeys(order) if (c := plan.contact(cid)) is not None]


def when_text(plan: Plan, when: object, w: Mapping[str, str]) -> str:
    """When a way to reach someone applies, in the reader's words: "Mon-Fri 08:00-18:00",
    "weekends"; day names from the reader's locale (the labels' own). "" for always."""
    from crisisplan.plan.windows import BUILT_IN, DAYS, read_window

    locale: Locale | None = getattr(w, "locale", None)

    if when is None or when == "always":
        return ""
    if isinstance(when, str) and when in BUILT_IN:
        return w.get(f"window_{when}", when)
    spans, _ = read_window(when, (), plan)
    # Babel numbers the days from Monday (0), whatever the locale's first day.
    names = [locale.days["format"]["abbreviated"][i] for i in range(7)] if locale is not None else [d.title() for d in DAYS]
    parts = []
    for span in spans:
        indices = [DAYS.index(d) for d in span.days]
        if len(indices) == 7:
            days = ""
        elif len(indices) > 2 and indices == list(range(indices[0], indices[-1] + 1)):
            days = f"{names[indices[0]]}–{names[indices[-1]]}"
        else:
            days = ", ".join(names[i] for i in indices)
        hours = "" if (span.start, span.end) == (0, 1440) else f"{span.start // 60:02d}:{span.start % 60:02d}–{span.end // 60:02d}:{span.end % 60:02d}"
        parts.append(" ".join(p for p in (days, hours) if p) or w.get("window_always", "always"))
    return "; ".join(parts)



# --- who holds a role, and the number that reaches them ---------------------------------


@dataclass(frozen=True)
class PhoneLine:
    """A number to call for someone: their own, one of their ways to reach them (with
    when it applies), or a go-between's (a switchboard), named in ``via``."""

    phone: str
    tel: str
    when: str = ""
    via: str = ""


Reachable = Person | Contact


def phone_lines(plan: Plan, who: Reachable | Rota | None, w: Mapping[str, str], _seen: frozenset[str] = frozenset()) -> list[PhoneLine]:
    """Every number that reaches ``who``, in the order to try: their own phone, then
    the phones among their ways to reach them (each with when it applies); failing
    both, the numbers of whoever they are reached through. A holder reached only
    through ``reach:`` or ``through:`` then still shows a number where it matters."""
    if who is None:
        return []
    lines: list[PhoneLine] = []
    own = getattr(who, "phone", "")
    if own:
        lines.append(PhoneLine(own, tel_number(own)))
    lines.extend(PhoneLine(m.phone, m.tel, when_text(plan, m.when, w)) for m in who.reach if m.phone)
    through = getattr(who, "through", "")
    if lines or not through or through in _seen:
        return lines
    rota = plan.rota(through)
    via = rota.name if rota is not None else plan.party_title(through)
    # A chain (the switchboard, then the director) is named in the order it is called.
    return [
        replace(line, via=f"{line.via} → {via}" if line.via else via)
        for line in party_lines(plan, through, w, _seen | {through})
    ]


def party_lines(plan: Plan, party_id: str, w: Mapping[str, str], _seen: frozenset[str] = frozenset()) -> list[PhoneLine]:
    """The numbers for a role (its holder's, else its rota's), a contact or a rota."""
    role = plan.role(party_id)
    if role is not None:
        if role.primary is not None:
            return phone_lines(plan, role.primary, w, _seen)
        return phone_lines(plan, plan.rota(role.rota), w, _seen) if role.rota else []
    contact = plan.contact(party_id)
    if contact is not None:
        return phone_lines(plan, contact, w, _seen)
    return phone_lines(plan, plan.rota(party_id), w, _seen)


def holder_text(person: Person | None, w: Mapping[str, str], title: str = "") -> str:
    """A role holder as a reader looks them up: "Name, Position" for a named person
    with a title; "Position, Office (or designee)" for a position with nobody named
    (whoever holds it acts, or someone they name); "" for nobody. A position that is
    the role's ``title`` is not said twice: "(or designee)" after the title will do."""
    if person is None:
        return ""
    if person.named:
        return ", ".join(p for p in (person.name, person.position) if p)
    position = "" if person.position.casefold() == title.casefold() else person.position
    held = ", ".join(p for p in (position, person.office) if p)
    designee = w.get("or_designee", "(or designee)")
    if not (person.position or person.office):
        return ""
    return f"{held} {designee}" if held else designee


def reach_text(plan: Plan, person: Person, w: Mapping[str, str]) -> str:
    """How to reach a holder in one line (the PDF's estimates measure it): the first
    number (through whoever reaches them), else chat, else e-mail."""
    lines = phone_lines(plan, person, w)
    if lines:
        first = lines[0]
        return f"{first.phone} {first.via}".strip()
    return person.chat or person.email


def reach_line(plan: Plan, party_id: str, w: Mapping[str, str]) -> str:
    """The first number for a role, contact or rota, as one line ("" for none)."""
    lines = party_lines(plan, party_id, w)
    return f"{lines[0].phone} {lines[0].via}".strip() if lines else ""


def media_desk(plan: Plan, w: Mapping[str, str]) -> tuple[str, list[PhoneLine]]:
    """Where media inquiries go: who (a role's title or a contact's name) and the
    numbers to give, the plan's own number first."""
    inquiries = plan.media_inquiries
    if inquiries is None:
        return "", []
    who = plan.party_title(inquiries.to) if inquiries.to else ""
    lines = [PhoneLine(inquiries.phone, inquiries.tel)] if inquiries.phone else []
    if inquiries.to:
        lines.extend(line for line in party_lines(plan, inquiries.to, w) if line.phone != inquiries.phone)
    return who or inquiries.email, lines


def numbered_audiences(audiences: list[Audience]) -> list[tuple[int, Audience]]:
    """Audiences with their place in a sequence (1, 2, 3) when none has a time: the
    order the plan lists them in is the order to tell them; 0 for each when any is
    timed (its time says when)."""
    if any(a.within for a in audiences):
        return [(0, a) for a in audiences]
    return list(enumerate(audiences, start=1)) if len(audiences) > 1 else [(0, a) for a in audiences]


# --- the quick card and the call card (PDF) ---------------------------------------------


def roles_named(plan: Plan, scenario: Scenario) -> list[Role]:
    """Every role a scenario names, each once: the crisis lead, the owners of the first
    actions, everyone in the escalation (who tells, who is told, who takes over), then
    whoever informs an audience. The quick card must list them all with a number."""
    order: list[str] = []
    lead = plan.crisis_lead()
    if lead:
        order.append(lead.id)
    order.extend(step.owner for step in plan.actions_of(scenario))
    for escalation in in_sequence(scenario.escalation, lambda e: e.minutes):
        order.append(escalation.by)
        order.extend(escalation.notify)
        order.append(escalation.hand_over_to)
    order.extend(audience.by for audience in scenario.audiences)
    return [role for role_id in dict.fromkeys(order) if role_id and (role := plan.role(role_id))]


def contacts_named(plan: Plan, scenario: Scenario) -> list[ContactPoint]:
    """Contact points (a crisis bridge, the press office) whose name the scenario's first
    actions or escalation mention: a reader told to call one needs its number."""
    said = " ".join(
        [f"{step.do} {step.details}" for step in plan.actions_of(scenario)]
        + [escalation.when for escalation in scenario.escalation]
    ).casefold()
    return [point for point in plan.contact_points if point.name and point.name.casefold() in said]


def escalation_summary(plan: Plan, scenario: Scenario, words: dict[str, str]) -> list[str]:
    """The escalation as short items ("T+30m: Legal counsel, Spokesperson"), in time
    order; a sequence without a clock as "1. Vice Chancellor", "2. Chancellor", with a
    time only where one is given ("2. T+1h: Chancellor")."""
    items: list[str] = []
    ordered = in_sequence(scenario.escalation, lambda e: e.minutes)
    for step, number in zip(ordered, sequence_numbers([e.minutes for e in ordered]), strict=True):
        told = [role_title(plan, role_id) for role_id in step.notify]
        raised = plan.severity(step.raise_to) if step.raise_to else None
        if raised is not None:
            told.insert(0, f"{words['raise_to']} {raised.name}")
        if step.hand_over_to:
            told.append(f"{words['hand_over_to']} {role_title(plan, step.hand_over_to)}")
        if not told:
            continue
        at = f"{words['at_time'].format(time=duration_text(words, step.at))}: " if step.minutes is not None else ""
        item = f"{f'{number}. ' if number else ''}{at}{', '.join(told)}"
        items.append(f"{item} ({step.when})" if step.when else item)
    return items


def reachable(person: Person) -> str:
    """How to reach a person, a number first: phone, else chat, else e-mail."""
    return person.phone or person.chat or person.email


# The quick card must stay on one page however many roles a scenario names. What fits
# is estimated from the text lengths with the sizes pdf.css gives the quick card (in
# points; DejaVu Sans averages about 0.55 em a character, bold about 0.62 em), with a
# margin for error; tests/publish/test_quick_card.py renders real cards to hold the estimate
# to account, including a plan with many roles.
_PAGE_PT = {"a4": (505.0, 728.0), "letter": (521.0, 679.0)}  # the box inside @page margins
_SAFETY_PT = 30.0


def text_lines(text: str, width: float, size: float, em: float = 0.55) -> int:
    """About how many lines ``text`` takes in a box ``width`` points wide at ``size``
    points: words are not split, so a line holds a word less than it could."""
    per_line = max(1, int(width / (size * em)))
    count = 0
    for paragraph in text.splitlines() or [""]:
        line = 0
        count += 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > per_line:
                count += 1
                line = 0
            line += (1 if line else 0) + len(word)
            while line > per_line:  # a word longer than the line breaks anyway
                count += 1
                line -= per_line
    return count


@dataclass
class QuickCard:
    """What page 1 of a scenario's runbook shows, and in which layout it fits one page."""

    roles: list[Role]  # with names and numbers on page 1
    overflow: list[Role]  # named on page 1; their numbers are on the overflow card
    contacts: list[ContactPoint]
    escalation: list[str]
    columns: int  # 1: roles as a table; 2 or 3: a denser grid of role cards
    show_statement: bool  # the main statement itself, not only where to find it
    show_triggers: bool
    estimate: float  # the page-1 height this layout is expected to take, in points
    # People and bodies outside the team the scenario names (who decides first).
    parties: list[Contact] = field(default_factory=list)
    # Who activates, before the first actions; it gives way before the statement does
    # (the scenario's own pages, after the card, show it too).
    show_activation: bool = True


def quick_card(
    plan: Plan,
    scenario: Scenario,
    words: dict[str, str],
    paper: str = "a4",
    public: bool = False,
    statement: str | None = None,
) -> QuickCard:
    """Choose the quick card's layout: the roomiest that keeps every role named in the
    scenario, with a number, on page 1. Triggers give way first, then the table (to a
    denser grid), then the statement (a page reference stays); only when even the grid
    cannot hold every role do the last ones move to an overflow card on page 2, and
    page 1 still names them."""
    width, height = _PAGE_PT.get(paper, _PAGE_PT["a4"])
    budget = height - _SAFETY_PT
    roles = roles_named(plan, scenario)
    contacts = contacts_named(plan, scenario)
    if public:
        contacts += [p for p in plan.contact_points if p.public and p not in contacts]
    summary = escalation_summary(plan, scenario, words)
    level = plan.severity(scenario.severity)
    parties = sorted(people_named(plan, scenario), key=lambda c: not c.commands)

    heading = 27.0  # h2.qc-h: 11pt on 1.35, 8pt above, 3pt below, a rule
    stamp = words["printed_stamp"] + plan.version + plan.last_reviewed + "          "
    fixed = 10.8 + text_lines(stamp, width, 7.5) * 10.2 + 5 + text_lines(scenario.title, width, 20, 0.62) * 23.0
    fixed += heading + sum(
        text_lines(f"T+{s.at} {s.do} ({role_title(plan, s.owner)})", width - 16, 10) * 13.5 + 2
        for s in plan.actions_of(scenario)
    )
    if summary:
        fixed += 10 + text_lines(words["tell_next"] + ": " + " → ".join(summary), width - 12, 9, 0.6) * 12.2
    fixed += heading + len(contacts) * 21.0 + (22.0 if public else 0)
    # A row each: the name (28% of the width), then the number and through whom.
    fixed += sum(
        max(text_lines(c.title, width * 0.28 - 8, 9.5, 0.62), text_lines(reach_line(plan, c.id, words), width * 0.72 - 8, 9.5)) * 12.8 + 5
        for c in parties
    )
    fixed += _preamble_height(plan, words, width)
    activation = _activation_height(plan, scenario, words, width)
    summary_line = 15.0
    triggers = text_lines(" · ".join(scenario.triggers[:2]) + (level.name if level else "") + "    ", width, 8.5) * 11.5 + 6
    statement_height = 0.0
    if statement is not None:
        # The box, then a line counting characters and naming channels, maybe two.
        statement_height = heading + 12 + 3 + 24 + text_lines(statement, width - 22, 10.5) * 14.2
    reference = 22.0 if statement is not None else 0.0

    def table(some: list[Role]) -> float:
        # A header row, then role | primary | deputy; a person is a name over a number.
        rows = 14.0
        for role in some:
            names = max((text_lines(f"{holder_text(p, words, role.title)} {reach_text(plan, p, words)}", width * 0.36 - 8, 9.5) + 1 for p in role.people[:2]), default=1)
            rows += max(text_lines(role.title, width * 0.28 - 8, 9.5, 0.62), names) * 12.8 + 5
        return rows

    def grid(some: list[Role], columns: int) -> float:
        # Cards in rows: the role's title, then one line per person (8.5pt in two
        # columns, 7.5pt in three).
        size, line = (8.5, 11.5) if columns == 2 else (7.5, 10.2)
        inner = width / columns - 14
        cards = []
        for role in some:
            people = sum(text_lines(f"{holder_text(p, words, role.title)} {reach_text(plan, p, words)}", inner, size) for p in role.people[:2])
            cards.append((text_lines(role.title, inner, size, 0.62) + max(1, people)) * line + 5)
        return sum(max(cards[i : i + columns]) for i in range(0, len(cards), columns))

    layouts = (
        (1, True, True, True), (1, True, False, True), (2, True, False, True),
        (2, True, False, False), (2, False, False, False), (3, False, False, False),
    )
    for columns, show_statement, show_triggers, show_activation in layouts:
        used = fixed + (triggers if show_triggers else summary_line) + (activation if show_activation else 0.0)
        used += statement_height if show_statement else reference
        used += table(roles) if columns == 1 else grid(roles, columns)
        if used <= budget:
            shown = show_statement and statement is not None
            return QuickCard(roles, [], contacts, summary, columns, shown, show_triggers, used, parties, show_activation)
    # Even the densest grid cannot hold them all: keep as many as fit, name the rest.
    kept: list[Role] = []
    used = fixed + summary_line + reference
    for role in roles:
        rest = [r.title for r in roles[len(kept) + 1 :]]
        note = text_lines(words["more_to_call"] + ", ".join(rest), width, 9, 0.62) * 12.2 + 8 if rest else 0
        if fixed + summary_line + reference + grid([*kept, role], 3) + note > budget:
            break
        kept.append(role)
        used = fixed + summary_line + reference + grid(kept, 3) + note
    return QuickCard(kept, roles[len(kept) :], contacts, summary, 3, False, False, used, parties, False)


def _preamble_height(plan: Plan, words: Mapping[str, str], width: float) -> float:
    """What the quick card always shows before the first actions, in points: the
    emergency lines and where media inquiries go (9.5pt text on 1.35)."""
    height = 0.0
    if plan.emergency:
        text = " · ".join(f"{e.name} {e.number} {e.note}" for e in plan.emergency)
        height += text_lines(f"{words['emergency_lines']}: {text}", width, 9.5) * 12.8 + 10
    if plan.media_inquiries is not None:
        who, lines = media_desk(plan, words)
        phone = f"{lines[0].phone} {lines[0].via}" if lines else ""
        text = f"{words['media_go_to'].format(who=who)} {phone} {words['everyone_else']}: {plan.media_inquiries.rule}"
        height += text_lines(text, width, 9.5) * 12.8 + 10
    return height


def _activation_height(plan: Plan, scenario: Scenario, words: Mapping[str, str], width: float) -> float:
    """The quick card's activation box, in points (0 when the plan names none)."""
    activation = plan.activation_of(scenario)
    if activation is None:
        return 0.0
    by = " + ".join(f"{plan.party_title(p)} {reach_line(plan, p, words)}" for p in activation.by)
    height = 12.8 + text_lines(f"{words['activated_by']}: {by}", width - 12, 9.5) * 12.8
    rest = f"{words['activation_after']}: {activation.after} · {words['activation_when']}: {'; '.join(activation.when)}"
    return height + text_lines(rest, width - 12, 9.5) * 12.8 + 16



@dataclass
class CallNode:
    """One role on the call card: whoever calls it, and whom it calls in turn."""

    role: Role
    number: str  # "1", "1.2": the caller of 1.2 is 1
    depth: int
    caller: Role | None


def call_tree(plan: Plan) -> list[CallNode]:
    """The plan's call tree, depth first: the crisis lead at the root, then whom each
    role calls, from every scenario's escalation (who tells whom, earliest first; a step
    without ``by`` is the lead's) and the severity levels' notify lists (the lead's).
    Each role appears once, under the caller nearest the lead; a role nobody is told to
    call hangs under the lead, who convenes the team."""
    lead = plan.crisis_lead()
    if lead is None:
        return []
    edges: list[tuple[int, str, str]] = []
    for scenario in plan.scenarios:
        # A step without a time is read with the step before it (a chain in order).
        latest = 0
        for step in in_sequence(scenario.escalation, lambda e: e.minutes):
            latest = latest if step.minutes is None else step.minutes
            for callee in [*step.notify, step.hand_over_to]:
                if callee:
                    edges.append((latest, step.by or lead.id, callee))
    for level in plan.severity_levels:
        edges.extend((parse_duration(n.within) or 0, lead.id, n.role) for n in level.notify)
    edges.sort(key=lambda edge: edge[0])
    calls: dict[str, list[str]] = {}
    placed = {lead.id}
    frontier = [lead.id]
    # Breadth first, so each role hangs under the caller closest to the lead.
    while frontier:
        following: list[str] = []
        for caller in frontier:
            for _minutes, by, callee in edges:
                if by == caller and callee not in placed and plan.role(callee):
                    placed.add(callee)
                    calls.setdefault(caller, []).append(callee)
                    following.append(callee)
        frontier = following
    calls.setdefault(lead.id, []).extend(r.id for r in plan.roles if r.id not in placed)

    nodes: list[CallNode] = []

    def visit(role_id: str, number: str, depth: int, caller: Role | None) -> None:
        role = plan.role(role_id)
        if role is None:
            return
        nodes.append(CallNode(role, number, depth, caller))
        for index, callee in enumerate(calls.get(role_id, []), start=1):
            visit(callee, f"{number}.{index}", depth + 1, role)

    visit(lead.id, "1", 0, None)
    return nodes


# --- the call card's panels ------------------------------------------------------------

# An ID-1 card (ISO/IEC 7810: a bank card) is 85.60 x 53.98 mm. Inside a panel's
# 2.5 mm x 3 mm padding that leaves 139 x 225 pt for text.
CARD_PANEL_PT = (225.0, 139.0)


def callcard_person_lines(plan: Plan, role: Role, w: Mapping[str, str], public: bool = False) -> list[str]:
    """The lines the call card prints under a role, as text: each holder ("Name" or a
    position "(or designee)") with the number that reaches them (and through whom);
    for a role with no holder, who names one during the crisis, or its rota's line."""
    if role.people:
        return [f"{holder_text(p, w, role.title)}  {reach_text(plan, p, w)}".strip() for p in role.people[:3]]
    if public:
        return [w.get("internal_edition", "")]
    if role.named_by:
        return [w["named_during_crisis"].format(body=plan.party_title(role.named_by))]
    rota = plan.rota(role.rota) if role.rota else None
    return [f"{rota.name} {reach_line(plan, rota.id, w)}".strip()] if rota is not None else []


def callcard_front_height(plan: Plan, w: Mapping[str, str]) -> float:
    """The height of the call card's front panel (emergency lines, media inquiries),
    in points, at the sizes pdf.css gives .cc-emergency and .cc-media; 0 for a plan
    with neither, whose card has no front panel."""
    if not plan.emergency and plan.media_inquiries is None:
        return 0.0
    width = CARD_PANEL_PT[0]
    height = 11.0 + 14 + text_lines(w["printed_stamp"] + plan.version + plan.last_reviewed, width, 6) * 7.4 + 3
    if plan.emergency:
        height += 8.5 + 6 + sum(text_lines(f"{e.name} {e.number} {e.note}", width, 9, 0.6) * 11.7 for e in plan.emergency)
    if plan.media_inquiries is not None:
        who, lines = media_desk(plan, w)
        text = f"{w['media_go_to'].format(who=who)} {lines[0].phone if lines else ''}. {w['everyone_else']}: {plan.media_inquiries.rule}"
        height += text_lines(text, width, 7.5, 0.6) * 9.4
    return height


def callcard_howto(plan: Plan) -> str:
    """The label that says how to read the card: "primary, then deputy" only where
    some role has a deputy to call."""
    return "call_card_howto" if any(role.deputies for role in plan.roles) else "call_card_howto_chain"


def callcard_panels(plan: Plan, w: Mapping[str, str], public: bool = False) -> list[list[CallNode]]:
    """The call tree cut into card-size panels, by an estimate of each entry's lines at
    the call card's type sizes (pdf.css, .cc-*), measuring the text the card prints
    (callcard_person_lines). The first panel also holds the card's title, how to use
    it and its date, or, when a front panel holds those, how to use it alone.
    tests/publish/test_callcard.py checks on the rendered PDF that no panel overflows."""
    width, height = CARD_PANEL_PT
    room = height - 4
    used = text_lines(w[callcard_howto(plan)], width, 6.5) * 8.0 + 3
    if not callcard_front_height(plan, w):
        used += 11.0 + 14 + text_lines(w["printed_stamp"] + plan.version + plan.last_reviewed, width, 6) * 7.4 + 3
    panels: list[list[CallNode]] = [[]]
    for node in call_tree(plan):
        indent = 8.0 * min(node.depth, 3)
        lines = text_lines(f"{node.number} {node.role.title}", width - indent, 7.5, 0.62) * 9.2
        for line in callcard_person_lines(plan, node.role, w, public):
            lines += text_lines(line, width - indent - 8, 7, 0.58) * 8.6
        entry = lines + 3
        if used + entry > room and panels[-1]:
            panels.append([])
            used = 0.0
        panels[-1].append(node)
        used += entry
    return panels
