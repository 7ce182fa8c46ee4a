"""Print how fast crisisplan is on this machine. Not a test: machines here are shared
and noisy, so figures are read, not asserted. Run: .venv/bin/python benchmarks/bench.py

Figures: the whole `crisisplan check` process on the example plans (what an editor's
save hook or pre-commit pays), the alias bomb's refusal, a build without PDFs, the
full build without the PDF cache, rebuilds with nothing and with one word changed
(side by side with the fresh build), and peak memory.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "crisisplan"]


def timed(args: list[str], cwd: Path, runs: int) -> tuple[float, float, str]:
    """Median wall time of a command over runs, and the peak RSS (MiB) of the children."""
    times = []
    output = ""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
        times.append(time.perf_counter() - started)
        output = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-200:]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak, output


def main() -> None:
    env_note = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(f"crisisplan benchmarks ({env_note})")
    seconds, peak, out = timed([*CLI, "check", "--strict", "plans"], ROOT, 7)
    print(f"check plans/ (whole process, median of 7): {seconds * 1000:.0f} ms  [{out}]")
    bomb = ROOT / "tests" / "cases" / "invalid" / "cp005-alias-bomb" / "plan.yaml"
    seconds, _, out = timed([*CLI, "check", str(bomb)], ROOT, 5)
    print(f"alias bomb refused (whole process, median of 5): {seconds * 1000:.0f} ms  [{out}]")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "plans", work / "plans")
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        seconds, _, out = timed([*CLI, "build", "--no-pdf"], work, 3)
        print(f"build --no-pdf (median of 3): {seconds:.2f} s  [{out}]")
        fresh, peak, out = timed([*CLI, "build", "--no-cache"], work, 3)
        print(f"build with PDFs, no cache (median of 3): {fresh:.2f} s  [{out}]")
        timed([*CLI, "build"], work, 1)  # fills the PDF cache
        again, _, out = timed([*CLI, "build"], work, 3)
        print(f"rebuild, nothing changed (median of 3): {again:.2f} s = {again / fresh:.2f}x the fresh build  [{out}]")
        scenario = work / "plans" / "brightbrew" / "scenarios" / "hacked-account.yaml"
        original = scenario.read_text("utf-8")
        changed = []
        for n in range(3):
            scenario.write_text(original.replace("The attacker posts scams", f"The attacker ({n}) posts scams"), "utf-8")
            seconds, _, out = timed([*CLI, "build"], work, 1)
            changed.append(seconds)
        one = statistics.median(changed)
        print(f"rebuild, one word changed in one scenario (median of 3): {one:.2f} s = {one / fresh:.2f}x  [{out}]")
        print(f"peak memory of any one process so far: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
