"""The site's own scripts: the one list of what every page loads, in order, and the
script ``crisisplan build`` writes from crisisplan's Python constants.

They are plain scripts, not ES modules: browsers block module scripts on a site
opened from file:// (a USB stick, an unzipped archive). They share one namespace
object, ``window.crisisplan``: each adds its part and reads the parts of the scripts
listed before it. Both engines load them from ``extra_javascript`` (mkdocs_site's
``site_config``, which zensical_site passes on), so every page gets them in this
order; the offline copy (offline.py) stores every file of the edition, these too.
"""

from __future__ import annotations

import json
from pathlib import Path

from crisisplan.plan.values import PLACEHOLDER

# Written into the site's asset folder at build time, never shipped in assets/: the
# values the scripts share with the Python side come from one place.
GENERATED_SCRIPT = "constants.js"

SCRIPTS = (
    GENERATED_SCRIPT,
    "crisisplan.js",  # the statement composer and copy buttons (reads constants.js)
    "search.js",  # stems what the reader types: Material's search only (zensical_site)
    "search-scenarios.js",  # Enter opens the best scenario; labels other plans' results
    "incident-share.js",  # incident mode: a log as QR codes and links; the room's codes, queue, clock
    "incident-room.js",  # the team's room, on a page whose panel has data-cp-room only
    "incident-words.js",  # incident mode: the page's labels (data-cp-words)
    "incident-clock.js",  # durations, elapsed time, due and overdue
    "incident-log.js",  # the stored state and the downloadable log
    "incident.js",  # the panel on a scenario page, and the offline copy's worker
)# Not listed: assets/vendor/qrcode-generator/qrcode.js (MIT, unmodified), which
# incident.js loads from beside itself the first time a page draws a QR code.


def generated_script() -> str:
    """constants.js: the statement placeholder pattern of plan/values.py, which the
    composer (crisisplan.js) fills and highlights, as the source of a JS RegExp."""
    values = {"placeholder": PLACEHOLDER.pattern}
    lines = [
        "/* crisisplan: values the site's scripts share with crisisplan itself. Written by",
        "   `crisisplan build` from its Python source (publish/site/scripts.py): do not edit. */",
        "(function (cp) {",
        '  "use strict";',
        *(f"  cp.{name} = {json.dumps(value)};" for name, value in values.items()),
        "})(window.crisisplan = window.crisisplan || {});",
    ]
    return "\n".join(lines) + "\n"


def write_generated_script(folder: Path) -> None:
    """Write constants.js into the site's asset folder (docs/assets/crisisplan)."""
    (folder / GENERATED_SCRIPT).write_text(generated_script(), encoding="utf-8")
