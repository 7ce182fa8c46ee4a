"""`crisisplan serve` run for real: the open page reloads after a rebuild (seen in
headless Chromium), Ctrl-C ends it cleanly, and SIGTERM leaves nothing behind."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import ARGS, chromium_path
from tests.conftest import CASES, ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Serving:
    def __init__(
        self, process: subprocess.Popen[str], port: int, temp: Path, project: Path
    ) -> None:
        self.process = process
        self.port = port
        self.temp = temp
        self.project = project
        self.output: list[str] = []

    def wait_for_line(self, start: str, timeout: float = 60) -> str:
        """The next line of serve's output that starts with `start`."""
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"serve never printed {start!r}; it printed {self.output}")

    def previews(self) -> list[str]:
        return sorted(
            p.name for p in self.temp.iterdir() if p.name.startswith("crisisplan-preview-")
        )


@contextmanager
def serving(tmp_path: Path) -> Iterator[Serving]:
    """`crisisplan serve` in a project of one plan, with a private temporary folder."""
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    shutil.copy(CASES / "valid" / "minimal" / "plan.yaml", project / "plans" / "plan.yaml")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crisisplan", "serve", "--port", str(port)],
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield Serving(process, port, temp, project)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def edit_plan(project: Path, old: str, new: str) -> None:
    plan = project / "plans" / "plan.yaml"
    plan.write_text(plan.read_text().replace(old, new))
    # Move the modification time on even where the file system's clock is coarse.
    stamp = plan.stat().st_mtime + 5
    os.utime(plan, (stamp, stamp))


@pytest.mark.browser
def test_the_open_page_reloads_with_the_new_text_after_a_rebuild(tmp_path: Path) -> None:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with serving(tmp_path) as serve, sync_playwright() as playwright:
        serve.wait_for_line("Built in")
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{serve.port}/plans/scenarios/outage.html")
            heading = page.locator("h1").first
            assert heading.inner_text().rstrip("¶ ") == "Service outage"
            # A mark that survives only as long as the page is not loaded again.
            page.evaluate("window.crisisplanMark = 'before'")
            edit_plan(serve.project, "title: Service outage", "title: Checkout down")
            serve.wait_for_line("Rebuilt in")
            page.wait_for_function("() => window.crisisplanMark === undefined", timeout=15_000)
            page.wait_for_load_state()
            assert heading.inner_text().rstrip("¶ ") == "Checkout down"
        finally:
            browser.close()


def test_the_built_pages_never_carry_the_reload_script(tmp_path: Path) -> None:
    # The script is added as the preview serves a page: the built file itself, like
    # every published site, has none.
    from crisisplan.serve import with_reload_script

    page = b"<html><body><p>Runbook</p></body></html>"
    served = with_reload_script(page, 3)
    assert served.startswith(b"<html><body><p>Runbook</p><script>")
    assert served.endswith(b"</script>\n</body></html>")
    assert b"var shown = 3;" in served
    assert b"/.crisisplan-preview/build" in served


def test_ctrl_c_stops_serve_cleanly_and_removes_the_preview(tmp_path: Path) -> None:
    with serving(tmp_path) as serve:
        serve.wait_for_line("Built in")
        assert len(serve.previews()) == 1
        serve.process.send_signal(signal.SIGINT)
        _, stderr = serve.process.communicate(timeout=30)
        assert (serve.process.returncode, stderr) == (0, "Stopped.\n")
        assert serve.previews() == []


@pytest.mark.parametrize("when", ["idle", "building"])
def test_sigterm_leaves_no_preview_folder_behind(tmp_path: Path, when: str) -> None:
    with serving(tmp_path) as serve:
        serve.wait_for_line("Serving on")
        if when == "idle":
            serve.wait_for_line("Built in")
        # Otherwise the first build is under way (it takes a second or more).
        serve.process.send_signal(signal.SIGTERM)
        _, stderr = serve.process.communicate(timeout=30)
        assert (serve.process.returncode, stderr) == (143, "Stopped.\n")
        assert serve.previews() == []
        assert list(serve.temp.iterdir()) == []
