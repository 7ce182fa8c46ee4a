"""publish/sitefolder.py on its own: the lock, the swap, and recovery after a kill."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from crisisplan.publish.sitefolder import (
    READY,
    SITE_MARKER,
    BuildLocked,
    mark_site,
    new_scratch,
    recover,
    site_lock,
    swap_in,
)


def a_site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    mark_site(folder)
    return folder


def test_swap_in_replaces_the_site_and_keeps_the_previous_one_aside(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    with site_lock(site) as work:
        scratch = new_scratch(work, site)
        swap_in(a_site(scratch / "site", "new"), site, scratch)
        assert (site / "index.html").read_text() == "new"
        assert (scratch / READY).exists()
        # The previous site is now in the scratch folder, whichever way it was swapped.
        previous = [p for p in scratch.rglob("index.html") if p.read_text() == "old"]
        assert len(previous) == 1


def test_swap_in_into_a_missing_site_folder(tmp_path: Path) -> None:
    site = tmp_path / "public" / "site"
    with site_lock(site) as work:
        scratch = new_scratch(work, site)
        swap_in(a_site(scratch / "site", "first"), site, scratch)
    assert (site / "index.html").read_text() == "first" and (site / SITE_MARKER).is_file()


@pytest.mark.parametrize("missing", ["index.html", SITE_MARKER])
def test_half_a_site_is_never_swapped_in(tmp_path: Path, missing: str) -> None:
    site = a_site(tmp_path / "site", "old")
    with site_lock(site) as work:
        scratch = new_scratch(work, site)
        new = a_site(scratch / "site", "new")
        (new / missing).unlink()
        with pytest.raises(OSError, match="incomplete"):
            swap_in(new, site, scratch)
    assert (site / "index.html").read_text() == "old"


def test_recover_puts_back_a_complete_new_site_left_between_two_renames(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    with site_lock(site) as work:
        scratch = new_scratch(work, site)
        a_site(scratch / "site", "new")
        (scratch / READY).write_text("")
        # Killed after moving the old site aside, before moving the new one in.
        os.replace(site, scratch / "previous-site")
        recover(work, site)
        assert (site / "index.html").read_text() == "new"
        assert not scratch.exists()


def test_recover_puts_back_the_previous_site_when_the_new_one_was_not_ready(tmp_path: Path) -> None:
    site = a_site(tmp_path / "site", "old")
    with site_lock(site) as work:
        scratch = new_scratch(work, site)
        a_site(scratch / "site", "half")  # no READY mark: the build had not finished
        os.replace(site, scratch / "previous-site")
        recover(work, site)
        assert (site / "index.html").read_text() == "old"


def test_a_second_build_waits_for_the_lock_and_is_told_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    told: list[str] = []
    order: list[str] = []
    with site_lock(site):
        def second() -> None:
            with site_lock(site, wait=lambda: told.append("waiting")):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        order.append("first")
    thread.join(timeout=30)
    assert order == ["first", "second"] and told == ["waiting"]


def test_a_lock_held_too_long_is_an_error_that_names_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with site_lock(site):
        failed: list[BaseException] = []

        def second() -> None:
            try:
                with site_lock(site, timeout=0.3):
                    pass
            except BuildLocked as exc:
                failed.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=30)
    assert len(failed) == 1 and f"still writing {site}/" in str(failed[0])
