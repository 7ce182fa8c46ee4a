""""Did you mean ...?": the same suggestions as difflib's get_close_matches over every
choice, at a cost bounded by a budget of steps, not by time: plans of hundreds of
long, alike ids and misspelt owners (from benchmarks/suggest_cost.py) are checked
with their work counted where difflib does it."""

from __future__ import annotations

import datetime as dt
import difflib
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisplan import suggest
from crisisplan.check.pipeline import Report, check_paths
from crisisplan.suggest import ALIASES, closest, did_you_mean, suggestion_budget
from tests.conftest import ROOT

hostile_plan = runpy.run_path(str(ROOT / "benchmarks" / "suggest_cost.py"))["hostile_plan"]
TODAY = dt.date(2026, 11, 22)


def plain_closest(word: str, choices: list[str]) -> str | None:
    """What suggest.closest gave before its cost was bounded: difflib over every choice."""
    options = [c for c in choices if c]
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    alias = ALIASES.get(word.lower())
    if alias in lowered:
        return lowered[alias]
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def plain_did_you_mean(word: str, choices: list[str], listing: str = "choose one of") -> str:
    options = sorted({c for c in choices if c})
    best = plain_closest(word, options)
    if best is not None:
        return f"did you mean '{best}'?"
    if not options:
        return ""
    return f"{listing}: " + ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")


# Few letters, so that choices are alike, tie, repeat and differ only in case.
text = st.text(alphabet="abAB-x", max_size=14)


@settings(max_examples=60, deadline=None)
@given(word=text, choices=st.lists(text, max_size=12))
def test_the_suggestions_are_difflibs(word: str, choices: list[str]) -> None:
    with suggestion_budget():
        for _ in range(2):  # and the same once remembered
            assert closest(word, choices) == plain_closest(word, choices)
            assert did_you_mean(word, choices, "roles") == plain_did_you_mean(word, choices, "roles")


def test_known_suggestions() -> None:
    assert closest("socail-lead", ["social-lead", "lead"]) == "social-lead"
    assert closest("TWITTER", ["x", "facebook"]) == "x"
    assert closest("Social-Lead", ["social-lead"]) == "social-lead"
    assert did_you_mean("zzz", ["b", "a"], "roles defined") == "roles defined: a, b"
    assert did_you_mean("zzz", []) == ""
    # Long choices, with characters more often than the packed counts hold.
    long = ["a" * 70 + "b", "a" * 40 + "b" * 40]
    assert closest("a" * 69 + "c", long) == plain_closest("a" * 69 + "c", long)


@pytest.fixture
def difflib_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The steps difflib's own search takes, wherever it is called from: for each
    search for a matching block, the positions and places its loop can visit (as the
    budget counts them); for each quick_ratio, the characters it counts."""
    work = {"steps": 0}
    search = difflib.SequenceMatcher.find_longest_match
    quick = difflib.SequenceMatcher.quick_ratio

    def counted_search(self: Any, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None) -> Any:
        ahi = len(self.a) if ahi is None else ahi
        work["steps"] += ahi - alo + sum(len(self.b2j.get(c, ())) for c in self.a[alo:ahi])
        return search(self, alo, ahi, blo, bhi)

    def counted_quick(self: Any) -> float:
        work["steps"] += len(self.a)
        return quick(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "find_longest_match", counted_search)
    monkeypatch.setattr(difflib.SequenceMatcher, "quick_ratio", counted_quick)
    yield work


def check(tmp_path: Path, plan: str) -> Report:
    path = tmp_path / "plan.yaml"
    path.write_text(plan, encoding="utf-8")
    return check_paths([path], today=TODAY)


def unknown_owners(report: Report) -> list[str]:
    return [f"{d.message} / {d.hint}" for d in report.diagnostics if d.code == "CP201"]


def test_200_misspelt_owners_among_200_long_alike_ids_all_get_their_hint(tmp_path: Path, difflib_work: dict[str, int]) -> None:
    # Ids of repeated letters, where difflib's comparison is slowest (benchmarks/
    # suggest_cost.py has more kinds, with times).
    with suggestion_budget() as budget:
        found = unknown_owners(check(tmp_path, hostile_plan("repeated", roles=198, refs=200)))
    assert len(found) == 200
    assert all("did you mean" in line for line in found)
    # Before: every owner compared in full with every role (40,000 comparisons,
    # tens of millions of steps, 30 s and more). Now at most two or three each.
    assert budget.compared <= 3 * 200
    assert difflib_work["steps"] <= budget.spent <= suggest.RUN_STEPS
    assert budget.skipped == 0


def test_a_240_kb_plan_stays_within_its_budget(tmp_path: Path, difflib_work: dict[str, int]) -> None:
    plan = hostile_plan("repeated", roles=198, contacts=200, refs=1350)
    assert 230_000 < len(plan.encode()) < 250_000
    steps = 2_000_000  # a small budget: this test shows the bound, not the speed
    with suggestion_budget(steps) as budget:
        found = unknown_owners(check(tmp_path, plan))
    assert len(found) == 1350  # every misspelling reported, with a hint or without
    assert budget.lookups == 1350
    assert difflib_work["steps"] <= budget.spent <= steps + budget.lookups * suggest.LOOKUP_STEPS
    hinted = sum("did you mean" in line for line in found)
    assert 0 < hinted < 1350 and budget.exhausted
    # Without a hint, the problem still names what is defined.
    assert all("did you mean" in line or "roles and contacts defined: " in line for line in found)


def test_where_no_bound_rules_a_choice_out_the_budget_stops_the_comparing(
    tmp_path: Path, difflib_work: dict[str, int]
) -> None:
    # Ids that are shuffles of the same letters: every one is as close as the next
    # by difflib's quick bound, so each lookup compares them all in full.
    plan = hostile_plan("shuffled", roles=198, refs=200)
    steps = 1_000_000

    def run() -> list[str]:
        report = check(tmp_path, plan)
        # An ordinary lookup after the budget is spent still gets its hint.
        assert suggest.current_budget().exhausted
        assert closest("socail-lead", ["social-lead", "lead"]) == "social-lead"
        return unknown_owners(report)

    with suggestion_budget(steps) as first:
        found = run()
    assert len(found) == 200 and 0 < sum("did you mean" in line for line in found) < 200
    assert first.skipped >= 1 and first.lookups == 201
    assert difflib_work["steps"] <= first.spent <= steps + first.lookups * suggest.LOOKUP_STEPS
    # Steps, not seconds: the same plan gets the same hints in a second run of the
    # process, though its answers are remembered by then.
    with suggestion_budget(steps) as second:
        assert run() == found
    assert second.spent == first.spent


def test_a_budget_belongs_to_its_run() -> None:
    outside = suggest.current_budget()
    before = outside.spent
    with suggestion_budget(0) as empty:
        assert suggest.current_budget() is empty
        with suggestion_budget() as inner:
            assert closest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", ["a" * 100]) is not None
        assert inner.spent > suggest.LOOKUP_STEPS and empty.spent == 0
    assert suggest.current_budget() is outside and outside.spent == before


@pytest.mark.parametrize(
    ("written", "meant"),
    [("datalæk", "datalaek"), ("forældremøde", "foraeldremoede"), ("påstand", "paastand"), ("Müller", "mueller"), ("Ærø Bank", "aeroe-bank")],
)
def test_an_id_with_danish_or_german_letters_is_spelt_as_those_languages_do(written: str, meant: str) -> None:
    assert suggest.slug(written) == meant
