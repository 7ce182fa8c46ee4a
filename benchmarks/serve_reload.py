"""How long a save takes to reach the live preview: `crisisplan serve` beside
`mkdocs serve`. Not a test: machines here are shared and noisy, so figures are read,
never asserted. Run: .venv/bin/python benchmarks/serve_reload.py [--edits N] [--browser]

Both servers run at once, each in a temporary project on a free port of 127.0.0.1,
and take turns: each is idle while the other is measured, in alternating order, so
a machine busy with something else slows both alike.

- crisisplan: one small plan (tests/cases/valid/minimal) with the repository's
  mkdocs.yml, served without PDFs, as `crisisplan serve` does by default;
- mkdocs: the same theme, features and plugins over as many Markdown pages as that
  plan gives, its scenario page of about the same length.

Each edit changes a title in the source and writes it once. "served" is the time
from the end of that write until an HTTP request for the page (repeated every 20
ms) gets the new title. With --browser, the page is also open in headless Chromium
(/usr/bin/chromium, through Playwright) and "shown" is the time until the open page
has reloaded by itself and shows the new title: what an author sees.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "valid" / "minimal" / "plan.yaml"
CHROMIUM = os.environ.get("CRISISPLAN_CHROMIUM", "/usr/bin/chromium")
POLL = 0.02
# A bound on one reload or start-up, so a broken server ends the run instead of hanging it.
PATIENCE = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own 127.0.0.1 URL)
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def served_after(url: str, text: str, since: float) -> float:
    """Seconds from `since` until the page at url holds text."""
    while time.perf_counter() - since < PATIENCE:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - since
        time.sleep(POLL)
    raise SystemExit(f"{url} never served {text!r} within {PATIENCE:.0f} s")


def shown_after(page: Any, text: str, since: float) -> float:
    """Seconds from `since` until the open page's heading holds text."""
    from playwright.sync_api import Error

    script = "() => (document.querySelector('h1') || {}).textContent || ''"
    while time.perf_counter() - since < PATIENCE:
        try:
            if text in str(page.evaluate(script)):
                return time.perf_counter() - since
        except Error:
            pass  # the page is reloading
        time.sleep(POLL)
    raise SystemExit(f"the open page never showed {text!r} within {PATIENCE:.0f} s")


def crisisplan_project(folder: Path) -> tuple[Path, str, str]:
    """A crisisplan project; the file to edit, the page showing it, the title in it."""
    (folder / "plans").mkdir(parents=True)
    shutil.copy(MINIMAL, folder / "plans" / "plan.yaml")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder / "plans" / "plan.yaml", "plans/scenarios/outage.html", "Service outage"


def mkdocs_project(folder: Path, pages: int) -> tuple[Path, str, str]:
    """A plain MkDocs project as close to crisisplan's site as MkDocs alone makes it."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    # crisisplan sets these itself for its site; plain MkDocs is given them here.
    config += "\nsite_name: Example Co crisis runbook\nuse_directory_urls: false\n"
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    (docs / "index.md").write_text("# Example Co crisis runbook\n\n- [Service outage](outage.md)\n", "utf-8")
    steps = "\n".join(f"{n}. Step {n} of the response: call the lead, check the status page." for n in range(1, 40))
    (docs / "outage.md").write_text(f"# Service outage\n\n## Actions\n\n{steps}\n", "utf-8")
    for n in range(max(0, pages - 2)):
        (docs / f"page-{n}.md").write_text(f"# Page {n}\n\nText of page {n}.\n", "utf-8")
    return docs / "outage.md", "outage.html", "Service outage"


class Server:
    """One preview server in its project, the page an edit must reach, and the times."""

    def __init__(self, name: str, command: list[str], cwd: Path, source: Path, page: str, title: str, port: int, log: Path) -> None:
        self.name = name
        self.source = source
        self.original = source.read_text("utf-8")
        self.title = title
        self.url = f"http://127.0.0.1:{port}/{page}"
        self.log = log
        self.served: list[float] = []
        self.shown: list[float] = []
        self.page: Any = None
        with log.open("w") as output:
            self.process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        started = time.perf_counter()
        served_after(self.url, title, started)
        print(f"  {name}: first page served {time.perf_counter() - started:.1f} s after start", flush=True)

    def open_in(self, browser: Any) -> None:
        self.page = browser.new_page()
        self.page.goto(self.url)

    def edit(self, n: int) -> None:
        new = f"{self.title} {n}"
        self.source.write_text(self.original.replace(self.title, new, 1), "utf-8")
        saved = time.perf_counter()
        self.served.append(served_after(self.url, new, saved))
        if self.page is not None:
            self.shown.append(shown_after(self.page, new, saved))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def line(name: str, times: list[float]) -> str:
    return f"{name:<24} median {statistics.median(times):5.2f} s   min {min(times):5.2f}   max {max(times):5.2f}"


def start(work: Path) -> list[Server]:
    servers: list[Server] = []
    try:
        source, page, title = crisisplan_project(work / "crisisplan")
        port = free_port()
        command = [sys.executable, "-m", "crisisplan", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        servers.append(Server("crisisplan serve", command, work / "crisisplan", source, page, title, port, work / "crisisplan.log"))
        source, page, title = mkdocs_project(work / "mkdocs", _built_pages(work / "crisisplan.log"))
        port = free_port()
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        servers.append(Server("mkdocs serve", command, work / "mkdocs", source, page, title, port, work / "mkdocs.log"))
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def measure(servers: list[Server], edits: int) -> None:
    for n in range(1, edits + 1):
        for server in servers if n % 2 else servers[::-1]:
            time.sleep(1.0)  # let the last reload settle
            server.edit(n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--edits", type=int, default=10, help="saves measured per server (default 10)")
    parser.add_argument("--browser", action="store_true", help="also time the open page's own reload, in headless Chromium")
    args = parser.parse_args(argv)
    env_note = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}"
    print(f"From a save to the preview showing it, {args.edits} saves each ({env_note})", flush=True)
    # The day the test plans are written for: no overdue-review warnings in the way.
    os.environ.setdefault("CRISISPLAN_TODAY", "2026-11-22")
    with tempfile.TemporaryDirectory(prefix="serve-reload-") as scratch:
        work = Path(scratch)
        servers = start(work)
        try:
            if args.browser:
                from playwright.sync_api import sync_playwright

                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
                    try:
                        for server in servers:
                            server.open_in(browser)
                        measure(servers, args.edits)
                    finally:
                        browser.close()
            else:
                measure(servers, args.edits)
            builds = [float(s) for s in re.findall(r"Rebuilt in ([0-9.]+)s", (work / "crisisplan.log").read_text("utf-8", "replace"))]
        finally:
            for server in servers:
                server.stop()
    ours, theirs = servers
    for kind in ("served", "shown"):
        mine, other = getattr(ours, kind), getattr(theirs, kind)
        if mine:
            print(line(f"crisisplan serve, {kind}", mine))
            print(line(f"mkdocs serve, {kind}", other))
            ratio = statistics.median(mine) / statistics.median(other)
            print(f"{kind}: crisisplan / mkdocs = {ratio:.2f}x (medians)")
    if builds:
        print(f"crisisplan's own rebuild, as it reports it: median {statistics.median(builds):.2f} s")


def _built_pages(log: Path) -> int:
    """How many pages crisisplan built ("Built in 1.2s: 7 pages"), for MkDocs to match."""
    found = re.search(r"Built in [0-9.]+s: (\d+) pages", log.read_text("utf-8", "replace"))
    return int(found.group(1)) if found else 7


if __name__ == "__main__":
    main()
