"""One word changed in one scenario, without PDFs: the rebuild next to a fresh build,
on either engine.

Not a test: machines here are shared and noisy, so figures are read, never asserted.
Run:

    .venv/bin/python benchmarks/incremental.py [--sizes 100,1000] [--engines zensical,mkdocs]
        [--pairs 2]

For each N and engine, a plan of N scenarios (benchmarks/generate.py) is built once in
a folder of its own; then, --pairs times and interleaved (a machine that gets busier
slows both alike), a fresh build of the plan with the word changed in a new folder and
a rebuild of the first folder with the word changed there. Printed: the medians, and
rebuild / fresh as the ratio of wall time and of CPU time of every process (Zensical
runs in a child process). A Zensical build keeps its input and Zensical's cache in
.crisisplan-cache/ between builds; MkDocs renders every page again.

With --no-link-checks the project's mkdocs.yml also tells the engine not to check links
(validation: links: not_found/anchors: ignore, as MkDocs and Zensical both read it):
most of what a Zensical rebuild still costs is its link check, which reads the
Markdown of every page again, changed or not.

`measure(n, engine, pairs, scratch, env)` returns the same figures for benchmarks/scale.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from scale import CHANGED, WORD, WORDS, Run, adopt_orphans, run  # noqa: E402

CRISISPLAN = [sys.executable, "-m", "crisisplan"]
NO_LINK_CHECKS = "validation:\n  links:\n    not_found: ignore\n    anchors: ignore\n"


def _build(folder: Path, engine: str, env: dict[str, str]) -> Run:
    result = run([*CRISISPLAN, "build", "--no-pdf", "--engine", engine, "--format", "json", "plans"], folder, env)
    if result.code != 0:
        raise SystemExit(f"build failed in {folder}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def _change(folder: Path, word: str) -> None:
    scenario = folder / "plans" / "brightbrew" / "scenarios" / f"{CHANGED}.yaml"
    text = scenario.read_text("utf-8")
    # The word before is whatever the last change put there.
    for before in (WORD, *WORDS):
        if f" {before} " in text:
            scenario.write_text(text.replace(f" {before} ", f" {word} ", 1), "utf-8")
            return
    raise SystemExit(f"{scenario} has none of the words this benchmark changes")


def _said(result: Run) -> dict[str, float]:
    return {"seconds": round(result.seconds, 3), "cpu_seconds": round(result.cpu_seconds, 3)}


def measure(
    n: int, engine: str, pairs: int, scratch: Path, env: dict[str, str], link_checks: bool = True
) -> dict[str, Any]:
    """Fresh builds and one-word rebuilds at N scenarios on one engine, interleaved:
    their wall and CPU seconds, and the medians of rebuild / fresh."""
    base = scratch / f"{engine}-{n}" / "base"
    generate(base / "plans" / "brightbrew", n)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    (base / "mkdocs.yml").write_text(config if link_checks else config + NO_LINK_CHECKS, "utf-8")
    kept = scratch / f"{engine}-{n}" / "kept"
    shutil.copytree(base, kept)
    print(f"  N={n:,} {engine}: first build", file=sys.stderr, flush=True)
    first = _build(kept, engine, env)
    fresh: list[Run] = []
    rebuilt: list[Run] = []
    for number in range(pairs):
        word = WORDS[number % len(WORDS)]
        folder = scratch / f"{engine}-{n}" / f"fresh-{number}"
        shutil.copytree(base, folder)
        _change(folder, word)
        print(f"  N={n:,} {engine}: fresh build {number + 1}", file=sys.stderr, flush=True)
        fresh.append(_build(folder, engine, env))
        shutil.rmtree(folder)
        _change(kept, word)
        print(f"  N={n:,} {engine}: rebuild, one word changed {number + 1}", file=sys.stderr, flush=True)
        rebuilt.append(_build(kept, engine, env))
    shutil.rmtree(scratch / f"{engine}-{n}")
    return {
        "first": _said(first),
        "fresh": [_said(r) for r in fresh],
        "rebuild": [_said(r) for r in rebuilt],
        "wall_ratio": statistics.median(r.seconds / f.seconds for r, f in zip(rebuilt, fresh, strict=True)),
        "cpu_ratio": statistics.median(r.cpu_seconds / f.cpu_seconds for r, f in zip(rebuilt, fresh, strict=True)),
        "fresh_seconds": statistics.median(f.seconds for f in fresh),
        "rebuild_seconds": statistics.median(r.seconds for r in rebuilt),
        "fresh_cpu": statistics.median(f.cpu_seconds for f in fresh),
        "rebuild_cpu": statistics.median(r.cpu_seconds for r in rebuilt),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="scenario counts (default 100,1000)")
    parser.add_argument("--engines", default="zensical", help="zensical, mkdocs or both (default zensical)")
    parser.add_argument("--pairs", type=int, default=2, help="fresh build and rebuild pairs (default 2)")
    parser.add_argument(
        "--no-link-checks", action="store_true", help="mkdocs.yml tells the engine not to check links"
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "CRISISPLAN_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"}
    adopt_orphans()
    print(f"{'N':>6} {'engine':<9} {'fresh':>8} {'rebuild':>8} {'wall':>6} {'CPU fresh':>10} {'CPU rebuild':>12} {'CPU':>6}")
    with tempfile.TemporaryDirectory(prefix="crisisplan-incremental-") as name:
        for n in (int(x) for x in args.sizes.split(",") if x.strip()):
            for engine in (e.strip() for e in args.engines.split(",") if e.strip()):
                m = measure(n, engine, args.pairs, Path(name), env, not args.no_link_checks)
                print(
                    f"{n:>6} {engine:<9} {m['fresh_seconds']:>7.1f}s {m['rebuild_seconds']:>7.1f}s {m['wall_ratio']:>5.2f}x"
                    f" {m['fresh_cpu']:>9.1f}s {m['rebuild_cpu']:>11.1f}s {m['cpu_ratio']:>5.2f}x",
                    flush=True,
                )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
