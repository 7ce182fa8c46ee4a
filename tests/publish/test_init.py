"""`crisisplan init`: a company repository's first plan, site and tooling, checked for real."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path, PurePosixPath

import pytest
import yaml

from crisisplan.plan.schema import schema_text
from crisisplan.publish.scaffold import (
    InitOptions,
    Source,
    fit_width,
    init,
    installed_source,
    plan_files,
)
from tests.conftest import ROOT, TODAY, invoke

GIT_SOURCE = ("--source", "https://git.example.com/comms/crisisplan.git", "--rev", "v0.1.0")
OUR_SOURCE = Source("https://git.example.com/comms/crisisplan.git", "v0.1.0")
ALL_FILES = [
    ".github/workflows/crisisplan.yml",
    ".gitignore",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
    "mkdocs.yml",
    "schema/plan.schema.json",
    "schema/review.schema.json",
    "schema/scenario.schema.json",
]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_init_writes_a_repository_and_says_what_next(tmp_path: Path) -> None:
    code, out, err = invoke(
        "init", "acme", "--organisation", "Acme Coffee", "--language", "id", "--language", "en", *GIT_SOURCE,
        cwd=tmp_path,
    )
    assert (code, err) == (0, "")
    assert out == (
        "created acme/plans/acme-coffee.yaml\n"
        "created acme/schema/plan.schema.json\n"
        "created acme/schema/scenario.schema.json\n"
        "created acme/schema/review.schema.json\n"
        "created acme/mkdocs.yml\n"
        "created acme/.gitignore\n"
        "created acme/.vscode/settings.json\n"
        "created acme/.pre-commit-config.yaml\n"
        "created acme/.github/workflows/crisisplan.yml\n"
        "created acme/.gitlab-ci.yml\n"
        "\n"
        "Next:\n"
        "  1. cd acme\n"
        "  2. edit plans/acme-coffee.yaml: your people, numbers and texts\n"
        "  3. crisisplan check --strict\n"
        "  4. crisisplan build, then open site/index.html\n"
    )
    repo = tmp_path / "acme"
    assert files_in(repo) == sorted([*ALL_FILES, "plans/acme-coffee.yaml"])
    assert invoke("check", "--strict", cwd=repo) == (0, "1 plan checked: no problems\n", "")
    assert (repo / ".pre-commit-config.yaml").read_text() == (
        "# Checks the plans before every commit: `pip install pre-commit`, then\n"
        "# `pre-commit install` once in this repository (`pre-commit run --all-files`\n"
        "# to try).\n"
        "---\n"
        "repos:\n"
        "  - repo: https://git.example.com/comms/crisisplan.git\n"
        "    rev: v0.1.0\n"
        "    hooks:\n"
        "      - id: crisisplan-check\n"
    )
    assert (repo / ".gitignore").read_text().splitlines()[2:] == [
        "/site/",
        "/public/",
        "/.crisisplan-build/",
        "/.crisisplan-cache/",
    ]
    for name in ("plan", "scenario", "review"):
        assert (repo / "schema" / f"{name}.schema.json").read_text() == schema_text(name)


def test_the_plan_is_written_in_the_plans_languages(tmp_path: Path) -> None:
    init(options(tmp_path, languages=("id", "en")))
    plan = yaml.safe_load((tmp_path / "plans" / "acme-coffee.yaml").read_text())
    assert plan["plan"]["languages"] == ["id", "en"]
    assert plan["plan"]["last_reviewed"] == dt.date(2026, 11, 22)
    assert plan["plan"]["next_review"] == dt.date(2027, 5, 23)
    hacked = plan["scenarios"][0]
    assert hacked["title"] == {"id": "Akun media sosial kami diretas", "en": "A social media account is hacked"}
    assert hacked["statements"][0]["text"]["id"].startswith("Akun {platform} kami diretas.")
    assert [role["id"] for role in plan["roles"]] == ["crisis-lead", "social-lead", "spokesperson"]
    assert all(role["deputies"] for role in plan["roles"])
    assert plan["roles"][0]["primary"] == {
        "name": "Rina Wijaya",
        "phone": "+44 20 7946 0101",
        "email": "rina.wijaya@example.com",
        "timezone": "Asia/Jakarta",
    }
    # One language: plain text, no mapping per language.
    single = plan_files(options(tmp_path, languages=("en",)))
    text = single[next(p for p in single if p.parts[0] == "plans")]
    assert "\ntitle: A social media account is hacked\n" in text.replace("    ", "").replace("  - ", "")


@pytest.mark.parametrize(
    ("languages", "layout"),
    [
        (("en",), "file"),
        (("en",), "folder"),
        (("id", "en"), "file"),
        (("ms", "en"), "folder"),
        (("da", "en"), "folder"),
        (("da",), "file"),
        (("sv", "en"), "file"),
    ],
)
def test_every_starting_plan_passes_strict_check(tmp_path: Path, languages: tuple[str, ...], layout: str) -> None:
    args = [a for lang in languages for a in ("--language", lang)]
    code, _, err = invoke("init", "--layout", layout, *args, *GIT_SOURCE, cwd=tmp_path)
    assert code == 0
    assert err == ("note: crisisplan has no starting text in sv: those texts are in English, to translate\n" if "sv" in languages else "")
    assert invoke("check", "--strict", cwd=tmp_path) == (0, "1 plan checked: no problems\n", "")


def test_the_plans_dates_follow_the_day_it_is_started_and_it_stays_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setenv("CRISISPLAN_TODAY", "2026-11-20")
    assert invoke("init", *GIT_SOURCE, cwd=tmp_path)[0] == 0
    plan = yaml.safe_load((tmp_path / "plans" / "example-co.yaml").read_text())
    assert (plan["plan"]["last_reviewed"], plan["plan"]["next_review"]) == (dt.date(2026, 11, 20), dt.date(2027, 5, 21))
    assert {drill["planned"] for drill in plan["drills"]} == {dt.date(2026, 12, 18)}
    assert {s["statements"][0]["approval"]["since"] for s in plan["scenarios"]} == {dt.date(2026, 11, 20)}
    assert invoke("check", "--strict", cwd=tmp_path) == (0, "1 plan checked: no problems\n", "")
    # A year on, nobody has touched it: still a valid plan, with --strict asking for
    # the review and the drills that are now overdue.
    monkeypatch.setenv("CRISISPLAN_TODAY", "2027-11-20")
    code, out, _ = invoke("check", "--format", "json", cwd=tmp_path)
    found = json.loads(out)["diagnostics"]
    assert code == 0
    assert sorted((d["severity"], d["code"]) for d in found) == [
        ("warning", "CP701"),
        ("warning", "CP711"),
        ("warning", "CP711"),
    ]


def test_a_folder_plan_has_a_file_per_scenario_with_its_modeline(tmp_path: Path) -> None:
    init(options(tmp_path, layout="folder"))
    assert files_in(tmp_path) == sorted(
        [
            *ALL_FILES,
            "plans/acme-coffee/plan.yaml",
            "plans/acme-coffee/scenarios/hacked-account.yaml",
            "plans/acme-coffee/scenarios/viral-complaint.yaml",
        ]
    )
    scenario = (tmp_path / "plans/acme-coffee/scenarios/hacked-account.yaml").read_text()
    assert scenario.startswith(
        "# yaml-language-server: $schema=../../../schema/scenario.schema.json\n---\nid: hacked-account\n"
    )
    plan = (tmp_path / "plans/acme-coffee/plan.yaml").read_text()
    assert plan.startswith("# yaml-language-server: $schema=../../schema/plan.schema.json\n")
    assert "scenarios:" not in plan
    # Each modeline leads to the schema init wrote.
    assert (tmp_path / "plans/acme-coffee/scenarios" / "../../../schema/scenario.schema.json").resolve().is_file()
    assert (tmp_path / "plans/acme-coffee" / "../../schema/plan.schema.json").resolve().is_file()


def test_editor_settings_map_every_schema_to_the_plan_files(tmp_path: Path) -> None:
    import json

    init(options(tmp_path, layout="folder"))
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text())
    assert settings == {
        "yaml.schemas": {
            "./schema/plan.schema.json": ["plans/*.yaml", "plans/*/plan.yaml"],
            "./schema/scenario.schema.json": ["plans/*/scenarios/*.yaml"],
            "./schema/review.schema.json": ["plans/*/reviews/*.yaml", "plans/reviews/*/*.yaml"],
        }
    }
    for schema in settings["yaml.schemas"]:
        assert (tmp_path / schema).is_file()


def test_the_starting_plan_builds(tmp_path: Path) -> None:
    init(options(tmp_path, languages=("da", "en"), layout="folder", organisation="Brød & Co"))
    code, out, err = invoke("build", "--strict", "--no-pdf", cwd=tmp_path)
    assert code == 0, err
    assert out.startswith("Built site/ in ")
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "En af vores konti på sociale medier er hacket" in home
    english = (tmp_path / "site" / "en" / "brod-co" / "scenarios" / "hacked-account.html").read_text("utf-8")
    assert "Our {platform} account has been hacked." in english


def test_init_refuses_when_any_file_is_there_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: ours\n")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "review.schema.json").write_text("{}")
    os.symlink("/etc", tmp_path / ".vscode")
    code, out, err = invoke("init", *GIT_SOURCE, cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err == (
        "error: 3 of the files init writes are already there; nothing was written:\n"
        "  schema/review.schema.json\n"
        "  mkdocs.yml\n"
        "  .vscode\n"
        "  hint: run crisisplan init in an empty folder, move these away first, "
        "or add --skip-existing to write only what is missing\n"
    )
    assert files_in(tmp_path) == [".vscode", "mkdocs.yml", "schema/review.schema.json"]
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: ours\n"


def test_init_refuses_a_file_as_its_folder(tmp_path: Path) -> None:
    (tmp_path / "here").write_text("x")
    assert invoke("init", "here", *GIT_SOURCE, cwd=tmp_path) == (
        2,
        "",
        "Usage: cli init [OPTIONS] [FOLDER]\n"
        "Try 'cli init --help' for help.\n\n"
        "Error: Invalid value for '[FOLDER]': Directory 'here' is a file.\n",
    )
    assert files_in(tmp_path) == ["here"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--language", "English"),
            "error: 'English' is not a language code\n  hint: give a code such as en, id, ms or da: --language id --language en\n",
        ),
        (
            ("--language", "en", "--language", "en"),
            "error: a language is given twice\n  hint: give each language once, the plan's main language first\n",
        ),
        (
            ("--organisation", "Acme\nCoffee"),
            "error: the organisation's name must be one line of at most 300 characters\n"
            '  hint: give it like --organisation "Acme Coffee"\n',
        ),
        (
            ("--rev", "v1; rm -rf /"),
            "error: 'v1; rm -rf /' is not a git tag, branch or commit\n  hint: give it like --rev v0.1.0\n",
        ),
    ],
)
def test_init_refuses_bad_options(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    assert invoke("init", *GIT_SOURCE, *args, cwd=tmp_path) == (2, "", message)
    assert files_in(tmp_path) == []


def test_a_github_source_uses_the_action_and_others_install_with_pip(tmp_path: Path) -> None:
    github = plan_files(options(tmp_path, source=Source("https://github.com/acme/crisisplan.git", "v0.2.0")))
    workflow = yaml.safe_load(github[_path(".github/workflows/crisisplan.yml")])
    steps = workflow["jobs"]["runbook"]["steps"]
    assert [step.get("uses") for step in steps[:3]] == ["actions/checkout@v4", "actions/cache@v4", "acme/crisisplan@v0.2.0"]
    assert steps[2]["with"] == {"strict": "true"}
    other = plan_files(options(tmp_path, source=OUR_SOURCE))
    workflow = yaml.safe_load(other[_path(".github/workflows/crisisplan.yml")])
    runs = [step["run"] for step in workflow["jobs"]["runbook"]["steps"] if "run" in step]
    assert runs[0].endswith('python -m pip install \\\n  "git+https://git.example.com/comms/crisisplan.git@v0.1.0"\n')
    assert runs[1:] == [
        "crisisplan check --strict --format github",
        "crisisplan build --strict",
        "crisisplan build --strict --audience public --site-dir public",
    ]
    gitlab = yaml.safe_load(other[_path(".gitlab-ci.yml")])
    assert gitlab[".crisisplan"]["before_script"][-1] == (
        'python -m pip install "git+https://git.example.com/comms/crisisplan.git@v0.1.0"'
    )
    assert gitlab["check"]["script"] == ["crisisplan check --strict --format gitlab > gl-code-quality-report.json"]
    assert gitlab["build"]["script"] == ["crisisplan build --strict"]
    assert gitlab["pages"]["script"] == ["crisisplan build --strict --audience public --site-dir public"]
    assert gitlab["pages"]["artifacts"] == {"paths": ["public"]}


LONG = "Our account has been hacked. Please don't click links or reply to messages from it until we say so."


@pytest.mark.parametrize(
    "document",
    [
        f"worst_case: {LONG}\n",
        f"statements:\n  - id: x\n    text:\n      en: {LONG}\n      da: Vi har set opslagene, og vi beklager. {LONG}\n",
        f"triggers:\n  - {LONG}\n",
        # Quoted by init for its ': ' and ' #': in a folded block they are plain text.
        f'checklist:\n  - en: "Note: {LONG} #1"\n    id: {LONG}\n',
        f"keywords:\n  - {'The Extraordinarily Long-Named Coffee Company ' * 3}of Copenhagen\n",
    ],
)
def test_long_texts_are_folded_onto_lines_of_80_and_read_back_the_same(document: str) -> None:
    fitted = fit_width(document)
    assert fitted != document
    assert max(len(line) for line in fitted.splitlines()) <= 80
    assert yaml.safe_load(fitted) == yaml.safe_load(document)
    assert ">-\n" in fitted


@pytest.mark.parametrize(
    "document",
    [
        # A shell script's line is not a value, however long.
        f"run: |\n  echo {LONG}\n  crisisplan build\n",
        f"- run: >-\n    echo {LONG}\n",
        # Not written the way init writes a value: left exactly as it is.
        f"text: {LONG}  # a comment\n",
        f"flow: [{LONG}]\n",
        f"spaced: {LONG.replace(' ', '  ')}\n",
        f"quoted: '{LONG}'\n",
    ],
)
def test_what_is_not_a_plain_text_value_is_never_folded(document: str) -> None:
    assert fit_width(document) == document


def test_a_single_word_too_long_for_a_line_goes_alone_on_its_own(tmp_path: Path) -> None:
    # yamllint allows a line of one word (a URL) over the limit, never "key: word".
    url = "https://git.example.com/" + "a-very-long-group-name/" * 4 + "crisisplan.git"
    assert fit_width(f"  - repo: {url}\n") == f"  - repo: >-\n      {url}\n"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs crisisplan's own git clone")
def test_the_default_source_is_where_crisisplan_was_installed_from() -> None:
    # The test environment installs this clone with `pip install -e .`.
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert installed_source() == Source(str(ROOT), head)


def _path(name: str) -> PurePosixPath:
    return PurePosixPath(name)


def options(
    target: Path,
    languages: tuple[str, ...] = ("en",),
    layout: str = "file",
    organisation: str = "Acme Coffee",
    source: Source = OUR_SOURCE,
) -> InitOptions:
    return InitOptions(
        target=target,
        today=dt.date.fromisoformat(TODAY),
        source=source,
        organisation=organisation,
        languages=languages,
        layout="folder" if layout == "folder" else "file",
    )
