"""`crisisplan serve`'s address options, and the offline worker of a real build,
which the preview never registers and clears away (seen in headless Chromium)."""

from __future__ import annotations

import functools
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser import ARGS, chromium_path
from tests.conftest import invoke
from tests.publish.test_serve_reload import PATIENCE, edit_plan, free_port, make_project, serving


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("8000", "'8000' is not HOST:PORT, like 127.0.0.1:8000"),
        ("localhost", "'localhost' is not HOST:PORT"),
        ("127.0.0.1:", "the port must be a number from 1 to 65535, not ''"),
        ("127.0.0.1:0", "the port must be a number from 1 to 65535, not '0'"),
        ("127.0.0.1:70000", "the port must be a number from 1 to 65535, not '70000'"),
        ("127.0.0.1:http", "the port must be a number from 1 to 65535, not 'http'"),
        (":8000", "give a host before the port, like 127.0.0.1:8000"),
        ("::1:8000", "write an IPv6 address in brackets, like [::1]:8000"),
        ("[::g]:8000", "'::g' is not an IPv6 address"),
        ("my host:8000", "'my host' is not an IP address or a host name"),
    ],
)
def test_a_wrong_dev_addr_is_a_usage_error(value: str, message: str) -> None:
    code, stdout, stderr = invoke("serve", "--dev-addr", value)
    assert code == 2
    assert f"Error: Invalid value for '-a' / '--dev-addr': {message}" in stderr
    assert "Traceback" not in stdout + stderr


def test_port_and_dev_addr_together_is_a_usage_error() -> None:
    code, _, stderr = invoke("serve", "--port", "8001", "--dev-addr", "127.0.0.1:8002")
    assert code == 2
    assert "Error: --port and --dev-addr cannot be used together: give the port in --dev-addr HOST:PORT" in stderr


def test_a_wrong_dev_addr_as_the_user_sees_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crisisplan", "serve", "-a", "0.0.0.0"],  # noqa: S104 (a wrong value: nothing binds)
        cwd=make_project(tmp_path),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: Invalid value for '-a' / '--dev-addr': '0.0.0.0' is not HOST:PORT, like 127.0.0.1:8000 "
        "(or 0.0.0.0:8000 to be reached from other machines)\n"
    )


def test_a_busy_port_is_reported_before_anything_is_built(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "crisisplan", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=make_project(tmp_path),
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
    assert result.returncode == 1
    assert result.stdout == ""  # not even "Building the preview..."
    assert result.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_the_old_port_option_still_serves_on_localhost(tmp_path: Path) -> None:
    port = free_port()
    with serving(tmp_path, "--port", str(port), port=port) as serve:
        serve.wait_for_line(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        status, page = serve.get("/plans/scenarios/outage.html")
        assert status == 200 and "Service outage" in page


def test_serving_to_other_machines_warns_that_the_preview_holds_contacts(tmp_path: Path) -> None:
    port = free_port()
    with serving(tmp_path, "--dev-addr", f"0.0.0.0:{port}", port=port) as serve:
        serve.wait_for_line(f"Serving on http://0.0.0.0:{port}/")
        assert serve.get("/")[0] == 200
        code, stderr = serve.stop(signal.SIGINT)
    assert code == 0
    assert stderr == (
        f"warning: anyone who can reach this machine on port {port} can read the preview, "
        "personal contacts included\nStopped.\n"
    )


# Records every registration a page asks for, before any of its scripts runs:
# incident.js registers the worker as it loads, so by the load event it has, or not.
RECORD_REGISTRATIONS = """
window.cpRegistered = [];
if (window.ServiceWorkerContainer) {
  const register = ServiceWorkerContainer.prototype.register;
  ServiceWorkerContainer.prototype.register = function (url, options) {
    window.cpRegistered.push(String(url));
    return register.call(this, url, options);
  };
}
"""
WORKER_STATE = """async () => {
  const registrations = await navigator.serviceWorker.getRegistrations();
  const caches = (await window.caches.keys()).filter((key) => key.startsWith("crisisplan:"));
  return [registrations.length, navigator.serviceWorker.controller !== null, caches.length];
}"""


@pytest.mark.browser
def test_the_preview_never_registers_the_offline_worker(tmp_path: Path) -> None:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with serving(tmp_path) as serve, sync_playwright() as playwright:
        serve.wait_for_line("Serving on")
        # The build behind the preview is a real one, whose pages name the worker.
        built = tmp_path / "tmp" / serve.previews()[0] / "site"
        assert 'data-cp-sw="sw.js"' in (built / "index.html").read_text()
        assert (built / "sw.js").is_file()
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            context = browser.new_context()
            context.add_init_script(RECORD_REGISTRATIONS)
            page = context.new_page()
            for path in ("/", "/plans/scenarios/outage.html", "/index.html?h=outage#top"):
                page.goto(serve.base + path, wait_until="load")
                assert page.evaluate("window.cpRegistered") == []
                assert page.evaluate(WORKER_STATE) == [0, False, 0]
            assert context.service_workers == []
        finally:
            browser.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.browser
def test_a_worker_left_at_the_address_by_a_real_build_is_removed(tmp_path: Path) -> None:
    executable = chromium_path()
    from playwright.sync_api import Error, sync_playwright

    project = make_project(tmp_path)
    built = subprocess.run(
        [sys.executable, "-m", "crisisplan", "build", "--no-pdf"], cwd=project, capture_output=True, text=True, timeout=PATIENCE
    )
    assert built.returncode == 0, built.stderr
    port = free_port()
    address = f"http://127.0.0.1:{port}/plans/scenarios/outage.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            page = browser.new_context().new_page()
            # The published site, served at the address the preview will use next:
            # its worker stores it and takes charge of the page.
            site = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(project / "site")))
            threading.Thread(target=site.serve_forever, daemon=True).start()
            try:
                page.goto(address)
                page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=PATIENCE * 1000)
            finally:
                site.shutdown()
                site.server_close()
            edit_plan(project, "title: Service outage", "title: Checkout down")
            with serving(tmp_path, project=project, port=port) as serve:
                serve.wait_for_line("Serving on")
                page.goto(address)
                # The preview's page removes the worker and its copy, then loads again.
                deadline = time.monotonic() + PATIENCE
                state: list[Any] = []
                while time.monotonic() < deadline:
                    try:
                        page.wait_for_load_state("load")
                        state = page.evaluate(WORKER_STATE)
                    except Error:
                        time.sleep(0.1)
                        continue  # the page was reloading
                    if state == [0, False, 0]:
                        break
                    time.sleep(0.1)
                assert state == [0, False, 0]
                assert page.locator("h1").first.inner_text().rstrip("¶ ") == "Checkout down"
        finally:
            browser.close()
