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


@contextmanager
def offline_browser(width: int = 1280, height: int = 900) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every request outside file:// is blocked, and the list of them."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            context.route("**/*", guard)
            yield context.new_page(), blocked
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target), full_page=False)
    return target
