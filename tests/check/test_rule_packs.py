"""Rule packs (gdpr, nis2, iso22301, cerc) and audiences that name a body with a deadline.

Each rule's failing and passing plans are case folders (tests/cases/invalid/<code>-*,
tests/cases/valid/rules-<pack>), run by test_cases.py; here: that packs run only when
a plan opts in, how `checks` and `explain` present them, the example plans' use of
them, and what the site and PDFs show.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from crisisplan.check.codes import all_codes
from crisisplan.check.rules import PACKS, rules_of
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from tests.conftest import CASES, ROOT, TODAY, invoke

CHECKS_PACKS = """\
Rule packs, checked only for plans that list them under plan:, like rules: [gdpr, iso22301]

gdpr: GDPR Art. 33 and 34: personal-data breaches (scenarios with involves: [personal_data])
GDPR001  error    authority-not-told             A personal-data scenario that never tells the supervisory authority.
GDPR002  error    authority-deadline             A personal-data breach report to the authority with no deadline, or one over 72 hours.
GDPR003  error    no-notice-to-affected-people   A personal-data scenario with no statement for the people whose data is affected.
GDPR004  error    breach-not-recorded            A plan with personal-data scenarios whose post-crisis review has no owner or time.
GDPR005  warning  no-personal-data-scenario      A plan that opts into gdpr without marking any scenario as involving personal data (a warning).

nis2: NIS2 Art. 23: reporting significant incidents (scenarios with involves: [significant_incident])
NIS2001  error    no-early-warning               A significant incident with no early warning to the authority within 24 hours.
NIS2002  error    no-incident-notification       A significant incident with no incident notification to the authority within 72 hours.
NIS2003  error    no-final-report                A significant incident with no final report to the authority within a month.
NIS2004  warning  no-significant-incident-scenario A plan that opts into nis2 without marking any scenario as a significant incident (a warning).

iso22301: ISO 22301 §8.4: business continuity response procedures (every scenario and role)
ISO001   error    no-activation-criteria         A scenario with no activation criteria: nothing says when it starts.
ISO002   error    no-stand-down                  A scenario that does not say how the crisis is declared over.
ISO003   error    no-free-alternate              A role whose every deputy already holds another role as its primary.

cerc: CDC CERC: the first message (every scenario with statements)
CERC001  error    first-message-not-marked       A scenario whose first message is not marked, or marked twice.
CERC002  error    first-message-incomplete       A first message that does not cover what CERC asks of it.
"""


def test_checks_lists_each_pack_with_its_rules_after_crisisplans_own_codes() -> None:
    code, output, _ = invoke("checks")
    assert code == 0
    own, packs = output.split("\n\nRule packs", 1)
    assert "Rule packs" + packs == CHECKS_PACKS
    assert "GDPR" not in own and own.startswith("CP001  ")


def test_explain_a_rule_names_its_pack_and_cites_its_source() -> None:
    expected = """\
GDPR002 authority-deadline (error)
Rule pack gdpr (GDPR Art. 33 and 34: personal-data breaches): checked only for plans with rules: [gdpr].

A personal-data breach report to the authority with no deadline, or one over 72 hours.

GDPR Art. 33(1): "without undue delay and, where feasible, not later than 72 hours
after having become aware of it". The authority's audience carries that limit as
``deadline:``; CP481 then checks that ``within:`` meets it.

Fails: ``{audience: regulators, body: ICO, within: 48h, by: legal}`` (no
deadline), or ``deadline: 5d``.
Passes: ``{audience: regulators, body: ICO, deadline: 72h, within: 48h, by: legal}``.
"""
    assert invoke("explain", "GDPR002") == (0, expected, "")
    assert invoke("explain", "gdpr002") == (0, expected, "")
    assert invoke("explain", "authority-deadline") == (0, expected, "")


def test_explain_a_pack_shows_its_source_and_lists_its_rules() -> None:
    assert invoke("explain", "iso22301") == (
        0,
        """\
iso22301: ISO 22301:2019 §8.4, business continuity plans and procedures.

§8.4.2 asks for response teams with the roles, responsibilities and alternates to act
when the primaries cannot; §8.4.4 for plans that say how the response is activated
(the criteria), what is done and communicated, and how it stands down once the
incident is over. These rules hold every scenario and role of a plan to that.

A plan opts in under plan: with rules: [iso22301]. Its rules:
ISO001   error    no-activation-criteria         A scenario with no activation criteria: nothing says when it starts.
ISO002   error    no-stand-down                  A scenario that does not say how the crisis is declared over.
ISO003   error    no-free-alternate              A role whose every deputy already holds another role as its primary.
""",
        "",
    )


def test_explain_a_misspelt_code_suggests_the_nearest() -> None:
    code, output, errors = invoke("explain", "GDRP001")
    assert (code, output) == (2, "")
    # Click's usage lines come first (named after the program as invoked).
    assert errors.endswith("\n\nError: no code 'GDRP001': 'crisisplan checks' lists them all; did you mean 'GDPR001'?\n")


@pytest.mark.parametrize("pack", list(PACKS))
def test_every_rule_cites_its_source_and_has_a_failing_and_a_passing_case(pack: str) -> None:
    sources = {"gdpr": "GDPR Art.", "nis2": "NIS2 Art. 23", "iso22301": "ISO 22301 §8.4", "cerc": "CERC"}
    rules = rules_of(pack)
    assert rules
    for rule in rules:
        assert sources[pack] in rule.doc, rule.code
        assert any(p.name.startswith(rule.code.lower() + "-") for p in (CASES / "invalid").iterdir()), rule.code
    # The passing case opts into the pack, so every one of its rules ran and passed.
    assert f"rules: [{pack}]" in (CASES / "valid" / f"rules-{pack}" / "plan.yaml").read_text()
    assert [c.pack for c in all_codes() if c.code in {r.code for r in rules}] == [pack] * len(rules)


def test_packs_run_only_for_plans_that_opt_in(tmp_path: Path) -> None:
    text = (CASES / "invalid" / "gdpr001-authority-not-told" / "plan.yaml").read_text()
    assert "  rules: [gdpr]\n" in text
    (tmp_path / "plan.yaml").write_text(text.replace("  rules: [gdpr]\n", ""))
    assert invoke("check", "plan.yaml", cwd=tmp_path) == (0, "1 plan checked: no problems\n", "")
    (tmp_path / "plan.yaml").write_text(text.replace("[gdpr]", "[iso22301, cerc]"))
    code, output, _ = invoke("check", "plan.yaml", cwd=tmp_path)
    assert code == 1
    assert "GDPR" not in output and "ISO002" in output and "CERC001" in output


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if line == text)


def test_brightbrew_data_breach_without_its_ico_deadline_fails_under_gdpr(tmp_path: Path) -> None:
    """The issue's "done when": the example plan opts into gdpr, and dropping the
    regulator's deadline from its data-breach scenario fails with the line."""
    plan = tmp_path / "brightbrew"
    shutil.copytree(ROOT / "plans" / "brightbrew", plan)
    breach = plan / "scenarios" / "data-breach.yaml"
    text = breach.read_text()
    assert "    body: Information Commissioner's Office (ICO)\n    basis: UK GDPR Art. 33\n    deadline: 72h\n" in text
    breach.write_text(text.replace("    deadline: 72h\n", "", 1))
    line = _line_of(breach, "  - audience: regulators")
    assert invoke("check", "brightbrew", cwd=tmp_path) == (
        1,
        f"brightbrew/scenarios/data-breach.yaml:{line}:15: error GDPR002: the breach report to "
        "'Information Commissioner's Office (ICO)' has no deadline: GDPR Art. 33 sets 72h\n"
        "  hint: add deadline: 72h to it, and within: with when it is sent\n"
        "1 plan checked: 1 error\n",
        "",
    )


def test_example_plans_name_their_data_protection_authority() -> None:
    brightbrew = (ROOT / "plans" / "brightbrew" / "plan.yaml").read_text()
    assert "  rules: [gdpr, iso22301]\n" in brightbrew
    assert "Kementerian Komunikasi dan Digital (Komdigi)" in (ROOT / "plans" / "segarkita.yaml").read_text()
    kodmuda = (ROOT / "plans" / "kodmuda" / "scenarios" / "kebocoran-data-peserta.yaml").read_text()
    assert "Pesuruhjaya Perlindungan Data Peribadi (JPDP)" in kodmuda
    assert invoke("check", "--strict", "plans") == (0, "4 plans checked: no problems\n", "")


def test_site_and_pdf_show_the_named_body_its_deadline_who_tells_it_and_the_stand_down(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = build(
        BuildOptions(
            paths=[CASES / "valid" / "rules-gdpr", CASES / "valid" / "rules-iso22301"],
            site_dir=site,
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            cache=False,
        )
    )
    assert result.built, result.report.diagnostics
    page = (site / "rules-gdpr" / "scenarios" / "breach.html").read_text("utf-8")
    assert (
        "<tr><td><strong>Information Commissioner&#39;s Office (ICO)</strong><br>regulators</td>\n"
        "<td>Crisis lead</td>\n"
        '<td>within 48h<br><span class="cp-deadline">legal deadline 72h (UK GDPR Art. 33)</span></td>'
    ) in page
    down = (site / "rules-iso22301" / "scenarios" / "breach.html").read_text("utf-8")
    assert '<p class="cp-stand-down"><strong>Declared over by:</strong> Crisis lead</p>' in down
    assert "No new reports of misuse for 7 days" in down

    def pdf_text(path: Path) -> str:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)

    runbook = pdf_text(site / "pdf" / "rules-gdpr" / "breach.pdf")
    assert "Information Commissioner's Office (ICO) regulators Crisis lead within 48h legal deadline 72h (UK GDPR Art. 33)" in runbook
    assert "Standing down Declared over by: Crisis lead ☐ No new reports of misuse for 7 days" in pdf_text(
        site / "pdf" / "rules-iso22301" / "breach.pdf"
    )


def test_who_tells_an_authority_may_be_a_contact_outside_the_team(tmp_path: Path) -> None:
    text = (CASES / "valid" / "rules-gdpr" / "plan.yaml").read_text()
    counsel = (
        "contacts:\n"
        "  - id: outside-counsel\n"
        "    name: Hale & Partners LLP\n"
        "    kind: counsel\n"
        '    phone: "+44 20 7946 0990"\n'
        "severity_levels:\n"
    )
    told = "        deadline: 72h\n        within: 48h\n        by: lead\n"
    assert text.count("severity_levels:\n") == 1 and told in text
    plan = text.replace("severity_levels:\n", counsel).replace(told, told.replace("by: lead", "by: outside-counsel"))
    (tmp_path / "plan.yaml").write_text(plan)
    assert invoke("check", "--strict", "plan.yaml", cwd=tmp_path) == (0, "1 plan checked: no problems\n", "")
    (tmp_path / "plan.yaml").write_text(plan.replace("by: outside-counsel", "by: outside-counsl"))
    line = _line_of(tmp_path / "plan.yaml", "        by: outside-counsl")
    assert invoke("check", "plan.yaml", cwd=tmp_path) == (
        1,
        f"plan.yaml:{line}:13: error CP201: unknown role or contact 'outside-counsl'\n"
        "  hint: did you mean 'outside-counsel'?\n"
        "1 plan checked: 1 error\n",
        "",
    )
