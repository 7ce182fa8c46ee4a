"""files.py on its own: new files are written only where asked, never through a link,
never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisplan.files import WriteRefused, linked_component, write_new


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
