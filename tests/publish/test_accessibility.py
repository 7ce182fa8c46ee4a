"""Accessibility in headless Chromium: axe-core, run inside the published pages, finds no
serious or critical problem, and every control of a page's content shows where the
keyboard is.

axe-core comes from npm, installed once per test session into the session's temporary
folder (nothing is vendored). Without npm (or with no registry to reach) the tests
skip, except in CI (CI=true), where they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser import offline_browser

pytestmark = pytest.mark.browser

AXE_VERSION = "4"
PAGES = [
    "index.html",  # with several plans: the chooser
    "kodmuda/index.html",  # a plan built in its own language (Malay frame)
    "kodmuda/scenarios/kebocoran-data-peserta.html",
    "brightbrew/scenarios/hacked-account.html",
    "brightbrew/team.html",
    "brightbrew/statements.html",
    "segarkita/scenarios/hoaks-produk.html",
]
WIDTHS = [375, 1280]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"axe-core is required for the accessibility tests in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("no npm on this machine (apt-get install npm)")
    folder = tmp_path_factory.mktemp("axe-core")
    try:
        subprocess.run(
            [str(npm), "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"npm could not install axe-core: {exc}")
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def site(example_site: Path) -> Path:
    # The suite's one build of the examples without PDFs (conftest.py), shared.
    return example_site


RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def serious_violations(
    site: Path, axe_script: str, width: int, pages: list[str] = PAGES
) -> dict[str, list[str]]:
    """axe-core's serious and critical findings on each page, by page."""
    found: dict[str, list[str]] = {}
    with offline_browser(width=width, height=812) as (page, blocked):
        for name in pages:
            page.goto((site / name).as_uri())
            page.add_script_tag(content=axe_script)
            violations = page.evaluate(RUN_AXE)
            if violations:
                found[name] = violations
        assert blocked == []
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_violation(site: Path, axe_script: str, width: int) -> None:
    assert serious_violations(site, axe_script, width) == {}


@pytest.fixture
def zensical_site(request: pytest.FixtureRequest) -> Path:
    from crisisplan.publish.site.zensical_site import zensical_installed

    if not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    shared: Path = request.getfixturevalue("zensical_example_site")
    return shared


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_violation_on_zensical(
    zensical_site: Path, axe_script: str, width: int
) -> None:
    """The same pages built by the other engine. Zensical's palette switch (one palette:
    a radio button with aria-hidden="true") used to be reached by Tab on every page.
    The start page and one scenario page in each language: the engine's frame is the
    same on every page, and the whole suite has to stay quick."""
    pages = ["index.html", "brightbrew/scenarios/hacked-account.html", "segarkita/scenarios/hoaks-produk.html"]
    assert serious_violations(zensical_site, axe_script, width, pages) == {}


# Where focus is, as the reader sees it: an outline, or a ring drawn as a box shadow (a
# radio button's ring is on its label).
# "again" when Tab has come round to the first control it reached: the page has been walked.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || !element.closest(".md-content")) return null;
  if (window.cpFirst === element) return "again";
  window.cpFirst = window.cpFirst || element;
  const shown = element.matches(".cp-tab-input") ? element.nextElementSibling : element;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return [element.tagName.toLowerCase() + "." + element.className, outline || style.boxShadow !== "none"];
}"""


@pytest.mark.parametrize("name", ["brightbrew/scenarios/hacked-account.html", "segarkita/scenarios/hoaks-produk.html", "index.html"])
def test_every_control_shows_keyboard_focus(site: Path, name: str) -> None:
    seen: dict[str, bool] = {}
    with offline_browser(width=375, height=812) as (page, _):
        page.goto((site / name).as_uri())
        for _ in range(200):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS)
            if state == "again":
                break
            if state is not None:
                seen.setdefault(state[0], state[1])
    assert seen, "the keyboard never reached the page's content"
    if name.endswith("hacked-account.html"):
        # The action checkboxes, the call links and the composer are all reached.
        reached = {control.replace(" focus-visible", "") for control in seen}
        assert {"input.cp-check", "a.cp-tel cp-call-name", "input.cp-input", "button.cp-copy md-button"} <= reached
    assert [control for control, visible in seen.items() if not visible] == []
