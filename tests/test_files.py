"""files.py on its own: new files are written only where asked, never through a link,
never over a file; crisisplan's own folders are trusted only when git vouches for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisplan.files import (
    WriteRefused,
    git_tracking_doubt,
    linked_component,
    tracked_by_git,
    write_new,
)
from tests.gitrepo import DUBIOUS, commit_all, git, init_repo, isolate_git, make_dubious


def test_a_new_file_is_written_with_its_folders(tmp_path: Path) -> None:
    (tmp_path / "plan").mkdir()
    target = tmp_path / "plan" / "reviews" / "2026-11-20-outage.yaml"
    write_new(target, b"review", within=tmp_path / "plan")
    assert target.read_bytes() == b"review"


def test_an_existing_file_is_never_written_over(tmp_path: Path) -> None:
    target = tmp_path / "review.yaml"
    target.write_bytes(b"mine")
    with pytest.raises(WriteRefused, match="already there"):
        write_new(target, b"theirs")
    assert target.read_bytes() == b"mine"


def test_a_link_as_the_file_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"secret")
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "review.yaml").symlink_to(secret)
    with pytest.raises(WriteRefused, match="symbolic link"):
        write_new(tmp_path / "plan" / "review.yaml", b"x", within=tmp_path / "plan")
    assert secret.read_bytes() == b"secret"


def test_a_folder_on_the_way_that_is_a_link_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "reviews").symlink_to(outside, target_is_directory=True)
    assert linked_component(plan / "reviews" / "r.yaml", plan) == plan / "reviews"
    with pytest.raises(WriteRefused, match="symbolic link"):
        write_new(plan / "reviews" / "r.yaml", b"x", within=plan)
    assert list(outside.iterdir()) == []


def test_a_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    with pytest.raises(WriteRefused, match="outside"):
        write_new(plan / ".." / "escaped.yaml", b"x", within=plan)
    assert not (tmp_path / "escaped.yaml").exists()


def test_a_folder_name_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="names a folder"):
        write_new(tmp_path / "..", b"x")
    with pytest.raises(WriteRefused, match=r"already there \(a folder\)"):
        write_new(tmp_path / ".", b"x")


# --- git_tracking_doubt: crisisplan's own folders are trusted only if git says so ---


def _scratch(repo: Path) -> Path:
    folder = repo / ".crisisplan-cache"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "entry.pdf").write_bytes(b"%PDF-1.4 forged")
    return folder


def test_a_folder_git_does_not_track_is_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    folder = _scratch(repo)
    commit_all(repo)  # the cache's own .gitignore is not there: git sees it, but it is not committed
    git(repo, "rm", "-r", "-q", "--cached", ".crisisplan-cache")
    git(repo, "commit", "-q", "-m", "untrack")
    assert git_tracking_doubt(folder) is None
    assert not tracked_by_git(folder)
    # Outside any repository there is no one to ask: nothing is tracked.
    lone = tmp_path / "lone"
    lone.mkdir()
    assert git_tracking_doubt(lone / ".crisisplan-cache") is None


def test_a_committed_folder_is_said_to_be_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo [1]*")  # pathspec magic in the name is taken literally
    folder = _scratch(repo)
    commit_all(repo)
    assert git_tracking_doubt(folder) == f"{folder} is committed to git"
    assert tracked_by_git(folder)


@pytest.mark.parametrize("how", DUBIOUS)
def test_when_git_refuses_the_repository_the_folder_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    folder = _scratch(repo)
    commit_all(repo)
    make_dubious(repo, how, monkeypatch)
    doubt = git_tracking_doubt(folder)
    # It used to be "not tracked" on any git error: forged PDFs were published.
    assert doubt is not None and tracked_by_git(folder)
    assert doubt.startswith(f"git could not tell whether {folder} is committed: detected dubious ownership")
    assert f"(git suggests: git config --global --add safe.directory {repo})" in doubt


def test_without_git_a_repository_cannot_vouch_for_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    repo = init_repo(tmp_path / "repo")
    folder = _scratch(repo)
    no_git = tmp_path / "no-git"
    no_git.mkdir()
    monkeypatch.setenv("PATH", str(no_git))
    assert git_tracking_doubt(folder) == (
        f"{repo} is a git repository, but git is not installed, so crisisplan cannot tell whether {folder} is committed"
    )


def test_a_dot_git_that_git_says_is_no_repository_tracks_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # git's answer is read in English whatever the locale
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)  # an empty .git: "not a git repository"
    assert git_tracking_doubt(_scratch(project)) is None


def test_a_plan_beside_the_repository_named_with_dots_is_not_taken_for_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Paths on the command line are free: ../other/plan.yaml, named from inside a
    # repository, was refused as "a link to a file outside the repository".
    from tests.conftest import CASES, invoke

    init_repo(tmp_path / "repo")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "plan.yaml").write_bytes((CASES / "valid" / "minimal" / "plan.yaml").read_bytes())
    assert invoke("check", "../other/plan.yaml", cwd=tmp_path / "repo") == (0, "1 plan checked: no problems\n", "")
