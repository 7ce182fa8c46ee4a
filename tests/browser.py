"""Driving the real Debian Chromium with Playwright, for the browser tests.

Browser tests skip on a machine without Chromium, except in CI (CI=true), where a
missing browser is a failure: there they must run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Lets the copy button reach the clipboard from file:// in headless mode.
    "--allow-file-access-from-files",
]


def chromium_path() -> str:
    found = os.environ.get("CRISISPLAN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required for the browser tests in CI: apt-get install -y chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return found


# One Chromium serves the browser tests that follow each other: starting it takes a
# second or two, a fresh context (its own storage, permissions and routes, like a new
# profile) a fraction of that. conftest.py closes it after each test module and before
# a test that starts Playwright itself, which must not find another one running.
_running: list[Any] = []  # [playwright, browser] while one runs


def _browser(executable: str) -> Any:
    if _running and not _running[1].is_connected():
        close_browser()
    if not _running:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        except BaseException:
            playwright.stop()
            raise
        _running[:] = [playwright, browser]
    return _running[1]


def close_browser() -> None:
    """Close the shared Chromium and its Playwright, if they run."""
    if not _running:
        return
    playwright, browser = _running
    _running.clear()
    try:
        browser.close()
    finally:
        playwright.stop()


@contextmanager
def offline_browser(
    width: int = 1280, height: int = 900, watch: bool = True
) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every request outside file:// is blocked, and the list of them.

    With watch=False the network is simply off and nothing is listed: every request a
    page makes then costs no round trip through Playwright, which for a test that loads
    every page of the site is most of its time."""
    executable = chromium_path()
    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context = _browser(executable).new_context(viewport={"width": width, "height": height})
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        if watch:
            context.route("**/*", guard)
        else:
            context.set_offline(True)
        yield context.new_page(), blocked
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target), full_page=False)
    return target
