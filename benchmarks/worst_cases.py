"""Print what hostile plans cost, side by side with an ordinary plan of the same size.

Not a test: figures are read, not asserted. Run: .venv/bin/python benchmarks/worst_cases.py

Each worst case from the hardening issue is generated at two sizes. For each, the
whole `crisisplan build --no-pdf` process (check included) is timed with its peak
memory, next to a peer: the same plan with ordinary prose of the same length in the
same field. Linear cost shows as a hostile/peer ratio that stays flat as the size
doubles; refusals show as an exit code of 1 and a CP code.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "cases" / "valid" / "minimal" / "plan.yaml").read_text()
WORST = "    worst_case: Customers cannot order for a day and move to competitors.\n"


def with_worst_case(text: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return MINIMAL.replace(WORST, f'    worst_case: "{quoted}"\n')


def prose(size: int) -> str:
    return ("Customers cannot order and move to competitors. " * (size // 48 + 1))[:size]


CASES: dict[str, Callable[[int], str]] = {
    "runs of [": lambda n: with_worst_case("[" * n),
    "*a repeated": lambda n: with_worst_case("*a " * (n // 3)),
    "nested quotes": lambda n: with_worst_case("> " * (n // 2) + "x"),
    "open links [a](": lambda n: with_worst_case("[a](" * (n // 4)),
    "alias fan-out": lambda n: MINIMAL.replace("  organisation: Example Co\n", f"  organisation: Example Co\n  title: &t {'x' * n}\n")
    + "allies:\n" + "".join("  - {name: *t}\n" for _ in range(2000)),
}
PEER: Callable[[int], str] = lambda n: with_worst_case(prose(n))  # noqa: E731


def run(plan: str) -> tuple[float, float, int, str]:
    """Wall time, peak RSS (MiB), exit code and last line of one build in a fresh folder."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "plans").mkdir()
        (folder / "plans" / "plan.yaml").write_text(plan, encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "crisisplan", "build", "--no-pdf"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "CRISISPLAN_TODAY": "2026-11-22"},
        )
        seconds = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        lines = (result.stdout + result.stderr).strip().splitlines()
        codes = sorted({word for line in lines for word in line.split() if word.startswith("CP") and word.endswith(":")})
        summary = " ".join(codes) if codes else (lines[-1][:60] if lines else "")
        return seconds, peak, result.returncode, summary


def main() -> None:
    print(f"worst cases vs ordinary prose of the same size ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    print(f"{'case':<18}{'size':>8}  {'hostile':>9}  {'peer':>7}  {'ratio':>5}  exit  outcome")
    for name, make in CASES.items():
        for size in (4_000, 8_000):
            seconds, _, code, outcome = run(make(size))
            peer_seconds, _, _, _ = run(PEER(size))
            ratio = seconds / peer_seconds if peer_seconds else 0.0
            print(f"{name:<18}{size:>8,}  {seconds:>8.2f}s  {peer_seconds:>6.2f}s  {ratio:>5.2f}  {code:>4}  {outcome}")


if __name__ == "__main__":
    main()
