"""The installable offline copy: a manifest and a service worker written after the
build, which store the whole edition, PDFs included, on the first visit over http."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildOptions
from crisisplan.publish.site.offline import MANIFEST_FILE, SW_FILE, write_offline_files
from crisisplan.publish.site.zensical_site import zensical_installed
from tests.browser import ARGS, chromium_path, offline_browser, screenshot
from tests.conftest import CASES, ROOT, TODAY


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smallest valid plan, built for real with its PDFs, made installable."""
    target = tmp_path_factory.mktemp("offline") / "site"
    result = build(
        BuildOptions(
            paths=[CASES / "valid" / "minimal"],
            site_dir=target,
            config_file=ROOT / "mkdocs.yml",
            today=dt.date.fromisoformat(TODAY),
            cache=False,
        )
    )
    # The runbook, the full plan and the call card; the build makes the site installable.
    assert result.built and result.pdfs == 3
    return target


def worker_files(site: Path) -> list[str]:
    text = (site / SW_FILE).read_text("utf-8")
    found = re.search(r"var FILES = (\[.*?\]);", text, re.DOTALL)
    assert found
    files: list[str] = json.loads(found.group(1))
    return files


def test_the_manifest_names_the_site_in_its_language(site: Path) -> None:
    manifest = json.loads((site / MANIFEST_FILE).read_text("utf-8"))
    assert manifest["name"] == "Example Co crisis runbook"  # the site name in its language
    assert manifest["lang"] == "en"
    assert manifest["start_url"] == "./index.html" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#ef5552"  # mkdocs.yml's primary: red
    icons = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert icons == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert (site / icon["src"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_worker_lists_every_file_a_reader_opens(site: Path) -> None:
    files = worker_files(site)
    assert files == sorted(files)
    for wanted in ("index.html", "404.html", "minimal/scenarios/outage.html", "pdf/minimal/outage.pdf", "search/search_index.json", "assets/crisisplan/incident.js"):
        assert wanted in files
    # Nothing a reader never opens: source maps, sitemaps, the build's marker, itself.
    assert not [f for f in files if f.endswith((".map", ".gz")) or f.startswith(".") or f in ("sitemap.xml", SW_FILE)]
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(files) <= on_disk


def test_every_page_links_the_manifest_once(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = page.read_text("utf-8")
        up = "../" * (len(page.relative_to(site).parts) - 1)
        assert text.count('rel="manifest"') == 1
        assert f'<link rel="manifest" href="{up}manifest.webmanifest" data-cp-sw="{up}sw.js">' in text


def test_same_files_same_worker_and_a_change_makes_a_new_version(site: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    write_offline_files(copy, "Example Co crisis runbook", "en")
    # Written again over itself: byte for byte the same (builds stay reproducible).
    assert (copy / SW_FILE).read_bytes() == (site / SW_FILE).read_bytes()
    assert (copy / "index.html").read_bytes() == (site / "index.html").read_bytes()
    page = copy / "minimal" / "scenarios" / "outage.html"
    page.write_text(page.read_text("utf-8").replace("</body>", "<p>changed</p></body>"), "utf-8")
    write_offline_files(copy, "Example Co crisis runbook", "en")

    def version(folder: Path) -> str:
        found = re.search(r'var VERSION = "([0-9a-f]{16})"', (folder / SW_FILE).read_text("utf-8"))
        assert found
        return found.group(1)

    assert version(copy) != version(site)


def test_the_root_worker_stores_the_editions_inside_and_their_pages_register_it(tmp_path: Path) -> None:
    """Issue 19: offline, tapping the other language gave "404 - Not found": the root's
    worker stored only the root edition. One worker for the whole site now, every
    edition's files in its list; each edition keeps its own manifest (its language)."""
    (tmp_path / "da" / "search").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<html><head></head><body>root</body></html>", "utf-8")
    (tmp_path / "da" / "index.html").write_text("<html><head></head><body>da</body></html>", "utf-8")
    (tmp_path / "da" / "search" / "search_index.json").write_text("{}", "utf-8")
    write_offline_files(tmp_path, "Runbook", "en")
    assert "da/index.html" in worker_files(tmp_path)
    # The root edition's manifest is not the Danish pages' to link.
    assert 'rel="manifest"' not in (tmp_path / "da" / "index.html").read_text("utf-8")
    write_offline_files(tmp_path / "da", "Beredskab", "da")
    assert not (tmp_path / "da" / SW_FILE).exists()
    assert json.loads((tmp_path / "da" / MANIFEST_FILE).read_text("utf-8"))["lang"] == "da"
    page = (tmp_path / "da" / "index.html").read_text("utf-8")
    assert '<link rel="manifest" href="manifest.webmanifest" data-cp-sw="../sw.js">' in page
    # Written again with what the Danish edition added: its manifest and icons.
    assert {"da/manifest.webmanifest", "da/assets/crisisplan/icons/icon-192.png"} <= set(worker_files(tmp_path))


def test_a_folder_beside_another_site_is_not_taken_for_its_edition(tmp_path: Path) -> None:
    """Only a worker crisisplan wrote makes a folder's parent its site: a runbook built
    into a folder of some other site never rewrites that site's worker."""
    (tmp_path / SW_FILE).write_text("self.addEventListener('fetch', function () {});\n", "utf-8")
    (tmp_path / MANIFEST_FILE).write_text("{}", "utf-8")
    (tmp_path / "runbook").mkdir()
    (tmp_path / "runbook" / "index.html").write_text("<html><head></head><body>runbook</body></html>", "utf-8")
    write_offline_files(tmp_path / "runbook", "Runbook", "en")
    assert (tmp_path / SW_FILE).read_text("utf-8").startswith("self.addEventListener")
    assert (tmp_path / "runbook" / SW_FILE).is_file()


@pytest.fixture
def server(site: Path) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
def test_one_visit_over_http_and_the_site_works_with_the_server_gone(server: tuple[str, ThreadingHTTPServer]) -> None:
    base, httpd = server
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
            page.goto(f"{base}/minimal/scenarios/outage.html")
            # The worker stores the edition, then takes charge of the open page.
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
            httpd.shutdown()
            httpd.server_close()
            response = page.reload()
            assert response is not None and response.from_service_worker
            assert page.locator("h1").first.inner_text().rstrip("¶ ")
            assert page.locator(".cp-actions li").count() > 0
            # A page never opened before, as search opens it (?h=...#part), and a PDF.
            response = page.goto(f"{base}/index.html?h=outage#top")
            assert response is not None and response.from_service_worker
            assert page.locator(".md-content a[href*='outage']").count() > 0
            pdf = page.evaluate(
                """async (url) => {
                    const response = await fetch(url);
                    const bytes = new Uint8Array(await response.arrayBuffer());
                    return [response.status, String.fromCharCode(...bytes.slice(0, 5)), bytes.length];
                }""",
                f"{base}/pdf/minimal/outage.pdf",
            )
            assert pdf[0] == 200 and pdf[1] == "%PDF-" and pdf[2] > 1000
            screenshot(page, "offline-served-then-server-stopped.png")
        finally:
            browser.close()


@pytest.mark.browser
def test_from_file_nothing_is_registered(site: Path) -> None:
    with offline_browser() as (page, blocked):
        page.goto((site / "index.html").as_uri())
        registered = page.evaluate(
            "navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then(r => r.length, () => 0) : 0"
        )
        assert registered == 0
        assert blocked == []


class _SubPath(SimpleHTTPRequestHandler):
    """A host that publishes the site under /runbook/, as GitHub Pages publishes a
    project site, and answers a missing page with the site's 404.html."""

    prefix = "/runbook/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        inside = path.split("?", 1)[0].split("#", 1)[0]
        if not inside.startswith(self.prefix):
            return str(Path(self.directory) / "missing-outside-the-site")
        return super().translate_path("/" + inside[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _published(site: Path) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPath, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/runbook/", httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _example(request: pytest.FixtureRequest, engine: str) -> Path:
    if engine == "zensical" and not zensical_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("Zensical is required for these tests in CI: pip install -e '.[test]'")
        pytest.skip("Zensical is not installed (pip install 'crisisplan[zensical]')")
    site: Path = request.getfixturevalue("example_site" if engine == "mkdocs" else "zensical_example_site")
    return site


def _answers_into(seen: list[tuple[int, str]]) -> Any:
    """A response listener keeping (status, address); a file:// answer has status 0."""
    return lambda response: seen.append((response.status or 200, response.url))


def _requests_into(seen: list[str]) -> Any:
    return lambda request: seen.append(request.url)


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_404_page_works_from_a_sub_path_with_no_request_elsewhere(request: pytest.FixtureRequest, engine: str) -> None:
    """Issue 19: the 404 page's links ran from the domain's root ("/assets/..."): under
    a sub-path its scripts and styles came from outside the site."""
    site = _example(request, engine)
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with _published(site) as (base, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            for address, inside in ((base + "en/kodmuda/no-such-page.html", base), ((site / "404.html").as_uri(), site.as_uri() + "/")):
                page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
                answers: list[tuple[int, str]] = []
                # A file loaded from file:// answers with status 0.
                page.on("response", _answers_into(answers))
                asked: list[str] = []
                page.on("request", _requests_into(asked))
                page.goto(address)
                page.wait_for_function("typeof window.document$ !== 'undefined'", timeout=10_000)
                assert page.evaluate("document.baseURI") == inside
                outside = [url for url in asked if not url.startswith((inside, "data:", "blob:"))]
                assert outside == [], address
                # Its styles and scripts come from the site's root. (The browser's
                # look-ahead asks for them beside the page too, before the first script
                # has set the root: those fail, inside the site.)
                loaded = {url.removeprefix(inside) for status, url in answers if status == 200}
                assert {"assets/crisisplan/crisisplan.css", "assets/crisisplan/incident.js"} <= loaded, address
                assert [url for url in loaded if url.startswith("assets/javascripts/bundle.")], address
                assert page.locator("a[href]").first.evaluate("a => a.href").startswith(inside)
                page.context.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_offline_the_other_language_opens_from_the_stored_copy(example_site: Path) -> None:
    """Issue 19: offline, a reader on a Malay page who tapped "English" got a bare
    "404 - Not found". One visit now stores every edition."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with _published(example_site) as (base, httpd), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
            page.goto(base + "kodmuda/index.html")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            httpd.shutdown()
            httpd.server_close()
            english = page.locator("a.cp-language[hreflang=en]").first
            with page.expect_navigation():
                english.click()
            assert page.url == base + "en/kodmuda/index.html"
            assert page.locator("html").get_attribute("lang") == "en"
            assert "KodMuda" in page.locator("h1").first.inner_text()
            screenshot(page, "offline-other-language.png")
        finally:
            browser.close()
