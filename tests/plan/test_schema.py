"""The schema is a valid draft-07 schema, explains every field, and ships unchanged."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from crisisplan.cli import cli
from crisisplan.plan.schema import plan_schema, schema_text
from tests.conftest import invoke


def test_schema_is_valid_draft7() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_top_level_schema_copies_match_the_packaged_ones(root: Path) -> None:
    packaged = root / "src" / "crisisplan" / "schemas"
    for name in ("plan.schema.json", "scenario.schema.json", "review.schema.json"):
        assert (root / "schema" / name).read_text() == (packaged / name).read_text(), name


def test_scenario_and_review_schemas_point_into_the_plan_schema(root: Path) -> None:
    for name in ("scenario", "review"):
        schema = json.loads(schema_text(name))
        assert schema["$ref"] == f"plan.schema.json#/definitions/{name}"
        # No $id: the reference resolves against the file's own location, never a URL.
        assert "$id" not in schema
        assert name in plan_schema()["definitions"]
        jsonschema.Draft7Validator.check_schema(schema)


def test_scenario_files_validate_against_the_scenario_schema_beside_the_plan_schema(root: Path) -> None:
    """As an editor uses them: scenario.schema.json with plan.schema.json beside it,
    each known only by its file's address (a registry that cannot fetch anything)."""
    from referencing import Registry, Resource

    folder = root / "schema"
    registry: Registry[Any] = Registry().with_resources(
        ((folder / f"{name}.schema.json").as_uri(), Resource.from_contents(json.loads(schema_text(name))))
        for name in ("plan", "scenario", "review")
    ).crawl()
    scenario = jsonschema.Draft7Validator({"$ref": (folder / "scenario.schema.json").as_uri()}, registry=registry)
    files = sorted((root / "plans").glob("*/scenarios/*.yaml"))
    assert len(files) >= 9
    for path in files:
        assert list(scenario.iter_errors(yaml.load(path.read_text("utf-8"), Loader=Yaml12Loader))) == [], path  # noqa: S506  (a SafeLoader)
    assert [e.message for e in scenario.iter_errors({"id": "x", "title": "X"})] == ["'severity' is a required property"]


# Any attempt to reach the network fails at once: nothing listens on the discard port.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def check_jsonschema(schema: Path, *files: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema as CI or pre-commit runs it, with no network and an empty cache
    (a plan schema it had downloaded before would hide a reference to a URL)."""
    if importlib.util.find_spec("check_jsonschema") is None:
        # As the editor tests: CI must run it, a laptop without it may skip it.
        if os.environ.get("CI") == "true":
            pytest.fail("check-jsonschema is required for the schema tests in CI")
        pytest.skip("check-jsonschema is not installed (pip install check-jsonschema)")
    environment = {**os.environ, **NO_NETWORK, "http_proxy": NO_NETWORK["HTTP_PROXY"], "https_proxy": NO_NETWORK["HTTPS_PROXY"]}
    environment.pop("NO_PROXY", None)
    environment.pop("no_proxy", None)
    environment["XDG_CACHE_HOME"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_check_jsonschema_validates_scenario_files_offline(root: Path, tmp_path: Path) -> None:
    scenarios = sorted((root / "plans").glob("*/scenarios/*.yaml"))
    result = check_jsonschema(root / "schema" / "scenario.schema.json", *scenarios, cache=tmp_path / "cache")
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok -- validation done\n", "")
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").rglob("*.json")) == []

    broken = tmp_path / "scenarios" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text(scenarios[0].read_text("utf-8").replace("\nseverity:", "\nseverity_level:"), "utf-8")
    result = check_jsonschema(root / "schema" / "scenario.schema.json", broken, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "'severity' is a required property" in result.stdout
    assert "Additional properties are not allowed ('severity_level' was unexpected)" in result.stdout
    assert "crisisplan.dev" not in result.stdout + result.stderr


def test_check_jsonschema_validates_review_files_offline(root: Path, tmp_path: Path) -> None:
    review = tmp_path / "2026-06-02-outage.yaml"
    review.write_text("scenario: outage\ndate: 2026-06-02\nstatus: draft\n", "utf-8")
    result = check_jsonschema(root / "schema" / "review.schema.json", review, cache=tmp_path / "cache")
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok -- validation done\n", "")
    review.write_text("scenario: outage\ndate: 2026-06-02\n", "utf-8")
    result = check_jsonschema(root / "schema" / "review.schema.json", review, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "'status' is a required property" in result.stdout


class Yaml12Loader(yaml.SafeLoader):
    """Dates stay text, as crisisplan reads them (the schema's dates are patterns)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def test_editors_get_readable_pattern_messages_and_choice_descriptions() -> None:
    nodes = list(_nodes(plan_schema()))
    patterns = [n for n in nodes if "pattern" in n]
    assert len(patterns) == 10
    assert [n["pattern"] for n in patterns if not n.get("patternErrorMessage")] == []
    choices = [n for n in nodes if "enum" in n and "title" in n and "enumDescriptions" in n]
    assert all(len(n["enumDescriptions"]) == len(n["enum"]) for n in choices)
    assert {n["title"] for n in choices} == {"Visibility", "Status", "Likelihood", "Impact", "Action"}


def test_required_is_said_only_of_what_the_schema_requires() -> None:
    said = [n["description"] for n in _nodes(plan_schema()) if str(n.get("description", "")).startswith("Required")]
    assert said == []


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = plan_schema()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/{name}", sub
        for key, value in node.items():
            if key == "if":
                continue  # a condition, not fields an author writes
            if key != "properties" or not isinstance(value, dict):
                yield from _properties(value, f"{where}/{key}")
            else:
                for name, sub in value.items():
                    yield from _properties(sub, f"{where}/{name}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _properties(item, f"{where}/{index}")


def test_every_property_has_a_title_and_a_description() -> None:
    missing = [
        where
        for where, sub in _properties(plan_schema())
        if not (_resolve(sub).get("title") and _resolve(sub).get("description"))
    ]
    assert missing == []


def test_schema_command_prints_the_packaged_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == schema_text()
    assert json.loads(result.output)["title"] == "Crisis plan"


@pytest.mark.parametrize("name", ["plan", "scenario", "review"])
def test_schema_command_prints_each_schema(name: str) -> None:
    assert invoke("schema", name) == (0, schema_text(name), "")


def test_schema_write_writes_every_schema_then_keeps_them(tmp_path: Path) -> None:
    assert invoke("schema", "--write", cwd=tmp_path) == (
        0,
        "schema/plan.schema.json: written\n"
        "schema/scenario.schema.json: written\n"
        "schema/review.schema.json: written\n",
        "",
    )
    for name in ("plan", "scenario", "review"):
        assert (tmp_path / "schema" / f"{name}.schema.json").read_text() == schema_text(name)
    assert invoke("schema", "--output", "schema", cwd=tmp_path) == (
        0,
        "schema/plan.schema.json: up to date\n"
        "schema/scenario.schema.json: up to date\n"
        "schema/review.schema.json: up to date\n",
        "",
    )


def test_schema_write_replaces_a_different_schema_only_with_force(tmp_path: Path) -> None:
    (tmp_path / "editor").mkdir()
    (tmp_path / "editor" / "scenario.schema.json").write_text("{}")
    assert invoke("schema", "--output", "editor", cwd=tmp_path) == (
        1,
        "",
        "error: editor/scenario.schema.json is already there and differs from this crisisplan's schema\n"
        "  hint: add --force to replace the schema files (after upgrading crisisplan, say)\n",
    )
    assert sorted(p.name for p in (tmp_path / "editor").iterdir()) == ["scenario.schema.json"]
    assert invoke("schema", "--output", "editor", "--force", cwd=tmp_path) == (
        0,
        "editor/plan.schema.json: written\n"
        "editor/scenario.schema.json: replaced\n"
        "editor/review.schema.json: written\n",
        "",
    )
    assert (tmp_path / "editor" / "scenario.schema.json").read_text() == schema_text("scenario")
    assert sorted(p.name for p in (tmp_path / "editor").iterdir()) == [
        "plan.schema.json",
        "review.schema.json",
        "scenario.schema.json",
    ]


def test_schema_write_never_goes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text("{}")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "schema").symlink_to(outside)
    assert invoke("schema", "--write", "--force", cwd=repo) == (
        1,
        "",
        "error: schema is a symbolic link; crisisplan does not write through links\n  hint: give the real folder\n",
    )
    (repo / "editor").mkdir()
    (repo / "editor" / "plan.schema.json").symlink_to(outside / "secret.json")
    assert invoke("schema", "--output", "editor", "--force", cwd=repo) == (
        1,
        "",
        "error: editor/plan.schema.json is a symbolic link; crisisplan does not write through links\n"
        "  hint: remove the link, then run the command again\n",
    )
    assert sorted(p.name for p in outside.iterdir()) == ["secret.json"]
    assert (outside / "secret.json").read_text() == "{}"
    assert sorted(p.name for p in (repo / "editor").iterdir()) == ["plan.schema.json"]


def test_schema_write_and_a_name_do_not_go_together(tmp_path: Path) -> None:
    code, out, err = invoke("schema", "scenario", "--write", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.endswith("Error: --write writes every schema; leave out the schema's name\n")
    assert list(tmp_path.iterdir()) == []
