"""Incident-time tools: find the scenario from a trigger word, fill its statement.

The core of `crisisplan scenarios` and `crisisplan statement`: pure functions over
checked plans that raise IncidentError (with a hint) for anything a person must fix.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, field

from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.plan.model import Channel, Placeholder, Plan, Scenario, Statement
from crisisplan.plan.values import PLACEHOLDER, fill
from crisisplan.suggest import did_you_mean

# Where a word is found says how likely the scenario is the one meant.
_FIELD_WEIGHTS = {
    "title": 3.0,
    "keywords": 3.0,
    "triggers": 2.0,
    "signals": 1.5,
    "category": 1.0,
    "statements": 1.0,
    "description": 0.8,
    "worst case": 0.5,
}


class IncidentError(CrisisplanError):
    """Something the person asked for does not exist or cannot be done."""

    exit_code = EXIT_USAGE


def _fold(text: str) -> str:
    """Lowercase without accents, so 'sécurité' finds 'securite'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold(text))


@dataclass
class Match:
    plan: Plan
    scenario: Scenario
    score: float = 0.0
    matched: dict[str, list[str]] = field(default_factory=dict)


def _fields(plan: Plan, scenario: Scenario) -> dict[str, str]:
    parts: list[str] = []
    for statement in plan.statements_of(scenario):
        parts.extend(statement.text.values())
        # Placeholder examples name products and places people search for.
        used = set(PLACEHOLDER.findall(" ".join(statement.text.values())))
        parts.extend(
            f"{p.description} {p.example}" for name, p in plan.placeholders_for(statement).items() if name in used
        )
    statements = " ".join(parts)
    return {
        "title": scenario.title + " " + scenario.id.replace("-", " "),
        "keywords": " ".join(scenario.keywords),
        "triggers": " ".join(scenario.triggers),
        "signals": " ".join(scenario.signals),
        "category": scenario.category,
        "statements": statements,
        "description": scenario.description,
        "worst case": scenario.worst_case,
    }


def find_scenarios(plans: list[Plan], query: str = "") -> list[Match]:
    """Every scenario, or with words, those matching them, best first.

    A query word matches a word in the scenario that starts with it ('hack' finds
    'hacked'), ignoring case, accents and '#'.
    """
    everything = [Match(plan, scenario) for plan in plans for scenario in plan.scenarios]
    terms = [t for t in _words(query) if t]
    if not terms:
        return everything
    for match in everything:
        indexed = {name: set(_words(text)) for name, text in _fields(match.plan, match.scenario).items()}
        for term in terms:
            best = 0.0
            for name, words in indexed.items():
                if any(word.startswith(term) for word in words):
                    match.matched.setdefault(term, []).append(name)
                    best = max(best, _FIELD_WEIGHTS[name] * (1.5 if term in words else 1.0))
            match.score += best
        # A scenario matching every word ranks above one matching some of them often.
        match.score *= len(match.matched) / len(terms)
    found = [m for m in everything if m.score > 0]
    order = {id(m): i for i, m in enumerate(everything)}
    return sorted(found, key=lambda m: (-m.score, order[id(m)]))


def next_command(plan: Plan, scenario: Scenario) -> str:
    """The statement command for a scenario's main statement, to copy and complete."""
    statements = plan.statements_of(scenario)
    if not statements:
        return f"crisisplan statement {scenario.id}"
    main = statements[0]
    names = dict.fromkeys(PLACEHOLDER.findall(main.text.get(plan.default_language, "")))
    channels = "|".join(main.channels)
    sets = " ".join(f"--set {shlex.quote(n)}=..." for n in names)
    return f"crisisplan statement {scenario.id} --channel {channels} {sets}".rstrip()


def locate_scenario(plans: list[Plan], scenario_id: str) -> tuple[Plan, Scenario]:
    found = [(p, s) for p in plans for s in p.scenarios if s.id == scenario_id]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(p.name for p, _ in found)
        raise IncidentError(
            f"scenario '{scenario_id}' is in several plans ({names})",
            "name the plan to use with --plan PATH",
        )
    ids = [s.id for p in plans for s in p.scenarios]
    raise IncidentError(
        f"no scenario '{scenario_id}'",
        did_you_mean(scenario_id, ids, "scenarios")
        or "crisisplan scenarios lists them; --search finds one by a word",
    )


@dataclass
class Composition:
    """A statement filled in for one channel and language, ready to paste."""

    plan: Plan
    scenario: Scenario
    statement: Statement
    language: str
    channel: Channel | None
    text: str
    missing: list[Placeholder]
    length: int

    @property
    def limit(self) -> int | None:
        return self.channel.limit if self.channel else None

    @property
    def fits(self) -> bool:
        return self.limit is None or self.length <= self.limit

    @property
    def approved(self) -> bool:
        return self.statement.approved

    @property
    def approval(self) -> str:
        return approval_state(self.statement)


def approval_state(statement: Statement) -> str:
    """A statement's status, with who has it and since when while it is in review:
    'in-review (with legal since 2026-11-01)'."""
    if statement.status != "in-review" or not (statement.review_with or statement.review_since):
        return statement.status
    with_ = f"with {statement.review_with}" if statement.review_with else ""
    since = f"since {statement.review_since}" if statement.review_since else ""
    return f"in-review ({' '.join(part for part in (with_, since) if part)})"


def _pick_statement(plan: Plan, scenario: Scenario, statement_id: str | None, channel_id: str | None) -> Statement:
    everything = plan.statements_of(scenario)
    # A retired statement is kept for the record, never offered to publish.
    statements = [s for s in everything if s.status != "retired"]
    if not statements:
        raise IncidentError(f"scenario '{scenario.id}' has no holding statement", "add one under statements: in the plan")
    if statement_id:
        chosen = next((s for s in statements if s.id == statement_id), None)
        if chosen is None:
            retired = any(s.id == statement_id for s in everything)
            raise IncidentError(
                f"statement '{statement_id}' is retired: it must not be published"
                if retired
                else f"scenario '{scenario.id}' has no statement '{statement_id}'",
                did_you_mean(statement_id, [s.id for s in statements], "its statements"),
            )
        if channel_id and channel_id not in chosen.channels:
            raise IncidentError(
                f"statement '{chosen.id}' is not written for channel '{channel_id}'",
                f"it is written for: {', '.join(chosen.channels)}",
            )
        return chosen
    if channel_id:
        for statement in statements:
            if channel_id in statement.channels:
                return statement
        covered = sorted({c for s in statements for c in s.channels})
        raise IncidentError(
            f"scenario '{scenario.id}' has no statement for channel '{channel_id}'",
            did_you_mean(channel_id, covered, "its statements are for"),
        )
    return statements[0]


def compose(
    plan: Plan,
    scenario: Scenario,
    values: dict[str, str],
    channel_id: str | None = None,
    language: str | None = None,
    statement_id: str | None = None,
) -> Composition:
    """Fill a scenario's statement (its main one, or the one for a channel)."""
    if channel_id and plan.channel(channel_id) is None:
        raise IncidentError(
            f"no channel '{channel_id}' in {plan.name}",
            did_you_mean(channel_id, [c.id for c in plan.channels], "channels"),
        )
    statement = _pick_statement(plan, scenario, statement_id, channel_id)
    language = language or plan.default_language
    if language not in statement.text:
        raise IncidentError(
            f"statement '{statement.id}' has no text in '{language}'",
            "languages written: " + ", ".join(statement.text),
        )
    channel = plan.channel(channel_id) if channel_id else None
    if channel is None:
        # No channel named: measure against the tightest channel it is written for.
        channel = plan.tightest_channel(statement)
    template = statement.text[language].strip()
    declared = plan.placeholders_for(statement)
    unknown = sorted(set(values) - set(PLACEHOLDER.findall(template)))
    if unknown:
        raise IncidentError(
            f"statement '{statement.id}' has no placeholder {', '.join('{' + u + '}' for u in unknown)}",
            "its placeholders: " + (", ".join("{" + n + "}" for n in dict.fromkeys(PLACEHOLDER.findall(template))) or "none"),
        )
    needed = list(dict.fromkeys(PLACEHOLDER.findall(template)))
    missing = [
        declared.get(name) or Placeholder((), name, "", "", None)
        for name in needed
        if not values.get(name, "").strip()
    ]
    text = fill(template, {k: v.strip() for k, v in values.items()})
    return Composition(plan, scenario, statement, language, channel, text, missing, len(text))


def statement_rows(plans: list[Plan], scenario_id: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """(scenario, statement, channel, language, status) for every statement."""
    rows = []
    for plan in plans:
        for scenario in plan.scenarios:
            if scenario_id and scenario.id != scenario_id:
                continue
            for statement in plan.statements_of(scenario):
                for channel in statement.channels:
                    for language in statement.text:
                        rows.append((scenario.id, statement.id, channel, language, approval_state(statement)))
    return rows
