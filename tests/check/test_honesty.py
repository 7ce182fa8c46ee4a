"""An honest --strict: accepted findings are listed (text, JSON, SARIF) and fail again
after their day; a statement in review is shown as not approved on the site, in the
PDFs and by `crisisplan statement`, in the reader's language."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import CASES, invoke

BASE = (CASES / "valid" / "honest-in-review-and-planned-drill" / "plan.yaml").read_text()
ACCEPTED = """    accepted:
      - code: CP711
        reason: First drill booked with the agency for January
        by: lead
        until: 2027-01-31
"""
NEVER_DRILLED = BASE.replace("drills:\n  - planned: 2027-01-20\n    scenario: outage\n", "")


def _plan(tmp_path: Path, text: str) -> Path:
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_accepted_finding_is_listed_and_does_not_fail_strict(tmp_path: Path) -> None:
    folder = _plan(tmp_path, NEVER_DRILLED.replace("    severity: high\n", "    severity: high\n" + ACCEPTED))
    code, out, err = invoke("check", "--strict", ".", cwd=folder)
    assert (code, err) == (0, "")
    assert out == (
        "plan.yaml:53:9: accepted CP711: scenario 'outage' has never been drilled"
        " (by lead until 2027-01-31: First drill booked with the agency for January)\n"
        "1 plan checked: no problems (1 accepted)\n"
    )
    code, out, _ = invoke("check", "-q", ".", cwd=folder)
    assert (code, out) == (0, "")


def test_the_json_report_lists_accepted_findings_apart(tmp_path: Path) -> None:
    folder = _plan(tmp_path, NEVER_DRILLED.replace("    severity: high\n", "    severity: high\n" + ACCEPTED))
    code, out, _ = invoke("check", "--format", "json", ".", cwd=folder)
    document = json.loads(out)
    assert code == 0
    assert document["summary"] == {"plans": 1, "errors": 0, "warnings": 0, "accepted": 1}
    assert document["diagnostics"] == []
    assert document["accepted"] == [
        {
            "path": "plan.yaml",
            "line": 53,
            "column": 9,
            "severity": "warning",
            "code": "CP711",
            "name": "never-drilled",
            "message": "scenario 'outage' has never been drilled",
            "hint": "run crisisplan drill outage, hold the exercise, then record it under drills:; "
            "until then, plan it: drills: [{planned: YYYY-MM-DD, scenario: outage}]",
            "reason": "First drill booked with the agency for January",
            "by": "lead",
            "until": "2027-01-31",
            "accepted_at": {"path": "plan.yaml", "line": 57, "column": 15},
        }
    ]
    code, out, _ = invoke("check", "--format", "sarif", ".", cwd=folder)
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "by lead until 2027-01-31: First drill booked with the agency for January",
        }
    ]


def test_an_acceptance_covers_only_what_it_sits_in(tmp_path: Path) -> None:
    """Accepted on the statement, CP711 (reported at the scenario) is not covered."""
    on_statement = "\n".join("    " + line if line else line for line in ACCEPTED.split("\n"))
    text = NEVER_DRILLED.replace("      - id: outage-ack\n", "      - id: outage-ack\n" + on_statement, 1)
    code, out, _ = invoke("check", "--strict", ".", cwd=_plan(tmp_path, text))
    assert code == 1
    assert "warning CP711: scenario 'outage' has never been drilled" in out
    assert "warning CP723: CP711 is accepted here, but crisisplan check does not report it here" in out


def test_after_its_day_the_finding_fails_again(tmp_path: Path, monkeypatch: object) -> None:
    folder = _plan(tmp_path, NEVER_DRILLED.replace("    severity: high\n", "    severity: high\n" + ACCEPTED))
    import os

    os.environ["CRISISPLAN_TODAY"] = "2027-02-01"
    try:
        code, out, _ = invoke("check", ".", cwd=folder)
    finally:
        os.environ["CRISISPLAN_TODAY"] = "2026-11-22"
    assert code == 1
    assert out == (
        "plan.yaml:53:9: warning CP711: scenario 'outage' has never been drilled\n"
        "  hint: run crisisplan drill outage, hold the exercise, then record it under drills:; "
        "until then, plan it: drills: [{planned: YYYY-MM-DD, scenario: outage}]\n"
        "plan.yaml:60:16: error CP720: the acceptance of CP711 ended on 2027-01-31\n"
        "  hint: fix what it accepted, or, if it still cannot be fixed, agree a new date and write it with the reason why\n"
        "1 plan checked: 1 error, 1 warning\n"
    )


def test_the_statement_command_says_it_is_in_review(tmp_path: Path) -> None:
    folder = _plan(tmp_path, BASE)
    code, out, err = invoke("statement", "outage", "--plan", ".", "--set", "product=Checkout", cwd=folder)
    assert code == 0
    assert out == "We know Checkout is down and we are on it. Next update within the hour.\n"
    assert err.splitlines()[-1] == (
        "warning: statement 'outage-ack' is not approved (status: in-review (with lead since 2026-11-01)); "
        "have it approved before publishing"
    )
    code, out, _ = invoke("statement", "--list", "--plan", ".", cwd=folder)
    assert out.splitlines()[1].split(None, 4)[-1] == "in-review (with lead since 2026-11-01)"


def _danish(text: str) -> str:
    return (
        text.replace("languages: [en]", "languages: [da]")
        .replace("          en: We know {product}", "          da: Vi ved, at {product} er nede, og vi arbejder på det. Næste opdatering inden for en time.\n          en: We know {product}")
        .replace("languages: [da]", "languages: [da, en]")
    )


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_site_and_pdfs_show_a_statement_in_review_as_not_approved_in_danish(tmp_path: Path) -> None:
    from crisisplan.publish.build import build
    from crisisplan.publish.options import BuildOptions

    plans = tmp_path / "plans"
    plans.mkdir()
    # The drill planned for 1 November did not happen: CP711 is accepted until January.
    late = BASE.replace("planned: 2027-01-20", "planned: 2026-11-01").replace("    severity: high\n", "    severity: high\n" + ACCEPTED)
    (plans / "shop.yaml").write_text(_danish(late), encoding="utf-8")
    result = build(BuildOptions(paths=[plans], site_dir=tmp_path / "site", today=dt.date(2026, 11, 22)))
    assert result.built, result.report.diagnostics
    badge = "Ikke godkendt · til godkendelse hos Crisis lead siden 1. november 2026"
    page = (tmp_path / "site" / "shop" / "scenarios" / "outage.html").read_text(encoding="utf-8")
    assert badge in page
    assert "cp-approved" not in page and ">Godkendt" not in page
    english = (tmp_path / "site" / "en" / "shop" / "scenarios" / "outage.html").read_text(encoding="utf-8")
    assert "Not approved · in review with Crisis lead since 1 November 2026" in english
    about = (tmp_path / "site" / "shop" / "about.html").read_text(encoding="utf-8")
    assert "1. november 2026 (planlagt)" in about
    assert "Accepterede fund" in about
    assert "<td>Service outage</td> <td><code>CP711</code></td> <td>First drill booked with the agency for January</td> <td>Crisis lead</td> <td>31. januar 2027</td>" in about
    runbook = tmp_path / "site" / "pdf" / "shop" / "outage.pdf"
    text = _squeeze(" ".join(page.extract_text() for page in PdfReader(runbook).pages))
    # On the quick card and on the statement card of the scenario's pages.
    assert text.count(_squeeze(badge)) == 2
    assert "Godkendt" not in text.replace("Ikkegodkendt", "")
