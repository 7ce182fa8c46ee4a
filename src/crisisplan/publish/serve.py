"""`crisisplan serve`: preview the site and rebuild it within a second of a save.

Builds go to a private preview folder, never to the published site/. The server is
bound at once (a busy port is reported before any build) but answers only once a
build has succeeded: until then a browser gets "connection refused", never an empty
folder or a 404 that no reload would ever fix.

Changes are seen through the file system's own notifications (watchdog), after a
short quiet spell so that an editor's several writes make one build. Each page the
preview sends carries a small script that keeps one request open to the server,
answered the moment a newer build is ready; the page then reloads. The script is
added as pages are served, never written into a built file, so no published site
can carry it.

The offline copy of a real build (sw.js, registered by incident.js) has no place
here: the preview hides it, so a worker never stores a preview on this address and
then stands between a reader and a later real build served here.
"""

from __future__ import annotations

import http.server
import io
import ipaddress
import json
import os
import re
import socket
import socketserver
import threading
import time
import uuid
from collections.abc import Callable, Generator, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, urlsplit

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from crisisplan.check.pipeline import Report
from crisisplan.check.settings import CONFIG_FILE
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildError, BuildOptions, BuildResult
from crisisplan.publish.site.mkdocs_site import SiteBuildError, docs_dir_of, user_config
from crisisplan.publish.site.offline import CACHE_PREFIX, MANIFEST_FILE, SW_ATTRIBUTE, SW_FILE
from crisisplan.suggest import suggestion_budget

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# --- Where to listen -----------------------------------------------------------------

_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")


def parse_address(value: str) -> tuple[str, int]:
    """'HOST:PORT' (an IPv6 address in brackets: '[::1]:8000') as (host, port).

    Raises ValueError with a message for a person when the value is not one.
    """
    host, colon, port = value.strip().rpartition(":")
    if not colon:
        raise ValueError(f"'{value}' is not HOST:PORT, like 127.0.0.1:8000 (or 0.0.0.0:8000 to be reached from other machines)")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"the port must be a number from 1 to 65535, not '{port}'")
    if host.startswith("[") and host.endswith("]"):
        try:
            return str(ipaddress.IPv6Address(host[1:-1])), int(port)
        except ValueError:
            raise ValueError(f"'{host[1:-1]}' is not an IPv6 address") from None
    if ":" in host:
        raise ValueError(f"write an IPv6 address in brackets, like [::1]:{port}")
    if not host:
        raise ValueError(f"give a host before the port, like 127.0.0.1:{port}")
    if not _HOST_NAME.fullmatch(host):
        raise ValueError(f"'{host}' is not an IP address or a host name")
    return host, int(port)


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def is_local(host: str) -> bool:
    """Whether only this machine can reach an address (the preview holds personal
    contacts, so serving it to the network deserves a warning)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may well be the machine's public one


# --- What to watch -------------------------------------------------------------------


def watched_paths(options: BuildOptions, extra: Sequence[Path] = ()) -> list[Path]:
    """Every file or folder whose change can change the preview: the plans (with a
    single-file plan's reviews), mkdocs.yml with docs/, theme overrides and hooks,
    crisisplan.yaml and the team's translations (locale/)."""
    found: list[Path] = []
    for path in options.paths:
        found.append(path)
        if path.suffix in (".yaml", ".yml"):
            found.append(path.parent / "reviews" / path.stem)
    project = options.config_file.parent if options.config_file else Path()
    found += [Path(CONFIG_FILE), project / CONFIG_FILE, project / "locale", Path("locale")]
    found.append(docs_dir_of(options.config_file))
    if options.config_file is not None:
        found.append(options.config_file)
        try:
            user = user_config(options.config_file)
        except SiteBuildError:
            user = {}  # the build reports it; mkdocs.yml itself is watched
        theme = user.get("theme")
        entries: list[Any] = [theme.get("custom_dir")] if isinstance(theme, dict) else []
        hooks = user.get("hooks")
        entries += hooks if isinstance(hooks, list) else []
        found += [project / entry for entry in entries if isinstance(entry, str)]
    found += extra
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())


# What changes a file's content; opening or reading one (as every build does) does not.
# watchdog 7's sign that the system dropped events (inotify's queue overflowed), by
# its value, so that an older watchdog (4 and later) serves as well.
_EVENTS_LOST = "events_lost"
_CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})
# Editors' swap, lock and backup files change while someone types: vim's .name.swp
# and its 4913 probe, Emacs' .#name, backups ending in ~. Rebuilding (and reloading
# the page) for them would be noise.
_SWAP_SUFFIXES = (".swp", ".swo", ".swx")
_NOISE_FOLDERS = frozenset({".git", "__pycache__"})


def _is_noise(path: str) -> bool:
    name = os.path.basename(path)
    if name.endswith("~") or name.startswith(".#") or name == "4913":
        return True
    if name.startswith(".") and name.endswith(_SWAP_SUFFIXES):
        return True
    return not _NOISE_FOLDERS.isdisjoint(Path(path).parts)


def _folders_to_watch(roots: Sequence[str]) -> dict[str, bool]:
    """The folders to give the observer, each with whether to include its subfolders.

    A folder root is watched with its subfolders. A file, or a root that does not
    exist yet (docs/ before the first page), is seen from the nearest folder above
    it, so its creation (or an editor's save by renaming over it) is noticed too.
    """
    folders: dict[str, bool] = {}
    for root in roots:
        if os.path.isdir(root):
            folders[root] = True
            continue
        parent = os.path.dirname(root)
        while parent and not os.path.isdir(parent) and os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
        if os.path.isdir(parent):
            folders.setdefault(parent, False)
    covered = [folder for folder, recursive in folders.items() if recursive]
    return {
        folder: recursive
        for folder, recursive in folders.items()
        if not any(folder != other and folder.startswith(other + os.sep) for other in covered)
    }


class Watcher:
    """Says when a file under the watched paths changed, from the file system's own
    notifications; where the system refuses them (its limit on watches reached), by
    looking every quarter of a second instead.

    ``roots`` is asked again at each ``refresh``, so that a folder created or
    removed, or a docs_dir changed in mkdocs.yml, is followed.
    """

    def __init__(
        self,
        roots: Callable[[], Sequence[Path]],
        quiet: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._roots_of = roots
        self._quiet = quiet
        self._sleep = sleep
        self._roots: tuple[str, ...] = ()
        self._changed = threading.Event()
        self._lock = threading.Lock()
        self._handler = _Changes(self)
        self._observer: BaseObserver = Observer()
        self._scheduled: dict[tuple[str, bool], ObservedWatch] = {}
        self.polling = False

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._observer.start()
        self.refresh()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)

    def refresh(self) -> None:
        """Watch what the roots are now."""
        roots = tuple(os.path.abspath(path) for path in self._roots_of())
        with self._lock:
            self._roots = roots
        wanted = _folders_to_watch(roots)
        for key in [key for key in self._scheduled if wanted.get(key[0]) != key[1]]:
            try:
                self._observer.unschedule(self._scheduled.pop(key))
            except (KeyError, OSError):
                continue  # its folder is gone, and the watch with it
        try:
            self._schedule(wanted)
        except OSError:
            # The system refused its notifications: most often inotify's limits
            # (fs.inotify.max_user_watches, low in many containers), shared by every
            # program of the user. Slower rather than not at all.
            self._poll_instead()
            self._schedule(wanted)

    def _schedule(self, wanted: dict[str, bool]) -> None:
        for folder, recursive in wanted.items():
            if (folder, recursive) in self._scheduled or not os.path.isdir(folder):
                continue
            try:
                watch = self._observer.schedule(self._handler, folder, recursive=recursive)
            except OSError:
                if not self.polling:
                    raise
                continue  # a folder not even polling can read: the build says what is wrong
            self._scheduled[(folder, recursive)] = watch

    def _poll_instead(self) -> None:
        self.stop()
        self._scheduled.clear()
        self._observer = PollingObserver(timeout=0.25)
        self._observer.start()
        self.polling = True

    def concerns(self, event: FileSystemEvent) -> bool:
        """Whether an event changes a file the preview is built from."""
        if event.event_type == _EVENTS_LOST:
            return True  # the system dropped events: anything may have changed
        if event.event_type not in _CHANGES:
            return False
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return False  # a folder's own time, which moves with every file written in it
        with self._lock:
            roots = self._roots
        for raw in (event.src_path, event.dest_path):
            path = os.fsdecode(raw)
            if not path or _is_noise(path):
                continue
            if any(path == root or path.startswith(root + os.sep) for root in roots):
                return True
        return False

    def changed(self) -> None:
        self._changed.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a watched file changed (False once ``timeout`` passed without).

        Returns once the changes have stopped for the quiet spell: an editor saves
        in several steps and a checkout changes many files, and one build should
        see them all. A stream of changes that never stops is built after ten
        spells all the same.
        """
        if not self._changed.wait(timeout):
            return False
        for _ in range(10):
            self._changed.clear()
            self._sleep(self._quiet)
            if not self._changed.is_set():
                break
        return True


class _Changes(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if self._watcher.concerns(event):
            self._watcher.changed()


# --- Building ------------------------------------------------------------------------


def rebuilds(
    options: BuildOptions | Callable[[], BuildOptions],
    watch: Sequence[Path] = (),
    debounce: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
) -> Generator[BuildResult, None, None]:
    """Build once, then again each time a watched file changes. Runs until stopped.

    ``options`` may be a function giving them afresh for each build, so that a
    changed crisisplan.yaml (or a new day) is taken into account. Changes made
    while a build runs are seen, and built next. A build that fails for a reason
    outside the plans (a broken mkdocs.yml) is reported like a plan problem: the
    preview keeps the last good build.
    """

    def current() -> BuildOptions:
        return options() if callable(options) else options

    chosen = current()
    with Watcher(lambda: watched_paths(chosen, watch), quiet=debounce, sleep=sleep) as watcher:
        while True:
            yield _try_build(chosen)
            watcher.refresh()  # a folder created or removed, docs_dir moved
            watcher.wait()
            chosen = current()


def _try_build(options: BuildOptions) -> BuildResult:
    # Each build is a run of its own for "did you mean": a plan that used up the
    # budget of one build still gets its hints once the plan is fixed.
    with suggestion_budget():
        try:
            return build(options)
        except BuildError as exc:
            return BuildResult(Report(), error=str(exc))


# --- Serving -------------------------------------------------------------------------

# Where a preview page asks which build is current. A dot-folder name, which MkDocs
# never gives a page, so no page of the site can be shadowed by it.
PREVIEW_PREFIX = "/.crisisplan-preview/"
BUILD_ENDPOINT = PREVIEW_PREFIX + "build"
# How long the server holds a page's question when no build comes: long enough to
# cost nothing, short enough that a request lost on the way is soon replaced.
WAIT_SECONDS = 30.0

# Plain script, no dependencies. It asks "is there a build newer than mine?" and the
# server answers only when there is (or after WAIT_SECONDS): the page reloads the
# moment a build is ready, with no polling. A hidden tab stops asking, as a browser
# opens only six connections to one server. A failed request (the server stopped or
# restarting) is tried again a second later; a new server's builds have new names,
# so a tab left open across a restart reloads once the preview is back.
RELOAD_SCRIPT = """<script>
/* crisisplan serve: reloads this page when a newer build of the preview is ready. */
(function () {
  var shown = %(build)s;
  var address = %(endpoint)s + "?shown=" + encodeURIComponent(shown);
  var asking = null;
  var retry = null;
  function ask() {
    if (asking || document.visibilityState === "hidden") return;
    var controller = new AbortController();
    asking = controller;
    clearTimeout(retry);
    fetch(address, {cache: "no-store", signal: controller.signal})
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (build) {
        if (asking !== controller) return;
        asking = null;
        if (build !== shown) { window.location.reload(); } else { ask(); }
      }, function () {
        if (asking !== controller) return;
        asking = null;
        retry = setTimeout(ask, 1000);
      });
  }
  function stop() {
    clearTimeout(retry);
    var controller = asking;
    asking = null;
    if (controller) controller.abort();
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { stop(); } else { ask(); }
  });
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", ask);
  // A real build served at this address before (crisisplan build, then a web server
  // on this port) may have left its offline worker here, which would answer with
  // that build's stored files instead of the preview's: remove it and its stored
  // copy (the browser may already have dropped the worker itself, when it found no
  // sw.js here), and load the page again from the preview if the worker served it.
  if ("serviceWorker" in navigator) {
    var served = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.getRegistrations()
      .then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      })
      .then(function () { return window.caches ? caches.keys() : []; })
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf(%(cache)s) === 0; })
          .map(function (key) { return caches.delete(key); }));
      })
      .then(function () { if (served) window.location.reload(); })
      .catch(function () {});
  }
  ask();
})();
</script>
"""
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_SW_LINK = re.compile(rb"\s" + re.escape(SW_ATTRIBUTE.encode()) + rb'="[^"]*"')


def preview_page(html: bytes, build: str) -> bytes:
    """A page as the preview serves it: without the link incident.js follows to
    register the offline worker, and with the reload script before </body> (at the
    end, if it has none)."""
    html = _SW_LINK.sub(b"", html)
    script = (
        RELOAD_SCRIPT
        % {"build": json.dumps(build), "endpoint": json.dumps(BUILD_ENDPOINT), "cache": json.dumps(CACHE_PREFIX)}
    ).encode()
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + script
    at = matches[-1].start()
    return html[:at] + script + html[at:]


def _is_offline_worker(path: Path) -> bool:
    """The worker a real build writes at the root of each edition, beside its manifest."""
    return path.name == SW_FILE and path.with_name(MANIFEST_FILE).is_file()


# --- Whose requests to answer ------------------------------------------------------

# A Host header as browsers send it: a name or IPv4 address, or an IPv6 address in
# brackets, with an optional port. Anything else (a user part, a path, two ports)
# is not one. Underscores: some machines' own names have them.
_HOST_HEADER = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(?P<port>[0-9]{1,5}))?")


class HostCheck:
    """Which Host headers the preview answers: those naming this machine, never a
    name someone else's page could have pointed at it.

    DNS rebinding is how a page from the web reads a server on the reader's own
    machine: its name is made to resolve to 127.0.0.1, and the browser then sends
    that name in Host. So the name decides, never the port: an ssh tunnel or a
    container's published port (-p 9000:8000) reaches the same server under
    another port, and a page cannot choose which port its browser names. Accepted:
    localhost, the name serve was given, and IP addresses (no page can rebind a
    literal address); for a loopback bind only loopback addresses; for any other
    bind also this machine's own host name, as another machine's browser may use it.
    """

    def __init__(self, host: str, bound: str) -> None:
        self._loopback = is_local(host) or is_local(bound)
        names = {"localhost", _plain_name(host)}
        if not self._loopback:
            # The name the system has for itself, read without asking DNS (which
            # can hang in a container); and its first label, as a local network
            # names the machine.
            machine = _plain_name(socket.gethostname())
            names |= {machine, machine.split(".")[0]}
        self._names = frozenset(name for name in names if name and not _is_address(name))

    def accepts(self, header: str | None) -> bool:
        match = _HOST_HEADER.fullmatch(header.strip()) if header else None
        if match is None or (match["port"] is not None and not 1 <= int(match["port"]) <= 65535):
            return False
        name = match["name"]
        try:
            address = ipaddress.ip_address(name[1:-1] if name.startswith("[") else name.removesuffix("."))
        except ValueError:
            return not name.startswith("[") and _plain_name(name) in self._names
        return address.is_loopback or not self._loopback


def _plain_name(name: str) -> str:
    """A host name as DNS compares them: without case, and without the dot that
    ends a fully qualified name (localhost. is localhost)."""
    return name.lower().removesuffix(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves the preview folder and tells its pages when a new build replaced it.

    Creating it binds the address (so a busy port is reported at once); ``open``
    starts answering, once there is a build to show.
    """

    daemon_threads = True

    def __init__(self, root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _PreviewHandler, bind_and_activate=False)
        try:
            self.server_bind()
        except BaseException:
            self.server_close()
            raise
        self.root = root
        self.hosts = HostCheck(host, str(self.server_address[0]))
        self.address = url_of(host, self.port)
        # Names unique to this server: a page from an earlier run reloads too.
        self._session = uuid.uuid4().hex[:8]
        self._count = 0
        self._build = f"{self._session}-0"
        self._changed = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None

    def server_bind(self) -> None:
        # HTTPServer's own looks the host's name up in DNS, which can hang for
        # seconds in a container; the name is only used in CGI variables.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def listening(self) -> bool:
        return self._thread is not None

    @property
    def build(self) -> str:
        with self._changed:
            return self._build

    def open(self) -> None:
        """Start answering requests: call it once the first build is in root."""
        if self._thread is not None:
            return
        self.server_activate()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.2}, name="crisisplan-preview", daemon=True
        )
        self._thread.start()

    def built(self) -> None:
        """A new build is in the preview folder: open pages reload."""
        with self._changed:
            self._count += 1
            self._build = f"{self._session}-{self._count}"
            self._changed.notify_all()

    def wait_for_build(self, shown: str, timeout: float = WAIT_SECONDS) -> str:
        """The current build, as soon as it is not ``shown`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self._build != shown or self._closing, timeout)
            return self._build

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()

    def __exit__(self, *args: object) -> None:
        self.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that went away mid-answer (a reload, a closed tab): nothing to
        # report, and never a traceback in the author's terminal.
        return


class _PreviewHandler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, request: Any, client_address: Any, server: PreviewServer) -> None:
        # By path, on every request: a build replaces the whole folder.
        super().__init__(request, client_address, server, directory=str(server.root))

    def parse_request(self) -> bool:
        """Read the request, and refuse it (whatever its method) when its Host
        header does not name this machine: the preview holds personal contacts,
        and a page that rebound its own name to this address must not read them."""
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) == 1 and self.server.hosts.accepts(hosts[0]):
            return True
        self.close_connection = True
        body = (
            f"Misdirected request: this preview answers only at this machine's own addresses, like "
            f"{self.server.address} (the address crisisplan serve printed), and this request named another host.\n"
        ).encode()
        self.send_response(HTTPStatus.MISDIRECTED_REQUEST)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return False

    def send_head(self) -> BinaryIO | None:
        route = urlsplit(self.path).path
        if route == BUILD_ENDPOINT:
            shown = parse_qs(urlsplit(self.path).query).get("shown", [""])[0]
            build = self.server.wait_for_build(shown) if shown else self.server.build
            return self._send(build.encode(), "text/plain; charset=utf-8")
        # Read before the page: a build that lands in between makes the page reload
        # once more, never show an old build as the current one.
        build = self.server.build
        if route.startswith(PREVIEW_PREFIX):
            return self._not_found(build)
        # Every answer is fetched again (Cache-Control below): a file rebuilt within
        # the same second would look unmodified to If-Modified-Since.
        del self.headers["If-Modified-Since"]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not route.endswith("/"):
                return super().send_head()  # a redirect to the folder's address
            path = path / "index.html"  # and never a listing of the folder
        if _is_offline_worker(path):
            return self._not_found(build)
        if path.suffix == ".html":
            try:
                html = path.read_bytes()
            except OSError:
                return self._not_found(build)
            return self._send(preview_page(html, build), "text/html; charset=utf-8")
        if not path.is_file():
            return self._not_found(build)
        return super().send_head()

    def _not_found(self, build: str) -> io.BytesIO:
        """The site's own 404 page, which reloads too: a page about to be written
        (a new scenario) appears by itself once built."""
        try:
            page = preview_page((Path(self.server.root) / "404.html").read_bytes(), build)
        except OSError:
            return self._send(b"Not found\n", "text/plain; charset=utf-8", 404)
        return self._send(page, "text/html; charset=utf-8", 404)

    def _send(self, body: bytes, content_type: str, status: int = 200) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        return self._not_found(self.server.build)

    def end_headers(self) -> None:
        # Always asked again: a cached page or style would show an old build, and a
        # cached build name would never change.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return
