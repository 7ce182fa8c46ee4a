"""Whether the published site is already what a build would publish.

A rebuild with nothing changed used to cost as much as a fresh build. Now, once
the plans are checked and before anything is generated, every input of the site is
hashed: the plan files (scenarios and reviews included), crisisplan's own code,
templates and translations, the user's mkdocs.yml, docs/, theme overrides and
translations, the versions of the software (and the fonts) that turn them into
files, the options and the day. When the last build of this site folder had the same key, and the
folder still holds exactly the files that build wrote (same paths, sizes and
modification times), there is nothing to do.

The record is kept in the build's work folder (``.crisisplan-build/``), never in
the published site; ``--no-cache`` skips this check as it skips the PDF cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crisisplan import __version__
from crisisplan.plan.today import today as current_day

if TYPE_CHECKING:
    from crisisplan.plan.discovery import PlanSource
    from crisisplan.publish.options import BuildOptions, BuildResult

FORMAT = "crisisplan-last-build-1"


def _files(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every file under a folder, with its status, in a stable order; links are not
    followed, and Python's bytecode caches are not inputs."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(root) / name
            try:
                yield path.relative_to(folder).as_posix(), path.lstat()
            except OSError:
                continue


def _tree_digest(digest: Any, folder: Path, contents: bool) -> None:
    """Add a folder to the key: names with contents (small, ours) or with size and
    modification time (the user's docs, which may be large)."""
    if not folder.is_dir():
        return
    for name, status in _files(folder):
        digest.update(f"{folder.name}/{name}\0{status.st_size}\0".encode())
        if contents:
            digest.update((folder / name).read_bytes())
        else:
            digest.update(f"{status.st_mtime_ns}\0".encode())


def _user_inputs(digest: Any, config_file: Path | None) -> None:
    from crisisplan.publish.site.mkdocs_site import SiteBuildError, docs_dir_of, user_config

    if config_file is None:
        digest.update(b"no config\0")
        return
    try:
        digest.update(config_file.read_bytes())
        user = user_config(config_file)
    except (OSError, SiteBuildError):
        digest.update(b"unreadable config\0")
        return
    _tree_digest(digest, docs_dir_of(config_file), contents=False)
    # Theme overrides and hooks change pages without changing any page's Markdown.
    theme = user.get("theme")
    extra: list[Any] = [theme.get("custom_dir")] if isinstance(theme, dict) else []
    hooks = user.get("hooks")
    extra += hooks if isinstance(hooks, list) else []
    for entry in extra:
        if isinstance(entry, str):
            path = config_file.parent / entry
            if path.is_dir():
                _tree_digest(digest, path, contents=False)
            elif path.is_file():
                digest.update(path.read_bytes())


def _versions() -> str:
    found = [f"crisisplan {__version__}"]
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "zensical"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "|".join(found)


def inputs_key(options: BuildOptions, sources: Iterable[PlanSource], project: Path) -> str:
    """A key for everything that shapes the published site, read before anything is
    generated: the plan files, crisisplan itself, the user's MkDocs configuration,
    docs and translations, the software and fonts that render, and the options."""
    digest = hashlib.sha256()
    settings = {
        "format": FORMAT,
        "versions": _versions(),
        "pdf": options.pdf,
        "paper": options.paper,
        "public": options.public,
        "engine": options.engine,
        # Pages say which reviews are overdue: the day matters.
        "today": str(options.today or current_day()),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for source in sources:
        if source.data is not None:
            digest.update(source.data)
        elif source.is_folder:
            _tree_digest(digest, source.path, contents=True)
        else:
            digest.update(f"\0{source.path.name}\0".encode() + source.path.read_bytes())
            _tree_digest(digest, source.reviews_dir, contents=True)
    if options.pdf:
        from crisisplan.publish.pdf.cache import cache_key

        # WeasyPrint's version and the installed fonts, as the PDF cache sees them.
        digest.update(cache_key("").encode())
    # crisisplan's own code, templates, translations and assets: a change in any of
    # them changes pages, whatever the version number says.
    with resources.as_file(resources.files("crisisplan")) as package:
        _tree_digest(digest, package, contents=True)
    # A team's own translations and check settings beside mkdocs.yml (or here).
    _tree_digest(digest, project / "locale", contents=True)
    settings_file = project / "crisisplan.yaml"
    if settings_file.is_file():
        digest.update(settings_file.read_bytes())
    _user_inputs(digest, options.config_file)
    return digest.hexdigest()


def _record_path(work: Path, site_dir: Path) -> Path:
    return work / f"{site_dir.name}.last-build.json"


def _manifest(site_dir: Path) -> dict[str, list[int]]:
    return {name: [status.st_size, status.st_mtime_ns] for name, status in _files(site_dir)}


def unchanged(work: Path, site_dir: Path, key: str, result: BuildResult) -> bool:
    """Whether the site is exactly what the last build with this key wrote; if so,
    fill in ``result`` as that build reported it."""
    record_path = _record_path(work, site_dir)
    if record_path.is_symlink() or not record_path.is_file() or site_dir.is_symlink():
        return False
    try:
        record = json.loads(record_path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != key:
        return False
    if record.get("files") != _manifest(site_dir):
        return False  # someone changed, added or removed a file: build it again
    summary = record.get("summary")
    if not isinstance(summary, dict):
        return False
    result.pages = int(summary.get("pages", 0))
    result.pdfs = int(summary.get("pdfs", 0))
    result.pdf_pages = int(summary.get("pdf_pages", 0))
    result.pdfs_reused = [str(name) for name in summary.get("pdf_files", [])]
    result.built = True
    result.unchanged = True
    return True


def remember(work: Path, site_dir: Path, key: str, result: BuildResult) -> None:
    """Record what was just published; a failure to record only costs a rebuild."""
    record = {
        "format": FORMAT,
        "key": key,
        "files": _manifest(site_dir),
        "summary": {
            "pages": result.pages,
            "pdfs": result.pdfs,
            "pdf_pages": result.pdf_pages,
            "pdf_files": sorted([*result.pdfs_rendered, *result.pdfs_reused]),
        },
    }
    target = _record_path(work, site_dir)
    staged = target.with_name(target.name + ".new")
    try:
        staged.write_text(json.dumps(record), encoding="utf-8")
        os.replace(staged, target)
    except OSError:
        staged.unlink(missing_ok=True)
