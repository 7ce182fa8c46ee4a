"""`crisisplan serve` run for real on 127.0.0.1: nothing is served before a build
succeeds, every watched file triggers a rebuild, open pages learn of it at once and
reload (seen in headless Chromium), and Ctrl-C or SIGTERM end it cleanly."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import ARGS, chromium_path
from tests.conftest import CASES, ROOT

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"
# How long a test waits for serve to say something: a build takes a few seconds on a
# busy machine; this bounds a failure, it is never a timing being tested.
PATIENCE = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Serving:
    def __init__(self, process: subprocess.Popen[str], port: int, temp: Path, project: Path) -> None:
        self.process = process
        self.port = port
        self.temp = temp
        self.project = project
        self.output: list[str] = []
        self.base = f"http://127.0.0.1:{port}"
        # Read by a thread: a select() on the pipe misses lines already read into
        # the stream's buffer when serve prints several at once.
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put("")  # the end of the output

    def wait_for_line(self, start: str, timeout: float = PATIENCE) -> str:
        """The next line of serve's output that starts with `start`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                break
            self.output.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"serve never printed {start!r}; it printed {self.output}")

    def close(self) -> None:
        """Once serve has ended: its output read to the end, the pipes closed."""
        self._reader.join(timeout=30)
        assert self.process.stdout is not None and self.process.stderr is not None
        self.process.stdout.close()
        self.process.stderr.close()

    def stop(self, sig: signal.Signals) -> tuple[int, str]:
        """Send a signal; the exit code and standard error once serve has ended."""
        assert self.process.stderr is not None
        self.process.send_signal(sig)
        self.process.wait(timeout=30)
        return self.process.returncode, self.process.stderr.read()

    def get(self, path: str) -> tuple[int, str]:
        """The status and text of a page, as a browser would fetch it."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=PATIENCE) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def previews(self) -> list[str]:
        return sorted(p.name for p in self.temp.iterdir() if p.name.startswith("crisisplan-preview-"))


def make_project(tmp_path: Path) -> Path:
    """A project of one plan with the repository's mkdocs.yml (a small site, no PDFs),
    its own pages in docs/ as a team's mkdocs.yml has them (crisisplan init writes
    docs_dir: docs; the example's runbook-docs/ keeps the project's docs/ out)."""
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    shutil.copy(MINIMAL, project / "plans" / "plan.yaml")
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace("docs_dir: runbook-docs\n", "docs_dir: docs\n")
    (project / "mkdocs.yml").write_text(config, "utf-8")
    return project


@contextmanager
def serving(tmp_path: Path, *options: str, project: Path | None = None, port: int | None = None) -> Iterator[Serving]:
    """`crisisplan serve` in a project, on a free port, with a private temporary
    folder; stopped (killed if need be) however the test ends."""
    project = project or make_project(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    port = port or free_port()
    address = options or ("--dev-addr", f"127.0.0.1:{port}")
    process = subprocess.Popen(
        [sys.executable, "-m", "crisisplan", "serve", *address],
        cwd=project,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    serve = Serving(process, port, temp, project)
    try:
        yield serve
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        serve.close()


def edit_plan(project: Path, old: str, new: str) -> None:
    plan = project / "plans" / "plan.yaml"
    text = plan.read_text()
    assert old in text
    plan.write_text(text.replace(old, new))


def refused(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(10)
        try:
            probe.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
        return False


def test_nothing_is_served_until_a_build_succeeds_then_no_folder_is_listed(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    good = (project / "plans" / "plan.yaml").read_text()
    (project / "plans" / "plan.yaml").write_text("plan: [unclosed\n")
    with serving(tmp_path, project=project) as serve:
        serve.wait_for_line("Building the preview")
        serve.wait_for_line("Not serving yet: fix the problems above")
        assert any("plans/plan.yaml:" in line for line in serve.output)  # the problem, with its place
        # Not an empty folder, not a 404 that would never come back: nothing listens.
        assert refused(serve.port)
        (project / "plans" / "plan.yaml").write_text(good)
        serve.wait_for_line("Built in")
        serve.wait_for_line(f"Serving on http://127.0.0.1:{serve.port}/")
        status, page = serve.get("/plans/scenarios/outage.html")
        assert status == 200 and "Service outage" in page
        # A folder without a page is the site's 404 page, never a listing of its files.
        status, page = serve.get("/assets/")
        assert status == 404 and "Directory listing" not in page and "main.css" not in page


def test_every_watched_file_rebuilds_and_open_pages_learn_of_it_at_once(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs").mkdir()
    (project / "docs" / "notes.txt").write_text("first notes\n")
    with serving(tmp_path, project=project) as serve:
        serve.wait_for_line("Serving on")
        assert serve.get("/notes.txt") == (200, "first notes\n")
        status, build = serve.get("/.crisisplan-preview/build")
        assert status == 200

        # An open page's question is held until a build is ready, then answered.
        answers: list[tuple[int, str]] = []
        question = threading.Thread(target=lambda: answers.append(serve.get(f"/.crisisplan-preview/build?shown={build}")))
        question.start()
        # Any file of docs/, not only Markdown, styles and scripts.
        (project / "docs" / "notes.txt").write_text("second notes\n")
        serve.wait_for_line("Rebuilt in")
        question.join(timeout=PATIENCE)
        assert len(answers) == 1
        status, newer = answers[0]
        assert status == 200 and newer != build
        assert serve.get("/notes.txt") == (200, "second notes\n")

        # Any file of the plan's folder.
        (project / "plans" / "notes.md").write_text("kept beside the plan\n")
        serve.wait_for_line("Rebuilt in")

        # crisisplan.yaml, whose settings are read again for the build.
        (project / "crisisplan.yaml").write_text("strict: false\n")
        serve.wait_for_line("Rebuilt in")

        # A save with nothing changed rebuilds nothing and reloads no page.
        _, before = serve.get("/.crisisplan-preview/build")
        plan = project / "plans" / "plan.yaml"
        plan.write_text(plan.read_text())
        serve.wait_for_line("Nothing changed")
        assert serve.get("/.crisisplan-preview/build")[1] == before

        edit_plan(project, "title: Service outage", "title: Checkout down")
        serve.wait_for_line("Rebuilt in")
        assert "Checkout down" in serve.get("/plans/scenarios/outage.html")[1]
        assert serve.stop(signal.SIGINT) == (0, "Stopped.\n")


@pytest.mark.browser
def test_the_open_page_reloads_with_the_new_text_after_a_rebuild(tmp_path: Path) -> None:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with serving(tmp_path) as serve, sync_playwright() as playwright:
        serve.wait_for_line("Serving on")
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(f"{serve.base}/plans/scenarios/outage.html")
            heading = page.locator("h1").first
            assert heading.inner_text().rstrip("¶ ") == "Service outage"
            # A mark that survives only as long as the page is not loaded again.
            page.evaluate("window.crisisplanMark = 'before'")
            edit_plan(serve.project, "title: Service outage", "title: Checkout down")
            serve.wait_for_line("Rebuilt in")
            page.wait_for_function("() => window.crisisplanMark === undefined", timeout=PATIENCE * 1000)
            page.wait_for_load_state()
            assert heading.inner_text().rstrip("¶ ") == "Checkout down"
        finally:
            browser.close()


def test_the_built_pages_never_carry_the_reload_script() -> None:
    # The script is added as the preview serves a page: the built file itself, like
    # every published site, has none.
    from crisisplan.publish.serve import preview_page

    page = b'<html><head><link rel="manifest" href="manifest.webmanifest" data-cp-sw="sw.js">\n</head><body><p>Runbook</p></body></html>'
    served = preview_page(page, "abc-3")
    assert b'<link rel="manifest" href="manifest.webmanifest">' in served
    assert b"data-cp-sw" not in served
    assert b"<p>Runbook</p><script>" in served
    assert served.endswith(b"</script>\n</body></html>")
    assert b'var shown = "abc-3";' in served
    assert b"/.crisisplan-preview/build" in served


def test_ctrl_c_stops_serve_cleanly_and_removes_the_preview(tmp_path: Path) -> None:
    with serving(tmp_path) as serve:
        serve.wait_for_line("Serving on")
        assert len(serve.previews()) == 1
        assert serve.stop(signal.SIGINT) == (0, "Stopped.\n")
        assert serve.previews() == []


def test_ctrl_c_while_no_build_ever_succeeded_stops_cleanly(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "plans" / "plan.yaml").write_text("plan: [unclosed\n")
    with serving(tmp_path, project=project) as serve:
        serve.wait_for_line("Not serving yet")
        assert serve.stop(signal.SIGINT) == (0, "Stopped.\n")
        assert list(serve.temp.iterdir()) == []


@pytest.mark.parametrize("when", ["idle", "building"])
def test_sigterm_leaves_no_preview_folder_behind(tmp_path: Path, when: str) -> None:
    with serving(tmp_path) as serve:
        serve.wait_for_line("Building the preview")
        if when == "idle":
            serve.wait_for_line("Serving on")
        # Otherwise the first build is under way (it takes a second or more).
        assert serve.stop(signal.SIGTERM) == (143, "Stopped.\n")
        assert serve.previews() == []
        assert list(serve.temp.iterdir()) == []
