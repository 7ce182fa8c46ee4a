"""Make a built site installable, and readable offline after one visit.

When the runbook is served over https (or from localhost), a phone can add it to its
home screen and keep reading it, PDFs included, with the network or the company's
servers down. Two files at the root of each edition make that happen:

- ``manifest.webmanifest``: the name, language, colours and icons a phone shows;
- ``sw.js``: a service worker holding the list of every file of the site, every
  language edition included (site/en/), and a version made of their contents, so that
  one visit stores the whole site and a reader who taps another language offline
  gets that page, not an error; a new build (a new version) replaces the stored copy
  instead of mixing with it. Only the site's root has one: the pages of an edition
  inside (site/en/) register the root's worker, whose scope covers them.

Every page links its edition's manifest; incident.js registers the service worker, and only
over https or localhost: opened from file:// (a USB stick, an unzipped archive) the
site works exactly as before, since browsers allow no service worker there.

Pages are fetched from the network first, so a reader online always sees the current
plan, and from the stored copy when the network fails or hangs; everything else
(styles, scripts, search index, PDFs) comes from the stored copy of this build.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import quote

SW_FILE = "sw.js"
MANIFEST_FILE = "manifest.webmanifest"
# The manifest link's attribute naming the worker, which incident.js registers: a
# page without it (as `crisisplan serve` sends every page) registers nothing.
SW_ATTRIBUTE = "data-cp-sw"
# The start of the name of every copy the worker stores (PREFIX in _WORKER below).
CACHE_PREFIX = "crisisplan:"
ICON_DIR = "assets/crisisplan/icons"
ICON_SIZES = (192, 512)
# Material's own default when mkdocs.yml names no primary colour (indigo).
DEFAULT_COLOUR = "#4051b5"

# Files a reader never needs offline: source maps are for developers (and half the
# size of the assets), sitemaps for crawlers; dotfiles are the build's own markers.
_SKIPPED_SUFFIXES = (".map", ".gz")
_SKIPPED_NAMES = frozenset({SW_FILE, "sitemap.xml"})
# A folder holding one of these at its top is another edition (site/en/): its pages
# link its own manifest, and the worker of the site around it stores its files.
_EDITION_MARKERS = ("sitemap.xml", "search/search_index.json", "search.json", MANIFEST_FILE)
# How the worker this module writes begins: an edition inside a folder that has one is
# an edition of that site (the build writes the root edition first).
_WORKER_HEADER = "/* crisisplan: the offline copy of this runbook"
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_MANIFEST_LINK = re.compile(r'<link rel="manifest"[^>]*>\n?')
_PRIMARY = re.compile(r'data-md-color-primary="([a-z-]+)"')
_HEX = re.compile(r"#[0-9a-fA-F]{6}")

# The worker is plain JavaScript; VERSION, FILES and FALLBACK are written above it.
_WORKER = r"""
// The stored copy of this build; other editions of the site (site/en/) have their
// own, under their own scope, and are never touched from here.
var PREFIX = "crisisplan:" + self.registration.scope + ":";
var CACHE = PREFIX + VERSION;
// How long a page request may hang before the stored copy is shown instead: a
// reader in a crisis must not stare at a blank screen on a dead network.
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // "reload": never store a file the HTTP cache kept from an older build.
      return cache.addAll(FILES.map(function (file) { return new Request(file, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf(PREFIX) === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The stored file for a request: search results open "page.html?h=word#part", and a
// folder means its index.html.
function stored(request) {
  var url = new URL(request.url);
  url.search = "";
  url.hash = "";
  if (url.pathname.slice(-1) === "/") url.pathname += "index.html";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url.href);
  }).then(function (hit) {
    return hit || caches.match(url.href);
  });
}

function network(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("network too slow")); }, NETWORK_WAIT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      // A server error is no better than no server: show the stored page.
      response.status < 500 ? resolve(response) : reject(new Error("server error"));
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(self.registration.scope) !== 0) return;
  if (request.mode === "navigate") {
    event.respondWith(network(request).catch(function (error) {
      return stored(request).then(function (hit) {
        if (hit) return hit;
        return caches.open(CACHE).then(function (cache) {
          return cache.match(new URL(FALLBACK, self.registration.scope).href);
        }).then(function (page) {
          if (page) return page;
          throw error;
        });
      });
    }));
    return;
  }
  event.respondWith(stored(request).then(function (hit) { return hit || fetch(request); }));
});
"""


def write_offline_files(site_dir: Path, site_name: str, language: str) -> None:
    """Write the manifest and the icons of the edition built in site_dir, link the
    manifest from each of its pages, and write the site's service worker.

    Call it once the edition is complete (pages and PDFs written), the root edition
    first: the worker stores exactly the files present then, and an edition inside
    the root (site/en/) writes the root's worker again with its files. ``site_name``
    is the name MkDocs was given (HTML-escaped or not); ``language`` the edition's
    language code. The output depends only on the files, so a build stays
    byte-reproducible.
    """
    site_dir = Path(site_dir)
    name = html.unescape(site_name).strip() or "Crisis runbook"
    colour = _primary_colour(site_dir)
    icons = _write_icons(site_dir, colour)
    manifest = {
        "name": name,
        "lang": language,
        "dir": "auto",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        # One drawing serves both purposes: a full-bleed background with the mark
        # inside the safe zone that phones crop masks from.
        "icons": [
            {"src": path, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for purpose in ("any", "maskable")
            for size, path in icons
        ],
    }
    (site_dir / MANIFEST_FILE).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    root = _enclosing_site(site_dir)
    make_404_portable(site_dir)
    worker = f"../{SW_FILE}" if root is not None else SW_FILE
    for relative in _edition_files(site_dir, nested=False):
        if relative.endswith(".html"):
            _link_manifest(site_dir / relative, relative, icons[0][1], worker)
    _write_worker(root if root is not None else site_dir)


def _enclosing_site(site_dir: Path) -> Path | None:
    """The site whose root edition holds this one (site/ for site/en/), or None."""
    parent = site_dir.absolute().parent
    try:
        with (parent / SW_FILE).open(encoding="utf-8") as handle:
            header = handle.read(len(_WORKER_HEADER))
    except OSError:
        return None
    return parent if header == _WORKER_HEADER and (parent / MANIFEST_FILE).is_file() else None


def _write_worker(site_dir: Path) -> None:
    """The service worker at the site's root, storing every file of every edition."""
    files = _edition_files(site_dir, nested=True)
    # The version covers every stored byte, the worker's own code included: any
    # change to the plan gives a new worker, which replaces the stored copy.
    digest = hashlib.sha256(_WORKER.encode("utf-8"))
    for relative in files:
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site_dir / relative).read_bytes()).digest())
    urls = [quote(relative) for relative in files]
    fallback = "404.html" if "404.html" in files else "index.html"
    head = (
        f"{_WORKER_HEADER}, written by `crisisplan build`. */\n"
        '"use strict";\n'
        f"var VERSION = {json.dumps(digest.hexdigest()[:16])};\n"
        f"var FALLBACK = {json.dumps(fallback)};\n"
        f"var FILES = {json.dumps(urls, indent=0)};\n"
    )
    (site_dir / SW_FILE).write_text(head + _WORKER, encoding="utf-8")


def _edition_files(site_dir: Path, nested: bool) -> list[str]:
    """Every file a reader may open in this edition, and with ``nested`` in the
    editions inside it too, as sorted POSIX paths."""
    found: list[str] = []
    for folder, dirs, names in os.walk(site_dir):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and (nested or not any((here / d / marker).is_file() for marker in _EDITION_MARKERS))
        )
        for name in names:
            path = here / name
            if name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES) or name in _SKIPPED_NAMES or not path.is_file():
                continue
            found.append(path.relative_to(site_dir).as_posix())
    return sorted(found)


# The 404 page: MkDocs and Zensical write its links from the root of the domain
# ("/assets/..."), since it is served at any depth. Rewritten to work from wherever
# the site is (a sub-path, a folder): its links relative to a <base> that a first
# script sets to the site's root, found in the address by the site's top-level names.
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)([^"]*)')
_PORTABLE = re.compile(r"<script>/\* crisisplan: the site's root \*/.*?</script>\n?", re.DOTALL)
_HEAD_START = re.compile(r"<head[^>]*>\n?", re.IGNORECASE)
_ROOT_SCRIPT = """<script>/* crisisplan: the site's root */(function () {
  var names = NAMES, parts = location.pathname.split("/"), at = parts.length - 1;
  for (var i = 1; i < parts.length - 1; i++) if (names.indexOf(decodeURIComponent(parts[i])) >= 0) { at = i; break; }
  var root = location.protocol + "//" + location.host + parts.slice(0, at).join("/") + "/";
  // Written into the markup, not added to the page: the browser's look-ahead for
  // styles and scripts then resolves them against it too.
  document.write('<base href="' + root.replace(/[&"<>]/g, encodeURIComponent) + '">');
  window.__cpRoot = root;
})();</script>
"""
# The theme's settings for its scripts name the site's root ("base") and its search
# worker from the domain's root too: the same root, before the theme reads them.
_CONFIG_SCRIPT = (
    "<script>/* crisisplan: the site's root */(function (c) { var root = window.__cpRoot; if (!c || !root) return;"
    " var d = JSON.parse(c.textContent); d.base = root;"
    ' Object.keys(d).forEach(function (k) { if (typeof d[k] === "string" && /^\\/(?!\\/)/.test(d[k])) d[k] = root + d[k].slice(1); });'
    " c.textContent = JSON.stringify(d); })"
    '(document.getElementById("__config"));</script>\n'
)
_CONFIG_END = re.compile(r'(<script id="__config"[^>]*>.*?</script>\n?)', re.DOTALL)


def make_404_portable(site_dir: Path) -> None:
    """Make site_dir/404.html request only the site's own files, from wherever the
    site is served (a sub-path like /crisis-runbook/, any depth below it, a folder):
    without site_url both engines write its links from the domain's root."""
    page = site_dir / "404.html"
    if not page.is_file():
        return
    text = _PORTABLE.sub("", page.read_text(encoding="utf-8"))
    # Folders and pages only: the worker and the manifest come and go around this.
    names = sorted(
        entry.name for entry in site_dir.iterdir() if not entry.name.startswith(".") and (entry.is_dir() or entry.suffix == ".html")
    )
    # Only links from the domain's root into this site's own top-level names: with a
    # site_url, the engine wrote its path (/crisis/assets/...), which is right as it is.
    top = set(names) | {""}

    def relative(match: re.Match[str]) -> str:
        first = match.group(2).split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return match.group(1) + match.group(2) if first in top else match.group(0)

    text = _ROOT_LINK.sub(relative, text)
    if text == _PORTABLE.sub("", page.read_text(encoding="utf-8")):
        return  # nothing from the root: the page already works where it is served
    head = _HEAD_START.search(text)
    if head is None:
        return
    script = _ROOT_SCRIPT.replace("NAMES", json.dumps(names))
    text = text[: head.end()] + script + text[head.end() :]
    text = _CONFIG_END.sub(lambda m: m.group(1) + _CONFIG_SCRIPT, text, count=1)
    page.write_text(text, encoding="utf-8")


def _link_manifest(page: Path, relative: str, icon: str, worker: str) -> None:
    """Link the manifest (and the worker, for incident.js) from one page's head."""
    up = "../" * relative.count("/")
    tags = (
        f'<link rel="manifest" href="{up}{MANIFEST_FILE}" {SW_ATTRIBUTE}="{up}{worker}">\n'
        f'<link rel="apple-touch-icon" href="{up}{icon}">\n'
    )
    text = page.read_text(encoding="utf-8")
    # Written again on a second call, never twice.
    text = _MANIFEST_LINK.sub("", text)
    text = re.sub(r'<link rel="apple-touch-icon"[^>]*>\n?', "", text)
    match = _HEAD_END.search(text)
    if match is None:
        return  # not a page with a head (a fragment a user put in docs/)
    page.write_text(text[: match.start()] + tags + text[match.start() :], encoding="utf-8")


def _primary_colour(site_dir: Path) -> str:
    """The primary colour of the site's Material palette, as the phone's bar colour."""
    try:
        index = (site_dir / "index.html").read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_COLOUR
    found = _PRIMARY.search(index)
    if not found:
        return DEFAULT_COLOUR
    rule = re.compile(
        r"\[data-md-color-primary=" + re.escape(found.group(1)) + r"\]\{[^}]*?--md-primary-fg-color:(#[0-9a-fA-F]{6})"
    )
    for sheet in sorted((site_dir / "assets" / "stylesheets").glob("palette*.css")):
        match = rule.search(sheet.read_text(encoding="utf-8", errors="replace"))
        if match:
            return match.group(1).lower()
    return DEFAULT_COLOUR


def _write_icons(site_dir: Path, colour: str) -> list[tuple[int, str]]:
    folder = site_dir / ICON_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in ICON_SIZES:
        relative = f"{ICON_DIR}/icon-{size}.png"
        (site_dir / relative).write_bytes(_icon_png(size, colour))
        written.append((size, relative))
    return written


def _icon_png(size: int, colour: str) -> bytes:
    """A home-screen icon drawn here, so no image file has to ship: a white
    exclamation mark on the site's colour, inside the safe zone of a maskable icon."""
    rgb = bytes.fromhex(colour[1:]) if _HEX.fullmatch(colour) else bytes.fromhex(DEFAULT_COLOUR[1:])
    white = b"\xff\xff\xff"
    half = size // 2
    bar = max(2, size // 10)  # the stroke's width
    left, right = half - bar // 2, half - bar // 2 + bar
    top, bar_end = size * 27 // 100, size * 58 // 100
    dot_top, dot_end = size * 65 // 100, size * 65 // 100 + bar
    background = rgb * size
    stroke = rgb * left + white * bar + rgb * (size - right)
    rows = b"".join(
        b"\0" + (stroke if top <= y < bar_end or dot_top <= y < dot_end else background)
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
