"""Build the site with Zensical, Material for MkDocs' successor, from the same pages
and configuration as mkdocs_site.

Zensical reads mkdocs.yml, but only from a file, and wants docs_dir and site_dir
inside the folder of that file: crisisplan writes the configuration it would give
MkDocs (the user's mkdocs.yml with its own settings over it) into work_dir, builds
into work_dir/site, then moves the result to site_dir.

Zensical keeps a cache of its own in work_dir/.cache and renders again only the pages
whose input changed. So that it can, work_dir may be kept between builds (build.py
keeps it under .crisisplan-cache/): each file of the input (the docs, the
configuration, the theme partial) is rewritten only when its text changed, so every
other file keeps its time and its bytes.

Zensical runs in a child process: its Rust core prints to the process's own standard
output (which `build --format json` keeps for JSON), keeps global state between
builds, and a crash there must not take crisisplan down with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from crisisplan.publish.site.mkdocs_site import (
    ASSET_DIR,
    SiteBuildError,
    add_part,
    publishing_warnings,
    site_config,
    user_config,
    write_docs,
)
from crisisplan.publish.site.pages import Pages

CONFIG_NAME = "mkdocs.yml"
OUTPUT_NAME = "site"
# The docs are written here first, then moved into work_dir/docs file by file where
# their text changed.
INCOMING_NAME = "incoming"
# What a kept work_dir was made by: another crisisplan or Zensical starts it afresh.
INPUT_FORMAT = "crisisplan-zensical-input-1"
INSTALL_HINT = "the zensical engine needs Zensical: pip install 'crisisplan[zensical]'"
# Talks to Material's lunr worker and loads Material's stemmers; Zensical's own search
# folds accents and matches word forms itself, and ships no lunr files to load.
MATERIAL_SEARCH_SCRIPT = f"{ASSET_DIR}/search.js"

# Zensical colours its report whatever the terminal; NO_COLOR is not honoured.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Its warnings: "Warning: page does not exist", then the source as "╭─[ a.md:1:9 ]".
_WARNING = re.compile(r"^Warning:\s*(?P<message>.+)$")
_WHERE = re.compile(r"\[\s*(?P<where>[^\[\]]+:\d+:\d+)\s*\]")
# How it fails: its own "Error: ..." (a bad setting), else the last line of a Python
# traceback ("TypeError: 'int' object is not iterable" for nav: 5).
_ERROR = re.compile(r"^Error:\s*(?P<message>.+)$")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_][\w.]*(?:Error|Exception)|Exception): (?P<message>.+)$")
_PYTHON_ERROR = re.compile(r"^Python error: ")


# Words Zensical's own translations lack (it falls back to English for them): its
# search button says "Search" on a Malay page without them. Filled in through a
# language partial of crisisplan's, unless mkdocs.yml names a custom_dir of its own.
THEME_GAPS: dict[str, dict[str, str]] = {
    "ms": {
        "search": "Cari",
        "search.share": "Kongsi",
        "progress": "Sedang dimuatkan",
        "clipboard.error": "Tidak dapat menyalin ke papan keratan",
        "action.copy": "Salin sebagai Markdown",
    },
    "id": {
        "progress": "Sedang memuat",
        "clipboard.error": "Gagal menyalin ke papan klip",
        "action.copy": "Salin sebagai Markdown",
    },
    "da": {
        "progress": "Indlæser",
        "clipboard.error": "Kunne ikke kopiere til udklipsholderen",
        "action.copy": "Kopiér som Markdown",
    },
}
THEME_DIR = "theme"


def _language_partial(language: str) -> str:
    """Zensical's partials/language.html, with THEME_GAPS between the language's own
    words and the English ones."""
    gaps = json.dumps(THEME_GAPS.get(language, {}), ensure_ascii=False)
    return (
        '{% set language = config.theme.language | d("en", true) %}\n'
        '{% import "partials/languages/" ~ language ~ ".html" as lang %}\n'
        '{% import "partials/languages/en.html" as fallback %}\n'
        f"{{% set gaps = {gaps} %}}\n"
        "{% macro t(key) %}{{ lang.t(key) or gaps[key] or fallback.t(key) or key }}{% endmacro %}\n"
    )


def zensical_installed() -> bool:
    try:
        import zensical  # noqa: F401
    except ImportError:
        return False
    return True


def input_stamp() -> str:
    """What made a kept work_dir: its layout, crisisplan's and Zensical's versions."""
    from crisisplan import __version__

    try:
        engine = metadata.version("zensical")
    except metadata.PackageNotFoundError:
        engine = "none"
    return f"{INPUT_FORMAT} crisisplan {__version__} zensical {engine}"


def write_if_changed(path: Path, text: str) -> None:
    """Write text to path unless it holds it already: an unchanged file keeps its time."""
    data = text.encode("utf-8")
    try:
        if not path.is_symlink() and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _same_file(a: Path, b: Path) -> bool:
    try:
        if b.is_symlink() or not b.is_file() or a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def sync_tree(source: Path, target: Path) -> None:
    """Make target hold exactly source's files, moving in only those whose bytes
    differ and removing the rest: files that did not change keep their times."""
    wanted: set[Path] = set()
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        relative = here.relative_to(source)
        wanted.add(relative)
        for name in files:
            wanted.add(relative / name)
            destination = target / relative / name
            if _same_file(here / name, destination):
                continue
            _remove(destination)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(here / name, destination)
        for name in dirs:
            existing = target / relative / name
            if existing.is_symlink() or (existing.exists() and not existing.is_dir()):
                _remove(existing)
    # Deepest first: a folder is emptied before it is looked at.
    for folder, dirs, files in os.walk(target, topdown=False):
        here = Path(folder)
        relative = here.relative_to(target)
        for name in [*files, *dirs]:
            if relative / name not in wanted:
                _remove(here / name)


def _config_for_zensical(
    user: dict[str, Any], overrides: dict[str, Any], config_file: Path | None, work_dir: Path
) -> dict[str, Any]:
    """The configuration MkDocs would build with, for a file in work_dir."""
    config = {**user, **overrides, "docs_dir": "docs", "site_dir": OUTPUT_NAME}
    theme = dict(config.get("theme") or {})
    custom_dir = theme.get("custom_dir")
    if isinstance(custom_dir, str) and custom_dir and config_file is not None:
        # Relative to the user's mkdocs.yml, as MkDocs reads it, not to work_dir.
        theme["custom_dir"] = os.path.join(config_file.parent.absolute(), custom_dir)
    elif not custom_dir:
        partial = work_dir / THEME_DIR / "partials" / "language.html"
        write_if_changed(partial, _language_partial(str(theme.get("language") or "en")))
        theme["custom_dir"] = str((work_dir / THEME_DIR).absolute())
    # Zensical's look by default ("modern") shows no header colour: "classic" keeps
    # the runbook as the team set it up for Material (a red header says "crisis").
    theme.setdefault("variant", "classic")
    config["theme"] = theme
    config["extra_javascript"] = [
        s for s in config.get("extra_javascript") or [] if s != MATERIAL_SEARCH_SCRIPT
    ]
    return config


def _text(output: str) -> list[str]:
    return [_ANSI.sub("", line).rstrip() for line in output.splitlines()]


def _warnings(lines: list[str]) -> list[str]:
    """Zensical's warnings, one line each, as "a.md:1:9: page does not exist" (the
    page's path in the docs folder)."""
    found: list[str] = []
    for number, line in enumerate(lines):
        match = _WARNING.match(line.strip())
        if not match:
            continue
        message = match["message"]
        for following in lines[number + 1 : number + 4]:
            where = _WHERE.search(following)
            if where:
                message = f"{where['where']}: {message}"
                break
        found.append(message)
    return found


def _failure(lines: list[str], code: int) -> str:
    """The one line that says why Zensical failed."""
    errors = [m["message"] for line in lines if (m := _ERROR.match(line.strip()))]
    if errors:
        return errors[-1]
    exceptions = [line.strip() for line in lines if _EXCEPTION.match(line.strip())]
    if exceptions:
        last = exceptions[-1]
        # "RuntimeError: Python error: ModuleNotFoundError: ..." -> the inner error.
        head, _, rest = last.partition(": ")
        return _PYTHON_ERROR.sub("", rest) if _PYTHON_ERROR.match(rest) else f"{head}: {rest}"
    return f"Zensical stopped with exit status {code}"


def _replace_contents(built: Path, site_dir: Path) -> None:
    """Put the built site in site_dir, emptying it first (but for dot files) as MkDocs
    does: the root edition is built first, then the others into its subfolders."""
    if site_dir.is_dir():
        for entry in site_dir.iterdir():
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    site_dir.mkdir(parents=True, exist_ok=True)
    for entry in built.iterdir():
        shutil.move(str(entry), str(site_dir / entry.name))


def build_site_zensical(
    pages: Pages,
    work_dir: Path,
    site_dir: Path,
    config_file: Path | None,
    language: str,
    site_name: str,
    folders: bool = False,
) -> list[str]:
    """Write the pages and assets into work_dir/docs and build the site into site_dir
    with Zensical, as mkdocs_site.build_site does with MkDocs: the plans in another
    language (pages.parts) each in a build of their own, then added to it.

    Returns crisisplan's publishing warnings, then Zensical's. Raises SiteBuildError
    when Zensical is missing or fails.
    """
    if not zensical_installed():
        raise SiteBuildError(INSTALL_HINT)
    built, warnings = _build_one(pages.frame(), work_dir, config_file, language, site_name, folders)
    _replace_contents(built, site_dir)
    for part in pages.parts:
        part_built, more = _build_one(
            pages.part(part),
            work_dir / f"part-{part.language}",
            config_file,
            part.language,
            part.name,
            True,
        )
        warnings += [w for w in more if w not in warnings]
        add_part(part_built, site_dir, part.folders)
    return warnings


def _build_one(
    pages: Pages,
    work_dir: Path,
    config_file: Path | None,
    language: str,
    site_name: str,
    folders: bool,
) -> tuple[Path, list[str]]:
    """One Zensical build into work_dir/site: that folder, and the warnings."""
    user = user_config(config_file)
    incoming = work_dir / INCOMING_NAME
    _remove(incoming)
    docs = work_dir / "docs"
    sync_tree(write_docs(pages, incoming, config_file), docs)
    _remove(incoming)
    publishing = publishing_warnings(pages, config_file)
    built = work_dir / OUTPUT_NAME
    # What an earlier build left there (it moves the site out when it succeeds).
    _remove(built)
    overrides = site_config(user, pages, docs, built, config_file, language, site_name, folders)
    # Absolute: Zensical runs in work_dir, which may be given relative to here.
    config = (work_dir / CONFIG_NAME).absolute()
    try:
        # The Dumper that writes Python names back as tags, which Zensical's loader
        # reads: markdown_extensions may name functions (!!python/name:...).
        text = yaml.dump(
            _config_for_zensical(user, overrides, config_file, work_dir),
            Dumper=yaml.Dumper,
            allow_unicode=True,
            sort_keys=False,
        )
    except yaml.YAMLError as exc:
        raise SiteBuildError(f"cannot pass mkdocs.yml on to Zensical: {exc}") from None
    write_if_changed(config, text)
    try:
        finished = subprocess.run(  # noqa: S603 (this interpreter, our arguments)
            [sys.executable, "-m", "zensical", "build", "--config-file", str(config)],
            cwd=work_dir,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise SiteBuildError(f"cannot run Zensical: {exc}") from None
    lines = _text(finished.stdout) + _text(finished.stderr)
    if finished.returncode != 0:
        raise SiteBuildError(_failure(lines, finished.returncode))
    if not (built / "index.html").is_file():
        raise SiteBuildError("Zensical finished without writing index.html")
    return built, [*publishing, *_warnings(lines)]
