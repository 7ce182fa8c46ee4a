"""`crisisplan serve`: preview the site on localhost and rebuild when a plan changes.

Builds go to a private preview folder, never to the published site/.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

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


def start_server(root: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
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
