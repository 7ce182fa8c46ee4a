"""Whether the published site is already what a build would publish.

A rebuild with nothing changed used to cost as much as a fresh build. Now, once
the plans are checked and before anything is generated, every input of the site is
hashed by content: the plan files (scenarios and reviews included), crisisplan's own
code, templates and translations, the check settings (crisisplan.yaml), the user's
mkdocs.yml and every file it INHERITs, the environment variables it reads with
``!ENV``, docs/ (a link to a file in the repository counts as that file), the theme
overrides, hooks and any other file or folder of the repository the configuration
names (``custom_dir``, ``hooks``, ``watch``, a plugin's or extension's folder), the
versions of the software, plugins and fonts that turn them into files, the options
and the day. When the last build of this site folder had the same key, and the
folder still holds exactly the files that build wrote (same paths, sizes and SHA-256
of their contents: a file edited with its modification time put back is seen),
there is nothing to do.

The record is kept in the build's work folder (``.crisisplan-build/``), never in
the published site, and is trusted only if git can say it is not committed (a record
and a site committed in a pull request would otherwise publish a forged site).
``--no-cache`` skips this check as it skips the PDF cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crisisplan import __version__
from crisisplan.files import UnsafeFile, boundary_for, check_inside, read_bounded, tracked_by_git
from crisisplan.plan.today import today as current_day
from crisisplan.publish.sitefolder import CACHE_DIR, WORK_DIR

if TYPE_CHECKING:
    from crisisplan.plan.discovery import PlanSource
    from crisisplan.publish.options import BuildOptions, BuildResult

FORMAT = "crisisplan-last-build-2"
# mkdocs.yml and the files it inherits are parsed only up to this size (their bytes
# are hashed whatever their size); a chain of INHERITs is followed this far.
MAX_CONFIG_BYTES = 1024 * 1024
MAX_INHERITS = 20
MAX_MERGE_DEPTH = 50
# Plugins, themes and Markdown extensions come from these entry points: their
# versions change pages as MkDocs' own does.
PLUGIN_GROUPS = ("mkdocs.plugins", "mkdocs.themes", "markdown.extensions")
_CHUNK = 1 << 20


# --- files, by content -------------------------------------------------------------


def _add(digest: Any, *parts: str) -> None:
    """Add words to the key, each ended by NUL; a file name that is not UTF-8 is kept
    as its bytes."""
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")


def _relative(path: str, base: Path) -> str:
    """``path`` as seen from ``base`` (so that a copy of the project elsewhere has the
    same key); as it is where it cannot be (another drive)."""
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return path


def _entries(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file under a folder, and every link to a folder (not followed), in a
    stable order; Python's bytecode caches are not inputs."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        linked = sorted(d for d in dirs if (here / d).is_symlink())
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and d not in linked)
        for name in sorted([*files, *linked]):
            path = here / name
            yield path.relative_to(folder).as_posix(), path


def _content_digest(path: Path) -> str:
    """SHA-256 of a regular file, read in chunks; a pipe or device swapped in is never
    waited on (raises OSError)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def _fingerprint(path: Path, follow_within: Path | None, follow_anywhere: bool = False) -> str:
    """What a file is, as the build would see it: the SHA-256 of its content. A link is
    followed only to a regular file inside ``follow_within`` (the build copies such a
    link's target, and refuses any other link, so then its text is what counts), or
    to one anywhere with ``follow_anywhere``; a pipe, device or socket is never opened."""
    try:
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode):
            text = os.readlink(path)
            if follow_within is None and not follow_anywhere:
                return f"link {text}"
            try:
                check_inside(path, None if follow_anywhere else follow_within)
                status = path.stat()
            except (UnsafeFile, OSError, RuntimeError):
                return f"link {text}"
            if not stat.S_ISREG(status.st_mode):
                return f"link {text}"
        if not stat.S_ISREG(status.st_mode):
            return f"special {stat.S_IFMT(status.st_mode)}"
        return _content_digest(path)
    except OSError as exc:
        return f"unreadable {exc.errno}"


def _add_tree(digest: Any, label: str, folder: Path, follow_within: Path | None) -> None:
    """Add a folder to the key: each file's name and fingerprint."""
    if not folder.is_dir():
        _add(digest, "no folder", label)
        return
    for name, path in _entries(folder):
        _add(digest, f"{label}/{name}", _fingerprint(path, follow_within))


# --- mkdocs.yml, the files it inherits and what it names ----------------------------


def _parse_config(data: bytes) -> tuple[Any, set[str]]:
    """mkdocs.yml as data only, and the environment variables it reads: ``!ENV`` gives
    the variable's value, any other tag (``!relative``, ``!!python/name:``) its plain
    value, and nothing is constructed or run. The data is None for YAML that does not
    parse (MkDocs then reports it, and its bytes are in the key)."""
    import yaml

    names: set[str] = set()

    class Loader(yaml.SafeLoader):
        pass

    def env(loader: Loader, node: yaml.Node) -> Any:
        # As MkDocs' yaml_env_tag: [NAME, ..., default], or NAME.
        default: Any = None
        children = list(node.value) if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.SequenceNode) and len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        here = [str(child.value) for child in children if isinstance(child, yaml.ScalarNode)]
        names.update(here)
        return next((os.environ[name] for name in here if name in os.environ), default)

    def plain(loader: Loader, _suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        if isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)
            return loader.construct_mapping(node, deep=True)
        return str(node.value)

    Loader.add_constructor("!ENV", env)
    Loader.add_multi_constructor("", plain)
    loader = Loader(data)
    try:
        return loader.get_single_data(), names
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None, names
    finally:
        loader.dispose()


def _strings(tree: Any) -> Iterator[str]:
    """Every string value in a parsed document, each shared (aliased) part once, so
    an alias bomb costs no more than its text."""
    seen: set[int] = set()
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict | list):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)


def _merge(parent: dict[Any, Any], child: dict[Any, Any], depth: int = 0) -> dict[Any, Any]:
    """A child config over the one it inherits, as MkDocs merges them (mergedeep):
    mappings merged key by key, anything else replaced. Not deeper than any real
    config: YAML aliases can make a mapping that holds itself."""
    merged = dict(parent)
    for key, value in child.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, dict) and depth < MAX_MERGE_DEPTH:
            merged[key] = _merge(below, value, depth + 1)
        else:
            merged[key] = value
    return merged


def _config_chain(digest: Any, config_file: Path) -> dict[Any, Any]:
    """Add mkdocs.yml, each file it INHERITs (in a chain, as MkDocs follows them) and
    the values of the environment variables they read; return the merged config
    ({} where a file does not parse: the build reports it)."""
    trees: list[dict[Any, Any]] = []
    env_names: set[str] = set()
    current: str | None = os.path.normpath(config_file.absolute())
    seen: set[str] = set()
    while current is not None:
        if current in seen or len(seen) >= MAX_INHERITS:
            _add(digest, "inherit loop", current)
            break
        seen.add(current)
        path = Path(current)
        # MkDocs reads mkdocs.yml and what it inherits wherever they are (a path given
        # on the command line is free), so they count wherever their links lead.
        label = _relative(current, config_file.parent.absolute())
        _add(digest, "config", label, _fingerprint(path, None, follow_anywhere=True))
        tree = None
        try:
            status = path.stat()
            if stat.S_ISREG(status.st_mode) and status.st_size <= MAX_CONFIG_BYTES:
                tree, names = _parse_config(read_bounded(path, MAX_CONFIG_BYTES))
                env_names |= names
        except (OSError, UnsafeFile):
            tree = None
        if not isinstance(tree, dict):
            trees.append({})
            break
        trees.append(tree)
        inherit = tree.pop("INHERIT", None)
        # Relative to the file that names it, as MkDocs reads it.
        current = os.path.normpath(os.path.join(os.path.dirname(current), str(inherit))) if inherit is not None else None
    for name in sorted(env_names):
        value = os.environ.get(name)
        _add(digest, "env", name, "unset" if value is None else "set " + value)
    merged: dict[Any, Any] = {}
    for tree in reversed(trees):
        merged = _merge(merged, tree)
    return merged


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _named_paths(strings: Iterable[str], bases: list[Path], boundary: Path, skip: list[Path]) -> list[Path]:
    """The files and folders of the repository that the configuration names: relative
    to mkdocs.yml (as MkDocs reads its own settings) or to the folder the build runs
    in (as Markdown extensions read theirs); never the project itself, the site or
    crisisplan's own folders (those are outputs), nor git's store."""
    real_bases = [base.resolve() for base in bases]
    found: set[Path] = set()
    for text in strings:
        if not text or len(text) > 1024 or text != text.strip() or any(c in text for c in "\0\n\r") or "://" in text:
            continue
        for base in bases:
            try:
                real = (base / text).resolve()
                if not real.exists() or not _within(real, boundary) or ".git" in real.relative_to(boundary).parts:
                    continue
            except (OSError, RuntimeError, ValueError):
                continue
            if any(_within(b, real) for b in real_bases) or any(_within(real, s) or _within(s, real) for s in skip):
                continue
            found.add(real)
    return sorted(found)


def _user_inputs(digest: Any, config_file: Path | None, site_dir: Path) -> None:
    """mkdocs.yml and what it brings in: inherited files, !ENV values, the docs, and
    the theme overrides, hooks and other files it names. mkdocs.yml is read as data
    only (never with MkDocs' own loader, which runs Python tags)."""
    # The repository of mkdocs.yml (or of the folder the build runs in), as the build
    # bounds the docs it copies.
    boundary = boundary_for(config_file if config_file else Path.cwd())
    config = _config_chain(digest, config_file) if config_file else {}
    # Where the build takes the docs from (docs_dir_of): docs_dir, relative to
    # mkdocs.yml, or docs/ here; named as mkdocs.yml names it, so that a copy of the
    # project elsewhere has the same key.
    base = config_file.parent if config_file else Path()
    named_docs = str(config.get("docs_dir", "docs"))
    docs = base / named_docs
    _add(digest, "docs", named_docs)
    _add_tree(digest, "docs", docs, boundary)
    if config_file is None:
        digest.update(b"no config\0")
        return
    site = site_dir.absolute()
    outputs = [site, site.parent / WORK_DIR, site.parent / CACHE_DIR]
    if isinstance(config.get("site_dir"), str):
        outputs.append(base / config["site_dir"])
    skip = [*(path.resolve() for path in outputs), docs.resolve()]
    for named in _named_paths(_strings(config), [base, Path.cwd()], boundary, skip):
        label = _relative(str(named), base.resolve())
        if named.is_dir():
            _add_tree(digest, label, named, boundary)
        else:
            _add(digest, "file", label, _fingerprint(named, boundary))


# --- the key ------------------------------------------------------------------------


@cache
def _versions() -> str:
    # Once per process: the software a process runs does not change under it.
    found = [f"crisisplan {__version__}"]
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "zensical"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    providers = set()
    for dist in metadata.distributions():
        # Each package's entry points as text: four times faster than entry_points().
        declared = dist.read_text("entry_points.txt") or ""
        if any(f"[{group}]" in declared for group in PLUGIN_GROUPS):
            providers.add(f"{dist.metadata['Name']} {dist.version}")
    return "|".join([*found, *sorted(providers)])


def _settings(options: BuildOptions) -> dict[str, Any]:
    config = options.check_config
    return {
        "format": FORMAT,
        "versions": _versions(),
        "pdf": options.pdf,
        "paper": options.paper,
        "public": options.public,
        "engine": options.engine,
        "strict": options.strict,
        # Pages say which reviews are overdue: the day matters.
        "today": str(options.today or current_day()),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        # crisisplan.yaml as the build read it (each code's severity, strict, plans).
        "settings": dataclasses.asdict(config) if config is not None else None,
    }


def inputs_key(options: BuildOptions, sources: Iterable[PlanSource], project: Path) -> str:
    """A key for everything that shapes the published site, read before anything is
    generated: the plan files, crisisplan itself, the check settings, the user's
    MkDocs configuration and what it brings in, docs and translations, the software
    and fonts that render, and the options."""
    digest = hashlib.sha256()
    digest.update(json.dumps(_settings(options), sort_keys=True, default=str).encode())
    for source in sources:
        if source.data is not None:
            digest.update(b"stdin\0" + source.data)
            continue
        boundary = boundary_for(source.path)
        if source.is_folder:
            _add_tree(digest, f"plan {source.path.name}", source.path, boundary)
        else:
            _add(digest, "plan", source.path.name, _fingerprint(source.path, boundary))
            _add_tree(digest, "reviews", source.reviews_dir, boundary)
    if options.pdf:
        from crisisplan.publish.pdf.cache import cache_key

        # WeasyPrint's version and the installed fonts, as the PDF cache sees them.
        digest.update(cache_key("").encode())
    # crisisplan's own code, templates, translations and assets: a change in any of
    # them changes pages, whatever the version number says.
    with resources.as_file(resources.files("crisisplan")) as package:
        _add_tree(digest, "crisisplan", package, None)
    # A team's own translations beside mkdocs.yml (or here).
    _add_tree(digest, "locale", project / "locale", boundary_for(project))
    _user_inputs(digest, options.config_file, options.site_dir)
    return digest.hexdigest()


# --- the record of the last build ---------------------------------------------------


def _record_path(work: Path, site_dir: Path) -> Path:
    return work / f"{site_dir.name}.last-build.json"


def _sizes(site_dir: Path) -> dict[str, int]:
    """Each file of the site and its size (-1 for what is not a regular file)."""
    found = {}
    for name, path in _entries(site_dir):
        try:
            status = path.lstat()
        except OSError:
            status = None
        found[name] = status.st_size if status is not None and stat.S_ISREG(status.st_mode) else -1
    return found


def _manifest(site_dir: Path) -> dict[str, list[Any]]:
    """Each file of the site: its size and the SHA-256 of its content."""
    return {name: [size, _fingerprint(site_dir / name, None)] for name, size in _sizes(site_dir).items()}


def _same_files(site_dir: Path, recorded: Any) -> bool:
    """Whether the site holds exactly the recorded files, by content: sizes first (a
    file added, removed or resized costs no hashing), then every file's SHA-256, so a
    file edited to the same size with its modification time put back is seen."""
    if not isinstance(recorded, dict):
        return False
    sizes = _sizes(site_dir)
    if sizes.keys() != recorded.keys():
        return False
    entries = [(name, recorded[name]) for name in sizes]
    if not all(isinstance(entry, list) and len(entry) == 2 and entry[0] == sizes[name] for name, entry in entries):
        return False
    return all(entry[1] == _fingerprint(site_dir / name, None) for name, entry in entries)


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
    summary = record.get("summary")
    if not isinstance(summary, dict) or not _same_files(site_dir, record.get("files")):
        return False  # someone changed, added or removed a file: build it again
    if tracked_by_git(record_path):
        # Committed (so planted, with a site to match), or git cannot say: build.
        return False
    try:
        counts = [int(summary.get(name, 0)) for name in ("pages", "pdfs", "pdf_pages")]
        reused = [str(name) for name in summary.get("pdf_files", [])]
    except (TypeError, ValueError):
        return False  # a record damaged by hand: build again
    result.pages, result.pdfs, result.pdf_pages = counts
    result.pdfs_reused = reused
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
