"""Build the MkDocs site: the user's mkdocs.yml plus generated pages, via MkDocs' own API.

The generated site stays close to stock (plain Markdown pages and the config), so that
moving to another MkDocs-compatible generator later stays cheap. crisisplan overrides
only what it must for a runbook that works offline and from file://.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from crisisplan.diagnostics import Diagnostic, Location
from crisisplan.errors import CrisisplanError
from crisisplan.files import UnsafeFile, boundary_for, check_inside, special_file
from crisisplan.plan.yamlfile import MAX_NODES
from crisisplan.publish.site.pages import NavItem, Pages
from crisisplan.publish.site.scripts import SCRIPTS, write_generated_script
from crisisplan.publish.site.search import merge_search_index

ASSET_DIR = "assets/crisisplan"
SHIM = f"{ASSET_DIR}/vendor/iframe-worker/shim.js"
DEFAULT_CONFIG = "site_name: Crisis runbook\ntheme:\n  name: material\n"


class SiteBuildError(CrisisplanError):
    """MkDocs could not build the site (a broken mkdocs.yml, a theme error...)."""


class UnsafeDocsFile(CrisisplanError):
    """A file in docs/ that crisisplan refuses to publish (a link out of the repository,
    a device or pipe); carries the diagnostic to report."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message, diagnostic.hint)
        self.diagnostic = diagnostic


def _material_languages() -> tuple[set[str], set[str]]:
    """Languages Material translates its interface into, and those its search can stem."""
    import material

    base = Path(material.__file__).parent / "templates"
    ui = {p.stem for p in (base / "partials" / "languages").glob("*.html")}
    search = {p.name.split(".")[1] for p in (base / "assets" / "javascripts" / "lunr" / "min").glob("lunr.*.min.js")}
    return ui, search | {"en"}


def user_config(config_file: Path | None) -> dict[str, Any]:
    """The settings in mkdocs.yml ({} without one, or for an empty one); SiteBuildError
    names the file, the line and what to write when it cannot be used."""
    if config_file is None:
        return {}
    import yaml
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open("rb") as handle:
            # The shape first, from the YAML nodes, which know their lines: MkDocs'
            # loader says only "expected a mapping", or fails on its own (!!binary).
            _check_shape(yaml.compose(handle, Loader=yaml.SafeLoader), config_file)
            handle.seek(0)
            # Typed as a dict, but YAML can hold anything: checked below.
            loaded: Any = yaml_load(handle)
    except (OSError, yaml.YAMLError, ValueError, MkDocsException) as exc:
        raise SiteBuildError(f"cannot read {config_file}: {exc}") from None
    except RecursionError:
        raise SiteBuildError(f"{config_file} nests lists and mappings too deeply to be read", _TOP_LEVEL_HINT) from None
    except (TypeError, AttributeError) as exc:
        # An INHERIT: file that is not a mapping, which MkDocs cannot merge.
        raise SiteBuildError(
            f"cannot read {config_file}: {exc}", "the file it names with INHERIT: must hold settings as keys too"
        ) from None
    if loaded is None:
        return {}  # only comments: MkDocs' defaults
    if not isinstance(loaded, dict) or not all(isinstance(key, str) for key in loaded):
        raise SiteBuildError(f"{config_file} (with what it inherits) must hold settings as keys, like site_name: Crisis runbook")
    for key in ("docs_dir", "site_dir"):
        value = loaded.get(key)
        if key in loaded and (not isinstance(value, str) or not value.strip()):
            raise SiteBuildError(f"{key}: in {config_file} must be a folder's path, not {_shown_value(value)}", f"write {key}: {key.removesuffix('_dir')}")
    return loaded


_TOP_LEVEL_HINT = "write each setting at the left margin as name: value, like site_name: Crisis runbook"


def _check_shape(node: Any, config_file: Path) -> None:
    """mkdocs.yml's top level is a mapping whose keys are names: say where it is not."""
    import yaml

    if node is None or node.tag == "tag:yaml.org,2002:null":
        return  # empty: MkDocs' defaults
    if _expanded_size(node, {}) > MAX_NODES:
        # MkDocs writes out the whole configuration (even for a debug line nobody
        # sees): a few lines of aliases would hold the build for minutes.
        raise SiteBuildError(
            f"{config_file} holds more than {MAX_NODES:,} values once its anchors and aliases are expanded",
            "write the settings out without chains of aliases (*name)",
        )
    where = f"{config_file}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise SiteBuildError(f"{where}: {config_file.name} holds {kind}; its top level must be settings as keys", _TOP_LEVEL_HINT)
    for key, _ in node.value:
        if key.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"):
            continue
        at = f"{config_file}:{key.start_mark.line + 1}:{key.start_mark.column + 1}"
        shown = _shown_value(key.value) if isinstance(key, yaml.ScalarNode) else "a list or mapping"
        raise SiteBuildError(
            f"{at}: {shown} is not a setting name; the top level of {config_file.name} must be settings named by words",
            _TOP_LEVEL_HINT,
        )


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many values a YAML node stands for with its aliases expanded, counting each
    node once however often it is referred to (and once inside itself)."""
    import yaml

    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def _shown_value(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def docs_dir_of(config_file: Path | None) -> Path:
    """The user's docs folder: docs_dir in mkdocs.yml, relative to it, or docs/ here."""
    try:
        user = user_config(config_file)
    except SiteBuildError:
        user = {}  # reported by the build itself
    base = config_file.parent if config_file else Path()
    return base / str(user.get("docs_dir", "docs"))


def custom_dir_of(config_file: Path | None) -> Path | None:
    """theme: custom_dir: in mkdocs.yml, relative to it, or None: MkDocs publishes
    every file there that is not a template, as it does the docs folder's."""
    try:
        user = user_config(config_file)
    except SiteBuildError:
        return None  # reported by the build itself
    theme = user.get("theme")
    value = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not isinstance(value, str) or not value.strip() or config_file is None:
        return None
    return config_file.parent / value


def site_dir_of(config_file: Path | None) -> Path | None:
    """site_dir in mkdocs.yml, relative to it as MkDocs reads it, or None if not set."""
    try:
        user = user_config(config_file)
    except SiteBuildError:
        return None  # reported by the build itself
    value = user.get("site_dir")
    if not isinstance(value, str) or not value.strip() or config_file is None:
        return None
    return config_file.parent / value


def site_url_warning(config_file: Path | None) -> list[str]:
    """Without site_url, MkDocs cannot know the path the site is published under: the
    404 page's links and sitemap.xml then point at the root of the domain, which
    breaks a site published under a sub-path (a GitHub Pages project site)."""
    try:
        user = user_config(config_file)
    except SiteBuildError:
        return []  # reported by the build itself
    if user.get("site_url"):
        return []
    where = str(config_file) if config_file else "mkdocs.yml (there is none here: create one)"
    return [
        f"site_url is not set in {where}: the 404 page's links and sitemap.xml work only "
        "for a site published at the root of its domain; set site_url: to the address "
        "the site is published at, like https://acme.github.io/crisis-runbook/"
    ]


def collision_warnings(user_docs: Path, generated: Iterable[str]) -> list[str]:
    """A page of the user's docs at the path of a page generated from the plans: the
    generated page wins (the start page must be the scenario chooser), and the
    author is told how to keep theirs."""
    found = []
    for relative in sorted(generated):
        mine = user_docs / relative
        if mine.is_file():
            # A start page of one's own reads best as a welcome page in the menu.
            renamed = mine.with_name("welcome.md" if mine.name == "index.md" else f"{mine.stem}-notes{mine.suffix}")
            found.append(
                f"{mine} is not published: crisisplan generates {relative} from the plans "
                f"and its page replaces yours; give yours another file name, like {renamed}, to keep it"
            )
    return found


# Far beyond any runbook's own pages, and small enough that docs/ cannot fill a disk.
MAX_DOCS_FILES = 10_000
MAX_DOCS_BYTES = 500 * 1024 * 1024


def _copy_docs(source: Path, target: Path, boundary: Path) -> None:
    """Copy the user's docs, refusing links that lead out of the repository (or into
    its .git folder), links to folders and special files: a link to a secrets folder
    must not end up on the site, and linked folders could copy one file endlessly."""
    files_copied, bytes_copied = 0, 0

    def refuse(path: Path, code: str, message: str, hint: str) -> UnsafeDocsFile:
        return UnsafeDocsFile(Diagnostic.at(Location(str(path)), code, message, hint))

    for folder, dirs, files in os.walk(source, followlinks=False):
        here = Path(folder)
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            path = here / name
            try:
                check_inside(path, boundary)
            except UnsafeFile as exc:
                raise refuse(path, exc.code, exc.message, exc.hint) from None
            if path.is_dir():
                if path.is_symlink():
                    raise refuse(
                        path, "CP015", "this is a link to a folder; crisisplan follows only links to files", "put the folder itself in docs/, or link its files"
                    )
                continue
            if not path.is_file():
                problem = special_file(path)
                raise refuse(path, problem.code, problem.message, problem.hint)
            files_copied += 1
            bytes_copied += path.stat().st_size
            if files_copied > MAX_DOCS_FILES or bytes_copied > MAX_DOCS_BYTES:
                raise refuse(
                    source, "CP007", f"docs/ holds more than {MAX_DOCS_FILES:,} files or {MAX_DOCS_BYTES // 1024 // 1024} MiB", "keep large files out of the runbook site"
                )
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def _plugins(user: dict[str, Any], search_lang: list[str]) -> list[Any]:
    """The user's plugins, with search (in the plan's languages) and offline ensured."""
    plugins: list[Any] = list(user.get("plugins") or [])
    names = [p if isinstance(p, str) else next(iter(p), "") for p in plugins]
    result: list[Any] = []
    for plugin, name in zip(plugins, names, strict=True):
        if name == "search":
            options = (plugin.get("search") or {}) if isinstance(plugin, dict) else {}
            result.append({"search": {"lang": search_lang, **options}})
        else:
            result.append(plugin)
    if "search" not in names:
        result.insert(0, {"search": {"lang": search_lang}})
    if "offline" not in names:
        result.append("offline")
    return result


def _user_pages(docs: Path) -> list[str]:
    if not docs.is_dir():
        return []
    return sorted(str(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md"))


@contextmanager
def _capture_mkdocs_log(errors: list[str] | None = None) -> Iterator[list[str]]:
    """MkDocs reports through logging; keep its warnings for our own report, and its
    errors in ``errors``: they say what "Aborted with a configuration error!" was."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())
            if record.levelno >= logging.ERROR and errors is not None:
                errors.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect()
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]


def publishing_warnings(pages: Pages, config_file: Path | None) -> list[str]:
    """What the author must know about where the site is published and which of
    their pages it replaces."""
    return [*site_url_warning(config_file), *collision_warnings(docs_dir_of(config_file), pages.files)]


def write_docs(pages: Pages, work_dir: Path, config_file: Path | None) -> Path:
    """Copy the user's docs, then the generated pages and crisisplan's assets, into
    work_dir/docs, and return that folder: the docs_dir of either engine."""
    docs = work_dir / "docs"
    user_docs = docs_dir_of(config_file)
    if user_docs.is_dir():
        # The repository of mkdocs.yml (or of the folder the build runs in): a
        # docs_dir pointing elsewhere is refused like a link out of it.
        boundary = boundary_for(config_file if config_file else Path.cwd())
        try:
            check_inside(user_docs, boundary)
        except UnsafeFile as exc:
            raise UnsafeDocsFile(
                Diagnostic.at(Location(str(user_docs)), exc.code, "the docs folder is outside the repository; crisisplan does not publish it", "keep docs_dir inside the repository")
            ) from None
        _copy_docs(user_docs, docs, boundary)
    # Generated pages win over a user page at the same path: the start page must be
    # the scenario chooser. Never silently: publishing_warnings tells the author.
    for relative, text in pages.files.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assets = resources.files("crisisplan").joinpath("assets")
    with resources.as_file(assets) as assets_path:
        shutil.copytree(assets_path, docs / ASSET_DIR, dirs_exist_ok=True)
    write_generated_script(docs / ASSET_DIR)
    return docs


def site_config(
    user: dict[str, Any],
    pages: Pages,
    docs: Path,
    site_dir: Path,
    config_file: Path | None,
    language: str,
    site_name: str,
    folders: bool,
) -> dict[str, Any]:
    """crisisplan's settings over the user's mkdocs.yml (user): the generated docs and
    nav, the plan's language, the assets, search and offline use from file://."""
    user_docs = docs_dir_of(config_file)
    try:
        ui_languages, search_languages = _material_languages()
        theme = dict(user.get("theme") or {"name": "material"}) if isinstance(user.get("theme"), dict) else {"name": "material"}
        ui_language = language if language in ui_languages else "en"
        if folders:
            # One edition per language: each is in its own language, whatever mkdocs.yml says.
            theme["language"] = ui_language
        else:
            theme.setdefault("language", ui_language)
        theme.setdefault("font", False)
        search_lang = [language] if language in search_languages else ["en"]

        nav: list[NavItem] = list(pages.nav)
        if user.get("nav"):
            nav.extend(user["nav"])
        else:
            generated = set(pages.files)
            nav.extend(p for p in _user_pages(user_docs) if p not in generated and p.lower() != "readme.md")

        extra = dict(user.get("extra") or {})
        # Listing the shim stops Material's offline plugin from adding its CDN copy.
        extra["polyfills"] = [SHIM, *[p for p in extra.get("polyfills", []) if "iframe-worker" not in p]]
        overrides: dict[str, Any] = {
            "docs_dir": str(docs),
            "site_dir": str(site_dir),
            "use_directory_urls": False,
            "nav": nav,
            "theme": theme,
            "plugins": _plugins(user, search_lang),
            "extra": extra,
            "extra_css": [*(user.get("extra_css") or []), f"{ASSET_DIR}/crisisplan.css", f"{ASSET_DIR}/incident.css"],
            # Plain scripts, loaded in this order on every page (scripts.py).
            "extra_javascript": [
                *(user.get("extra_javascript") or []),
                *(f"{ASSET_DIR}/{name}" for name in SCRIPTS),
            ],
            "site_name": user.get("site_name") or site_name,
        }
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # mkdocs.yml with a value of the wrong shape (nav: 5, extra_css: 5...).
        raise SiteBuildError(f"a setting in mkdocs.yml has the wrong shape: {exc}") from None
    return overrides


def add_part(built: Path, site_dir: Path, folders: Iterable[str]) -> None:
    """Move a part's plan folders (built on their own, in their language) into the
    site, and their pages into the site's search index: one search finds every
    plan, and the parts' pages load the site's assets, which are the same."""
    folders = list(folders)
    for folder in folders:
        target = site_dir / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(built / folder), str(target))
    merge_search_index(site_dir, built, folders)
    merge_sitemap(site_dir, built, folders)


_SITEMAP_URL = re.compile(r"[ \t]*<url>.*?</url>\n?", re.DOTALL)
_SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")


def merge_sitemap(site_dir: Path, built: Path, folders: Iterable[str]) -> None:
    """Add the pages in ``folders`` from built/sitemap.xml to the site's sitemap.xml
    (and its .gz, with the same time in its header): with site_url set, crawlers find
    every plan's pages as when all were built at once."""
    mine, theirs = site_dir / "sitemap.xml", built / "sitemap.xml"
    if not (mine.is_file() and theirs.is_file()):
        return
    text = mine.read_text(encoding="utf-8")
    known = set(_SITEMAP_LOC.findall(text))
    inside = tuple(f"/{folder}/" for folder in folders)
    added = []
    for url in _SITEMAP_URL.findall(theirs.read_text(encoding="utf-8")):
        loc = _SITEMAP_LOC.search(url)
        if loc and loc.group(1) not in known and any(part in loc.group(1) for part in inside):
            added.append(url if url.endswith("\n") else url + "\n")
    end = text.rfind("</urlset>")
    if not added or end < 0:
        return
    text = text[:end] + "".join(added) + text[end:]
    mine.write_text(text, encoding="utf-8")
    packed = site_dir / "sitemap.xml.gz"
    if packed.is_file():
        header = packed.read_bytes()[:8]
        stamp = int.from_bytes(header[4:8], "little") if len(header) == 8 else 0
        with packed.open("wb") as handle, gzip.GzipFile(fileobj=handle, filename=str(packed), mode="wb", mtime=stamp) as out:
            out.write(text.encode("utf-8"))


def build_site(
    pages: Pages,
    work_dir: Path,
    site_dir: Path,
    config_file: Path | None,
    language: str,
    site_name: str,
    folders: bool = False,
) -> list[str]:
    """Write the pages and assets into work_dir/docs and build the site into site_dir;
    the plans in another language (pages.parts) each in a build of their own, with
    the theme in their language, then added to it.

    Returns MkDocs' warnings. Raises SiteBuildError when MkDocs fails.
    """
    warnings = _build_one(pages.frame(), work_dir, site_dir, config_file, language, site_name, folders)
    for part in pages.parts:
        part_dir = work_dir / f"part-{part.language}"
        built = part_dir / "built"
        more = _build_one(pages.part(part), part_dir, built, config_file, part.language, part.name, True)
        warnings += [w for w in more if w not in warnings]
        add_part(built, site_dir, part.folders)
    return warnings


def _build_one(
    pages: Pages,
    work_dir: Path,
    site_dir: Path,
    config_file: Path | None,
    language: str,
    site_name: str,
    folders: bool,
) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    user = user_config(config_file)
    docs = write_docs(pages, work_dir, config_file)
    publishing = publishing_warnings(pages, config_file)
    overrides = site_config(user, pages, docs, site_dir, config_file, language, site_name, folders)
    errors: list[str] = []
    with _capture_mkdocs_log(errors) as warnings:
        try:
            if config_file is not None:
                config = load_config(config_file=str(config_file), **overrides)
            else:
                fallback = work_dir / "mkdocs.yml"
                fallback.write_text(DEFAULT_CONFIG, encoding="utf-8")
                config = load_config(config_file=str(fallback), **overrides)
            build(config)
        except (MkDocsException, OSError, ValueError, KeyError, TypeError) as exc:
            said = str(exc) or type(exc).__name__
            if errors:
                where = f" (in {config_file})" if config_file is not None else ""
                said = "; ".join(errors) + where
            raise SiteBuildError(said) from exc
    return [*publishing, *warnings]
