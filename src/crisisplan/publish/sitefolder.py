"""Where a built site may go, and how it replaces the previous one without losing anything.

`crisisplan build` runs in CI with write access to the repository, with options and
files that come from many hands. So:

* the docs folder is refused when it is, holds or sits in a plan folder, or holds a
  plan file (even through a link): MkDocs would publish the plan's YAML as it is;
* the site folder is refused, with nothing touched, when it is or holds the current
  folder, the repository, a plan, the MkDocs config or the docs folder, when it is a
  symbolic link, or when it holds files crisisplan did not write (unless --force,
  which still never allows the repository, a plan or the docs);
* a built site carries a marker file, so a later build knows the folder is its own;
* builds of one site folder take a lock; a second one waits, then gives up clearly;
* the new site replaces the old one in one atomic exchange where the system has one
  (Linux ``renameat2``, macOS ``renamex_np``), so at every instant the folder holds
  a complete site; elsewhere two renames, and the next build repairs an interrupted
  swap before anything else;
* scratch folders live in ``.crisisplan-build/`` beside the site (ignored by git
  through its own ``.gitignore``), and the next build removes any a killed build left;
* an engine's input kept between builds (``open_kept_input``, in ``.crisisplan-cache/``)
  is used only when the build that last used it finished and was made by the same
  software; any other is emptied first. The site is still built in scratch space and
  swapped in: a failed build leaves the published site as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import hashlib
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from crisisplan.errors import CrisisplanError
from crisisplan.files import repository_root, tracked_by_git
from crisisplan.plan.yamlfile import PLAN_FILE_NAMES

SITE_MARKER = ".crisisplan-site"
MARKER_TEXT = (
    "This folder is a runbook site written by `crisisplan build`.\n"
    "crisisplan replaces it as a whole on every build: do not keep other files here.\n"
)
WORK_DIR = ".crisisplan-build"
CACHE_DIR = ".crisisplan-cache"
SCRATCH_INFIX = ".scratch-"
READY = "ready"
LOCK_WAIT_SECONDS = 600.0
# Engine input kept between builds: CACHE_DIR/INPUT_DIR/<site folder's name>/<name>/.
INPUT_DIR = "site-input"
INPUT_MARKER = ".crisisplan-input"
_FINISHED = "finished"


class UnsafeSiteDir(CrisisplanError):
    """The site folder is somewhere a build must not replace; ``hint`` says what to do."""


class BuildLocked(CrisisplanError):
    """Another build of the same site folder did not finish in time."""


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def is_built_site(folder: Path) -> bool:
    """Whether a folder is a site crisisplan wrote: it has the marker, or it is a
    site of crisisplan 0.1 (which had none: its own assets and a start page)."""
    marker = folder / SITE_MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    legacy = folder / "assets" / "crisisplan" / "crisisplan.js"
    return (
        legacy.is_file()
        and (folder / "index.html").is_file()
        and not (folder / ".git").exists()
        and not any(folder.glob("*.yaml"))
        and not any(folder.glob("*.yml"))
    )


def guard_site_dir(
    site_dir: Path,
    *,
    plans: Sequence[Path],
    config_file: Path | None,
    docs_dir: Path | None,
    force: bool = False,
) -> None:
    """Refuse a site folder whose replacement could lose something; touch nothing."""
    try:
        _guard_site_dir(site_dir, plans=plans, config_file=config_file, docs_dir=docs_dir, force=force)
    except (OSError, RuntimeError) as exc:
        # A name too long for the file system, a loop of links on the way...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnsafeSiteDir(f"{site_dir} cannot be used as the site folder: {reason}", "give another --site-dir") from None


def _guard_site_dir(
    site_dir: Path,
    *,
    plans: Sequence[Path],
    config_file: Path | None,
    docs_dir: Path | None,
    force: bool,
) -> None:
    shown = str(site_dir)
    if site_dir.is_symlink():
        raise UnsafeSiteDir(
            f"{shown} is a symbolic link; crisisplan does not replace what a link points to",
            "remove the link, or publish to a real folder with --site-dir",
        )
    real = site_dir.resolve()
    cwd = Path.cwd().resolve()
    elsewhere = "publish to a folder of its own, like --site-dir site"
    if _within(cwd, real):
        raise UnsafeSiteDir(f"{shown} is the current folder or holds it; building there would replace it", elsewhere)
    roots = {root.resolve() for root in (repository_root(cwd), *(repository_root(p.absolute()) for p in plans)) if root}
    for root in sorted(roots):
        if _within(root, real):
            raise UnsafeSiteDir(f"{shown} is the repository {root} or holds it; building there would replace it", elsewhere)
    if (real / ".git").exists():
        raise UnsafeSiteDir(f"{shown} is a git repository; building there would replace it", elsewhere)
    if ".git" in real.parts:
        raise UnsafeSiteDir(f"{shown} is inside a repository's .git folder; building there would damage it", elsewhere)
    if {WORK_DIR, CACHE_DIR} & set(real.parts):
        raise UnsafeSiteDir(f"{shown} is crisisplan's own scratch or cache folder", elsewhere)
    protected: list[tuple[str, Path]] = [("the plans folder" if p.is_dir() else "the plan file", p) for p in plans]
    if config_file is not None:
        protected.append(("the MkDocs config", config_file))
    if docs_dir is not None:
        protected.append(("the docs folder", docs_dir))
    for what, path in protected:
        target = path.resolve()
        if target == real:
            raise UnsafeSiteDir(f"{shown} is {what}; building there would replace it", elsewhere)
        if _within(target, real):
            raise UnsafeSiteDir(f"{shown} holds {what} {path}; building there would replace it", elsewhere)
        if path.is_dir() and _within(real, target) and what != "the MkDocs config":
            raise UnsafeSiteDir(
                f"{shown} is inside {what} {path}; the site would be read back as part of it",
                elsewhere,
            )
    if not real.exists():
        return
    if not real.is_dir():
        raise UnsafeSiteDir(f"{shown} is a file, not a folder", "give the path of a folder for the site")
    if force or is_built_site(real) or not any(real.iterdir()):
        return
    examples = ", ".join(sorted(p.name for p in real.iterdir())[:3])
    raise UnsafeSiteDir(
        f"{shown} holds files crisisplan did not write ({examples}); a build replaces the whole folder",
        "publish to another folder with --site-dir, empty this one, or pass --force to replace it",
    )


class UnsafeDocsDir(CrisisplanError):
    """The docs folder would publish plan files as they are; ``hint`` says what to do."""


def guard_docs_dir(
    docs_dir: Path,
    *,
    folders: Sequence[Path],
    files: Sequence[Path],
    config_file: Path | None,
    setting: str = "docs_dir",
    boundary: Path | None = None,
) -> None:
    """Refuse a docs folder that is, holds or sits in a plan folder (``folders``: the
    plan folders and folders of plans the build reads), or holds one of the plan
    files it reads (``files``), itself or through a link; touch nothing.

    MkDocs and Zensical publish every file of the docs folder as it is: a plan's
    YAML (names, phone numbers) would be on the site, in the public edition too,
    and in the offline copy the service worker keeps. They publish the files of
    the theme's custom_dir too: ``setting`` "custom_dir" guards that folder, and
    with ``boundary`` (the repository) refuses it outside.
    """
    if not docs_dir.is_dir():
        return  # nothing is published from it
    try:
        _guard_docs_dir(docs_dir, folders, files, config_file, setting, boundary)
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnsafeDocsDir(f"the {_FOLDER[setting]} {docs_dir} cannot be used: {reason}", f"check {setting}: in mkdocs.yml") from None


_FOLDER = {"docs_dir": "docs folder", "custom_dir": "theme folder"}
_KEPT_APART = {"docs_dir": ("the team's own pages", "docs"), "custom_dir": ("theme overrides", "overrides")}


def _guard_docs_dir(
    docs_dir: Path,
    folders: Sequence[Path],
    files: Sequence[Path],
    config_file: Path | None,
    setting: str,
    boundary: Path | None,
) -> None:
    real = docs_dir.resolve()
    where = f"{setting}: in {config_file}" if config_file else f"a mkdocs.yml with {setting}:"
    kind = _FOLDER[setting]
    if boundary is not None and not _within(real, boundary):
        raise UnsafeDocsDir(
            f"the {kind} {docs_dir} is outside the repository; crisisplan does not publish it",
            f"keep the folder that {where} names inside the repository",
        )
    what_and_example = _KEPT_APART[setting]
    hint = f"keep {what_and_example[0]} in a folder apart from the plans, set by {where}, like {setting}: {what_and_example[1]}"
    published = "the site would publish the plan files as they are, names and phone numbers included, in the public edition too"
    # The closest relation first: the plan folder itself, then the outermost one it
    # holds, then the innermost one it sits in.
    outermost_first = sorted({folder.resolve(): folder for folder in folders}.items(), key=lambda f: len(f[0].parts))
    relations: list[tuple[str, Callable[[Path], bool], list[tuple[Path, Path]]]] = [
        ("is", lambda target: target == real, outermost_first),
        ("holds", lambda target: _within(target, real), outermost_first),
        ("is inside", lambda target: _within(real, target), outermost_first[::-1]),
    ]
    for relation, holds, ordered in relations:
        for target, folder in ordered:
            if holds(target):
                what = "a plan folder" if _is_plan_folder(target) else "the plans folder"
                named = "" if str(folder) == str(docs_dir) else f" {folder}"
                raise UnsafeDocsDir(f"the {kind} {docs_dir} {relation} {what}{named}: {published}", hint)
    plan_files = {file.resolve(): file for file in files}
    for file, shown in plan_files.items():
        if _within(file, real):
            raise UnsafeDocsDir(f"the {kind} {docs_dir} holds the plan file {shown}: {published}", hint)
    # A link in the docs to a plan file publishes it just the same. (Links to folders
    # are refused as the docs are copied, CP015.)
    for here, _, names in os.walk(docs_dir, followlinks=False):
        for name in names:
            path = Path(here) / name
            linked = path.resolve() if path.is_symlink() else None
            if linked in plan_files:
                raise UnsafeDocsDir(
                    f"{path} in the {kind} is a link to the plan file {plan_files[linked]}: {published}",
                    "remove the link: the plan's pages are generated from it",
                )


def _is_plan_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PLAN_FILE_NAMES)


# --- the work folder, the lock and the swap ----------------------------------------


def work_dir_for(site_dir: Path) -> Path:
    """``.crisisplan-build/`` beside the site: scratch space on the same file system."""
    work = site_dir.parent / WORK_DIR
    if work.is_symlink():
        raise UnsafeSiteDir(
            f"{work} is a symbolic link; crisisplan keeps its scratch space in a real folder",
            f"remove the link {work}",
        )
    work.mkdir(parents=True, exist_ok=True)
    ignore = work / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():
        # Ignored by git wherever it is, without editing the project's .gitignore.
        ignore.write_text("# Scratch space of crisisplan build; safe to delete.\n*\n", encoding="utf-8")
    return work


@contextmanager
def site_lock(
    site_dir: Path,
    wait: Callable[[], None] | None = None,
    timeout: float = LOCK_WAIT_SECONDS,
) -> Iterator[Path]:
    """Hold the lock on one site folder; yields the work folder. ``wait`` is called
    once if another build holds it, so the caller can say why nothing happens."""
    work = work_dir_for(site_dir)
    lock_path = work / f"{site_dir.name}.lock"
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(lock_path, flags, 0o644)
    try:
        _acquire(fd, wait, timeout, site_dir)
        yield work
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, wait: Callable[[], None] | None, timeout: float, site_dir: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: builds there are not serialised
        return
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not told and wait is not None:
                wait()
                told = True
            if time.monotonic() > deadline:
                raise BuildLocked(
                    f"another crisisplan build is still writing {site_dir}/ after {timeout:.0f}s"
                ) from None
            time.sleep(0.2)


def new_scratch(work: Path, site_dir: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{site_dir.name}{SCRATCH_INFIX}", dir=work))


def recover(work: Path, site_dir: Path) -> None:
    """Repair what a killed build left (call with the lock held).

    Where the swap is two renames, a kill between them leaves no site: put back
    the new one if it was complete, else the previous one. Then remove every
    scratch folder of this site: no other build of it is running.
    """
    # The work folder is crisisplan's own; the infix keeps other sites' scratch apart.
    pattern = glob.escape(f"{site_dir.name}{SCRATCH_INFIX}") + "*"
    scratches = [p for p in work.glob(pattern) if p.is_dir() and not p.is_symlink()]
    if not site_dir.exists() and not site_dir.is_symlink() and not tracked_by_git(work):
        for scratch in sorted(scratches, key=lambda p: p.stat().st_mtime, reverse=True):
            for candidate in ((scratch / "site") if (scratch / READY).exists() else None, scratch / "previous-site"):
                if candidate is not None and candidate.is_dir() and is_built_site(candidate):
                    os.replace(candidate, site_dir)
                    break
            if site_dir.exists():
                break
    for scratch in scratches:
        shutil.rmtree(scratch, ignore_errors=True)


def open_kept_input(site_dir: Path, name: str, stamp: str) -> Path | None:
    """The folder an engine builds ``name`` of site_dir in, kept between builds (call
    with the site's lock held, once the cache folder is known to be usable, see
    pdf.cache.unusable; then ``finish_kept_input`` once the engine is done), or None
    when it cannot be made: the build then runs in scratch space as ever.

    Its marker says what made it (``stamp``), that the build using it finished, and
    the digest of every file it then held. Without all three holding (a killed or
    failed build, another version, a file changed or added since, a folder crisisplan
    did not make) it is emptied first and nothing in it is trusted: Zensical takes
    what its cache holds as it is (noise there puts files of its own into the site).
    """
    folder = site_dir.parent / CACHE_DIR / INPUT_DIR / site_dir.name / name
    marker = folder / INPUT_MARKER
    try:
        for part in (folder.parent.parent, folder.parent, folder):
            if part.is_symlink() or (part.exists() and not part.is_dir()):
                part.unlink()
        try:
            trusted = not marker.is_symlink() and marker.read_text(encoding="utf-8") == _finished(stamp, folder)
        except (OSError, UnicodeDecodeError):
            trusted = False
        if not trusted:
            shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder.parent.parent.parent / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():
            ignore.write_text("# Kept by crisisplan build; safe to delete.\n*\n", encoding="utf-8")
        # Until the build finishes, a later one must not trust the folder.
        marker.write_text(f"{stamp}\nbuilding\n", encoding="utf-8")
    except OSError:
        return None
    return folder


def finish_kept_input(folder: Path, stamp: str) -> None:
    """Say that the build using the kept folder finished, and what it holds."""
    # If it cannot be said, the next build does not trust the folder and starts afresh.
    with suppress(OSError):
        (folder / INPUT_MARKER).write_text(_finished(stamp, folder), encoding="utf-8")


def _finished(stamp: str, folder: Path) -> str:
    return f"{stamp}\n{_FINISHED}\n{_digest(folder)}\n"


def _digest(folder: Path) -> str:
    """One digest of every file and link under folder (but the marker), by path and
    content; anything else (a pipe, a device) by its path and kind only."""
    total = hashlib.blake2b(digest_size=32)
    for here, dirs, files in os.walk(folder):
        dirs.sort()
        relative = Path(here).relative_to(folder).as_posix()
        for name in sorted(files) + [f"{d}/" for d in dirs if os.path.islink(os.path.join(here, d))]:
            if relative == "." and name == INPUT_MARKER:
                continue
            path = os.path.join(here, name.rstrip("/"))
            total.update(f"{relative}/{name}\0".encode("utf-8", "surrogateescape"))
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                total.update(b"link\0" + os.fsencode(os.readlink(path)))
            elif not stat.S_ISREG(mode):
                # Never opened: reading a pipe would wait for ever.
                total.update(b"special\0")
            else:
                with open(path, "rb") as handle:
                    total.update(hashlib.file_digest(handle, "blake2b").digest())
    return total.hexdigest()


def mark_site(folder: Path) -> None:
    (folder / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def swap_in(new: Path, site_dir: Path, scratch: Path) -> None:
    """Make ``new`` the site. Afterwards the previous site, if any, is in scratch."""
    if not (new / "index.html").is_file() or not (new / SITE_MARKER).is_file():
        # Another process removed part of the scratch folder: never publish half a site.
        raise OSError(f"the new site in {new} is incomplete")
    (scratch / READY).write_text("", encoding="utf-8")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    if not site_dir.exists():
        os.replace(new, site_dir)
        return
    if _exchange(new, site_dir):
        return
    old = scratch / "previous-site"
    os.replace(site_dir, old)
    try:
        os.replace(new, site_dir)
    except BaseException:
        if old.exists() and not site_dir.exists():
            os.replace(old, site_dir)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
    except OSError:
        return False
    src, dst = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(at_fdcwd, src, at_fdcwd, dst, rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        result = libc.renamex_np(src, dst, rename_swap)
    else:
        return False
    # Unsupported by this file system (EINVAL) or kernel (ENOSYS): fall back.
    return bool(result == 0)
