"""Which files are the plan's, and how crisisplan reads and writes single files.

Plans arrive through pull requests from many hands and are built in CI with write
access to the repository, so a file in a plan may be a symbolic link or a special
file put there on purpose. The rules:

* a plan, scenario, review or docs file is read only if it is a regular file whose
  real location is inside the plan's repository (its git work tree; without git,
  the folder the command runs in, or the plan's own folder): a link to
  ``/proc/self/status`` or to a secrets folder is refused before a byte is read;
* reads are bounded by the size cap whatever ``stat`` says (procfs reports 0);
* a device, pipe or socket is never opened for reading in a way that could block;
* a file crisisplan writes is new: never written through a symbolic link, never
  over an existing file, never outside the folder it belongs in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

from crisisplan.errors import CrisisplanError


class UnsafeFile(CrisisplanError):
    """A path crisisplan refuses to read or write; ``code`` is the diagnostic code."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message, hint)
        self.code = code


class WriteRefused(CrisisplanError):
    """crisisplan will not write there; ``hint`` says what to do instead."""


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``.git`` (a folder or a file).

    '..' is taken as written: ../other/plan.yaml named from inside a repository is
    in the folder beside it, not in this repository."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def boundary_for(path: Path) -> Path:
    """The folder a plan's files must really live in: its repository.

    Without git, the current folder if the plan is inside it, else the plan's own
    folder. Returned resolved, so it compares with resolved targets.
    """
    absolute = path.absolute()
    # The folder holding the plan, without following a link the plan itself may be.
    folder = absolute if absolute.is_dir() and not absolute.is_symlink() else absolute.parent
    root = repository_root(folder)
    if root is not None:
        return root.resolve()
    cwd = Path.cwd().resolve()
    real = folder.resolve()
    if real == cwd or real.is_relative_to(cwd):
        return cwd
    return real


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def special_file(path: Path) -> UnsafeFile:
    try:
        kind = _kind(path.stat().st_mode)
    except OSError:
        kind = "not a regular file"
    return UnsafeFile(
        "CP014",
        f"this is {kind}, not a file crisisplan can read",
        "give the path of a .yaml file, or of a folder of plans",
    )


def check_inside(path: Path, boundary: Path | None) -> None:
    """Refuse a path whose real location (links followed) is outside ``boundary``."""
    if boundary is None:
        return
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise UnsafeFile(
                "CP011",
                f"this is a link to '{os.readlink(path)}', which does not exist",
                "remove the link, or replace it with the file itself",
            ) from None
        raise
    except RuntimeError:  # a loop of links
        raise UnsafeFile("CP011", "this link leads round in a loop", "replace the link with the file itself") from None
    if real == boundary or real.is_relative_to(boundary):
        if ".git" in real.relative_to(boundary).parts:
            # Inside the repository, but git's own store: its config can hold CI's token.
            raise UnsafeFile(
                "CP015",
                "this is a link into the repository's .git folder; crisisplan does not read it",
                "replace the link with the file itself",
            )
        return
    raise UnsafeFile(
        "CP015",
        "this is a link to a file outside the repository; crisisplan does not read it",
        "replace the link with the file itself (plans are read only from inside their repository)",
    )


def read_bounded(path: Path, limit: int, boundary: Path | None = None) -> bytes:
    """The bytes of a regular file inside ``boundary``; raises UnsafeFile or OSError.

    Returns at most ``limit + 1`` bytes, so a caller can tell a file over the limit
    even where the file system reports a size of 0.
    """
    check_inside(path, boundary)
    # Refused before opening: a socket cannot be opened at all (ENXIO, which would read
    # as "cannot read the file"), and a device might do something when opened.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise special_file(path)
    # O_NONBLOCK: opening a pipe for reading would otherwise wait for a writer forever
    # (it may have replaced the file since the check above).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise special_file(path)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def linked_component(target: Path, within: Path) -> Path | None:
    """The first folder between ``within`` and ``target`` that is a symbolic link, if any."""
    try:
        relative = target.absolute().relative_to(within.absolute())
    except ValueError:
        return None
    current = within.absolute()
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            return current
    return None


def write_new(target: Path, data: bytes, within: Path | None = None) -> None:
    """Write a new file; never through a link, never over a file, never outside ``within``.

    Raises WriteRefused for a refusal a person can act on, OSError for the rest (a
    full disk, a read-only folder), after removing any partial file.
    """
    if target.name in ("", ".", ".."):
        raise WriteRefused(f"'{target}' names a folder, not a file", "give a file name, like drill.pdf")
    if within is not None:
        link = linked_component(target, within)
        if link is not None:
            raise WriteRefused(
                f"{link} is a symbolic link; crisisplan does not write through links",
                "replace the link with a real folder",
            )
        real_within = within.resolve()
        real_parent = target.parent.resolve()
        if not (real_parent == real_within or real_parent.is_relative_to(real_within)):
            raise WriteRefused(
                f"{target} is outside {within}",
                "crisisplan writes only inside the plan's own folder",
            )
    if target.is_symlink():
        raise WriteRefused(
            f"{target} is a symbolic link; crisisplan does not write through links",
            "remove the link, or choose another file name",
        )
    if target.exists():
        kind = "a folder" if target.is_dir() else "a file"
        raise WriteRefused(
            f"{target} is already there ({kind}); crisisplan never writes over a file",
            "choose another name, or move the existing one away first",
        )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if within is not None and os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY"):
        # Folder by folder from within, each opened without following a link, so a
        # folder swapped for a link between the checks above and the write cannot
        # lead the file elsewhere.
        parent = _open_folders(within, target)
        try:
            file_fd = _create(target, lambda: os.open(target.name, flags, 0o644, dir_fd=parent))
            _fill(file_fd, data, lambda: os.unlink(target.name, dir_fd=parent))
        finally:
            os.close(parent)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    file_fd = _create(target, lambda: os.open(target, flags, 0o644))
    _fill(file_fd, data, lambda: target.unlink(missing_ok=True))


def _open_folders(within: Path, target: Path) -> int:
    """A handle on target's folder, reached from ``within`` without following links;
    missing folders are made on the way."""
    no_links = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(within.resolve(), no_links)
    try:
        for part in target.absolute().relative_to(within.absolute()).parts[:-1]:
            if part in ("", ".", ".."):
                raise WriteRefused(f"{target} is outside {within}", "crisisplan writes only inside the plan's own folder")
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=fd)
            try:
                child = os.open(part, no_links, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise WriteRefused(
                        f"a folder on the way to {target} is a symbolic link; crisisplan does not write through links",
                        "replace the link with a real folder",
                    ) from None
                raise
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _create(target: Path, opener: Callable[[], int]) -> int:
    try:
        return opener()
    except FileExistsError:
        raise WriteRefused(
            f"{target} appeared while writing; crisisplan never writes over a file",
            "run the command again",
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WriteRefused(f"{target} is a symbolic link; crisisplan does not write through links", "choose another file name") from None
        raise


def _fill(fd: int, data: bytes, remove: Callable[[], None]) -> None:
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        remove()
        raise
    os.close(fd)


# Long enough for a cold disk and a large index; a git that hangs must not hold CI.
GIT_TIMEOUT_SECONDS = 30


def git_tracking_doubt(path: Path) -> str | None:
    """Why ``path`` cannot be taken for one of crisisplan's own scratch or cache folders,
    which git never tracks: None when git answers that it tracks nothing at or under it
    (or there is no repository); else a sentence, "...is committed to git" or why git
    could not answer.

    Fails closed: a cache committed in a pull request can hold forged PDFs, and git
    refuses to answer in common CI set-ups (a checkout owned by another user is
    "dubious ownership"), so no answer is never taken for "not tracked".
    """
    root = repository_root(path.parent)
    if root is None:
        return None
    git = shutil.which("git")
    if git is None:
        return f"{root} is a git repository, but git is not installed, so crisisplan cannot tell whether {path} is committed"
    relative = path.absolute().relative_to(root.absolute())
    # English messages, so that "not a git repository" can be told from other errors.
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
    command = [git, "--literal-pathspecs", "-C", str(root), "ls-files", "-z", "--", str(relative)]
    try:
        listed = subprocess.run(  # noqa: S603  (a fixed command; the path is ours)
            command, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False, env=env, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return f"git did not answer within {GIT_TIMEOUT_SECONDS}s whether {path} is committed"
    except (OSError, subprocess.SubprocessError) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        return f"git could not be run to tell whether {path} is committed ({reason})"
    if listed.returncode == 0:
        return f"{path} is committed to git" if listed.stdout.strip(b"\0") else None
    said = listed.stderr.decode("utf-8", "replace")
    if "not a git repository" in said:
        return None  # git's own answer: nothing here is tracked
    return f"git could not tell whether {path} is committed: {_git_error(said, listed.returncode)}"


def _git_error(said: str, code: int) -> str:
    """git's error in one line, with the command it suggests (safe.directory) if any."""
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    if not lines:
        return f"git ls-files ended with status {code}"
    first = lines[0].removeprefix("fatal: ").removeprefix("error: ")
    suggested = next((line for line in lines[1:] if line.startswith("git ")), None)
    return f"{first} (git suggests: {suggested})" if suggested else first


def tracked_by_git(path: Path) -> bool:
    """Whether git tracks anything at or under ``path``, or cannot say (see
    git_tracking_doubt): crisisplan's scratch and cache folders never are tracked, so
    tracked ones were planted (in a pull request, say)."""
    return git_tracking_doubt(path) is not None


def describe_os_error(exc: OSError) -> str:
    """An OSError in words, without Python's repr: 'No space left on device'."""
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long for the file system"
    return exc.strerror or str(exc)
