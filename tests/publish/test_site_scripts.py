"""The site's own scripts: their unit tests (tests/js/, run with `node --test`), the
order every page of both engines loads them in, and the lists they share with the
Python side kept in one place: the console's words in the gettext catalog, the
statement placeholder pattern in plan/values.py.

Without Node.js the tests that run it skip, except in CI (CI=true), where they must
run; likewise the Zensical builds without Zensical.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from crisisplan.incident.review import LOG_FORMAT, LOG_VERSION
from crisisplan.plan.values import PLACEHOLDER
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.site.mkdocs_site import ASSET_DIR
from crisisplan.publish.site.offline import SW_FILE
from crisisplan.publish.site.pages import incident_words
from crisisplan.publish.site.scripts import GENERATED_SCRIPT, SCRIPTS, generated_script
from crisisplan.publish.site.zensical_site import MATERIAL_SEARCH_SCRIPT, zensical_installed
from crisisplan.render.labels import labels_for, template_catalog
from tests.conftest import CASES, ROOT, TODAY

ASSETS = ROOT / "src" / "crisisplan" / "assets"
JS_TESTS = ROOT / "tests" / "js"
INCIDENT_SCRIPTS = sorted(ASSETS.glob("incident*.js"))
# The console's words are the catalog's incident_* labels and at_time ("T+{time}"),
# the ones pages.py writes into data-cp-words; the scripts name them in quotes.
WORD_KEY = re.compile(r'"((?:incident|at)_[a-z_]*)"')
# Every label a script looks up, as its first argument: w("key"), say("key", ...).
LOOKUP = re.compile(r'\b(?:w|say)\(\s*"([^"]*)"')
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
SCRIPT_SRC = re.compile(r'<script src="([^"]+)"')


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js is required for the script tests in CI: apt-get install -y nodejs")
        pytest.skip("no Node.js on this machine (apt-get install nodejs)")
    return found


def run_node(code: str, data: object) -> object:
    """Run JavaScript in Node with data as JSON on its standard input; its output, JSON."""
    done = subprocess.run(
        [node(), "-e", code],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_pure_scripts_pass_their_unit_tests() -> None:
    files = sorted(JS_TESTS.glob("*.test.js"))
    assert len(files) >= 3
    done = subprocess.run(
        [node(), "--test", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout


def test_every_script_in_the_assets_is_loaded_and_every_one_loaded_exists() -> None:
    shipped = {p.name for p in ASSETS.glob("*.js")}
    assert set(SCRIPTS) == shipped | {GENERATED_SCRIPT}
    assert GENERATED_SCRIPT not in shipped  # written by the build, never a stale copy
    order = list(SCRIPTS)
    # Each reads what the ones before it put in window.crisisplan.
    assert order.index(GENERATED_SCRIPT) < order.index("crisisplan.js")
    assert order[-4:] == [
        "incident-words.js",
        "incident-clock.js",
        "incident-log.js",
        "incident.js",
    ]


def console_keys() -> set[str]:
    return {key for path in INCIDENT_SCRIPTS for key in WORD_KEY.findall(path.read_text("utf-8"))}


def test_every_word_the_console_uses_is_in_the_catalog() -> None:
    keys = console_keys()
    assert {"incident_start", "incident_due_in", "incident_log_undone", "at_time"} <= keys
    catalog = template_catalog()
    assert sorted(keys - set(catalog.texts)) == []
    # No lookup of a label outside that naming, which the check above would miss.
    looked_up = {
        key for path in INCIDENT_SCRIPTS for key in LOOKUP.findall(path.read_text("utf-8"))
    }
    assert looked_up and looked_up <= keys


def test_the_console_carries_no_english_of_its_own() -> None:
    """The English is in the catalog only: no script has a label's text as a string."""
    english = {text for key, text in template_catalog().texts.items() if key in console_keys()}
    for path in ASSETS.glob("*.js"):
        strings = set(STRING.findall(path.read_text("utf-8")))
        assert sorted(strings & english) == [], path.name


def test_the_placeholder_pattern_is_the_plan_formats() -> None:
    """constants.js gives the composer the pattern of plan/values.py, and JavaScript
    finds in a statement exactly the placeholders Python finds."""
    texts = [
        "Our {platform} account was hacked at {time}.",
        "{a}{b2}{c_d} {_x} {x_} {X} {Product} {1x} {x-y} {é} { a } {a b} {} {{product}}",
        "{product}} {{time} {date.year} {0} {name!r} {name:>10} \\{escaped}",
        "no placeholder at all",
    ]
    code = """
      const vm = require("node:vm");
      const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
      const page = {};
      page.window = page;
      vm.createContext(page);
      vm.runInContext(input.script, page);
      const pattern = new RegExp(page.crisisplan.placeholder, "g");
      const found = input.texts.map((text) => Array.from(text.matchAll(pattern), (m) => [m[0], m[1]]));
      process.stdout.write(JSON.stringify({ source: page.crisisplan.placeholder, found }));
    """
    result = run_node(code, {"script": generated_script(), "texts": texts})
    assert isinstance(result, dict)
    assert result["source"] == PLACEHOLDER.pattern
    python = [[[m.group(0), m.group(1)] for m in PLACEHOLDER.finditer(text)] for text in texts]
    assert result["found"] == python
    assert python[1] == [
        ["{a}", "a"],
        ["{b2}", "b2"],
        ["{c_d}", "c_d"],
        ["{x_}", "x_"],
        ["{product}", "product"],
    ]


def test_the_composer_has_no_pattern_of_its_own() -> None:
    for path in ASSETS.glob("*.js"):
        assert "[a-z][a-z0-9_]*" not in path.read_text("utf-8"), path.name


def test_the_log_the_console_writes_is_the_one_the_review_reads() -> None:
    code = """
      const vm = require("node:vm");
      const fs = require("node:fs");
      const input = JSON.parse(fs.readFileSync(0, "utf8"));
      const page = {};
      page.window = page;
      vm.createContext(page);
      for (const file of input.files) vm.runInContext(fs.readFileSync(file, "utf8"), page);
      process.stdout.write(JSON.stringify([page.crisisplan.log.FORMAT, page.crisisplan.log.VERSION]));
    """
    files = [str(ASSETS / name) for name in ("incident-clock.js", "incident-log.js")]
    assert run_node(code, {"files": files}) == [LOG_FORMAT, LOG_VERSION]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """The smallest valid plan, built for real (no PDFs) by each engine."""
    engine: str = request.param
    if engine == "zensical" and not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    target = tmp_path_factory.mktemp(f"scripts-{engine}") / "site"
    result = build(
        BuildOptions(
            paths=[CASES / "valid" / "minimal"],
            site_dir=target,
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            pdf=False,
            engine=engine,
        )
    )
    assert result.built, result.report.diagnostics
    return engine, target


def test_every_page_loads_the_scripts_in_order(site: tuple[str, Path]) -> None:
    engine, folder = site
    expected = [f"{ASSET_DIR}/{name}" for name in SCRIPTS]
    if engine == "zensical":
        expected.remove(MATERIAL_SEARCH_SCRIPT)  # Zensical's search is its own
    pages = sorted(folder.rglob("*.html"))
    assert {"index.html", "404.html", "minimal/scenarios/outage.html"} <= {
        p.relative_to(folder).as_posix() for p in pages
    }
    for page in pages:
        # Relative to the page ("../../assets/..."), or to the root on a 404 page.
        sources = [s[s.find("assets/") :] for s in SCRIPT_SRC.findall(page.read_text("utf-8"))]
        ours = [s for s in sources if s.startswith(f"{ASSET_DIR}/") and "/vendor/" not in s]
        assert ours == expected, page
        # After the theme's own bundle, whose document$ incident.js subscribes to.
        bundle = max(i for i, s in enumerate(sources) if s.startswith("assets/javascripts/bundle"))
        assert sources.index(expected[0]) > bundle, page


def test_the_generated_script_and_every_script_are_in_the_offline_copy(
    site: tuple[str, Path],
) -> None:
    _, folder = site
    assert (folder / ASSET_DIR / GENERATED_SCRIPT).read_text("utf-8") == generated_script()
    worker = (folder / SW_FILE).read_text("utf-8")
    found = re.search(r"var FILES = (\[.*?\]);", worker, re.DOTALL)
    assert found
    files = json.loads(found.group(1))
    for name in SCRIPTS:
        assert f"{ASSET_DIR}/{name}" in files
        assert (folder / ASSET_DIR / name).is_file()


def test_the_page_carries_every_word_the_console_uses(site: tuple[str, Path]) -> None:
    _, folder = site
    text = (folder / "minimal" / "scenarios" / "outage.html").read_text("utf-8")
    found = re.search(r"data-cp-words='([^']*)'", text)
    assert found
    words = json.loads(html.unescape(found.group(1)))
    catalog = template_catalog().texts
    assert {key: words.get(key) for key in console_keys()} == {
        key: catalog[key] for key in console_keys()
    }


def test_the_console_gets_the_catalogs_duration_words() -> None:
    """Issue 19: the running clock said "12m" and "1h" on Danish pages. The page gives
    the console each unit as the catalog writes it (incident-clock.js says durations
    with them), for one and for more."""
    danish = incident_words(labels_for("da"))
    assert {key: text for key, text in danish.items() if key.startswith("duration_")} == {
        "duration_join": "{larger} {smaller}",
        "duration_minutes_one": "{count} min",
        "duration_minutes": "{count} min",
        "duration_hours_one": "{count} t",
        "duration_hours": "{count} t",
        "duration_days_one": "{count} dag",
        "duration_days": "{count} dage",
    }
    assert incident_words(labels_for("id"))["duration_minutes"] == "{count} mnt"
    assert incident_words(labels_for("en"))["duration_hours"] == "{count}h"
    # And the clock says them: the script run on what the page carries.
    said = run_node(
        "const vm = require('vm'); const fs = require('fs'); const box = {}; box.window = box; vm.createContext(box);"
        f"for (const f of ['incident-words.js', 'incident-clock.js']) vm.runInContext(fs.readFileSync({json.dumps(str(ASSETS))} + '/' + f, 'utf8'), box);"
        "const w = JSON.parse(fs.readFileSync(0, 'utf8')); const cp = box.crisisplan;"
        "const say = (k, v) => cp.words.say(w, k, v);"
        "console.log(JSON.stringify([cp.clock.spoken(90, say), say('at_time', {time: cp.clock.elapsed(0, 12 * 60000, say)})]));",
        danish,
    )
    assert said == ["1 t 30 min", "T+12 min"]


@pytest.mark.browser
def test_the_scripts_share_one_namespace_on_a_page_opened_from_a_file(
    site: tuple[str, Path],
) -> None:
    from tests.browser import offline_browser

    _, folder = site
    with offline_browser(width=375, height=812) as (page, blocked):
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((folder / "minimal" / "scenarios" / "outage.html").as_uri())
        shared = page.evaluate(
            "({parts: Object.keys(window.crisisplan).sort(), placeholder: window.crisisplan.placeholder})"
        )
        assert shared == {
            "parts": ["clock", "log", "placeholder", "room", "searchScenarios", "share", "words"],
            "placeholder": PLACEHOLDER.pattern,
        }
        page.locator(".cp-inc-start-button").click()
        # The words come from the page: the catalog's "T+{time}" for the time since.
        assert re.fullmatch(
            r"Started \d\d:\d\d · now T\+0m", page.locator(".cp-inc-status").inner_text()
        )
        assert page.locator(".cp-inc-bar-time").inner_text() == "T+0m"
        assert errors == [] and blocked == []
