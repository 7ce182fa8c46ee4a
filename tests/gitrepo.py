"""A real git repository for tests, and the real ways git refuses to answer in one.

CI containers often check a repository out as one user and run the build as
another: git then stops with "detected dubious ownership". The tests make that
happen for real, by giving the repository to another user (as root) or by git's
own switch for it (GIT_TEST_ASSUME_DIFFERENT_OWNER, which git's test suite uses),
with the developer's and the system's git settings left out, so that a
``safe.directory = *`` of theirs cannot hide the error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

# The two real ways to make git refuse the repository.
DUBIOUS = ["owned by another user", "git assumes another owner"]
OTHER_UID = 4242


def isolate_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global or system git settings for this test (and its subprocesses)."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", raising=False)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    return repo


def commit_all(repo: Path, *forced: str) -> None:
    """Commit everything, and the ``forced`` paths even where a .gitignore says no."""
    git(repo, "add", "-A")
    if forced:
        git(repo, "add", "-f", *forced)
    git(repo, "commit", "-q", "-m", "commit")


def make_dubious(repo: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make git refuse the repository with "detected dubious ownership"."""
    if how == "owned by another user":
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("only root can give the repository to another user")
        # git checks the owner of the work tree's top folder (and of .git).
        os.chown(repo, OTHER_UID, OTHER_UID)
    else:
        monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    refused = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "dubious ownership" in refused.stderr, refused.stderr
