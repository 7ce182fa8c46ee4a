"""Robustness: generated and mutated plans never crash crisisplan.

Plans are drawn from the JSON Schema and made from the example plans with hostile
values, deleted keys and YAML oddities put in (see tests/fuzzing.py). Whatever the
plan, `check` reports problems in its documented format and exits 0, 1 or 2; a
build either publishes a site or leaves the previous one byte for byte; the
incident tools answer without a traceback.

The seed is fixed and the budget small, so this runs the same way in CI every time
and in well under a minute. A deeper search runs the same properties with more
examples: CRISISPLAN_FUZZ_SCALE=20 pytest tests/check/test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crisisplan.cli import cli
from crisisplan.plan.schema import plan_schema
from tests.fuzzing import (
    FUZZ,
    MINIMAL,
    SEGARKITA,
    Files,
    SchemaStrategies,
    examples,
    generated_plan,
    load_example,
    mutated_folder_plan,
    mutated_single_file,
    text_mutated_minimal,
    write_plan,
)

# Generated plans now hold every part of the format, so an example's repr (which
# Hypothesis prints only for a failing example) passes its 40 kB warning threshold.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")




SCHEMAS = SchemaStrategies(plan_schema())

DIAGNOSTIC = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) (?:CP|GDPR|NIS2|ISO|CERC)\d{3}: .*\S.*$"
)
HINT = re.compile(r"^  hint: .*$")
SUMMARY = re.compile(
    r"^(?P<plans>\d+) plans? checked: (?:no problems|\d+ errors?(?:, \d+ warnings?)?|\d+ warnings?)$"
)


def any_plan() -> st.SearchStrategy[Files]:
    return st.one_of(
        generated_plan(SCHEMAS, plan_schema()),
        mutated_single_file(MINIMAL),
        mutated_single_file(SEGARKITA),
        mutated_folder_plan(SCHEMAS),
    )


@contextlib.contextmanager
def plan_folder(files: Files) -> Iterator[Path]:
    """A fresh folder holding the plan's files."""
    with tempfile.TemporaryDirectory(prefix="crisisplan-fuzz-") as scratch:
        folder = Path(scratch) / "plan"
        folder.mkdir()
        write_plan(folder, files)
        yield folder


def invoke(*args: str) -> Result:
    # color=True: Click would otherwise strip ANSI sequences, as it does for a pipe,
    # and hide from the test what an author's terminal receives.
    return CliRunner().invoke(cli, list(args), catch_exceptions=True, color=True)


def assert_no_crash(result: Result, codes: set[int]) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped:\n{result.output}") from result.exception
    assert result.exit_code in codes, result.output


def assert_bounded(output: str, files: Files) -> None:
    size = sum(len(content) for content in files.values())
    assert len(output) <= 200 * size + 10_000, (
        f"{len(output):,} characters of output for {size:,} bytes of plan"
    )


def is_control(char: str) -> bool:
    """A character that would move the cursor, clear or retitle a terminal: no
    diagnostic may carry one from a plan to the author's screen."""
    return char != "\n" and unicodedata.category(char) == "Cc"


def assert_report(result: Result, folder: Path, files: Files) -> tuple[int, int]:
    """`check`'s text output: diagnostic lines, hint lines, one summary. Returns the
    number of errors and warnings it lists."""
    assert_no_crash(result, {0, 1})
    output = result.output
    assert_bounded(output, files)
    assert output.endswith("\n"), output
    lines = output[:-1].split("\n")
    summary = SUMMARY.match(lines[-1])
    assert summary, f"no summary line at the end:\n{output}"
    counts = {"error": 0, "warning": 0}
    for line in lines[:-1]:
        bad = [c for c in line if is_control(c)]
        assert not bad, f"control characters {bad!r} in the line {line!r}"
        if HINT.match(line):
            continue
        found = DIAGNOSTIC.match(line)
        assert found, f"not a diagnostic or hint line: {line!r}\n--- whole output ---\n{output}"
        counts[found["severity"]] += 1
        path = Path(found["path"])
        assert path == folder or folder in path.parents, f"a diagnostic outside the plan: {line!r}"
        line_no, column = int(found["line"]), int(found["column"])
        assert line_no >= 1 and column >= 1, line
        name = str(path.relative_to(folder)) if path != folder else ""
        if name in files:
            text = files[name].decode("utf-8", "replace")
            assert line_no <= len(text.splitlines()) + 1, (
                f"line {line_no} past the end of {name}: {line!r}"
            )
    assert (result.exit_code == 1) == (counts["error"] > 0), output
    return counts["error"], counts["warning"]


def assert_json_agrees(folder: Path, files: Files, errors: int, warnings: int) -> None:
    result = invoke("check", "--format", "json", str(folder))
    assert_no_crash(result, {0, 1})
    assert_bounded(result.stdout, files)
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == errors, result.stdout
    assert document["summary"]["warnings"] == warnings, result.stdout
    assert len(document["diagnostics"]) == errors + warnings


MINIMAL_BYTES = MINIMAL.read_bytes()


@settings(FUZZ, max_examples=examples(40))
@given(files=any_plan())
# Found by this test once; kept so that they are tried on every run.
@example(files={"plan.yaml": b"plan:\n  organisation: Ex\x01\n"})
@example(files={"plan.yaml": MINIMAL_BYTES + b'"line\\nbreak": 1\n'})
@example(
    files={
        "plan.yaml": MINIMAL_BYTES.replace(b"severity: high\n", b'severity: "x\\e]0;title\\a"\n')
    }
)
def test_check_reports_every_plan_in_its_format(files: Files) -> None:
    with plan_folder(files) as folder:
        errors, warnings = assert_report(invoke("check", str(folder)), folder, files)
        assert_json_agrees(folder, files, errors, warnings)


# --- the incident tools ----------------------------------------------------------------


def scenario_ids(files: Files) -> list[str]:
    """Scenario ids as written in the plan, when they are still readable."""
    found: list[str] = []
    for name, content in files.items():
        if not name.endswith(".yaml"):
            continue
        with contextlib.suppress(Exception):
            data = yaml.safe_load(content)
            entries = data.get("scenarios", []) if name == "plan.yaml" else [data]
            found += [
                e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)
            ]
    return found


OTHER_SCENARIO_IDS = ["outage", "hacked-account", "nope", "", "../x", "Outage", "{x}"]
SET_PAIRS = [
    "x=y",
    "product=Oat Latte",
    "product={product}",
    "product=" + "x" * 500,
    "time=",
    "=x",
    "novalue",
    "{product}=a",
]


@settings(FUZZ, max_examples=examples(20))
@given(
    files=st.one_of(
        mutated_single_file(MINIMAL), mutated_single_file(SEGARKITA), mutated_folder_plan(SCHEMAS)
    ),
    pick=st.integers(0, 100),
    words=st.sampled_from(["", "outage", "hacked giveaway", "{", "<script>", "x" * 300, "ü 😀"]),
    pairs=st.lists(st.sampled_from(SET_PAIRS), max_size=2),
    channel=st.sampled_from([None, "x", "instagram", "nope", ""]),
    language=st.sampled_from([None, "en", "id", "zz", ""]),
    start=st.sampled_from(["10:00", "23:59", "00:00", "25:99", "x", "-1:30", "10:00:00"]),
)
def test_incident_tools_answer_without_a_traceback(
    files: Files,
    pick: int,
    words: str,
    pairs: list[str],
    channel: str | None,
    language: str | None,
    start: str,
) -> None:
    ids = scenario_ids(files) + OTHER_SCENARIO_IDS
    scenario = ids[pick % len(ids)]
    with plan_folder(files) as folder:
        plan = str(folder)
        runs = [
            ["scenarios", plan],
            ["scenarios", "--search", words, plan],
            ["statement", "--list", "--plan", plan],
            [
                "statement",
                scenario,
                "--plan",
                plan,
                *(["--channel", channel] if channel is not None else []),
                *(["--lang", language] if language is not None else []),
                *(arg for pair in pairs for arg in ("--set", pair)),
            ],
            ["drill", scenario, "--start", start, "--plan", plan],
        ]
        for args in runs:
            result = invoke(*args)
            assert_no_crash(result, {0, 1, 2})
            assert_bounded(result.output, files)


# --- building ---------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A project folder with the minimal plan and a site built from it, and that site's files."""
    project = tmp_path_factory.mktemp("fuzz-build") / "project"
    project.mkdir()
    shutil.copy(MINIMAL, project / "plan.yaml")
    with contextlib.chdir(project):
        result = invoke("build", "--no-pdf", "--site-dir", "site", "plan.yaml")
    assert result.exit_code == 0, result.output
    return project, snapshot(project / "site")


def build_plan(files: Files, base: Path) -> tuple[Result, Path]:
    """Build a plan in a copy of the base project, whose site/ holds the previous build."""
    scratch = Path(tempfile.mkdtemp(prefix="crisisplan-fuzz-build-"))
    project = scratch / "project"
    shutil.copytree(base, project, symlinks=True)
    write_plan(project, files)
    with contextlib.chdir(project):
        result = invoke("build", "--no-pdf", "--site-dir", "site", "plan.yaml")
    return result, project


# Live markup only: escaped (&lt;img ...) the same text is harmless and expected.
SCRIPT_MARKERS = ("<script>alert(1)", "<img src=x onerror", 'href="javascript:')


@settings(FUZZ, max_examples=examples(10))
@given(
    files=st.one_of(text_mutated_minimal(), text_mutated_minimal(), mutated_single_file(MINIMAL))
)
def test_a_build_publishes_a_whole_site_or_leaves_the_previous_one(
    built_project: tuple[Path, dict[str, bytes]], files: Files
) -> None:
    base, previous = built_project
    result, project = build_plan(files, base)
    try:
        assert_no_crash(result, {0, 1})
        assert_bounded(result.output, files)
        site = project / "site"
        if result.exit_code == 1:
            assert snapshot(site) == previous, f"a failed build changed site/:\n{result.output}"
        else:
            assert (site / "index.html").is_file(), result.output
            for page in site.rglob("*.html"):
                text = page.read_text("utf-8")
                for marker in SCRIPT_MARKERS:
                    assert marker not in text, f"{marker!r} from the plan is live markup in {page}"
    finally:
        shutil.rmtree(project.parent, ignore_errors=True)


def test_the_examples_mutate_from_their_own_data() -> None:
    """The mutators start from the real examples: guard against an empty start."""
    for source in (MINIMAL, SEGARKITA):
        data = load_example(source)
        assert isinstance(data, dict) and data["scenarios"], source
