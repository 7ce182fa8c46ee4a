"""Write a plan of N scenarios, made by replicating the English example plans/brightbrew.

Not a test and not part of crisisplan: benchmarks/scale.py uses it to measure how
check and build grow with a plan's size. Run:

    .venv/bin/python benchmarks/generate.py OUT --scenarios 100 [--languages en,da]

OUT receives a folder plan (OUT/plan.yaml and OUT/scenarios/*.yaml) that
`crisisplan check --strict OUT` accepts. Scenario n is a copy of one of the six
example scenarios, taken in turn; copies after the first get their own id, title,
triggers and statement ids (so that nothing is a duplicate), and each copy gets the
drill its original had (so that no scenario is "never drilled"). Shared roles,
steps and statements are the example's own, so every reference stays valid.

With --languages en,da every text a reader sees is written in both languages (the
English text under both keys: the volume, not the translation, is what a benchmark
needs), which makes the build publish a second edition of the site and of every PDF.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plans" / "brightbrew"
SCHEMA = ROOT / "src" / "crisisplan" / "schemas" / "plan.schema.json"
# A plan may record at most this many drills (README, Limits); one drill per scenario
# keeps `check --strict` clean, so larger plans cannot pass it.
MAX_DRILLS = 1000
# The schema definitions of text a reader sees, written once or once per language.
_LOCAL_TEXT = re.compile(r"^local(Text|Title)(NonEmpty)?$")


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the example's order, text wrapped like a person writes it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text of several lines as a literal block (|), as the example writes it.
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def _load(path: Path) -> Any:
    # PyYAML reads the example's dates as dates and writes them back unquoted, which
    # crisisplan reads as text again (YAML 1.2); nothing else in it changes type.
    return yaml.safe_load(path.read_text("utf-8"))


def _copy_name(text: str, copy_number: int) -> str:
    return text if copy_number == 1 else f"{text} ({copy_number})"


def _scenario_copy(original: dict[str, Any], copy_number: int) -> dict[str, Any]:
    """Copy ``copy_number`` (1 is the original) of an example scenario, with its own
    id, title, triggers and statement ids."""
    scenario = copy.deepcopy(original)
    if copy_number == 1:
        return scenario
    scenario["id"] = f"{original['id']}-{copy_number}"
    scenario["title"] = _copy_name(scenario["title"], copy_number)
    scenario["triggers"] = [_copy_name(t, copy_number) for t in scenario["triggers"]]
    for statement in scenario.get("statements", []):
        # A string is the id of a shared statement: kept, so it is referenced N times.
        if isinstance(statement, dict):
            statement["id"] = f"{statement['id']}-{copy_number}"
    return scenario


class _Localizer:
    """Writes every reader-visible text of a plan in extra languages, guided by the
    plan's JSON Schema (which marks such fields with the local* definitions)."""

    def __init__(self, schema: dict[str, Any], languages: Sequence[str]) -> None:
        self.definitions: dict[str, Any] = schema["definitions"]
        self.root = schema
        self.first, self.others = languages[0], tuple(languages[1:])

    def text(self, value: Any) -> Any:
        if isinstance(value, str):
            value = {self.first: value}
        if isinstance(value, dict):
            source = value.get(self.first, next(iter(value.values())))
            return {**value, **{code: value.get(code, source) for code in self.others}}
        return value

    def walk(self, value: Any, schema: dict[str, Any]) -> Any:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.rsplit("/", 1)[1]
            if _LOCAL_TEXT.match(name):
                return self.text(value)
            # A reference may lead into a definition ("#/definitions/x/properties/url").
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            return self.walk(value, target)
        if schema.get("propertyNames") == {"$ref": "#/definitions/language"} and isinstance(
            value, dict
        ):
            # A statement's text: always a mapping of language to text.
            return self.text(value)
        if "then" in schema and "else" in schema:
            # stepEntry and statementEntry: an id (string) or an object written in place.
            branch = schema["then"] if isinstance(value, str) else schema["else"]
            return self.walk(value, branch)
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            out = {}
            for key, item in value.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else {})
                out[key] = self.walk(item, sub)
            return out
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [self.walk(item, schema["items"]) for item in value]
        return value

    def plan(self, plan: dict[str, Any]) -> dict[str, Any]:
        return dict(self.walk(plan, self.root))

    def scenario(self, scenario: dict[str, Any]) -> dict[str, Any]:
        return dict(self.walk(scenario, self.definitions["scenario"]))


def generate(target: Path, scenarios: int, languages: Sequence[str] = ("en",)) -> list[Path]:
    """Write a folder plan of ``scenarios`` scenarios into ``target`` (emptied first)
    and return the files written, plan.yaml first."""
    if scenarios < 1:
        raise ValueError("a plan needs at least one scenario")
    if not languages or languages[0] != "en":
        raise ValueError("the example is written in English: the first language must be en")
    plan = _load(EXAMPLE / "plan.yaml")
    originals = [_load(p) for p in sorted((EXAMPLE / "scenarios").glob("*.yaml"))]
    drills_of: dict[str, list[dict[str, Any]]] = {}
    for drill in plan.get("drills", []):
        drills_of.setdefault(drill["scenario"], []).append(drill)

    made = [
        _scenario_copy(originals[n % len(originals)], n // len(originals) + 1)
        for n in range(scenarios)
    ]
    drills = []
    for n, scenario in enumerate(made):
        for drill in drills_of.get(originals[n % len(originals)]["id"], []):
            drills.append({**copy.deepcopy(drill), "scenario": scenario["id"]})
    # Newest last, as the format asks; beyond the limit the oldest copies go.
    plan["drills"] = sorted(drills, key=lambda d: str(d.get("date") or d.get("planned")))[-MAX_DRILLS:]

    if len(languages) > 1:
        plan["plan"]["languages"] = list(languages)
        localizer = _Localizer(json.loads(SCHEMA.read_text("utf-8")), languages)
        plan = localizer.plan(plan)
        made = [localizer.scenario(s) for s in made]

    if target.exists():
        shutil.rmtree(target)
    (target / "scenarios").mkdir(parents=True)
    written = [target / "plan.yaml"]
    written[0].write_text(_dump(plan), encoding="utf-8")
    for scenario in made:
        path = target / "scenarios" / f"{scenario['id']}.yaml"
        path.write_text(_dump(scenario), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder to write the plan into (replaced)")
    parser.add_argument(
        "--scenarios", "-n", type=int, default=10, help="how many scenarios (default 10)"
    )
    parser.add_argument(
        "--languages",
        default="en",
        help="comma-separated plan languages, en first (default en; en,da adds a Danish edition)",
    )
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    if args.scenarios > MAX_DRILLS:
        print(
            f"note: a plan records at most {MAX_DRILLS} drills, so {args.scenarios - MAX_DRILLS} "
            "scenarios stay undrilled and `check --strict` reports them (CP711)",
            file=sys.stderr,
        )
    try:
        written = generate(args.target, args.scenarios, languages)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.target}: plan.yaml and {len(written) - 1} scenarios ({', '.join(languages)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
