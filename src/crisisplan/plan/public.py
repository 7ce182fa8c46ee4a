"""The public edition: a copy of a plan with personal and internal data removed.

Contact details are personal data, and a plan site is sometimes published beyond
the team. Redacting the data itself, rather than hiding it in templates, means no
page, search index or PDF can show what is not there.

Left out of the public edition:
- every role holder: names, phones, e-mails, chat handles, organisations, time
  zones and hours (roles and their duties stay, and so does the position or office
  that holds a role: a job title, not a person);
- every way to reach people and organisations outside the team (contacts:), and the
  name of a person among them who has a position: the edition names them by it
  ("Mayor"), so that "Notify: ceo" never shows a raw id; rotas;
- contact points marked ``visibility: internal`` (public ones, like a press line, stay);
- scenarios marked ``visibility: internal``;
- monitoring (tools, watchers, keywords) and allies to brief;
- how-to details of first actions and notes on statements;
- drill participants, facilitators and findings, and post-crisis reviews.

Redaction is by field, so a holder's name or number typed into text the edition
keeps would still be published: personal_data_in_public_text finds those (CP901).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path

from crisisplan.diagnostics import Diagnostic, Location, Severity
from crisisplan.files import UnsafeFile, read_bounded
from crisisplan.plan.model import (
    Contact,
    Drill,
    Person,
    Placeholder,
    Plan,
    Ref,
    Role,
    Scenario,
    SeverityLevel,
    Statement,
)
from crisisplan.plan.yamlfile import MAX_FILE_BYTES, JsonPath


def _scenario(scenario: Scenario) -> Scenario:
    return replace(
        scenario,
        first_actions=[a if isinstance(a, Ref) else replace(a, details="") for a in scenario.first_actions],
        statements=[s if isinstance(s, Ref) else replace(s, notes="", accepted=[]) for s in scenario.statements],
        # Accepted findings are the team's own bookkeeping.
        accepted=[],
    )


def _position(holder: Person | None) -> Person | None:
    """What the public edition keeps of a role's holder: the position or office that
    holds it, never a person's name or number."""
    if holder is None or not (holder.position or holder.office):
        return None
    return Person(holder.path, "", position=holder.position, office=holder.office)


def _contact(contact: Contact) -> Contact:
    """A contact as the public edition names it: by position when it has one (a
    person), else by name (an organisation, a body); no way to reach them."""
    return replace(
        contact,
        name=contact.position or contact.name,
        position="",
        phone="",
        email="",
        chat="",
        timezone="",
        hours="",
        reach=[],
        notes="",
        through="",
    )


def public_edition(plan: Plan) -> Plan:
    scenarios = [_scenario(s) for s in plan.scenarios if not s.internal]
    kept = {s.id for s in scenarios}
    return replace(
        plan,
        roles=[replace(role, primary=_position(role.primary), deputies=[]) for role in plan.roles],
        contact_points=[point for point in plan.contact_points if point.public],
        # People outside the team are named (a page that tells the team to notify
        # them must say whom), never reached; rotas are names and numbers.
        contacts=[_contact(contact) for contact in plan.contacts],
        rotas=[],
        monitoring={},
        allies=[],
        steps=[replace(step, details="") for step in plan.steps],
        statements=[replace(statement, notes="", accepted=[]) for statement in plan.statements],
        drills=[
            Drill(d.path, d.date, d.scenario, "", [], [], d.planned) for d in plan.drills if d.scenario in kept
        ],
        accepted=[],
        reviews=[],
        scenarios=scenarios,
        # The data as written holds everything left out above: drop it too.
        raw={},
    )


# --- personal data typed into text the public edition keeps -------------------------------

LEAK_CODE = "CP901"
LEAK_NAME = "personal-data-in-public-edition"

# Attributes that are bookkeeping, not plan text.
_NOT_TEXT = frozenset({"path", "source", "locator", "owners"})  # owners: ids, as owner

# Attributes whose YAML key differs from their name, as (*key path).
_PLAN_KEYS: dict[str, JsonPath] = {
    **{name: ("plan", name) for name in (
        "organisation", "title", "owner", "version", "languages",
        "last_reviewed", "next_review", "drill_cadence", "classification",
        "review_every", "drill_every", "rules",
    )},
    "review_within": ("post_crisis_review", "within"),
    "review_owner": ("post_crisis_review", "owner"),
    "review_checklist": ("post_crisis_review", "checklist"),
}  # fmt: skip
_KEYS: dict[tuple[type, str], JsonPath] = {
    (Statement, "status"): ("approval", "status"),
    (Statement, "approved_by"): ("approval", "by"),
    (Statement, "approved_on"): ("approval", "date"),
    (Statement, "review_with"): ("approval", "with"),
    (Statement, "review_since"): ("approval", "since"),
    (Statement, "written_for"): ("for",),
    (SeverityLevel, "acknowledge"): ("targets", "acknowledge"),
    (SeverityLevel, "first_statement"): ("targets", "first_statement"),
    (SeverityLevel, "update_every"): ("targets", "update_every"),
    (Placeholder, "name"): (),  # the key itself
}

_PHONE_RUN = re.compile(r"\+?\d[\d\s.()\-]*")
_DIGIT_GROUP = re.compile(r"\d+")
_MIN_PHONE_DIGITS = 7
# Country codes are one to three digits: a number written without one is this much shorter.
_MAX_COUNTRY_CODE = 3


def public_texts(plan: Plan) -> Iterator[tuple[JsonPath, str]]:
    """Every text value the public edition of ``plan`` keeps, with its JSON path.

    Walking the public edition itself, rather than a list of fields, means what
    public_edition drops (internal scenarios, step details, holders) is never
    reported, and a field added to the model is covered without a change here.
    """
    public = public_edition(plan)
    for attribute in fields(public):
        if attribute.name not in _NOT_TEXT:
            where = _PLAN_KEYS.get(attribute.name, (attribute.name,))
            yield from _texts_in(getattr(public, attribute.name), where)


def _texts_in(value: object, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Ref):
        return  # an id; the shared step or statement is walked where it is written
    elif is_dataclass(value) and not isinstance(value, type):
        base: JsonPath = getattr(value, "path", path)
        for attribute in fields(value):
            if attribute.name not in _NOT_TEXT:
                key = _KEYS.get((type(value), attribute.name), (attribute.name,))
                yield from _texts_in(getattr(value, attribute.name), (*base, *key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts_in(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts_in(item, (*path, index))


@dataclass
class _Holder:
    name: str
    roles: list[Role]
    kinds: list[str]  # "the primary", "a deputy": one per entry of roles

    @property
    def label(self) -> str:
        return f"{self.name}'s" if self.name else "an unnamed holder's"

    @property
    def holds(self) -> str:
        return ", ".join(f"{kind} for {role.id}" for kind, role in zip(self.kinds, self.roles, strict=True))


@dataclass(frozen=True)
class _Leak:
    start: int
    end: int
    what: str  # "name", "phone number", "e-mail address", "chat handle"
    holder: _Holder


_NOUNS = {"phone number": "number", "e-mail address": "address", "chat handle": "handle"}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _same_number(a: str, b: str) -> bool:
    """Whether two digit strings are one phone number, with or without its country code.

    Leading zeros go first: they are the 00 international prefix or a national
    trunk prefix (020 ... in the UK, 021 ... in Indonesia), never part of the number.
    """
    a, b = a.lstrip("0"), b.lstrip("0")
    short, long = sorted((a, b), key=len)
    return len(short) >= _MIN_PHONE_DIGITS and long.endswith(short) and len(long) - len(short) <= _MAX_COUNTRY_CODE


def _words(text: str) -> re.Pattern[str]:
    """Text as whole words, any case, any white space between words (YAML folds lines)."""
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, text.split())) + r"(?!\w)", re.IGNORECASE)


def _handle(chat: str) -> str:
    """The handle in a chat field: '@ana (Slack)' -> '@ana'.

    A bare word is somebody's first name more often than a handle, and first
    names alone are not matched; a handle with a dot, digit or # is distinctive.
    """
    token = re.split(r"[\s(]", chat.strip(), maxsplit=1)[0]
    if token.startswith("@"):
        return token if len(token) > 2 else ""
    return token if len(token) >= 4 and not token.isalpha() else ""


class _Finder:
    """Every holder's name, numbers, addresses and handles, ready to search text for."""

    def __init__(self, plan: Plan) -> None:
        self.names: list[tuple[re.Pattern[str], _Holder]] = []
        self.tokens: list[tuple[re.Pattern[str], str, _Holder]] = []
        self.phones: list[tuple[str, str, _Holder]] = []
        public = [p for p in plan.contact_points if p.public]
        # Names that are also the organisation, a role or a public contact point
        # (a sole trader, a shared "Press office" holder) are public anyway.
        public_names = [plan.organisation, *(r.title for r in plan.roles), *(p.name for p in public)]
        public_numbers = [_digits(p.phone) for p in public if p.phone]
        public_addresses = {p.email.casefold() for p in public if p.email}
        holders: dict[str, _Holder] = {}
        for role in plan.roles:
            for kind, person in [("the primary", role.primary), *(("a deputy", d) for d in role.deputies)]:
                if person is None:
                    continue
                name = re.sub(r"\s*\([^)]*\)", "", person.name).strip()  # "Claire Whitmore (CEO)"
                key = name.casefold() or f"#{id(person)}"
                holder = holders.get(key)
                if holder is None:
                    holder = holders[key] = _Holder(name, [], [])
                    pattern = _words(name)
                    if len(name.split()) >= 2 and not any(pattern.search(n) for n in public_names):
                        self.names.append((pattern, holder))
                holder.roles.append(role)
                holder.kinds.append(kind)
                self._contacts(person, holder, public_numbers, public_addresses)

    def _contacts(self, person: Person, holder: _Holder, public_numbers: list[str], public_addresses: set[str]) -> None:
        number = _digits(person.phone)
        if len(number.lstrip("0")) >= _MIN_PHONE_DIGITS and not any(_same_number(number, n) for n in public_numbers):
            self.phones.append((number, "phone number", holder))
        if person.email and person.email.casefold() not in public_addresses:
            pattern = re.compile(r"(?<![\w.+-])" + re.escape(person.email) + r"(?![\w-]|\.\w)", re.IGNORECASE)
            self.tokens.append((pattern, "e-mail address", holder))
        chat = person.chat.strip()
        if re.fullmatch(r"\+?[\d\s.()\-]+", chat) and len(_digits(chat)) >= _MIN_PHONE_DIGITS:
            self.phones.append((_digits(chat), "chat handle", holder))  # a Signal number
        elif handle := _handle(chat):
            pattern = re.compile(r"(?<![\w@.])" + re.escape(handle) + r"(?![\w@-]|\.\w)", re.IGNORECASE)
            self.tokens.append((pattern, "chat handle", holder))

    @property
    def longest(self) -> int:
        """The most digits a phone number in text may have: the longest known, with a country code."""
        return max((len(n.lstrip("0")) for n, _, _ in self.phones), default=0) + _MAX_COUNTRY_CODE

    def leaks(self, text: str) -> list[_Leak]:
        found = [
            _Leak(m.start(), m.end(), "name", holder)
            for pattern, holder in self.names
            for m in pattern.finditer(text)
        ]
        found += [
            _Leak(m.start(), m.end(), what, holder)
            for pattern, what, holder in self.tokens
            for m in pattern.finditer(text)
        ]
        if self.phones:
            found += self._phone_leaks(text)
        return sorted(found, key=lambda leak: (leak.start, leak.end))

    def _phone_leaks(self, text: str) -> Iterator[_Leak]:
        # "+44 (0)20 ..." is the UK way to show an optional trunk 0: not a digit of the number.
        text = text.replace("(0)", "   ")
        for run in _PHONE_RUN.finditer(text):
            groups = [(run.start() + g.start(), run.start() + g.end(), g.group()) for g in _DIGIT_GROUP.finditer(run.group())]
            for first, (start, _, opening) in enumerate(groups):
                # A number starts a run of digits, or starts with 0 (a trunk or 00 prefix)
                # within one: "in 2026 020 7946 0002" holds a number, "+45 20 7946 0002"
                # holds no British 20 7946 0002.
                if first and not opening.startswith("0"):
                    continue
                if first == 0:
                    start = run.start()  # with its "+"
                if text[start - 1 : start] == "(":
                    start -= 1  # "(020) 7946 0002"
                digits = ""
                for _, end, group in groups[first:]:
                    digits += group
                    if len(digits.lstrip("0")) > self.longest:
                        break
                    for number, what, holder in self.phones:
                        if _same_number(digits, number):
                            yield _Leak(start, end, what, holder)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _role_phrase(role: Role) -> str:
    """'Crisis lead' -> 'the crisis lead'; 'CEO' stays 'the CEO'."""
    title = role.title or role.id
    if title.split()[0].isupper():
        return f"the {title}"
    return f"the {title[0].lower()}{title[1:]}"


def _diagnostic(where: Location, leaks: list[_Leak]) -> Diagnostic:
    by_holder: dict[int, tuple[_Holder, list[str]]] = {}
    for leak in leaks:
        whats = by_holder.setdefault(id(leak.holder), (leak.holder, []))[1]
        if leak.what not in whats:
            whats.append(leak.what)
    parts = [f"{holder.label} {_join(whats)} ({holder.holds})" for holder, whats in by_holder.values()]
    several = len(parts) > 1 or len(next(iter(by_holder.values()))[1]) > 1
    message = f"{_join(parts)} {'appear' if several else 'appears'} in text the public edition publishes"
    nouns = list(dict.fromkeys(_NOUNS[leak.what] for leak in leaks if leak.what in _NOUNS))
    instead = f'write the role instead ("{_role_phrase(leaks[0].holder.roles[0])}")'
    hint = (
        f"{instead}, or move the {_join(nouns)} to the role's contacts, which the public edition leaves out"
        if nouns
        else f"{instead}: the public edition leaves out who holds each role"
    )
    return Diagnostic.at(where, LEAK_CODE, message, hint, Severity.WARNING)


class _Places:
    """Where a leak was typed: its own line inside a value written over several lines.

    The locator knows where each value starts; a statement in a ``|`` block starts
    on the line above its text. The plan files are read again to find the line,
    and a value that cannot be found there (escapes in quotes, a file changed
    since) is reported where it starts.
    """

    def __init__(self, plan: Plan) -> None:
        self.files: dict[str, tuple[str, list[int]] | None] = {}
        self.starts: dict[str, list[tuple[int, int]]] = {}
        for where in [*plan.locator.values.values(), *plan.locator.keys.values()]:
            self.starts.setdefault(where.path, []).append((where.line, where.column))
        for places in self.starts.values():
            places.sort()

    def _file(self, path: str) -> tuple[str, list[int]] | None:
        if path not in self.files:
            try:
                # The same rules as yamlfile.read_text: a regular file, within the size cap.
                text = read_bounded(Path(path), MAX_FILE_BYTES).decode("utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeError, UnsafeFile):
                self.files[path] = None
            else:
                self.files[path] = (text, [0, *(i + 1 for i, c in enumerate(text) if c == "\n")])
        return self.files[path]

    def of(self, value_at: Location, typed: str) -> Location:
        found = self._file(value_at.path)
        if found is None or value_at.line > len(found[1]):
            return value_at
        text, lines = found
        start = lines[value_at.line - 1] + value_at.column - 1
        # The value ends before whatever the locator places next in the same file.
        places = self.starts.get(value_at.path, [])
        after = bisect.bisect_right(places, (value_at.line, value_at.column))
        end = len(text)
        if after < len(places) and places[after][0] <= len(lines):
            end = lines[places[after][0] - 1] + places[after][1] - 1
        pattern = re.compile(r"\s+".join(map(re.escape, typed.split())))
        match = pattern.search(text, start, end)
        if match is None:
            return value_at
        line = bisect.bisect_right(lines, match.start())
        return Location(value_at.path, line, match.start() - lines[line - 1] + 1)


def personal_data_in_public_text(plan: Plan) -> list[Diagnostic]:
    """A role holder's name or contact details typed into text the public edition publishes.

    The public edition (``crisisplan build --audience public``) leaves out who holds
    each role and how to reach them, field by field. A holder's full name, phone
    number, e-mail address or chat handle written into a statement, a trigger, an
    escalation's ``when``, an audience message or a rule is kept, and published in
    pages, search and PDFs. Only text the public edition keeps is searched: step
    details, statement notes and internal scenarios are left out anyway. Runs only
    for a public build.

    Names match as whole words in any case; a first name alone does not, nor a
    name that is also the organisation, a role title or a public contact point.
    Phone numbers match on their digits (at least 7), however they are spaced or
    punctuated and with or without the country code. The numbers and addresses of
    public contact points are public by design and may be written anywhere.

    Fails: ``when: Ana Lima cannot be reached on 020 7946 0001``.
    Passes: ``when: The crisis lead cannot be reached``, or the press office's public number.
    """
    finder = _Finder(plan)
    places = _Places(plan)
    found: list[Diagnostic] = []
    for path, text in public_texts(plan):
        leaks = finder.leaks(text)
        if leaks:
            first = leaks[0]
            where = places.of(plan.at(path), text[first.start : first.end])
            found.append(_diagnostic(where, leaks))
    return sorted(found)
