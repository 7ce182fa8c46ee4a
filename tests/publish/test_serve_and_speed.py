"""`crisisplan serve`'s parts in-process: the rebuild loop, the file watcher, the
preview server; and the check path stays light."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import (
    DirModifiedEvent,
    EventsLostEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from crisisplan.publish.options import BuildOptions
from crisisplan.publish.serve import PreviewServer, Watcher, rebuilds
from tests.conftest import CASES, ROOT

# A bound on how long a test waits for a real event or build; never a timing tested.
PATIENCE = 60.0


def test_check_never_imports_mkdocs_or_weasyprint() -> None:
    code = (
        "import sys\n"
        "from crisisplan.cli import main\n"
        "sys.argv = ['crisisplan', 'check', 'plans']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'weasyprint', 'watchdog'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "plans")
    return tmp_path / "plans"


def test_rebuilds_on_a_change_made_while_it_waits_or_builds(tmp_path: Path, plans: Path) -> None:
    site = tmp_path / "preview" / "site"
    options = BuildOptions(paths=[plans], site_dir=site, config_file=ROOT / "mkdocs.yml", pdf=False)
    page = site / "plans" / "scenarios" / "outage.html"
    results = rebuilds(options)
    try:
        first = next(results)
        assert first.built and not first.unchanged
        assert "Service outage" in page.read_text()
        # Saved before the loop waits again: the watcher, running since the start,
        # has seen it, and the next build shows it.
        plan = plans / "plan.yaml"
        plan.write_text(plan.read_text().replace("title: Service outage", "title: Checkout down"))
        second = next(results)
        assert second.built and not second.unchanged
        assert "Checkout down" in page.read_text()
        # Written again with the same text: a build that finds nothing to do.
        plan.write_text(plan.read_text())
        third = next(results)
        assert third.built and third.unchanged
    finally:
        results.close()


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[Watcher]:
    roots = [tmp_path / "plans", tmp_path / "docs", tmp_path / "mkdocs.yml"]
    (tmp_path / "plans").mkdir()
    with Watcher(lambda: roots, quiet=0.05) as started:
        yield started


def test_the_watcher_sees_files_of_any_kind_and_folders_created_later(tmp_path: Path, watcher: Watcher) -> None:
    (tmp_path / "plans" / "logo.png").write_bytes(b"\x89PNG")
    assert watcher.wait(PATIENCE)
    # docs/ did not exist when watching began: its creation is seen, then its files.
    (tmp_path / "docs").mkdir()
    assert watcher.wait(PATIENCE)
    watcher.refresh()
    (tmp_path / "docs" / "team.md").write_text("# Team\n")
    assert watcher.wait(PATIENCE)
    # A single file, saved the way many editors do: written aside, renamed over it.
    (tmp_path / "mkdocs.yml.tmp").write_text("site_name: x\n")
    (tmp_path / "mkdocs.yml.tmp").rename(tmp_path / "mkdocs.yml")
    assert watcher.wait(PATIENCE)


def test_the_watcher_ignores_reads_editor_files_and_files_outside(tmp_path: Path, watcher: Watcher) -> None:
    plans = str(tmp_path / "plans")
    ignored = [
        FileOpenedEvent(f"{plans}/plan.yaml"),  # every build reads the plans
        FileClosedNoWriteEvent(f"{plans}/plan.yaml"),
        DirModifiedEvent(plans),
        FileModifiedEvent(f"{plans}/.plan.yaml.swp"),
        FileCreatedEvent(f"{plans}/4913"),
        FileCreatedEvent(f"{plans}/.#plan.yaml"),
        FileModifiedEvent(f"{plans}/plan.yaml~"),
        FileModifiedEvent(f"{plans}/.git/index"),
        FileModifiedEvent(f"{tmp_path}/site/index.html"),
        FileModifiedEvent(f"{tmp_path}/plans-old/plan.yaml"),
    ]
    assert [event for event in ignored if watcher.concerns(event)] == []
    seen = [
        FileModifiedEvent(f"{plans}/plan.yaml"),
        FileCreatedEvent(f"{plans}/scenarios/new.yaml"),
        FileMovedEvent(f"{tmp_path}/.mkdocs.yml.tmp", f"{tmp_path}/mkdocs.yml"),
        FileMovedEvent(f"{plans}/plan.yaml", f"{tmp_path}/trash/plan.yaml"),
        EventsLostEvent(plans),  # the system's queue overflowed: anything may have changed
    ]
    assert all(watcher.concerns(event) for event in seen)
    # And for real: reading a plan is no change.
    (tmp_path / "plans" / "plan.yaml").write_text("plan: {}\n")
    assert watcher.wait(PATIENCE)
    while watcher.wait(0.5):
        pass  # a late event of that write, on a busy machine
    (tmp_path / "plans" / "plan.yaml").read_text()
    assert not watcher.wait(0.5)


class _Refusing(PollingObserver):
    """An observer whose every watch the system refuses, as inotify does past its limit."""

    def schedule(self, *args: Any, **kwargs: Any) -> ObservedWatch:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_the_watcher_polls_where_the_system_refuses_notifications(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crisisplan.publish.serve.Observer", _Refusing)
    with Watcher(lambda: [tmp_path], quiet=0.05) as watcher:
        assert watcher.polling
        (tmp_path / "plan.yaml").write_text("plan: {}\n")
        assert watcher.wait(PATIENCE)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><head><link rel="manifest" href="manifest.webmanifest" data-cp-sw="sw.js">\n</head>'
        "<body><p>Runbook</p></body></html>"
    )
    (site / "404.html").write_text("<html><body><p>No such page</p></body></html>")
    (site / "manifest.webmanifest").write_text("{}")
    (site / "sw.js").write_text("/* crisisplan: the offline copy */")
    (site / "assets" / "main.css").write_text("body {}")
    with PreviewServer(site, "127.0.0.1", 0) as started:
        started.open()
        yield started


def fetch(server: PreviewServer, path: str) -> tuple[int, str, str]:
    """Status, Cache-Control and text of an answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=PATIENCE) as response:
            return response.status, response.headers["Cache-Control"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Cache-Control"], error.read().decode()


def test_the_preview_adds_the_reload_script_and_hides_the_offline_worker(server: PreviewServer) -> None:
    build = server.build
    status, cache, page = fetch(server, "/")
    assert (status, cache) == (200, "no-store")
    assert f'var shown = "{build}";' in page and "<p>Runbook</p><script>" in page
    assert "data-cp-sw" not in page  # so incident.js registers no worker here
    assert "crisisplan-preview" not in (server.root / "index.html").read_text()
    assert fetch(server, "/sw.js")[0] == 404
    assert fetch(server, "/assets/main.css") == (200, "no-store", "body {}")
    # No listing of a folder: the site's 404 page, which reloads like any other.
    status, _, page = fetch(server, "/assets/")
    assert status == 404 and "No such page" in page and "main.css" not in page and "var shown" in page
    assert fetch(server, "/.crisisplan-preview/other")[0] == 404


def test_a_page_waiting_for_a_build_is_answered_when_it_is_ready(server: PreviewServer) -> None:
    first = server.build
    assert fetch(server, "/.crisisplan-preview/build")[2] == first
    answers: list[str] = []
    waiting = threading.Thread(target=lambda: answers.append(fetch(server, f"/.crisisplan-preview/build?shown={first}")[2]))
    waiting.start()
    server.built()
    waiting.join(PATIENCE)
    assert answers == [server.build] and server.build != first
    # A page from an older build is answered at once.
    assert fetch(server, f"/.crisisplan-preview/build?shown={first}")[2] == server.build


def test_nothing_answers_before_the_server_is_opened(tmp_path: Path) -> None:
    import socket

    with PreviewServer(tmp_path, "127.0.0.1", 0) as bound:
        assert not bound.listening
        with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", bound.port))


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),  # noqa: S104
        ("localhost:65535", ("localhost", 65535)),
        ("[::1]:8001", ("::1", 8001)),
        ("preview.example.com:8080", ("preview.example.com", 8080)),
    ],
)
def test_addresses(value: str, address: tuple[str, int]) -> None:
    from crisisplan.publish.serve import parse_address

    assert parse_address(value) == address
