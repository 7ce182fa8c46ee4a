"""Post-crisis reviews: written by `crisisplan review`, validated, shown on the site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crisisplan.check.pipeline import check_paths
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from tests.conftest import CASES, ROOT, invoke


def run(cwd: Path, *args: str) -> tuple[int, str, str]:
    return invoke(*args, cwd=cwd)


def test_review_file_is_written_beside_its_plan_and_passes_check(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, out, _ = run(tmp_path, "review", "hacked-account", "--date", "2026-11-20")
    assert code == 0
    written = tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-20-hacked-account.yaml"
    assert out == f"Wrote {written.relative_to(tmp_path)}: fill it in, then run 'crisisplan check'.\n"
    text = written.read_text()
    assert "scenario: hacked-account" in text and "status: draft" in text
    assert '  - question: "How did the attacker get in, and is that door now closed?"' in text
    assert "#   T+10m Try to log in" in text
    report = check_paths([tmp_path / "plans"])
    assert report.diagnostics == []
    plan = next(p.plan for p in report.plans if p.plan and p.plan.organisation == "Brightbrew Coffee")
    assert [r.scenario for r in plan.reviews] == ["hacked-account"]


def test_single_file_plan_reviews_live_in_reviews_slash_name(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, _, _ = run(tmp_path, "review", "keluhan-viral", "--date", "2026-11-20")
    assert code == 0
    assert (tmp_path / "plans" / "reviews" / "segarkita" / "2026-11-20-keluhan-viral.yaml").is_file()
    # The reviews folder is not mistaken for more plans.
    assert len(check_paths([tmp_path / "plans"]).plans) == 4


def test_a_review_is_never_overwritten(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    assert run(tmp_path, "review", "data-breach", "--date", "2026-11-20")[0] == 0
    code, _, err = run(tmp_path, "review", "data-breach", "--date", "2026-11-20")
    assert code == 1
    assert "2026-11-20-data-breach.yaml already exists" in err


def test_reviews_appear_under_their_scenario(tmp_path: Path) -> None:
    source = CASES / "invalid" / "cp721-review-action-overdue"
    shutil.copytree(source, tmp_path / "plans")
    result = build(BuildOptions(paths=[tmp_path / "plans"], site_dir=tmp_path / "site", config_file=ROOT / "mkdocs.yml", pdf=False))
    assert result.built
    html = (tmp_path / "site" / "plans" / "scenarios" / "outage.html").read_text()
    assert "Post-crisis reviews" in html and "2 June 2026 (final)" in html
    assert "Orders failed for three hours" in html
    assert 'class="cp-overdue"' in html and "overdue" in html
    assert "Last drilled: 1 September 2026" in html


# --- From the incident log the runbook's incident mode downloads ----------------------

LOG = {
    "format": "crisisplan-incident-log",
    "version": 1,
    "plan": "brightbrew",
    "scenario": "hacked-account",
    "language": "en",
    "started": "2026-11-21T23:50:00+00:00",
    "events": [
        {"at": "2026-11-21T23:50:00+00:00", "kind": "start", "text": "Incident started"},
        {"at": "2026-11-21T23:57:40+00:00", "kind": "action", "id": "action-1", "done": True, "text": "Try to log in"},
        {"at": "2026-11-22T00:16:00+00:00", "kind": "action", "id": "pause-scheduled-posts", "done": True, "text": ""},
        {"at": "2026-11-22T01:02:00+01:00", "kind": "escalation", "id": "escalation-1", "done": True, "text": "Notify"},
        {"at": "2026-11-22T00:20:00+00:00", "kind": "statement", "id": "hacked-warning", "language": "en", "text": "Our Instagram account has been hacked.\nDon't click."},
        {"at": "2026-11-22T00:21:00+00:00", "kind": "note", "text": "Meta support case #12345 opened"},
        {"at": "2026-11-22T00:25:00+00:00", "kind": "target", "id": "acknowledge", "done": True},
    ],
    "fields": {"hacked-warning/platform": "Instagram"},
}


def write_log(folder: Path, log: object, name: str = "incident.json") -> Path:
    import json

    path = folder / name
    path.write_text(json.dumps(log), "utf-8")
    return path


def test_a_review_from_the_incident_log_has_its_timeline_and_deadlines(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    write_log(tmp_path, LOG)
    code, out, err = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert (code, err) == (0, "")
    # The day the incident began, not the day the log was saved.
    written = tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-21-hacked-account.yaml"
    assert out == f"Wrote {written.relative_to(tmp_path)}: fill it in, then run 'crisisplan check'.\n"
    text = written.read_text("utf-8")
    assert "# Pre-filled from the incident log incident.json, whose events were recorded in a web browser and are not verified: check every line.\n" in text
    timeline = text[text.index("timeline:\n") : text.index("\n\n", text.index("timeline:\n"))]
    assert timeline == (
        "timeline:\n"
        '  - at: "2026-11-21 23:50"\n    what: "Incident started"\n'
        '  - at: "2026-11-21 23:57"\n    what: "Done: Try to log in, change the password and sign out all other sessions (IT security lead)"\n'
        # Written at +01:00 (01:02), shown on the incident's own clock.
        '  - at: "2026-11-22 00:02"\n    what: "Done: Notify: Crisis lead, IT security lead"\n'
        '  - at: "2026-11-22 00:16"\n    what: "Done: Pause every scheduled post and ad on all brand accounts (Social media lead)"\n'
        '  - at: "2026-11-22 00:20"\n    what: "Statement copied: hacked-warning (en): Our Instagram account has been hacked.\\nDon\'t click."\n'
        '  - at: "2026-11-22 00:21"\n    what: "Note: Meta support case #12345 opened"\n'
        '  - at: "2026-11-22 00:25"\n    what: "Done: Target: Acknowledge"'
    )
    assert (
        "what_worked:\n"
        '  - "On time: Try to log in, change the password and sign out all other sessions (IT security lead) (due T+10m, done T+7m)"\n'
        '  - "On time: Target: First statement (due T+1h, done T+30m)"\n'
    ) in text
    assert '  - "Late: Pause every scheduled post and ad on all brand accounts (Social media lead) (due T+10m, done T+26m)"\n' in text
    assert '  - "Late: Target: Acknowledge (due T+15m, done T+35m)"\n' in text
    # The log (without 'saved') ends at its last event, T+35m: T+2h had not come.
    assert '  - "Not yet due when the log was saved at T+35m: Notify: Legal counsel (due T+2h); check whether it was done"\n' in text
    assert "Not done: Notify: Legal counsel" not in text
    report = check_paths([tmp_path / "plans"])
    assert report.diagnostics == []


def test_deadlines_not_yet_due_when_the_log_was_saved_are_not_called_not_done(tmp_path: Path) -> None:
    """Issue 19: a log saved at T+40m marked the T+1h and T+2h deadlines "Not done".
    Minutes count as the page's clock does (started 14:00:40, a tick at 14:10:20 is
    T+10m), and a note still being typed when the log was saved is in the timeline."""
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    log = {
        **LOG,
        "started": "2026-11-22T14:00:40+01:00",
        "saved": "2026-11-22T14:40:10+01:00",
        "unsent_note": "  Meta case 123 op ",
        "events": [
            {"at": "2026-11-22T14:00:40+01:00", "kind": "start", "text": "Incident started"},
            {"at": "2026-11-22T14:10:20+01:00", "kind": "action", "id": "action-1", "done": True, "text": ""},
        ],
    }
    write_log(tmp_path, log)
    code, _, err = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert (code, err) == (0, "")
    text = (tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-22-hacked-account.yaml").read_text("utf-8")
    assert '  - "On time: Try to log in, change the password and sign out all other sessions (IT security lead) (due T+10m, done T+10m)"\n' in text
    # Passed by T+40m and not ticked: not done.
    assert '  - "Not done: Pause every scheduled post and ad on all brand accounts (Social media lead) (due T+10m)"\n' in text
    assert '  - "Not done: Target: Acknowledge (due T+15m)"\n' in text
    # Still ahead at T+40m: not yet due, listed last, to be checked.
    to_fix = text[text.index("what_to_fix:") : text.index("questions:")]
    assert to_fix.rstrip().endswith(
        '  - "Not yet due when the log was saved at T+40m: Target: First statement (due T+1h); check whether it was done"\n'
        '  - "Not yet due when the log was saved at T+40m: Notify: Legal counsel (due T+2h); check whether it was done"'
    )
    assert "Not done: Target: First statement" not in text and "Not done: Notify: Legal counsel" not in text
    assert (
        '  - at: "2026-11-22 14:40"\n'
        '    what: "Note not yet added to the log (still being typed when the log was saved): Meta case 123 op"\n'
    ) in text
    assert check_paths([tmp_path / "plans"]).diagnostics == []


def test_a_deadline_in_the_minute_the_log_was_saved_could_still_be_met(tmp_path: Path) -> None:
    """As on the page: in its own minute a deadline is due now; from the next, missed."""
    minimal_plan(tmp_path)
    pause = "Pause scheduled posts (Social media lead) (due T+10m)"
    log = {**OUTAGE, "started": "2026-11-22T10:00:00+00:00", "events": []}
    write_log(tmp_path, {**log, "saved": "2026-11-22T10:10:59+00:00"})
    text = review_text_of(tmp_path)
    assert f'"Not yet due when the log was saved at T+10m: {pause}; check whether it was done"' in text
    assert '"Not done:' not in text
    write_log(tmp_path, {**log, "saved": "2026-11-22T10:11:00+00:00"})
    text = review_text_of(tmp_path)
    assert f'"Not done: {pause}"' in text
    assert '"Not yet due when the log was saved at T+11m: Notify: Social media lead (due T+15m); check whether it was done"' in text
    assert check_paths([tmp_path / "plan"]).diagnostics == []
    write_log(tmp_path, {**OUTAGE, "saved": "not a time"})
    code, _, err = review_outage(tmp_path)
    assert code == 2
    assert err.startswith("error: incident.json: the log 'saved' is not a date and time like 2026-11-22T10:05:00+01:00")


def review_text_of(folder: Path) -> str:
    """The review of the minimal plan's outage from incident.json, written afresh."""
    shutil.rmtree(folder / "plan" / "reviews", ignore_errors=True)
    code, _, err = review_outage(folder)
    assert (code, err) == (0, ""), err
    return next((folder / "plan" / "reviews").glob("*.yaml")).read_text("utf-8")


def test_the_log_of_a_long_incident_keeps_the_review_within_its_limits(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    notes = [{"at": f"2026-11-22T{10 + n // 60:02d}:{n % 60:02d}:00+00:00", "kind": "note", "text": f"note {n}"} for n in range(300)]
    write_log(tmp_path, {**LOG, "started": "2026-11-22T09:00:00+00:00", "events": notes})
    code, _, _ = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert code == 0
    text = (tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-22-hacked-account.yaml").read_text("utf-8")
    # T+0 and 300 notes: 199 of them, then one line saying how many are left out.
    assert text.count("  - at: ") == 200
    assert '    what: "Events not listed here (see the incident log): 102"\n' in text
    assert check_paths([tmp_path / "plans"]).diagnostics == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "incident.json:1:2: not valid JSON: Expecting property name enclosed in double quotes"),
        (b'{"name": "a package.json"}', 'incident.json is not a crisisplan incident log (no "format": "crisisplan-incident-log")'),
        (b"\xff\xfe", "incident.json is not UTF-8 text: it is not an incident log"),
        (b"[" * 100_000, "incident.json is nested far too deeply: it is not an incident log"),
    ],
)
def test_a_file_that_is_not_a_log_is_named_with_what_is_wrong(tmp_path: Path, content: bytes, message: str) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    (tmp_path / "incident.json").write_bytes(content)
    code, out, err = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {message}\n"
        "  hint: use the file that 'Download log' saves from a scenario page's incident panel\n"
    )
    assert not (tmp_path / "plans" / "brightbrew" / "reviews").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"started": "yesterday"}, "the log 'started' is not a date and time like 2026-11-22T10:05:00+01:00 (from 1970 to 2199)"),
        ({"events": {"a": 1}}, "the log 'events' must be a list"),
        ({"events": [{"at": "2026-11-22T10:00:00+00:00", "kind": "party"}]}, "event 1 has the kind 'party'; a log has start, action, escalation, target, statement, update, note"),
        ({"events": [{"at": "2026-11-22T10:00:00+00:00", "kind": "action", "done": True}]}, "event 1 'id' must be a non-empty text"),
        ({"events": [{"at": "2026-11-22T10:00:00+00:00", "kind": "note", "text": 5}]}, "event 1 'text' must be a text"),
        ({"events": [{"at": "2026-11-22T10:00:00+00:00", "kind": "action", "id": "a", "done": "yes"}]}, "event 1 'done' must be true or false"),
    ],
)
def test_a_malformed_log_says_which_part(tmp_path: Path, change: dict[str, object], message: str) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    write_log(tmp_path, {**LOG, **change})
    code, _, err = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert code == 2
    assert err == (
        f"error: incident.json: {message}\n"
        "  hint: download the log again from the scenario page; if it was edited, fix that part\n"
    )


def test_the_log_of_another_scenario_is_refused(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    write_log(tmp_path, LOG)
    code, _, err = run(tmp_path, "review", "data-breach", "--from-log", "incident.json")
    assert code == 2
    assert err == (
        "error: incident.json is the log of scenario 'hacked-account', not 'data-breach'\n"
        "  hint: run 'crisisplan review hacked-account --from-log incident.json', or pick the right log\n"
    )


def test_a_log_from_a_newer_crisisplan_and_a_missing_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    write_log(tmp_path, {**LOG, "version": 2})
    code, _, err = run(tmp_path, "review", "hacked-account", "--from-log", "incident.json")
    assert code == 2
    assert err == (
        "error: incident.json is an incident log of version 2; this crisisplan reads version 1\n"
        "  hint: update crisisplan (pip install -U crisisplan), then run the command again\n"
    )
    code, _, err = run(tmp_path, "review", "hacked-account", "--from-log", "gone.json")
    assert code == 2
    assert err.startswith("error: cannot read gone.json: ")


# --- Logs that are damaged, hostile or out of range (issue 20) --------------------------
# Most of these use the minimal example plan (folder plan/), which loads in milliseconds.

OUTAGE = {**LOG, "plan": "plan", "scenario": "outage"}


def minimal_plan(folder: Path) -> Path:
    (folder / "plan").mkdir()
    shutil.copy(CASES / "valid" / "minimal" / "plan.yaml", folder / "plan" / "plan.yaml")
    return folder / "plan"


def review_outage(folder: Path, log: str = "incident.json") -> tuple[int, str, str]:
    return run(folder, "review", "outage", "--plan", "plan", "--from-log", log)


def test_the_review_says_its_events_came_from_a_browser_and_are_not_verified(tmp_path: Path) -> None:
    minimal_plan(tmp_path)
    write_log(tmp_path, OUTAGE)
    assert review_outage(tmp_path)[0] == 0
    text = (tmp_path / "plan" / "reviews" / "2026-11-21-outage.yaml").read_text("utf-8")
    assert text.count(
        "# Pre-filled from the incident log incident.json, whose events were recorded in a web browser "
        "and are not verified: check every line.\n"
    ) == 1
    # In the plan's language: segarkita's reviews are in Bahasa Indonesia.
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / "plans" / "segarkita.yaml", tmp_path / "plans")
    write_log(tmp_path, {**LOG, "scenario": "keluhan-viral", "events": []}, "log-id.json")
    code, _, _ = run(tmp_path, "review", "keluhan-viral", "--plan", "plans/segarkita.yaml", "--from-log", "log-id.json")
    assert code == 0
    text = (tmp_path / "plans" / "reviews" / "segarkita" / "2026-11-21-keluhan-viral.yaml").read_text("utf-8")
    assert "yang catatannya direkam di peramban web dan tidak diverifikasi" in text


def test_an_escalation_id_that_is_not_a_short_number_is_a_plain_log_problem(tmp_path: Path) -> None:
    minimal_plan(tmp_path)
    tick = {"at": "2026-11-22T00:10:00+00:00", "kind": "escalation", "done": True, "text": "Told them"}
    write_log(tmp_path, {**OUTAGE, "events": [{**tick, "id": "escalation-" + "1" * 5000}]})
    code, out, err = review_outage(tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        "error: incident.json: event 1 'id' is longer than 100 characters: it is not a step of the runbook\n"
        "  hint: download the log again from the scenario page; if it was edited, fix that part\n"
    )
    # A short id that is still no step number (a superscript two, a step the scenario
    # lacks) is an unknown step: the log's own words are kept.
    events = [{**tick, "id": "escalation-\u00b2"}, {**tick, "id": "escalation-0099", "text": "Called the board"}]
    write_log(tmp_path, {**OUTAGE, "events": events})
    code, _, err = review_outage(tmp_path)
    assert (code, err) == (0, "")
    text = (tmp_path / "plan" / "reviews" / "2026-11-21-outage.yaml").read_text("utf-8")
    assert '"Done: Told them"' in text and '"Done: Called the board"' in text
    assert check_paths([tmp_path / "plan"]).diagnostics == []


def test_a_review_whose_due_date_would_pass_2199_is_refused(tmp_path: Path) -> None:
    minimal_plan(tmp_path)
    write_log(tmp_path, {**OUTAGE, "started": "2199-12-30T10:00:00+00:00", "events": []})
    code, out, err = review_outage(tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        "error: incident.json: the incident began on 2199-12-30, so its review would be due on 2200-01-13; "
        "crisisplan's dates run from 1970 to 2199, so a review can be started for an incident up to 2199-12-17\n"
        "  hint: give --date the day the incident really began, or fix 'started' in the log\n"
    )
    code, _, err = run(tmp_path, "review", "outage", "--plan", "plan", "--date", "2199-12-18")
    assert code == 2 and err.startswith("error: the review of an incident on 2199-12-18 would be due on 2200-01-01;")
    assert not (tmp_path / "plan" / "reviews").exists()
    # The last day that works gives a review `check` accepts.
    assert run(tmp_path, "review", "outage", "--plan", "plan", "--date", "2199-12-17")[0] == 0
    assert check_paths([tmp_path / "plan"]).diagnostics == []


def test_an_event_that_leaves_the_years_on_the_incidents_clock_is_refused(tmp_path: Path) -> None:
    # 2199-12-31 23:30 at UTC-12 is 2200 on the clock of an incident that began at UTC+14.
    late = {"at": "2199-12-31T23:30:00-12:00", "kind": "note", "text": "late"}
    minimal_plan(tmp_path)
    write_log(tmp_path, {**OUTAGE, "started": "2199-12-01T10:00:00+14:00", "events": [late]})
    code, _, err = review_outage(tmp_path)
    assert code == 2
    assert err.startswith("error: incident.json: event 1 'at' is not a date and time like 2026-11-22T10:05:00+01:00 (from 1970 to 2199)\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "crisisplan-incident-log", "version": ' + b"1" * 5000 + b"}", "incident.json holds a number far too long: it is not an incident log"),
        (b'{"format": "crisisplan-incident-log", "version": NaN}', "incident.json holds NaN, which is not a JSON value: it is not an incident log"),
        (b'{"format": "crisisplan-incident-log", "version": 1, "started": -Infinity}', "incident.json holds -Infinity, which is not a JSON value: it is not an incident log"),
    ],
)
def test_numbers_json_does_not_have_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    minimal_plan(tmp_path)
    (tmp_path / "incident.json").write_bytes(content)
    code, _, err = review_outage(tmp_path)
    assert code == 2
    assert err == f"error: {message}\n  hint: use the file that 'Download log' saves from a scenario page's incident panel\n"


def test_half_characters_a_bom_and_a_name_that_is_not_utf8_still_give_a_review(tmp_path: Path) -> None:
    import json
    import os

    minimal_plan(tmp_path)
    note = {"at": "2026-11-22T00:21:00+00:00", "kind": "note", "text": "half \ud83d an emoji"}
    name = os.fsdecode(b"log-\xff.json")
    text = json.dumps({**OUTAGE, "events": [note]})  # "\ud83d" stays an escape in the file
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, _, err = review_outage(tmp_path, name)
    assert (code, err) == (0, "")
    review = (tmp_path / "plan" / "reviews" / "2026-11-21-outage.yaml").read_text("utf-8")
    assert '"Note: half  an emoji"' in review
    assert "incident log log-\ufffd.json," in review
    assert check_paths([tmp_path / "plan"]).diagnostics == []


@pytest.mark.parametrize("command", [["review", "hacked-account"], ["drill", "hacked-account"], ["statement", "hacked-account"]])
def test_a_plan_on_standard_input_is_for_check_only(tmp_path: Path, command: list[str]) -> None:
    code, out, err = run(tmp_path, *command, "--plan", "-")
    assert (code, out) == (2, "")
    assert err.endswith(
        "Error: --plan - (a plan on standard input) works only for 'crisisplan check'; "
        "give the plan's file or folder, like --plan plans/acme.yaml\n"
    )


def test_a_plan_without_a_review_checklist_gets_a_review_check_accepts(tmp_path: Path) -> None:
    # Found by tests/incident/test_log_fuzz.py: "questions:" with nothing under it.
    minimal_plan(tmp_path)
    code, _, err = run(tmp_path, "review", "outage", "--plan", "plan", "--date", "2026-11-20")
    assert (code, err) == (0, "")
    text = (tmp_path / "plan" / "reviews" / "2026-11-20-outage.yaml").read_text("utf-8")
    assert 'questions:\n  - question: "What would we do differently next time?"\n    answer: ""\n' in text
    assert check_paths([tmp_path / "plan"]).diagnostics == []
