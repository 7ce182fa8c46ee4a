"""CP901: a holder's name or contact typed into text the public edition publishes.

The plan in cases/public/leaks holds one leak of each kind, the same data in fields
the public edition leaves out (which must not warn), and text that looks personal
but is public by design: the press office's number and the organisation's name.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from crisisplan.check.pipeline import check_plan
from crisisplan.diagnostics import Diagnostic, Severity
from crisisplan.plan.discovery import PlanSource
from crisisplan.plan.model import Plan
from crisisplan.plan.public import personal_data_in_public_text, public_texts
from tests.conftest import CASES, ROOT, TODAY

LEAKS = CASES / "public" / "leaks"
PUBLISHES = "in text the public edition publishes"
ROLE_HINT = 'write the role instead ("the crisis lead")'


def internal_plan(source: PlanSource) -> Plan:
    checked = check_plan(source, dt.date.fromisoformat(TODAY))
    assert checked.plan is not None
    assert [d for d in checked.diagnostics if d.is_error] == []
    return checked.plan


def leaks_in(source: PlanSource) -> list[tuple[str, int, int, str]]:
    found = personal_data_in_public_text(internal_plan(source))
    assert all(d.code == "CP901" and d.severity is Severity.WARNING for d in found)
    return [(d.path, d.line, d.column, d.message) for d in found]


def test_each_leak_is_reported_on_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LEAKS)
    assert leaks_in(PlanSource(Path("."), True)) == [
        # A severity level's triggers, the number written with 00 for +.
        ("plan.yaml", 48, 67, f"Ana Lima's phone number (the primary for lead) appears {PUBLISHES}"),
        # A trigger: the handle in another case, without "(Slack)".
        ("scenarios/outage.yaml", 5, 19, f"Cy Dane's chat handle (the primary for social) appears {PUBLISHES}"),
        # A folded worst case: the name breaks over two lines; "Ben" starts it.
        ("scenarios/outage.yaml", 7, 79, f"Ben Cole's name (a deputy for lead) appears {PUBLISHES}"),
        # An escalation's when: "(020) 7946-0002" is +44 20 7946 0002. "Ana" alone is no leak.
        ("scenarios/outage.yaml", 20, 47, f"Ben Cole's phone number (a deputy for lead) appears {PUBLISHES}"),
        # A statement in a | block: the second line of its text, not the line of "en: |".
        ("scenarios/outage.yaml", 27, 9, f"Ana Lima's name (the primary for lead) appears {PUBLISHES}"),
        # An audience message, the address in another case.
        ("scenarios/outage.yaml", 45, 54, f"Di Eve's e-mail address (a deputy for social) appears {PUBLISHES}"),
        # Two leaks in one text: one diagnostic.
        ("scenarios/outage.yaml", 47, 30, f"Ana Lima's name and e-mail address (the primary for lead) appear {PUBLISHES}"),
    ]


def test_hints_say_what_to_write_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LEAKS)
    hints = {(d.line, d.hint) for d in personal_data_in_public_text(internal_plan(PlanSource(Path("."), True)))}
    assert (20, f"{ROLE_HINT}, or move the number to the role's contacts, which the public edition leaves out") in hints
    assert (27, f"{ROLE_HINT}: the public edition leaves out who holds each role") in hints
    assert (47, f"{ROLE_HINT}, or move the address to the role's contacts, which the public edition leaves out") in hints


def test_a_value_is_reported_where_it_starts_when_its_file_is_gone(tmp_path: Path) -> None:
    shutil.copytree(LEAKS, tmp_path / "plan")
    plan = internal_plan(PlanSource(tmp_path / "plan", True))
    (tmp_path / "plan" / "scenarios" / "outage.yaml").unlink()
    places = {(Path(d.path).name, d.line, d.column) for d in personal_data_in_public_text(plan)}
    assert ("outage.yaml", 25, 11) in places  # the "|" of the statement, not its second line
    assert ("plan.yaml", 48, 67) in places


@pytest.mark.parametrize("plan", ["brightbrew", "segarkita.yaml"])
def test_the_example_plans_publish_no_personal_data(plan: str) -> None:
    path = ROOT / "plans" / plan
    assert personal_data_in_public_text(internal_plan(PlanSource(path, path.is_dir()))) == []


@pytest.mark.parametrize("plan", ["brightbrew", "segarkita.yaml"])
def test_every_text_is_walked_with_the_path_it_was_written_at(plan: str) -> None:
    # A wrong path would still report, but on the line of an enclosing value.
    path = ROOT / "plans" / plan
    internal = internal_plan(PlanSource(path, path.is_dir()))
    texts = [(p, text) for p, text in public_texts(internal) if text]
    assert len(texts) > 300
    assert [p for p, _ in texts if p not in internal.locator.values and p not in internal.locator.keys] == []


MINIMAL = (CASES / "valid" / "minimal" / "plan.yaml").read_text("utf-8")


def when_leaks(tmp_path: Path, when: str) -> list[str]:
    """What a plan reports with ``when`` written into an escalation step."""
    text = MINIMAL.replace("      - at: 30m\n        notify: [lead]\n", f"      - at: 30m\n        notify: [lead]\n        when: {when!r}\n")
    assert text != MINIMAL
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    return [d.message for d in personal_data_in_public_text(internal_plan(PlanSource(tmp_path / "plan.yaml", False)))]


BEN_PHONE = [f"Ben Cole's phone number (a deputy for lead) appears {PUBLISHES}"]


@pytest.mark.parametrize(
    "when",
    [
        "call +44 20 7946 0002",
        "call +44 (0)20 7946 0002",
        "call 0044 20 7946 0002",
        "call 020-7946-0002",
        "call +44.20.7946.0002",
        "call 442079460002",
        "call 20 7946 0002",
        "room 12, 020 7946 0002",
        "in 2026 020 7946 0002",
        "+44 (0) 20 7946 0002 or 020 7946 0003",
    ],
)
def test_a_phone_number_matches_however_it_is_written(tmp_path: Path, when: str) -> None:
    assert when_leaks(tmp_path, when) == BEN_PHONE


@pytest.mark.parametrize(
    "when",
    [
        "call 7946 0002",  # without its area code: too few digits to be sure
        "call +44 20 7946 00021",
        "call +45 20 7946 0002",
        "order 12079460002",
        "order 1 2079460002",
        "at 2026-10-01 09:00-17:00",
    ],
)
def test_other_numbers_do_not_match(tmp_path: Path, when: str) -> None:
    assert when_leaks(tmp_path, when) == []


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("ana lima is away", [f"Ana Lima's name (the primary for lead) appears {PUBLISHES}"]),
        ("Ana  Lima's team", [f"Ana Lima's name (the primary for lead) appears {PUBLISHES}"]),
        ("Ana is away", []),  # a first name alone
        ("Ana Limas is away", []),  # not the whole word
        ("@cy or @cy_team", [f"Cy Dane's chat handle (the primary for social) appears {PUBLISHES}"]),
        ("@cyber team", []),
        ("mailto:ana@example.com", [f"Ana Lima's e-mail address (the primary for lead) appears {PUBLISHES}"]),
        ("hanna@example.com", []),
        ("Ana Lima and Ben Cole", [f"Ana Lima's name (the primary for lead) and Ben Cole's name (a deputy for lead) appear {PUBLISHES}"]),
    ],
)
def test_names_handles_and_addresses_match_as_whole_words(tmp_path: Path, when: str, expected: list[str]) -> None:
    assert when_leaks(tmp_path, when) == expected


def test_a_name_that_is_also_the_organisation_or_a_role_is_public(tmp_path: Path) -> None:
    text = MINIMAL.replace("      - name: Di Eve\n", "      - name: Example Co\n        email: hello@example.com\n      - name: Social Media Lead\n        chat: '@social'\n      - name: Di Eve\n")
    text = text.replace("        notify: [lead]\n", "        notify: [lead]\n        when: Example Co is named and the social media lead is late\n", 1)
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    assert personal_data_in_public_text(internal_plan(PlanSource(tmp_path / "plan.yaml", False))) == []


def test_a_number_is_placed_at_its_plus(tmp_path: Path) -> None:
    when_leaks(tmp_path, "call +44 20 7946 0002")
    found = personal_data_in_public_text(internal_plan(PlanSource(tmp_path / "plan.yaml", False)))
    assert [(d.line, d.column) for d in found] == [(68, 21)]
    assert (tmp_path / "plan.yaml").read_text().splitlines()[67][20:] == "+44 20 7946 0002'"


def test_one_diagnostic_per_text(tmp_path: Path) -> None:
    assert when_leaks(tmp_path, "Ana Lima (+44 20 7946 0001, ana@example.com) or Ana Lima") == [
        f"Ana Lima's name, phone number and e-mail address (the primary for lead) appear {PUBLISHES}"
    ]


def test_the_diagnostic_is_a_warning_with_a_stable_code(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(MINIMAL.replace("within the hour", "within the hour, says Ana Lima"), "utf-8")
    found = personal_data_in_public_text(internal_plan(PlanSource(tmp_path / "plan.yaml", False)))
    assert found == [
        Diagnostic(
            str(tmp_path / "plan.yaml"),
            72,
            93,
            "CP901",
            Severity.WARNING,
            f"Ana Lima's name (the primary for lead) appears {PUBLISHES}",
            f"{ROLE_HINT}: the public edition leaves out who holds each role",
        )
    ]
