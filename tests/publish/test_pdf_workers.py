"""The PDF workers: parallel, recycled, never hanging, and caching as they go."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from crisisplan.check.pipeline import check_paths
from crisisplan.publish.pdf import weasy as pdf
from crisisplan.publish.pdf.documents import runbook_html
from crisisplan.publish.pdf.weasy import Job, PdfJob, render_each
from tests.conftest import CASES, ROOT

BILINGUAL = CASES / "valid" / "bilingual" / "plan.yaml"


@dataclass(frozen=True)
class WhoRendered:
    """A job that answers with the worker's process id instead of a page count."""

    target: Path

    def make(self) -> list[tuple[Path, int]]:
        return [(self.target, os.getpid())]


@dataclass(frozen=True)
class Fails:
    target: Path

    def make(self) -> list[tuple[Path, int]]:
        raise ValueError(f"cannot render {self.target.name}")


def test_workers_are_replaced_after_a_bounded_number_of_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "DOCUMENTS_PER_WORKER", 2)
    jobs = [WhoRendered(tmp_path / f"{n}.pdf") for n in range(8)]
    seen: list[Path] = []
    pids = render_each(jobs, workers=2, finished=lambda target, _pid: seen.append(target))
    assert sorted(seen) == sorted(job.target for job in jobs)
    # Two workers at a time, each retired after two documents: at least four processes.
    assert len(set(pids.values())) >= 4
    assert os.getpid() not in pids.values()


def test_a_failing_pdf_stops_the_pool_without_hanging(tmp_path: Path) -> None:
    jobs: list[Job] = [WhoRendered(tmp_path / "a.pdf"), Fails(tmp_path / "b.pdf"), *(WhoRendered(tmp_path / f"{n}.pdf") for n in range(20))]
    with pytest.raises(ValueError, match=r"cannot render b\.pdf"):
        render_each(jobs, workers=2)
    # Every worker is gone: nothing is left rendering PDFs nobody will publish.
    deadline = time.monotonic() + 30
    while _worker_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _worker_children() == []


def test_an_interrupted_render_stops_at_once(tmp_path: Path) -> None:
    plan = check_paths([CASES / "valid" / "minimal"]).plans[0].plan
    assert plan is not None
    html = runbook_html(plan, plan.scenarios[0])
    jobs = [PdfJob(html, tmp_path / f"{n}.pdf") for n in range(12)]

    def interrupt(_target: Path, _pages: int) -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        render_each(jobs, workers=2, finished=interrupt)
    # Far fewer than twelve PDFs were made: the rest were cancelled, not rendered.
    assert len(list(tmp_path.glob("*.pdf"))) < 12
    assert time.monotonic() - started < 120


def _worker_children() -> list[int]:
    """Live (not zombie) processes whose parent is this process or its fork server."""
    me = os.getpid()
    parents = {me} | _children_of(me)
    return [pid for parent in parents for pid in _children_of(parent) if _alive(pid) and pid not in parents]


def _children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_build_stopped_half_way_keeps_the_pdfs_it_rendered(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    shutil.copy(BILINGUAL, tmp_path / "plans" / "plan.yaml")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    command = [sys.executable, "-m", "crisisplan", "build", "plans"]
    build = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    cache = tmp_path / ".crisisplan-cache" / "pdf"
    deadline = time.monotonic() + 300
    while not list(cache.glob("*.json")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be stopped"
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 143 and err.endswith("Stopped.\n"), err
    # What was rendered before the stop is in the cache; nothing was published.
    assert list(cache.glob("*.json")) and not (tmp_path / "site").exists()


@pytest.mark.parametrize("delay", [0.5, 1.0, 1.5, 2.0, 3.0])
def test_a_build_stopped_while_workers_start_prints_no_traceback(tmp_path: Path, delay: float) -> None:
    # A worker half-way through starting when the build stops cannot reach it any more:
    # Python's own traceback for that must not reach the terminal.
    (tmp_path / "plans").mkdir()
    shutil.copy(BILINGUAL, tmp_path / "plans" / "plan.yaml")
    command = [sys.executable, "-m", "crisisplan", "build", "plans", "--no-cache"]
    build = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert "Traceback" not in err and "Error" not in err, err
    # 143: stopped by crisisplan's own handler; -SIGTERM: stopped by Python's default
    # one, on a busy machine, before crisisplan had started (nothing to clean up).
    assert build.returncode in (0, 143, -signal.SIGTERM), err
