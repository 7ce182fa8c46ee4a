"""Several phones' logs of one incident become one timeline and one review (issue 22)."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

from crisisplan.check.pipeline import check_paths
from crisisplan.incident.logmerge import merge_logs
from crisisplan.incident.review import read_log
from tests.conftest import ROOT, invoke


def log(by: str, started: str, *events: dict[str, Any], saved: str = "") -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "crisisplan-incident-log",
        "version": 1,
        "plan": "brightbrew",
        "scenario": "hacked-account",
        "language": "en",
        "started": started,
        "events": list(events),
    }
    if by:
        document["by"] = by
    if saved:
        document["saved"] = saved
    return document


START = {"at": "2026-11-21T23:50:00+00:00", "kind": "start", "text": "Incident started"}
LOGIN = {"at": "2026-11-21T23:57:40+00:00", "kind": "action", "id": "action-1", "done": True, "text": "Try to log in"}
NOTE = {"at": "2026-11-22T00:21:00+00:00", "kind": "note", "text": "Meta support case #12345 opened"}

# The crisis lead's phone: starts the incident, tries to log in, notes the case.
LEAD = log("crisis-lead", "2026-11-21T23:50:00+00:00", START, LOGIN, NOTE)
# The social lead's phone, on Danish summer time's neighbour (+01:00): its own start a
# few seconds later (the same start pressed twice), pauses posts, and holds the note
# the lead handed over (the same event: not counted twice).
SOCIAL = log(
    "social-lead",
    "2026-11-22T00:50:20+01:00",
    {"at": "2026-11-22T00:50:20+01:00", "kind": "start", "text": "Incident started"},
    {"at": "2026-11-22T01:05:00+01:00", "kind": "action", "id": "pause-scheduled-posts", "done": True},
    {**NOTE, "by": "crisis-lead"},
)
# Customer service's phone, from before the console asked who is using it: its file
# name says whose it is. It unticks the login step the lead ticked.
SERVICE = log(
    "",
    "2026-11-21T23:52:00+00:00",
    {"at": "2026-11-22T00:02:00+00:00", "kind": "action", "id": "action-1", "done": False},
    {"at": "2026-11-22T00:25:00+00:00", "kind": "target", "id": "acknowledge", "done": True},
    saved="2026-11-22T00:40:00+00:00",
)
PHONES = {"lead.json": LEAD, "social.json": SOCIAL, "service-desk.json": SERVICE}


def write(folder: Path) -> list[Path]:
    paths = []
    for name, document in PHONES.items():
        path = folder / name
        path.write_text(json.dumps(document), "utf-8")
        paths.append(path)
    return paths


def test_merging_keeps_every_event_once_with_who_did_it_in_any_order(tmp_path: Path) -> None:
    logs = [read_log(p) for p in write(tmp_path)]
    merged = [merge_logs(list(order)) for order in itertools.permutations(logs)]
    # A union: the same record whichever file comes first.
    assert all(m.events == merged[0].events for m in merged)
    rows = [(f"{e.at:%H:%M}", e.kind, e.id, e.done, e.by) for e in merged[0].events]
    assert rows == [
        ("23:50", "start", "", True, "crisis-lead"),
        ("23:57", "action", "action-1", True, "crisis-lead"),
        ("00:02", "action", "action-1", False, "service-desk"),
        ("00:05", "action", "pause-scheduled-posts", True, "social-lead"),
        ("00:21", "note", "", True, "crisis-lead"),
        ("00:25", "target", "acknowledge", True, "service-desk"),
    ]
    assert f"{merged[0].saved:%H:%M}" == "00:40"


def test_three_phones_make_one_review_with_the_disagreement_to_settle(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    write(tmp_path)
    code, _, err = invoke(
        "review", "hacked-account", "--from-log", "lead.json", "social.json", "service-desk.json", cwd=tmp_path
    )
    assert (code, err) == (0, ""), err
    written = tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-21-hacked-account.yaml"
    text = written.read_text("utf-8")
    assert "incident log lead.json, social.json, service-desk.json," in text
    timeline = text[text.index("timeline:\n") : text.index("\n\n", text.index("timeline:\n"))]
    assert timeline == (
        "timeline:\n"
        '  - at: "2026-11-21 23:50"\n    what: "crisis-lead: Incident started"\n'
        '  - at: "2026-11-21 23:57"\n    what: "crisis-lead: Done: Try to log in, change the password and sign out all other sessions (IT security lead)"\n'
        '  - at: "2026-11-22 00:02"\n    what: "service-desk: Unticked: Try to log in, change the password and sign out all other sessions (IT security lead)"\n'
        '  - at: "2026-11-22 00:05"\n    what: "social-lead: Done: Pause every scheduled post and ad on all brand accounts (Social media lead)"\n'
        '  - at: "2026-11-22 00:21"\n    what: "crisis-lead: Note: Meta support case #12345 opened"\n'
        '  - at: "2026-11-22 00:25"\n    what: "service-desk: Done: Target: Acknowledge"'
    )
    # Judged on the merged record: the pause (on the social lead's phone) was late.
    assert '  - "Late: Pause every scheduled post and ad on all brand accounts (Social media lead) (due T+10m, done T+15m)"\n' in text
    assert (
        '  - "Try to log in, change the password and sign out all other sessions (IT security lead): ticked by crisis-lead '
        'at 23:57, unticked by service-desk at 00:02; agree which is right"\n'
    ) in text
    assert check_paths([tmp_path / "plans"]).diagnostics == []


def test_logs_of_two_scenarios_are_not_merged(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    (tmp_path / "a.json").write_text(json.dumps(LEAD), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps({**SOCIAL, "scenario": "viral-complaint"}), "utf-8")
    code, out, err = invoke("review", "hacked-account", "--from-log", "a.json", "b.json", cwd=tmp_path)
    assert code == 2 and out == ""
    assert err == (
        "error: b.json is the log of scenario 'viral-complaint', not 'hacked-account'\n"
        "  hint: run 'crisisplan review viral-complaint --from-log b.json', or pick the right log\n"
    )


def test_more_logs_without_from_log_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("review", "hacked-account", "a.json", cwd=tmp_path)
    assert code == 2
    assert "name the logs after --from-log, like: --from-log phone-a.json phone-b.json" in err
