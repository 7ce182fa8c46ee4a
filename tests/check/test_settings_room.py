"""room: in crisisplan.yaml: the team's incident room, an https address (http only
on this machine), or a problem at its line and column with what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisplan.check.settings import load_config, room_address
from tests.conftest import CASES, invoke


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "shop.yaml").write_bytes((CASES / "valid" / "minimal" / "plan.yaml").read_bytes())
    (tmp_path / "crisisplan.yaml").write_text(config, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("https://room.example.org", "https://room.example.org"),
        ("https://Room.Example.org:8443/", "https://room.example.org:8443"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost", "http://localhost"),
    ],
)
def test_a_room_address_reaches_the_settings(tmp_path: Path, written: str, kept: str) -> None:
    config = load_config(_project(tmp_path, f"room: {written}\n"))
    assert (config.problems, config.room) == ([], kept)


@pytest.mark.parametrize(
    "written",
    [
        "http://room.example.org",  # in clear over a network
        "ftp://room.example.org",
        "https://room.example.org/api",
        "https://room.example.org?x=1",
        "https://user:secret@room.example.org",
        "https://room.example.org:99999",
        "https://",
        "room.example.org",
        "javascript:alert(1)",
    ],
)
def test_an_address_no_phone_may_be_sent_to_is_refused(written: str) -> None:
    assert room_address(written) is None


def test_a_wrong_room_is_reported_where_it_is_with_what_to_write(tmp_path: Path) -> None:
    folder = _project(tmp_path, "plans: [plans]\nroom: http://room.example.org\n")
    code, out, err = invoke("check", cwd=folder)
    assert (code, err) == (1, "")
    assert out.startswith(
        "crisisplan.yaml:2:7: error CP105: room: 'http://room.example.org' is not an address the phones may use: "
        "https://host, or http:// on this machine\n"
        "  hint: write the room's address as the phones reach it, like room: https://room.example.org "
        "(http:// only for 127.0.0.1 or localhost)\n"
    )
    assert load_config(folder).room is None


def test_a_room_that_is_not_text_says_so(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, "room:\n  url: https://room.example.org\n"))
    assert config.room is None
    assert [(p.line, p.code, p.message) for p in config.problems] == [
        (2, "CP103", "room: must be the room's address, a text like https://room.example.org")
    ]


def test_no_room_is_none(tmp_path: Path) -> None:
    assert load_config(_project(tmp_path, "strict: true\n")).room is None
