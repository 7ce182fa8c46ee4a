"""The schema is a valid draft-07 schema, explains every field, and ships unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner

from crisisplan.cli import cli
from crisisplan.schema import plan_schema, schema_text


def test_schema_is_valid_draft7() -> None:
    schema = plan_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_top_level_schema_copies_match_the_packaged_ones(root: Path) -> None:
    packaged = root / "src" / "crisisplan" / "schemas"
    for name in ("plan.schema.json", "scenario.schema.json"):
        assert (root / "schema" / name).read_text() == (packaged / name).read_text(), name


def test_scenario_schema_points_into_the_plan_schema(root: Path) -> None:
    scenario = json.loads((root / "schema" / "scenario.schema.json").read_text())
    ref = scenario["$ref"]
    assert ref == "plan.schema.json#/definitions/scenario"
    assert "scenario" in plan_schema()["definitions"]


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
