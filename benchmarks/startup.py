"""Start-up: crisisplan's shortest commands next to the linters people run beside it.

Not a test: machines here are shared and noisy, so figures are read, never asserted.
Run:

    .venv/bin/python benchmarks/startup.py [--runs 21] [--json results.json]
        [--baseline path/to/old/src]

Two rows, each run as whole processes through the installed console scripts:

- `crisisplan check plan.yaml` of a minimal plan (tests/cases/valid/minimal) next to
  `check-jsonschema` validating the same file against crisisplan's plan schema;
- `crisisplan --version` next to `yamllint --version`.

Each row is --runs rounds of its commands, one right after the other (the order
rotating), and prints the median of the ratios taken within each round, wall and CPU
(user + system), with the medians of each command's own figures: on a busy machine a
ratio taken within one round is steadier than two medians taken apart. With
--baseline SRC, the crisisplan in SRC (a copy of an older src/ folder, found first on
the same console script's path) runs in the same rounds, and the row also prints
baseline / peer and this / baseline. Stale bytecode is compiled first so that it is
not counted.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal"
PLAN_SCHEMA = ROOT / "src" / "crisisplan" / "schemas" / "plan.schema.json"


def tool(name: str) -> str | None:
    """A console script of this Python's environment, else one on PATH."""
    found = Path(sys.executable).parent / name
    return str(found) if found.is_file() else shutil.which(name)


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


@dataclass(frozen=True)
class Command:
    args: Sequence[str]
    env: dict[str, str] | None = None


def timed(command: Command, cwd: Path) -> Timing:
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603
        command.args, cwd=cwd, env=command.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command.args)} exited {code}")
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def rounds(commands: Sequence[Command], runs: int, cwd: Path) -> list[list[Timing]]:
    """`runs` rounds of every command, one right after the other, the order rotating
    from round to round so that none always runs first (a cold cache) or just after
    another (a neighbour's burst). Each round's timings in the order given."""
    for command in commands:
        timed(command, cwd)  # page it in; not counted
    found: list[list[Timing]] = []
    for i in range(runs):
        order = [*range(len(commands))]
        order = order[i % len(order) :] + order[: i % len(order)]
        timings = {index: timed(commands[index], cwd) for index in order}
        found.append([timings[index] for index in range(len(commands))])
    return found


def ratios(found: list[list[Timing]], a: int, b: int) -> dict[str, float]:
    """Medians of the ratios within each round (command a over command b)."""
    return {
        "wall": statistics.median(r[a].wall / r[b].wall for r in found),
        "cpu": statistics.median(r[a].cpu / r[b].cpu for r in found),
    }


def row(ours: Command, peer: Command, baseline: Command | None, runs: int) -> dict[str, Any]:
    commands = [ours, peer, *([baseline] if baseline else [])]
    found = rounds(commands, runs, MINIMAL)
    figures: dict[str, Any] = {
        "runs": runs,
        "ours_over_peer": ratios(found, 0, 1),
        "medians_ms": {
            name: {
                "wall": round(statistics.median(r[i].wall for r in found) * 1000),
                "cpu": round(statistics.median(r[i].cpu for r in found) * 1000),
            }
            for i, name in enumerate(["ours", "peer", "baseline"][: len(commands)])
        },
    }
    if baseline:
        figures["baseline_over_peer"] = ratios(found, 2, 1)
        figures["ours_over_baseline"] = ratios(found, 0, 2)
    return figures


def _show(label: str, figures: dict[str, Any]) -> None:
    def pair(key: str) -> str:
        return f"wall {figures[key]['wall']:.2f}x  CPU {figures[key]['cpu']:.2f}x"

    ms = figures["medians_ms"]
    print(f"{label:42s} {pair('ours_over_peer')}")
    if "baseline_over_peer" in figures:
        print(f"{'  baseline / the same peer':42s} {pair('baseline_over_peer')}")
        print(f"{'  this / baseline':42s} {pair('ours_over_baseline')}")
    medians = ", ".join(f"{name} {m['wall']} ms wall, {m['cpu']} ms CPU" for name, m in ms.items())
    print(f"{'':42s} (medians of {figures['runs']} rounds: {medians})")


def main(argv: Sequence[str] | None = None) -> int:
    measure(argv)
    return 0


def measure(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The rows, printed and returned (benchmarks/scale.py prints them under its table)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds per row (default 21)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="SRC",
        help="also time the crisisplan in SRC (a copy of an older src/ folder) in the same rounds",
    )
    args = parser.parse_args(argv)

    compileall.compile_dir(ROOT / "src", quiet=1)
    if args.baseline:
        compileall.compile_dir(args.baseline, quiet=1)
    crisisplan, jsonschema, yamllint = (
        tool("crisisplan"),
        tool("check-jsonschema"),
        tool("yamllint"),
    )
    if crisisplan is None:
        raise SystemExit("crisisplan is not installed in this environment: pip install -e .")
    # The same console script, finding the older package first on its path.
    old = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())} if args.baseline else None
    rows: dict[str, dict[str, Any]] = {}
    if jsonschema:
        check = [crisisplan, "check", "plan.yaml"]
        rows["check minimal plan / check-jsonschema"] = row(
            Command(check),
            Command([jsonschema, "--schemafile", str(PLAN_SCHEMA), "plan.yaml"]),
            Command(check, old) if old else None,
            args.runs,
        )
    else:
        print("(check-jsonschema is not installed: pip install -e '.[bench]')")
    if yamllint:
        version = [crisisplan, "--version"]
        rows["--version / yamllint --version"] = row(
            Command(version),
            Command([yamllint, "--version"]),
            Command(version, old) if old else None,
            args.runs,
        )
    else:
        print("(yamllint is not installed)")
    for label, figures in rows.items():
        _show(label, figures)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), "utf-8")
    return rows


if __name__ == "__main__":
    sys.exit(main())
