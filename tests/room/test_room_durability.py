"""Nothing acknowledged is lost: the room killed with SIGKILL mid-incident and started
again on its database; and a bounded load of 50 phones with every event accounted for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.room.roomkit import ROOT, kill_9_loses_nothing


def test_kill_9_mid_incident_loses_nothing_acknowledged(tmp_path: Path) -> None:
    kill_9_loses_nothing(str(tmp_path / "room.sqlite3"))


def test_fifty_phones_for_a_few_seconds_lose_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "room_load.py"), "--phones", "50", "--seconds", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "lost: 0" in lines and "duplicates: 0" in lines
    events = int(lines[0].rsplit(" ", 1)[1])
    assert events >= 50, result.stdout  # each phone added at least one (a busy machine adds fewer)
