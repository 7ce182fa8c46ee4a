"""A build split across jobs: each renders a share of the PDFs into the cache; a last
plain build with their caches renders nothing and publishes the same site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CASES, TODAY

# One plan in two languages: two groups of PDFs to share out, the fewest that prove it.
PLANS = {
    "bilingual.yaml": CASES / "valid" / "bilingual" / "plan.yaml",
}


def project(folder: Path) -> Path:
    (folder / "plans").mkdir(parents=True)
    for name, source in PLANS.items():
        if source.is_dir():
            shutil.copytree(source, folder / "plans" / name)
        else:
            shutil.copy(source, folder / "plans" / name)
    return folder


def crisisplan(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CRISISPLAN_TODAY": TODAY}
    return subprocess.Popen(
        [sys.executable, "-m", "crisisplan", "build", "plans", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=300)
    return process.returncode, stdout, stderr


def pdfs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.pdf"))}


def test_two_jobs_render_shares_and_a_last_build_publishes_without_rendering(tmp_path: Path) -> None:
    shared = project(tmp_path / "shared")
    # Two jobs at once, in the same folder and cache (as two CI runners whose caches
    # are then gathered into one).
    first, second = crisisplan(shared, "--shard", "1/2"), crisisplan(shared, "--shard", "2/2")
    done = [finish(first), finish(second)]
    for code, stdout, stderr in done:
        assert code == 0, stderr
        assert stdout.endswith("already in the cache; nothing published\n"), stdout
    assert not (shared / "site").exists()
    lines = [stdout.splitlines()[-1] for _, stdout, _ in done]
    rendered = [int(line.split(": ", 1)[1].split(" rendered")[0]) for line in lines]
    # One plan in two languages: two groups, none rendered twice.
    assert sorted(rendered) == [3, 3]

    code, stdout, stderr = finish(crisisplan(shared, "--format", "json"))
    assert code == 0, stderr
    build = json.loads(stdout)["build"]
    assert build["built"] and build["pdfs_rendered"] == [] and len(build["pdfs_reused"]) == 6
    # The same PDFs as one build on one machine renders.
    reference = project(tmp_path / "reference")
    assert finish(crisisplan(reference, "--no-cache"))[0] == 0
    assert pdfs(shared / "site") == pdfs(reference / "site")


def test_a_share_needs_the_cache(tmp_path: Path) -> None:
    folder = project(tmp_path / "p")
    code, _, stderr = finish(crisisplan(folder, "--shard", "1/2", "--no-cache"))
    assert code == 1
    assert "--shard renders PDFs into the cache: it cannot be used with --no-pdf or --no-cache" in stderr
    code, _, stderr = finish(crisisplan(folder, "--shard", "3/2"))
    assert code == 2
    assert "'3/2' is not a share like 1/2 (the first of two jobs)" in stderr
