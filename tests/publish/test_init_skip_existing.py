"""`crisisplan init --skip-existing`: a team's existing repository gets what it lacks.

Files already there are never written to, appended to or followed through a link;
for each, init says what to add by hand, and only what is missing from it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path, PurePosixPath

import yaml

from crisisplan.publish.scaffold import InitOptions, Skipped, Source, init, plan_files
from tests.conftest import TODAY, invoke, snapshot

SOURCE = ("--source", "https://git.example.com/comms/crisisplan.git", "--rev", "v0.1.0")
OURS = Source("https://git.example.com/comms/crisisplan.git", "v0.1.0")
THEIR_GITIGNORE = "__pycache__/\n.venv/\nsite/\n"
GITIGNORE_ADVICE = (
    "skipped .gitignore (already there): add these lines to it:\n"
    "# crisisplan build writes the site here, and keeps its scratch space and\n"
    "# rendered PDFs beside it: none of it is committed.\n"
    "/public/\n"
    "/.crisisplan-build/\n"
    "/.crisisplan-cache/\n"
    "\n"
)
NEXT = (
    "  2. edit plans/example-co.yaml: your people, numbers and texts\n"
    "  3. crisisplan check --strict\n"
    "  4. crisisplan build, then open site/index.html\n"
)



def our_files() -> dict[PurePosixPath, str]:
    """What init writes, as the CLI runs it in these tests."""
    return plan_files(InitOptions(target=Path(), today=dt.date.fromisoformat(TODAY), source=OURS))


def test_a_repository_with_a_readme_and_a_gitignore_gets_the_rest(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Acme's crisis plans\n")
    (tmp_path / ".gitignore").write_text(THEIR_GITIGNORE)
    code, out, err = invoke("init", "--skip-existing", *SOURCE, cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == (
        "created plans/example-co.yaml\n"
        "created schema/plan.schema.json\n"
        "created schema/scenario.schema.json\n"
        "created schema/review.schema.json\n"
        "created mkdocs.yml\n"
        "created .vscode/settings.json\n"
        "created .pre-commit-config.yaml\n"
        "created .github/workflows/crisisplan.yml\n"
        "created .gitlab-ci.yml\n"
        + GITIGNORE_ADVICE
        + "Next:\n"
        "  1. add by hand what is shown above for .gitignore\n"
        + NEXT
    )
    assert (tmp_path / "README.md").read_text() == "# Acme's crisis plans\n"
    assert (tmp_path / ".gitignore").read_text() == THEIR_GITIGNORE
    assert invoke("check", "--strict", cwd=tmp_path) == (0, "1 plan checked: no problems\n", "")
    # What init asked for, added by hand, keeps every file init's build writes out of git.
    added = GITIGNORE_ADVICE.split(":\n", 1)[1]
    patterns = {line.strip("/") for line in (THEIR_GITIGNORE + added).splitlines() if line and line[0] != "#"}
    assert {"site", "public", ".crisisplan-build", ".crisisplan-cache"} <= patterns


def test_the_default_still_writes_nothing_when_a_file_is_there(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text(THEIR_GITIGNORE)
    code, out, err = invoke("init", *SOURCE, cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err == (
        "error: 1 of the files init writes is already there; nothing was written:\n"
        "  .gitignore\n"
        "  hint: run crisisplan init in an empty folder, move these away first, "
        "or add --skip-existing to write only what is missing\n"
    )
    assert snapshot(tmp_path) == {".gitignore": THEIR_GITIGNORE.encode()}


def test_run_again_it_writes_nothing_and_says_so(tmp_path: Path) -> None:
    assert invoke("init", "acme", *SOURCE, cwd=tmp_path)[0] == 0
    before = snapshot(tmp_path)
    code, out, err = invoke("init", "acme", "--skip-existing", *SOURCE, cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out == (
        "skipped acme/plans/example-co.yaml (already there): crisisplan check --strict checks it as it is; "
        "to start another plan beside it, run init again with another --organisation\n"
        "skipped acme/schema/plan.schema.json (already there, as init writes it)\n"
        "skipped acme/schema/scenario.schema.json (already there, as init writes it)\n"
        "skipped acme/schema/review.schema.json (already there, as init writes it)\n"
        "skipped acme/mkdocs.yml (already there, as init writes it)\n"
        "skipped acme/.gitignore (already there, as init writes it)\n"
        "skipped acme/.vscode/settings.json (already there, as init writes it)\n"
        "skipped acme/.pre-commit-config.yaml (already there, as init writes it)\n"
        "skipped acme/.github/workflows/crisisplan.yml (already there, as init writes it)\n"
        "skipped acme/.gitlab-ci.yml (already there, as init writes it)\n"
        "\n"
        "Next:\n"
        "  1. cd acme\n"
        "  2. edit plans/example-co.yaml: your people, numbers and texts\n"
        "  3. crisisplan check --strict\n"
        "  4. crisisplan build, then open site/index.html\n"
    )
    assert snapshot(tmp_path) == before


def test_each_file_left_alone_gets_only_what_it_lacks(tmp_path: Path) -> None:
    their = {
        # Every pattern init needs, written the other ways git reads the same.
        ".gitignore": "site/\n/public\n.crisisplan-build\n/.crisisplan-cache/\n",
        ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: tests\n"
        "        name: tests\n        entry: pytest\n        language: system\n",
        ".gitlab-ci.yml": "test:\n  script: [make test]\n",
        "mkdocs.yml": "site_name: Ours\n",
        "schema/plan.schema.json": "{}\n",
        ".vscode/settings.json": '{\n  "editor.tabSize": 2\n}\n',
    }
    for name, text in their.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    code, out, err = invoke("init", "--skip-existing", *SOURCE, cwd=tmp_path)
    assert (code, err) == (0, "")
    ours = our_files()
    jobs = ours[PurePosixPath(".gitlab-ci.yml")].split("\n---\n", 1)[1]
    assert out == (
        "created plans/example-co.yaml\n"
        "created schema/scenario.schema.json\n"
        "created schema/review.schema.json\n"
        "created .github/workflows/crisisplan.yml\n"
        "skipped schema/plan.schema.json (already there): it differs from this crisisplan's; "
        "crisisplan schema --write --force updates the schemas\n"
        "skipped mkdocs.yml (already there): crisisplan builds the site with it as it is "
        "(theme: material, or no theme)\n"
        "skipped .gitignore (already there): it already keeps out of git what crisisplan writes; "
        "nothing to add\n"
        'skipped .vscode/settings.json (already there): add these to its "yaml.schemas":\n'
        '"./schema/plan.schema.json": ["plans/*.yaml", "plans/*/plan.yaml"],\n'
        '"./schema/scenario.schema.json": ["plans/*/scenarios/*.yaml"],\n'
        '"./schema/review.schema.json": ["plans/*/reviews/*.yaml", "plans/reviews/*/*.yaml"]\n'
        "\n"
        "skipped .pre-commit-config.yaml (already there): add this under its repos:\n"
        "  - repo: https://git.example.com/comms/crisisplan.git\n"
        "    rev: v0.1.0\n"
        "    hooks:\n"
        "      - id: crisisplan-check\n"
        "\n"
        "skipped .gitlab-ci.yml (already there): add these jobs to it:\n" + jobs + "\n"
        "Next:\n"
        "  1. add by hand what is shown above for .vscode/settings.json, .pre-commit-config.yaml "
        "and .gitlab-ci.yml\n"
        + NEXT
    )
    for name, text in their.items():
        assert (tmp_path / name).read_text() == text, name
    # Each addition, made as init says, gives a file that works.
    pre_commit = yaml.safe_load(their[".pre-commit-config.yaml"] + out.split("its repos:\n")[1].split("\n\n")[0])
    assert [hook["id"] for repo in pre_commit["repos"] for hook in repo["hooks"]] == ["tests", "crisisplan-check"]
    gitlab = yaml.safe_load(their[".gitlab-ci.yml"] + jobs)
    assert set(gitlab) == {"test", ".crisisplan", "check", "build", "pages"}
    schemas = out.split('"yaml.schemas":\n')[1].split("\n\n")[0]
    settings = json.loads('{"editor.tabSize": 2, "yaml.schemas": {' + schemas + "}}")
    assert settings["yaml.schemas"] == json.loads(ours[PurePosixPath(".vscode/settings.json")])["yaml.schemas"]


def test_a_hook_already_there_is_not_asked_for_again(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: https://github.com/acme/crisisplan\n    rev: v0.0.9\n    hooks:\n      - id: crisisplan-check\n"
    )
    result = init(_options(tmp_path))
    assert result.skipped == (
        Skipped(
            PurePosixPath(".pre-commit-config.yaml"),
            "already there",
            "it already runs the crisisplan-check hook; nothing to add",
        ),
    )
    assert len(result.written) == 9


def test_links_are_left_alone_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".gitignore").write_text("secret\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(outside / ".gitignore", repo / ".gitignore")
    os.symlink(outside, repo / ".github")
    os.symlink(outside, repo / "plans")
    (repo / "schema").write_text("not a folder\n")
    before = snapshot(tmp_path)
    code, out, err = invoke("init", "--skip-existing", *SOURCE, cwd=repo)
    assert (code, err) == (0, "")
    ours = our_files()
    schema_advice = "it differs from this crisisplan's; crisisplan schema --write --force updates the schemas"
    assert out == (
        "created mkdocs.yml\n"
        "created .vscode/settings.json\n"
        "created .pre-commit-config.yaml\n"
        "created .gitlab-ci.yml\n"
        "skipped plans/example-co.yaml (plans is a symbolic link): crisisplan check --strict checks it as it "
        "is; to start another plan beside it, run init again with another --organisation\n"
        f"skipped schema/plan.schema.json (schema is a file, not a folder): {schema_advice}\n"
        f"skipped schema/scenario.schema.json (schema is a file, not a folder): {schema_advice}\n"
        f"skipped schema/review.schema.json (schema is a file, not a folder): {schema_advice}\n"
        # A link is not read: all the lines are asked for.
        "skipped .gitignore (a symbolic link is there): add these lines to it:\n"
        + ours[PurePosixPath(".gitignore")]
        + "\n"
        "skipped .github/workflows/crisisplan.yml (.github is a symbolic link): "
        "save this as another workflow in .github/workflows/:\n"
        + ours[PurePosixPath(".github/workflows/crisisplan.yml")]
        + "\n"
        "Next:\n"
        "  1. add by hand what is shown above for .gitignore and .github/workflows/crisisplan.yml\n" + NEXT
    )
    # Nothing outside the repository, nor any link or file in the way, was touched.
    after = snapshot(tmp_path)
    assert {name: after[name] for name in before} == before
    assert sorted(set(after) - set(before)) == [
        "repo/.gitlab-ci.yml",
        "repo/.pre-commit-config.yaml",
        "repo/.vscode/settings.json",
        "repo/mkdocs.yml",
    ]


def test_a_plan_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    scenario = tmp_path / "plans/example-co/scenarios/hacked-account.yaml"
    scenario.parent.mkdir(parents=True)
    scenario.write_text("id: hacked-account\n")
    result = init(_options(tmp_path, layout="folder"))
    assert result.skipped == (
        Skipped(
            PurePosixPath("plans/example-co"),
            "plans/example-co/scenarios/hacked-account.yaml is already there",
            "crisisplan check --strict checks it as it is; to start another plan beside it, "
            "run init again with another --organisation",
        ),
    )
    assert not any(path.parts[0] == "plans" for path in result.written)
    assert sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "plans").rglob("*.yaml")) == [
        "plans/example-co/scenarios/hacked-account.yaml"
    ]
    assert scenario.read_text() == "id: hacked-account\n"


def test_an_unreadable_or_foreign_file_is_not_read_but_still_advised(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes(b"\xff\xfe not utf-8\n")
    (tmp_path / ".gitlab-ci.yml").mkdir()
    result = init(_options(tmp_path))
    gitignore, gitlab = result.skipped
    assert (gitignore.reason, gitignore.advice) == ("already there", "add these lines to it:")
    assert gitignore.addition.endswith("/site/\n/public/\n/.crisisplan-build/\n/.crisisplan-cache/\n")
    assert (gitlab.path, gitlab.reason, gitlab.advice) == (
        PurePosixPath(".gitlab-ci.yml"),
        "a folder is there",
        "add these jobs to it:",
    )
    assert (tmp_path / ".gitignore").read_bytes() == b"\xff\xfe not utf-8\n"


def _options(target: Path, layout: str = "file") -> InitOptions:
    return InitOptions(
        target=target,
        today=dt.date.fromisoformat(TODAY),
        source=OURS,
        layout="folder" if layout == "folder" else "file",
        skip_existing=True,
    )
