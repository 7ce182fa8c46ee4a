"""Make a built site installable, and readable offline after one visit.

When the runbook is served over https (or from localhost), a phone can add it to its
home screen and keep reading it, PDFs included, with the network or the company's
servers down. Two files at the root of each edition make that happen:

- ``manifest.webmanifest``: the name, language, colours and icons a phone shows;
- ``sw.js``: a service worker holding the list of every file of the edition and a
  version made of their contents, so that one visit stores the whole edition, and a
  new build (a new version) replaces the stored copy instead of mixing with it.

Every page links the manifest; incident.js registers the service worker, and only
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
# A folder holding one of these at its top is another edition (site/en/), with its
# own service worker: its files are not this edition's to store.
_EDITION_MARKERS = ("sitemap.xml", "search/search_index.json", MANIFEST_FILE)
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
    """Write the manifest, the icons and the service worker of the edition built in
    site_dir, and link the manifest from each of its pages.

    Call it once the edition is complete (pages and PDFs written), since the worker
    stores exactly the files present then. ``site_name`` is the name MkDocs was
    given (HTML-escaped or not); ``language`` the edition's language code. The
    output depends only on the files, so a build stays byte-reproducible.
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
    files = _edition_files(site_dir)
    for relative in files:
        if relative.endswith(".html"):
            _link_manifest(site_dir / relative, relative, icons[0][1])
    # The version covers every stored byte, the worker's own code included: any
    # change to the plan gives a new worker, which replaces the stored copy.
    digest = hashlib.sha256(_WORKER.encode("utf-8"))
    for relative in files:
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((site_dir / relative).read_bytes()).digest())
    urls = [quote(relative) for relative in files]
    fallback = "404.html" if "404.html" in files else "index.html"
    head = (
        "/* crisisplan: the offline copy of this runbook, written by `crisisplan build`. */\n"
        '"use strict";\n'
        f"var VERSION = {json.dumps(digest.hexdigest()[:16])};\n"
        f"var FALLBACK = {json.dumps(fallback)};\n"
        f"var FILES = {json.dumps(urls, indent=0)};\n"
    )
    (site_dir / SW_FILE).write_text(head + _WORKER, encoding="utf-8")


def _edition_files(site_dir: Path) -> list[str]:
    """Every file a reader may open in this edition, as sorted POSIX paths."""
    found: list[str] = []
    for folder, dirs, names in os.walk(site_dir):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not any((here / d / marker).is_file() for marker in _EDITION_MARKERS)
        )
        for name in names:
            path = here / name
            if name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES) or not path.is_file():
                continue
            relative = path.relative_to(site_dir).as_posix()
            if relative not in _SKIPPED_NAMES:
                found.append(relative)
    return sorted(found)


def _link_manifest(page: Path, relative: str, icon: str) -> None:
    """Link the manifest (and the worker, for incident.js) from one page's head."""
    up = "../" * relative.count("/")
    tags = (
        f'<link rel="manifest" href="{up}{MANIFEST_FILE}" {SW_ATTRIBUTE}="{up}{SW_FILE}">\n'
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
