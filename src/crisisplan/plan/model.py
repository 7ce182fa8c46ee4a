"""The plan as typed objects, built once from loaded data.

Building is lenient on purpose: a value of the wrong type (already reported by the
schema) becomes an empty value here, so the semantic checks can still run and an
author sees every problem of every file in one run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crisisplan.diagnostics import Location
from crisisplan.plan.names import PLATFORM_NAMES
from crisisplan.plan.values import (
    LANGUAGE_CODE,
    add_cadence,
    dial_digits,
    is_filler,
    parse_cadence,
    parse_date,
    parse_duration,
    tel_number,
)
from crisisplan.plan.yamlfile import JsonPath, Locator

DEFAULT_CHAR_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "threads": 500,
    "instagram": 2200,
    "linkedin": 3000,
    "facebook": 63206,
    "sms": 160,
}

# The schema's maximum for a placeholder's max_length.
MAX_PLACEHOLDER_LENGTH = 10_000


# --- lenient accessors -------------------------------------------------------------------


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _says_something(value: Any) -> bool:
    """A way to reach someone that is written: a value of the wrong type still counts
    (the schema reports its type); filler like "not given in source" does not."""
    if value is None or value == "" or value == []:
        return False
    return not is_filler(value)


def _string(data: dict[str, Any], key: str) -> str:
    """Only real text: a phone number YAML read as a number is reported by the schema
    (with a hint to quote it) and must not be checked again as if it were text."""
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _texts(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]


def _items(data: dict[str, Any], key: str, path: JsonPath) -> list[tuple[JsonPath, Any]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [((*path, key, index), item) for index, item in enumerate(value)]


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_T = TypeVar("_T")


def in_sequence(items: list[_T], minutes: Callable[[_T], int | None]) -> list[_T]:
    """Items in the order a reader follows them: by time where times are given, each
    untimed item right after the item written before it (list order is the order a
    plan without a clock gives). A list with every time given is sorted by time, as
    written where two share a time; a list with none keeps its written order."""
    after: list[int] = []
    latest = 0
    for item in items:
        given = minutes(item)
        latest = latest if given is None else given
        after.append(latest)
    return [items[i] for i in sorted(range(len(items)), key=after.__getitem__)]


def all_timed(minutes: list[int | None]) -> bool:
    """Whether a list reads as a clock (every entry has a time) rather than a sequence."""
    return all(m is not None for m in minutes)


# --- the objects -------------------------------------------------------------------------


# The keys that say how to reach someone: any one written (not filler) will do.
REACH_KEYS = ("phone", "email", "chat", "reach", "through")


@dataclass
class Person:
    """Who holds a role: a named person, or a position or office that holds it (whoever
    holds the position, or their designee, acts), with the ways to reach them."""

    path: JsonPath
    name: str
    organisation: str = ""
    phone: str = ""
    email: str = ""
    chat: str = ""
    timezone: str = ""
    hours: str = ""
    reachable: bool = False
    reach: list[ReachMethod] = field(default_factory=list)
    position: str = ""
    office: str = ""
    # A role, contact or rota that reaches them for you (a switchboard, the chain).
    through: str = ""

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Person:
        d = _map(data)
        reachable = any(_says_something(d.get(key)) for key in REACH_KEYS)
        return cls(
            path,
            _text(d, "name"),
            _text(d, "organisation"),
            _string(d, "phone"),
            _string(d, "email"),
            _string(d, "chat"),
            _text(d, "timezone"),
            _text(d, "hours"),
            reachable,
            ReachMethod.build_all(d, path),
            _text(d, "position"),
            _text(d, "office"),
            _text(d, "through"),
        )

    @property
    def tel(self) -> str:
        return tel_number(self.phone)

    @property
    def named(self) -> bool:
        """Whether a person is named, not only a position or office."""
        return bool(self.name)

    @property
    def label(self) -> str:
        """As a reader looks them up: the name, else the position, else the office."""
        return self.name or self.position or self.office


# --- people outside the team, ways to reach them, rotas (see checks/people.py) ----------


@dataclass
class ReachMethod:
    """One way to reach someone (a phone, an e-mail, a chat handle or a web form) and
    when it applies. ``when`` is kept as written: checks/people.py reads it."""

    path: JsonPath
    phone: str
    email: str
    chat: str
    url: str
    when: Any
    note: str

    @classmethod
    def build_all(cls, data: dict[str, Any], path: JsonPath) -> list[ReachMethod]:
        return [
            cls(p, _string(_map(i), "phone"), _string(_map(i), "email"), _string(_map(i), "chat"),
                _string(_map(i), "url"), _map(i).get("when"), _text(_map(i), "note"))
            for p, i in _items(data, "reach", path)
            if isinstance(i, dict)
        ]

    @property
    def tel(self) -> str:
        return tel_number(self.phone)


@dataclass
class Contact:
    """A person or organisation outside the team (contacts:): the CEO, outside counsel,
    a regulator. Named by id wherever a role may be notified or own an action."""

    path: JsonPath
    id: str
    name: str
    kind: str
    position: str
    organisation: str
    phone: str
    email: str
    chat: str
    timezone: str
    hours: str
    reach: list[ReachMethod]
    notes: str
    given: bool  # any way to reach them written, even with the wrong type
    through: str = ""
    # For a body that decides above the team (kind: command): what it decides, who sits on it.
    decides: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Contact:
        d = _map(data)
        given = any(_says_something(d.get(key)) for key in REACH_KEYS)
        return cls(
            path, _text(d, "id"), _text(d, "name"), _text(d, "kind"), _text(d, "position"),
            _text(d, "organisation"), _string(d, "phone"), _string(d, "email"), _string(d, "chat"),
            _text(d, "timezone"), _text(d, "hours"), ReachMethod.build_all(d, path), _text(d, "notes"), given,
            _text(d, "through"), _texts(d, "decides"), _texts(d, "members"),
        )

    @property
    def commands(self) -> bool:
        """A body or person above the team that decides (a crisis management team, an
        Incident Commander): may approve, take over and activate, as a role may."""
        return self.kind == "command"

    @property
    def tel(self) -> str:
        return tel_number(self.phone)

    @property
    def title(self) -> str:
        """As the site names them where a role's title would stand."""
        return f"{self.name} ({self.position})" if self.position else self.name


@dataclass
class Shift:
    path: JsonPath
    who: str  # a role or contact id; "" when a person is written in its place
    when: Any
    person: Person | None = None


@dataclass
class Rota:
    """A shared on-call line and/or shifts saying who covers which days and hours."""

    path: JsonPath
    id: str
    name: str
    timezone: str
    reach: list[ReachMethod]
    shifts: list[Shift]

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Rota:
        d = _map(data)
        shifts = [
            Shift(p, _text(_map(i), "who"), _map(i).get("when"),
                  Person.build((*p, "who"), i["who"]) if isinstance(_map(i).get("who"), dict) else None)
            for p, i in _items(d, "shifts", path)
            if isinstance(i, dict)
        ]
        return cls(path, _text(d, "id"), _text(d, "name"), _text(d, "timezone"), ReachMethod.build_all(d, path), shifts)


@dataclass
class RaiseCondition:
    """The measurable condition on an escalation step that raises the severity."""

    path: JsonPath
    metric: str
    more_than: int | None
    per: str
    within: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> RaiseCondition | None:
        if not isinstance(data, dict):
            return None
        return cls(path, _text(data, "metric"), _int(data, "more_than"), _text(data, "per"), _text(data, "within"))

    def describe(self) -> str:
        """'more than 200 negative mentions per 1h within 1h', for messages."""
        text = f"more than {self.more_than} {self.metric}"
        if self.per:
            text += f" per {self.per}"
        if self.within:
            text += f" within {self.within}"
        return text


@dataclass
class DecisionOption:
    """One choice of a decision (an action with options:) and what it leads to."""

    path: JsonPath
    option: str
    scenario: str
    severity: str
    statement: str
    then: str

    @classmethod
    def build_all(cls, data: dict[str, Any], path: JsonPath) -> list[DecisionOption]:
        return [
            cls(p, _text(_map(i), "option"), _text(_map(i), "scenario"), _text(_map(i), "severity"),
                _text(_map(i), "statement"), _text(_map(i), "then"))
            for p, i in _items(data, "options", path)
        ]


@dataclass
class ContactPoint:
    path: JsonPath
    name: str
    phone: str
    email: str
    url: str
    hours: str
    public: bool

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> ContactPoint:
        d = _map(data)
        return cls(
            path,
            _text(d, "name"),
            _string(d, "phone"),
            _string(d, "email"),
            _text(d, "url"),
            _text(d, "hours"),
            _text(d, "visibility") != "internal",
        )

    @property
    def tel(self) -> str:
        return tel_number(self.phone)


@dataclass
class Activation:
    """Who activates the plan (or the response to a scenario), after what assessment,
    and what triggers it."""

    path: JsonPath
    by: list[str]
    after: str
    when: list[str]

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Activation | None:
        if not isinstance(data, dict):
            return None
        return cls(path, _texts(data, "by"), _text(data, "after"), _texts(data, "when"))


@dataclass
class MediaInquiries:
    """Where every media inquiry goes (a role or contact, or a number), and what everyone
    else does with one."""

    path: JsonPath
    to: str
    phone: str
    email: str
    rule: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> MediaInquiries | None:
        if not isinstance(data, dict):
            return None
        return cls(path, _text(data, "to"), _string(data, "phone"), _string(data, "email"), _text(data, "rule"))

    @property
    def tel(self) -> str:
        return tel_number(self.phone)


@dataclass
class EmergencyLine:
    """A number anyone calls first, as people dial it: 112, 911, 328-COPS (2677)."""

    path: JsonPath
    name: str
    number: str
    note: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> EmergencyLine:
        d = _map(data)
        return cls(path, _text(d, "name"), _string(d, "number"), _text(d, "note"))

    @property
    def tel(self) -> str:
        """For a tel: link: the digits to dial ("" when it cannot be dialled)."""
        return dial_digits(self.number)


@dataclass
class Role:
    path: JsonPath
    id: str
    title: str
    duties: list[str]
    primary: Person | None
    deputies: list[Person]
    rota: str = ""
    # A role filled during the crisis: who names its holder then; and when it passes on.
    named_by: str = ""
    handover: str = ""

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Role:
        d = _map(data)
        primary = Person.build((*path, "primary"), d["primary"]) if isinstance(d.get("primary"), dict) else None
        deputies = [Person.build(p, item) for p, item in _items(d, "deputies", path) if isinstance(item, dict)]
        return cls(
            path, _text(d, "id"), _text(d, "title"), _texts(d, "duties"), primary, deputies, _text(d, "rota"),
            _text(d, "named_by"), _text(d, "handover"),
        )

    @property
    def needs_deputy(self) -> bool:
        """Whether the role rests on one named person: a position or office acts through
        its designee, an outside firm has its own staff, a rota has its shifts, and a
        role named during the crisis has no holder yet."""
        holder = self.primary
        if holder is None or self.rota or self.named_by:
            return False
        return holder.named and not holder.position and not holder.office and not holder.organisation

    @property
    def people(self) -> list[Person]:
        return ([self.primary] if self.primary else []) + self.deputies


@dataclass
class Channel:
    path: JsonPath
    id: str
    platform: str
    name: str
    handle: str
    url: str
    owner: str
    char_limit: int | None
    tone: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Channel:
        d = _map(data)
        return cls(
            path,
            _text(d, "id"),
            _text(d, "platform"),
            _text(d, "name"),
            _text(d, "handle"),
            _text(d, "url"),
            _text(d, "owner"),
            _int(d, "char_limit"),
            _text(d, "tone"),
        )

    @property
    def limit(self) -> int | None:
        """The most characters a post may hold: stated, else the platform's default."""
        return self.char_limit or DEFAULT_CHAR_LIMITS.get(self.platform)

    @property
    def label(self) -> str:
        return self.name or PLATFORM_NAMES.get(self.platform, self.platform or self.id)


@dataclass
class Notify:
    path: JsonPath
    role: str
    within: str


@dataclass
class SeverityLevel:
    path: JsonPath
    id: str
    name: str
    description: str
    criteria: dict[str, str]
    triggers: str
    acknowledge: str
    first_statement: str
    update_every: str
    notify: list[Notify]
    rank: int
    of: int = 1

    @classmethod
    def build(cls, path: JsonPath, data: Any, rank: int, of: int = 1) -> SeverityLevel:
        d = _map(data)
        criteria = {k: str(v) for k, v in _map(d.get("criteria")).items() if isinstance(v, str)}
        targets = _map(d.get("targets"))
        notify = [
            Notify(p, _text(_map(item), "role"), _text(_map(item), "within"))
            for p, item in _items(d, "notify", path)
        ]
        return cls(
            path,
            _text(d, "id"),
            _text(d, "name"),
            _text(d, "description"),
            criteria,
            _text(d, "triggers"),
            _text(targets, "acknowledge"),
            _text(targets, "first_statement"),
            _text(targets, "update_every"),
            notify,
            rank,
            of,
        )

    @property
    def has_targets(self) -> bool:
        """Whether the level sets any response time: a level without targets shows none."""
        return bool(self.acknowledge or self.first_statement or self.update_every)

    @property
    def band(self) -> str:
        """low, mid or high: where this level sits among the plan's levels."""
        if self.of <= 1:
            return "high"
        position = self.rank / (self.of - 1)
        return "low" if position < 0.34 else "mid" if position < 0.67 else "high"


@dataclass
class Placeholder:
    path: JsonPath
    name: str
    description: str
    example: str
    max_length: int | None
    # Typed once for every language (an order number, a time, a link), instead of
    # once per language.
    shared: bool = False

    @classmethod
    def build_all(cls, path: JsonPath, data: Any) -> dict[str, Placeholder]:
        return {
            str(name): cls(
                (*path, name),
                str(name),
                _text(_map(spec), "description"),
                _text(_map(spec), "example"),
                _int(_map(spec), "max_length"),
                _map(spec).get("same_in_every_language") is True,
            )
            for name, spec in _map(data).items()
        }

    @property
    def stand_in(self) -> str:
        """What the placeholder counts as while empty: its longest value, else its example."""
        if self.max_length:
            return "x" * min(self.max_length, MAX_PLACEHOLDER_LENGTH)
        return self.example or "{" + self.name + "}"

    @property
    def stand_in_length(self) -> int:
        if self.max_length:
            return self.max_length
        return len(self.example) if self.example else len(self.name) + 2


@dataclass
class Acceptance:
    """A finding of `crisisplan check` accepted on purpose, for a while (``accepted:``)."""

    path: JsonPath
    code: str
    reason: str
    by: str
    until: str

    @classmethod
    def build_all(cls, data: dict[str, Any], path: JsonPath) -> list[Acceptance]:
        return [
            cls(p, _text(_map(i), "code"), _text(_map(i), "reason"), _text(_map(i), "by"), _text(_map(i), "until"))
            for p, i in _items(data, "accepted", path)
        ]


@dataclass
class Statement:
    path: JsonPath
    id: str
    title: str
    channels: list[str]
    text: dict[str, str]
    placeholders: dict[str, Placeholder]
    status: str
    approved_by: str
    approved_on: str
    notes: str
    # In review: who has the text now (a role id) and since when.
    review_with: str = ""
    review_since: str = ""
    # When it goes out (T+), and how often it is published again after that.
    at: str = ""
    every: str = ""
    accepted: list[Acceptance] = field(default_factory=list)
    # For the rule packs (crisisplan.check.rules): what the plan declares about the text.
    first: bool = False
    covers: list[str] = field(default_factory=list)
    written_for: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Statement:
        d = _map(data)
        approval = _map(d.get("approval"))
        text = {str(k): v for k, v in _map(d.get("text")).items() if isinstance(v, str)}
        return cls(
            path,
            _text(d, "id"),
            _text(d, "title"),
            _texts(d, "channels"),
            text,
            Placeholder.build_all((*path, "placeholders"), d.get("placeholders")),
            _text(approval, "status") or "draft",
            _text(approval, "by"),
            _text(approval, "date"),
            _text(d, "notes"),
            _text(approval, "with"),
            _text(approval, "since"),
            _text(d, "at"),
            _text(d, "every"),
            Acceptance.build_all(d, path),
            first=d.get("first") is True,
            covers=_texts(d, "covers"),
            written_for=_texts(d, "for"),
        )

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def awaiting_approval(self) -> bool:
        """In review with a named reviewer (since a stated day, where the plan knows it):
        a real, expected state that --strict accepts (every surface still shows it as
        not approved)."""
        since_readable = not self.review_since or parse_date(self.review_since) is not None
        return self.status == "in-review" and bool(self.review_with) and since_readable

    @property
    def minutes(self) -> int | None:
        """When it goes out, in minutes since the crisis began; None when not said."""
        return parse_duration(self.at)


@dataclass
class Step:
    path: JsonPath
    id: str
    do: str
    owner: str
    at: str
    details: str
    # Everyone who does it together (owner: [crisis-lead, ceo]); ``owner`` is the first.
    owners: list[str] = field(default_factory=list)
    # A decision: the choices and what each leads to (the owners decide, by ``at``).
    options: list[DecisionOption] = field(default_factory=list)

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Step:
        d = _map(data)
        owners = _texts(d, "owner") if isinstance(d.get("owner"), list) else [_text(d, "owner")]
        return cls(
            path, _text(d, "id"), _text(d, "do"), owners[0] if owners else "", _text(d, "at"), _text(d, "details"),
            [o for o in owners if o], DecisionOption.build_all(d, path),
        )

    @property
    def minutes(self) -> int | None:
        """When it is done by, in minutes since the crisis began; None for a step in a
        sequence without a clock (it comes after the step before it)."""
        return parse_duration(self.at)


@dataclass
class Ref:
    """A reference by id to a shared statement or step, where it was written."""

    path: JsonPath
    id: str


@dataclass
class EscalationStep:
    path: JsonPath
    at: str
    notify: list[str]
    hand_over_to: str
    by: str
    when: str
    raise_to: str = ""
    condition: RaiseCondition | None = None

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> EscalationStep:
        d = _map(data)
        return cls(
            path, _text(d, "at"), _texts(d, "notify"), _text(d, "hand_over_to"), _text(d, "by"), _text(d, "when"),
            _text(d, "raise_to"), RaiseCondition.build((*path, "condition"), d.get("condition")),
        )

    @property
    def minutes(self) -> int | None:
        return parse_duration(self.at)


@dataclass
class Audience:
    path: JsonPath
    audience: str
    by: str
    within: str
    how: str
    message: str
    # A named body (the ICO, Datatilsynet), the legal deadline from T+0, the law that
    # sets it, and which report this is when a body is told in stages (NIS2).
    body: str = ""
    deadline: str = ""
    basis: str = ""
    stage: str = ""
    # The plan's own word for the audience ("Next of kin"), and the body's contact card.
    name: str = ""
    contact: str = ""

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Audience:
        d = _map(data)
        return cls(
            path,
            _text(d, "audience"),
            _text(d, "by"),
            _text(d, "within"),
            _text(d, "how"),
            _text(d, "message"),
            _text(d, "body"),
            _text(d, "deadline"),
            _text(d, "basis"),
            _text(d, "stage"),
            _text(d, "name"),
            _text(d, "contact"),
        )

    @property
    def minutes(self) -> int | None:
        return parse_duration(self.within)

    @property
    def deadline_minutes(self) -> int | None:
        return parse_duration(self.deadline)


@dataclass
class StandDown:
    """How a scenario's crisis is declared over: the conditions, and who declares it."""

    path: JsonPath
    when: list[str]
    by: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> StandDown | None:
        if not isinstance(data, dict):
            return None
        return cls(path, _texts(data, "when"), _text(data, "by"))


@dataclass
class ModerationRule:
    path: JsonPath
    action: str
    content: str
    note: str

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> ModerationRule:
        d = _map(data)
        return cls(path, _text(d, "action"), _text(d, "content"), _text(d, "note"))


@dataclass
class Drill:
    path: JsonPath
    date: str
    scenario: str
    facilitator: str
    participants: list[str]
    findings: list[str]
    # A drill not held yet: the day it is planned for (``planned:`` instead of ``date:``).
    planned: str = ""

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Drill:
        d = _map(data)
        return cls(
            path,
            _text(d, "date"),
            _text(d, "scenario"),
            _text(d, "facilitator"),
            _texts(d, "participants"),
            _texts(d, "findings"),
            _text(d, "planned") if not d.get("date") else "",
        )

    @property
    def held(self) -> bool:
        return not self.planned


@dataclass
class ReviewAction:
    path: JsonPath
    do: str
    owner: str
    due: str
    done: bool


@dataclass
class Review:
    path: JsonPath
    scenario: str
    date: str
    status: str
    summary: str
    timeline: list[tuple[str, str]]
    what_worked: list[str]
    what_to_fix: list[str]
    questions: list[tuple[str, str]]
    actions: list[ReviewAction]

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Review:
        d = _map(data)
        return cls(
            path,
            _text(d, "scenario"),
            _text(d, "date"),
            _text(d, "status") or "draft",
            _text(d, "summary"),
            [(_text(_map(i), "at"), _text(_map(i), "what")) for _, i in _items(d, "timeline", path)],
            _texts(d, "what_worked"),
            _texts(d, "what_to_fix"),
            [(_text(_map(i), "question"), _text(_map(i), "answer")) for _, i in _items(d, "questions", path)],
            [
                ReviewAction(p, _text(_map(i), "do"), _text(_map(i), "owner"), _text(_map(i), "due"), _map(i).get("done") is True)
                for p, i in _items(d, "actions", path)
            ],
        )


@dataclass
class Scenario:
    path: JsonPath
    id: str
    title: str
    category: str
    description: str
    severity: str
    likelihood: str
    impact: str
    triggers: list[str]
    signals: list[str]
    keywords: list[str]
    worst_case: str
    has_worst_case_key: bool
    first_actions: list[Step | Ref]
    escalation: list[EscalationStep]
    statements: list[Statement | Ref]
    audiences: list[Audience]
    response_rules: dict[str, str]
    moderation: list[ModerationRule]
    dos: list[str]
    donts: list[str]
    recovery: list[str]
    review: list[str]
    internal: bool = False
    accepted: list[Acceptance] = field(default_factory=list)
    involves: list[str] = field(default_factory=list)
    stand_down: StandDown | None = None
    drill_every: str = ""
    activation: Activation | None = None

    @classmethod
    def build(cls, path: JsonPath, data: Any) -> Scenario:
        d = _map(data)
        actions: list[Step | Ref] = [
            Ref(p, item) if isinstance(item, str) else Step.build(p, item)
            for p, item in _items(d, "first_actions", path)
            if isinstance(item, (str, dict))
        ]
        statements: list[Statement | Ref] = [
            Ref(p, item) if isinstance(item, str) else Statement.build(p, item)
            for p, item in _items(d, "statements", path)
            if isinstance(item, (str, dict))
        ]
        return cls(
            path,
            _text(d, "id"),
            _text(d, "title"),
            _text(d, "category"),
            _text(d, "description"),
            _text(d, "severity"),
            _text(d, "likelihood"),
            _text(d, "impact"),
            _texts(d, "triggers"),
            _texts(d, "signals"),
            _texts(d, "keywords"),
            _text(d, "worst_case"),
            "worst_case" in d,
            actions,
            [EscalationStep.build(p, i) for p, i in _items(d, "escalation", path)],
            statements,
            [Audience.build(p, i) for p, i in _items(d, "audiences", path)],
            {k: v for k, v in _map(d.get("response_rules")).items() if isinstance(v, str)},
            [ModerationRule.build(p, i) for p, i in _items(d, "moderation", path)],
            _texts(d, "dos"),
            _texts(d, "donts"),
            _texts(d, "recovery"),
            _texts(d, "review"),
            _text(d, "visibility") == "internal",
            Acceptance.build_all(d, path),
            involves=_texts(d, "involves"),
            stand_down=StandDown.build((*path, "stand_down"), d.get("stand_down")),
            drill_every=_text(d, "drill_every"),
            activation=Activation.build((*path, "activation"), d.get("activation")),
        )


@dataclass
class Plan:
    """One plan, with lookups by id and the locator to place any of its values."""

    source: str
    locator: Locator
    organisation: str
    title: str
    owner: str
    version: str
    languages: list[str]
    last_reviewed: str
    next_review: str
    drill_cadence: str
    classification: str
    channels: list[Channel]
    contact_points: list[ContactPoint]
    roles: list[Role]
    severity_levels: list[SeverityLevel]
    monitoring: dict[str, Any]
    allies: list[dict[str, Any]]
    placeholders: dict[str, Placeholder]
    steps: list[Step]
    statements: list[Statement]
    response_rules: dict[str, str]
    moderation: list[ModerationRule]
    review_within: str
    review_owner: str
    review_checklist: list[str]
    drills: list[Drill]
    reviews: list[Review]
    scenarios: list[Scenario]
    # The data as written, every language included (see crisisplan.plan.localtext).
    raw: dict[str, Any] = field(default_factory=dict)
    # Findings accepted for the whole plan (scenarios and statements have their own).
    accepted: list[Acceptance] = field(default_factory=list)
    # The rule packs the plan opts into (plan.rules), by name.
    rules: list[str] = field(default_factory=list)
    # People and organisations outside the team, rotas, and named time windows.
    contacts: list[Contact] = field(default_factory=list)
    rotas: list[Rota] = field(default_factory=list)
    time_windows: dict[str, Any] = field(default_factory=dict)
    review_every: str = ""
    drill_every: str = ""
    # What the plan is for and the rules it communicates by, and the questions that
    # gather the facts first.
    purpose: str = ""
    principles: list[str] = field(default_factory=list)
    fact_questions: list[str] = field(default_factory=list)
    activation: Activation | None = None
    media_inquiries: MediaInquiries | None = None
    emergency: list[EmergencyLine] = field(default_factory=list)

    @classmethod
    def build(cls, source: str, data: dict[str, Any], locator: Locator) -> Plan:
        info = _map(data.get("plan"))
        review = _map(data.get("post_crisis_review"))
        level_items = _items(data, "severity_levels", ())
        levels = [
            SeverityLevel.build(p, item, rank, len(level_items))
            for rank, (p, item) in enumerate(level_items)
        ]
        return cls(
            source=source,
            locator=locator,
            organisation=_text(info, "organisation"),
            title=_text(info, "title") or "Crisis plan",
            owner=_text(info, "owner"),
            version=_text(info, "version"),
            languages=_texts(info, "languages") or ["en"],
            last_reviewed=_text(info, "last_reviewed"),
            next_review=_text(info, "next_review"),
            drill_cadence=_text(info, "drill_cadence"),
            classification=_text(info, "classification"),
            channels=[Channel.build(p, i) for p, i in _items(data, "channels", ())],
            contact_points=[ContactPoint.build(p, i) for p, i in _items(data, "contact_points", ())],
            roles=[Role.build(p, i) for p, i in _items(data, "roles", ())],
            severity_levels=levels,
            monitoring=_map(data.get("monitoring")),
            allies=[_map(i) for _, i in _items(data, "allies", ())],
            placeholders=Placeholder.build_all(("placeholders",), data.get("placeholders")),
            steps=[Step.build(p, i) for p, i in _items(data, "steps", ())],
            statements=[Statement.build(p, i) for p, i in _items(data, "statements", ())],
            response_rules={k: v for k, v in _map(data.get("response_rules")).items() if isinstance(v, str)},
            moderation=[ModerationRule.build(p, i) for p, i in _items(data, "moderation", ())],
            review_within=_text(review, "within"),
            review_owner=_text(review, "owner"),
            review_checklist=_texts(review, "checklist"),
            drills=[Drill.build(p, i) for p, i in _items(data, "drills", ())],
            reviews=[Review.build(p, i) for p, i in _items(data, "reviews", ())],
            scenarios=[Scenario.build(p, i) for p, i in _items(data, "scenarios", ())],
            accepted=Acceptance.build_all(data, ()),
            rules=_texts(info, "rules"),
            contacts=[Contact.build(p, i) for p, i in _items(data, "contacts", ())],
            rotas=[Rota.build(p, i) for p, i in _items(data, "rotas", ())],
            time_windows=_map(data.get("time_windows")),
            review_every=_text(info, "review_every"),
            drill_every=_text(info, "drill_every"),
            purpose=_text(data, "purpose"),
            principles=_texts(data, "principles"),
            fact_questions=_texts(data, "fact_questions"),
            activation=Activation.build(("activation",), data.get("activation")),
            media_inquiries=MediaInquiries.build(("media_inquiries",), data.get("media_inquiries")),
            emergency=[EmergencyLine.build(p, i) for p, i in _items(data, "emergency", ())],
        )

    # --- places ---------------------------------------------------------------------------

    def at(self, path: JsonPath) -> Location:
        return self.locator.value(path)

    def at_key(self, path: JsonPath) -> Location:
        return self.locator.key(path)

    def at_words(self, path: JsonPath, words: str) -> Location:
        """Where words inside the text at path were written (their own line in a
        block of text), for a problem with those words alone."""
        return self.locator.within(path, words)

    # --- lookups --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return f"{self.organisation}: {self.title}" if self.organisation else self.title

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    def activation_of(self, scenario: Scenario) -> Activation | None:
        """Who activates the response to a scenario: its own activation, else the plan's."""
        return scenario.activation or self.activation

    def deciding_bodies(self) -> list[Contact]:
        """The bodies and people above the team that decide (contacts with kind: command)."""
        return [c for c in self.contacts if c.commands]

    def rota(self, rota_id: str) -> Rota | None:
        return next((r for r in self.rotas if r.id == rota_id), None)

    def party_title(self, party_id: str) -> str:
        """A role's title or a contact's name, for the id a plan names; the id itself
        when it names neither (the check reports it)."""
        role = self.role(party_id)
        if role is not None:
            return role.title
        contact = self.contact(party_id)
        return contact.title if contact is not None else party_id

    @property
    def review_due(self) -> str:
        """When the next review is due: next_review as written, else last_reviewed plus
        review_every; "" when neither says."""
        if self.next_review:
            return self.next_review
        last, cadence = parse_date(self.last_reviewed), parse_cadence(self.review_every)
        return add_cadence(last, cadence).isoformat() if last and cadence else ""

    def severity_phases(self, scenario: Scenario) -> list[tuple[EscalationStep | None, SeverityLevel]]:
        """The severity levels a scenario may pass through: where it starts, then each
        level an escalation step raises it to, in order (with the raising step)."""
        phases: list[tuple[EscalationStep | None, SeverityLevel]] = []
        start = self.severity(scenario.severity)
        if start is not None:
            phases.append((None, start))
        for step in in_sequence(scenario.escalation, lambda e: e.minutes):
            level = self.severity(step.raise_to) if step.raise_to else None
            if level is not None:
                phases.append((step, level))
        return phases

    def channel(self, channel_id: str) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def severity(self, severity_id: str) -> SeverityLevel | None:
        return next((s for s in self.severity_levels if s.id == severity_id), None)

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def shared_statement(self, statement_id: str) -> Statement | None:
        return next((s for s in self.statements if s.id == statement_id), None)

    def shared_step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def languages_well_formed(self) -> bool:
        """Whether plan.languages are all codes. If not, the schema says so, and
        comparing statements against them would only repeat it."""
        return all(LANGUAGE_CODE.match(language) for language in self.languages)

    def all_statements(self) -> list[Statement]:
        """Shared statements and those written inside scenarios, each once."""
        found = list(self.statements)
        for scenario in self.scenarios:
            found.extend(e for e in scenario.statements if isinstance(e, Statement))
        return found

    def tightest_channel(self, statement: Statement) -> Channel | None:
        """The channel with the smallest character limit among those a statement is
        written for: a statement that fits it fits all of them."""
        limited = [c for c in (self.channel(cid) for cid in statement.channels) if c and c.limit]
        return min(limited, key=lambda c: c.limit or 0) if limited else None

    def statements_of(self, scenario: Scenario) -> list[Statement]:
        """A scenario's statements with references replaced by the shared statements."""
        found: list[Statement] = []
        for entry in scenario.statements:
            statement = self.shared_statement(entry.id) if isinstance(entry, Ref) else entry
            if statement is not None:
                found.append(statement)
        return found

    def actions_of(self, scenario: Scenario) -> list[Step]:
        """A scenario's first actions, shared steps filled in, in order (see in_sequence)."""
        found: list[Step] = []
        for entry in scenario.first_actions:
            step = self.shared_step(entry.id) if isinstance(entry, Ref) else entry
            if step is not None:
                found.append(step)
        return in_sequence(found, lambda s: s.minutes)

    def moderation_of(self, scenario: Scenario) -> list[ModerationRule]:
        return self.moderation + scenario.moderation

    def response_rules_of(self, scenario: Scenario) -> dict[str, str]:
        return {**self.response_rules, **scenario.response_rules}

    def review_of(self, scenario: Scenario) -> list[str]:
        return self.review_checklist + scenario.review

    def placeholders_for(self, statement: Statement) -> dict[str, Placeholder]:
        return {**self.placeholders, **statement.placeholders}

    def reviews_of(self, scenario: Scenario) -> list[Review]:
        """The scenario's post-crisis reviews, newest first."""
        return sorted((r for r in self.reviews if r.scenario == scenario.id), key=lambda r: r.date, reverse=True)

    def drills_of(self, scenario: Scenario) -> list[Drill]:
        """The drills held for a scenario, newest first (planned ones are not held)."""
        return sorted((d for d in self.drills if d.scenario == scenario.id and d.held), key=lambda d: d.date, reverse=True)

    def accepted_findings(self) -> list[tuple[str, Acceptance]]:
        """Every accepted finding with the title of what it concerns ("" for the whole
        plan), for the plan-information page."""
        titles: dict[JsonPath, str] = {s.path: s.title or s.id for s in self.scenarios}
        titles.update((s.path, s.title or s.id) for s in self.all_statements())
        return [(titles.get(scope, ""), a) for scope, a in self.all_acceptances()]

    def all_acceptances(self) -> list[tuple[JsonPath, Acceptance]]:
        """Every accepted finding, with the path of what it covers: () for the plan."""
        found: list[tuple[JsonPath, Acceptance]] = [((), a) for a in self.accepted]
        for scenario in self.scenarios:
            found.extend((scenario.path, a) for a in scenario.accepted)
        for statement in self.all_statements():
            found.extend((statement.path, a) for a in statement.accepted)
        return found

    def crisis_lead(self) -> Role | None:
        """Who to call first: the plan owner's role, else the first role."""
        return self.role(self.owner) or (self.roles[0] if self.roles else None)
