"""`crisisplan serve`: preview the site on localhost and rebuild when a plan changes.

Builds go to a private preview folder, never to the published site/. Each page the
preview server sends carries a small script that asks the server, once a second,
which build it is showing, and reloads the page when a newer one is ready. The
script is added as pages are served, never written into a built file, so no
published site can carry it.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crisisplan.build import BuildError, BuildOptions, BuildResult, build
from crisisplan.checker import Report

Snapshot = dict[Path, float]


def snapshot(paths: list[Path], extra: list[Path]) -> Snapshot:
    """Modification times of every plan file and the MkDocs config."""
    found: Snapshot = {}
    for path in [*paths, *extra]:
        try:
            if path.is_file():
                found[path] = path.stat().st_mtime
            elif path.is_dir():
                for file in path.rglob("*"):
                    if file.is_file() and file.suffix in (".yaml", ".yml", ".md", ".css", ".js"):
                        found[file] = file.stat().st_mtime
        except OSError:
            continue  # a file removed while looking: the next look sees the change
    return found


# Where a preview page asks which build is current. A dot-folder name, which MkDocs
# never gives a page, so no page of the site can be shadowed by it.
BUILD_ENDPOINT = "/.crisisplan-preview/build"
# Plain script, no dependencies: remember the build the page came from, ask for the
# current one every second, and reload once it differs. A failed request (the server
# stopped, or restarting) is tried again at the next tick.
RELOAD_SCRIPT = """<script>
(function () {
  var shown = %d;
  function ask() {
    fetch("%s", {cache: "no-store"})
      .then(function (response) { return response.ok ? response.text() : String(shown); })
      .then(function (text) {
        if (Number(text) !== shown) { window.location.reload(); } else { setTimeout(ask, 1000); }
      })
      .catch(function () { setTimeout(ask, 1000); });
  }
  setTimeout(ask, 1000);
})();
</script>
"""
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves the preview folder and tells its pages when a new build replaced it."""

    def __init__(self, root: Path, host: str, port: int) -> None:
        super().__init__((host, port), _PreviewHandler)
        self.root = root
        self._build = 0
        self._lock = threading.Lock()

    @property
    def build(self) -> int:
        with self._lock:
            return self._build

    def built(self) -> None:
        """A new build is in the preview folder: open pages reload."""
        with self._lock:
            self._build += 1


def start_server(root: Path, host: str, port: int) -> PreviewServer:
    server = PreviewServer(root, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def with_reload_script(html: bytes, build: int) -> bytes:
    """A page with the reload script before </body> (at the end, if it has none)."""
    script = (RELOAD_SCRIPT % (build, BUILD_ENDPOINT)).encode()
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]


class _PreviewHandler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, request: Any, client_address: Any, server: PreviewServer) -> None:
        # By path, on every request: a build replaces the whole folder.
        super().__init__(request, client_address, server, directory=str(server.root))

    def send_head(self) -> BinaryIO | None:
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route == BUILD_ENDPOINT:
            return self._send(str(self.server.build).encode(), "text/plain; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            try:
                html = path.read_bytes()
            except OSError:
                return super().send_head()  # gone mid-swap: the usual 404
            return self._send(
                with_reload_script(html, self.server.build), "text/html; charset=utf-8"
            )
        return super().send_head()

    def _send(self, body: bytes, content_type: str) -> BinaryIO:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # Always asked again: a cached page would show an old build, and a cached
        # build number would never change.
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def rebuilds(
    options: BuildOptions,
    watch: list[Path],
    interval: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[BuildResult]:
    """Build once, then again each time a watched file changes. Runs until stopped.

    A build that fails for a reason outside the plans (a broken mkdocs.yml) is
    reported like a plan problem: the preview keeps the last good build.
    """
    paths = list(options.paths)
    seen = snapshot(paths, watch)
    yield _try_build(options)
    while True:
        sleep(interval)
        current = snapshot(paths, watch)
        if current != seen:
            seen = current
            yield _try_build(options)


def _try_build(options: BuildOptions) -> BuildResult:
    try:
        return build(options)
    except BuildError as exc:
        return BuildResult(Report(), error=str(exc))
