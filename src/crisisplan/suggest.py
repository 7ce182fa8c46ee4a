"""'Did you mean ...?' for misspelt keys, ids and values.

The closest choice is difflib's (SequenceMatcher's ratio, at least 0.6), found
without comparing every choice in full: choices whose length alone keeps them
under 0.6 are never looked at, the rest are compared best bound first, and the
comparing stops once no choice left can beat the best found. The same list of
choices is asked again for each unknown reference of a plan, so each list is
prepared once and each answer remembered.

Comparing long, alike ids is costly all the same (a plan of a few hundred of them
and as many misspellings once held a check for minutes). So the work is counted,
in steps of difflib's own search, and bounded: each lookup may take a few steps of
its own, and beyond them draws on the run's budget. A lookup that would exceed it
gives no suggestion, and every costly lookup after it in the run gives none: the
problem is still reported, without "did you mean". Steps, not seconds, so that the
same plan always gets the same hints.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from anyascii import anyascii

# Names people use for a choice that the format spells otherwise.
ALIASES = {
    "twitter": "x",
    "tweet": "x",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "wa": "whatsapp",
    "web": "website",
    "blog": "website",
    "newsroom": "website",
    "complaint": "complaints",
    "hate": "hate-speech",
    # Country codes written where a language code belongs.
    "dk": "da",
    "my": "ms",
    "in": "id",
    "se": "sv",
    "gb": "en",
    "uk": "en",
    "us": "en",
}

# How alike a choice must be to be suggested (difflib's ratio).
CUTOFF = 0.6
# A step is about 0.1-0.2 microseconds of comparing. Steps any one lookup may take
# without drawing on the run's budget: more than any list of choices in tests/cases
# needs, or 200 roles with ids of ordinary length, so that an ordinary lookup never
# depends on what the lookups before it cost.
LOOKUP_STEPS = 3_000
# Steps a run may spend beyond that: a second or two on a slow, busy machine.
RUN_STEPS = 10_000_000
# What each part of a lookup costs beyond the characters it goes through, in steps
# (measured: a Python call and its setting up take several).
_CANDIDATE_STEPS = 6
_RATIO_STEPS = 20
_SEARCH_STEPS = 10
# The most times a character is counted in a choice's packed counts (ids have at
# most 64 characters), and the most bits a choice's counts take: choices of many
# different characters (no id has them) are bounded by their length alone.
_WIDEST = 64
_PACKED_BITS = 8192
# Lists of choices kept prepared, and answers kept for each.
_LISTS_KEPT = 64
_ANSWERS_KEPT = 4096


class SuggestionBudget:
    """The steps a run may still spend on suggestions, and what it spent."""

    def __init__(self, steps: int = RUN_STEPS) -> None:
        self.left = steps
        self.spent = 0  # every step, the free ones of each lookup included
        self.lookups = 0  # lookups that compared (or would have), each with its free steps
        self.compared = 0  # full comparisons (difflib's ratio), the costly part
        self.skipped = 0  # lookups given up for want of steps

    @property
    def exhausted(self) -> bool:
        return self.left == 0


# A CLI command is one run; a process that checks again and again (serve) opens
# a budget for each check with suggestion_budget().
_PROCESS_BUDGET = SuggestionBudget()
_RUN: ContextVar[SuggestionBudget | None] = ContextVar("crisisplan_suggestion_budget", default=None)


@contextmanager
def suggestion_budget(steps: int = RUN_STEPS) -> Iterator[SuggestionBudget]:
    """A fresh budget for the suggestions made inside the block (one run)."""
    budget = SuggestionBudget(steps)
    token = _RUN.set(budget)
    try:
        yield budget
    finally:
        _RUN.reset(token)


@contextmanager
def run_budget() -> Iterator[SuggestionBudget]:
    """The budget of the run under way (serve's rebuild, a test's), or a fresh one
    for the block when no run has opened one."""
    active = _RUN.get()
    if active is not None:
        yield active
        return
    with suggestion_budget() as budget:
        yield budget


def current_budget() -> SuggestionBudget:
    budget = _RUN.get()
    return _PROCESS_BUDGET if budget is None else budget


class _OutOfSteps(Exception):
    """The lookup would take more steps than it and the run have left."""


class _Meter:
    """The steps of one lookup: its own first, then the run's."""

    def __init__(self, budget: SuggestionBudget) -> None:
        self.budget = budget
        self.free = LOOKUP_STEPS
        budget.lookups += 1
        self.used = 0

    def charge(self, steps: int) -> None:
        budget = self.budget
        self.used += steps
        own = min(steps, self.free)
        self.free -= own
        budget.spent += own
        steps -= own
        if steps == 0:
            return
        if steps > budget.left:
            # What it had is spent on this lookup: the rest of the run gets no
            # costly suggestion, rather than each starting one it cannot finish.
            budget.spent += budget.left
            budget.left = 0
            budget.skipped += 1
            raise _OutOfSteps
        budget.left -= steps
        budget.spent += steps


class _Matcher(difflib.SequenceMatcher[str]):
    """difflib's matcher, charging each search for a matching block before making it:
    one step per position of the choice and per place its character has in the word,
    which bounds the search's loop."""

    # Set by difflib (its choice, and where each character is in the word), not
    # declared by its type stubs.
    a: str
    b: str
    b2j: dict[str, list[int]]

    def __init__(self, meter: _Meter) -> None:
        super().__init__()
        self.meter = meter

    def find_longest_match(self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None) -> difflib.Match:
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        places = self.b2j
        self.meter.charge(_SEARCH_STEPS + ahi - alo + sum(len(places.get(c, ())) for c in self.a[alo:ahi]))
        return super().find_longest_match(alo, ahi, blo, bhi)


class _Choices:
    """One list of choices, prepared for lookups: by lowercase spelling and by length."""

    def __init__(self, choices: tuple[str, ...]) -> None:
        options = [c for c in choices if c]
        self.lowered = {c.lower(): c for c in options}
        self.listed = sorted(set(options))
        self.by_length: dict[int, list[str]] = {}
        for key in self.lowered:
            self.by_length.setdefault(len(key), []).append(key)
        self._pack(self.lowered)
        self.answers: dict[str, tuple[str | None, int]] = {}  # with the steps each took
        self._sorted: _Choices | None = None

    def _pack(self, keys: Iterable[str]) -> None:
        """How often each character occurs in each choice, in unary, one field of
        bits for each character: the characters two strings have in common (difflib's
        quick_ratio) are then the bits of an AND, counted at C speed."""
        counts = {key: Counter(key) for key in keys}
        most = max((max(found.values()) for found in counts.values() if found), default=0)
        self.width = min(most, _WIDEST)
        characters = sorted({c for found in counts.values() for c in found})
        if len(characters) * self.width > _PACKED_BITS:
            characters = []
        self.offsets = {c: n * self.width for n, c in enumerate(characters)}
        # A choice with a character more often than fields hold, or not in them, is
        # bounded by its length.
        self.packed = {
            key: None if not found or not characters or max(found.values()) > self.width else self.unary(found)
            for key, found in counts.items()
        }

    def unary(self, counts: Counter[str]) -> int:
        offsets, width = self.offsets, self.width
        return sum(((1 << min(n, width)) - 1) << offsets[c] for c, n in counts.items() if c in offsets)

    def in_order(self) -> _Choices:
        """The same choices listed in order (did_you_mean looks among them so)."""
        if self._sorted is None:
            self._sorted = _Choices(tuple(self.listed))
        return self._sorted

    def remember(self, word: str, answer: str | None, steps: int) -> None:
        if len(self.answers) >= _ANSWERS_KEPT:
            self.answers.clear()
        self.answers[word] = (answer, steps)


_prepared: OrderedDict[tuple[str, ...], _Choices] = OrderedDict()
_prepared_lock = threading.Lock()


def _choices(choices: Iterable[str]) -> _Choices:
    key = tuple(choices)
    with _prepared_lock:
        found = _prepared.get(key)
        if found is not None:
            _prepared.move_to_end(key)
            return found
    found = _Choices(key)
    with _prepared_lock:
        _prepared[key] = found
        while len(_prepared) > _LISTS_KEPT:
            _prepared.popitem(last=False)
    return found


def _ratio_bound(matches: int, length: int) -> float:
    # difflib's own formula, so that a bound is never a rounding away from its ratio.
    return 2.0 * matches / length if length else 1.0


def _best(word: str, choices: _Choices, meter: _Meter) -> str | None:
    """difflib.get_close_matches(word, choices, n=1, cutoff=CUTOFF), with its
    comparisons charged, and with no comparison made that cannot change the answer."""
    meter.charge(1 + len(choices.by_length))
    size = len(word)
    near = [
        key
        for length, keys in choices.by_length.items()
        if _ratio_bound(min(length, size), length + size) >= CUTOFF
        for key in keys
    ]
    if not near:
        return None
    meter.charge(1 + size + len(near) * _CANDIDATE_STEPS)
    mine = choices.unary(Counter(word))
    packed = choices.packed
    bounds: list[tuple[float, str]] = []
    for key in near:
        # difflib's quick_ratio: the characters in common, wherever they are.
        theirs = packed[key]
        common = min(len(key), size) if theirs is None else (theirs & mine).bit_count()
        bound = _ratio_bound(common, len(key) + size)
        if bound >= CUTOFF:
            bounds.append((bound, key))
    matcher = _Matcher(meter)
    matcher.set_seq2(word)  # the word is difflib's second sequence, as get_close_matches has it
    # Highest bound first; difflib breaks a tie in ratio by the larger choice.
    bounds.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, key in bounds:
        if best is not None and (bound, key) < best:
            break  # a ratio never exceeds its bound: nothing left can win
        meter.charge(_RATIO_STEPS)
        matcher.set_seq1(key)
        meter.budget.compared += 1
        score = matcher.ratio()
        if score >= CUTOFF and (best is None or (score, key) > best):
            best = (score, key)
    return best[1] if best else None


def _closest(word: str, choices: _Choices) -> str | None:
    lowered = choices.lowered
    key = word.lower()
    if key in lowered:
        return lowered[key]
    alias = ALIASES.get(key)
    if alias in lowered:
        return lowered[alias]
    meter = _Meter(current_budget())
    try:
        if key in choices.answers:
            # Known, but charged as if found again: a run's hints then never depend
            # on what an earlier run in the same process (serve, a test) asked.
            found, steps = choices.answers[key]
            meter.charge(steps)
        else:
            found = _best(key, choices, meter)
            choices.remember(key, found, meter.used)
    except _OutOfSteps:
        return None
    return lowered[found] if found is not None else None


def closest(word: str, choices: Iterable[str]) -> str | None:
    return _closest(word, _choices(choices))


def did_you_mean(word: str, choices: Iterable[str], listing: str = "choose one of") -> str:
    """A hint naming the closest choice, or listing the choices when none is close."""
    prepared = _choices(choices)
    best = _closest(word, prepared.in_order())
    if best is not None:
        return f"did you mean '{best}'?"
    options = prepared.listed
    if not options:
        return ""
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"{listing}: {shown}"


# Where Danish, Norwegian and German write a letter in Latin ones by their own rule
# (Søren -> Soeren, Århus -> Aarhus, Müller -> Mueller), not as anyascii's nearest
# letter (o, a, u); æ is ae either way.
_NORDIC = str.maketrans({"ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa", "ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe", "ü": "ue", "Ü": "Ue"})


def slug(text: str) -> str:
    """What an id written with capitals, spaces or accents most likely meant: letters
    written in Latin ones (æ -> ae, ø -> oe, å -> aa), the rest joined by hyphens."""
    lowered = anyascii(text.strip().translate(_NORDIC)).lower()
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")
