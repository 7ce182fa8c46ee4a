"""Shared fixtures. Checks that depend on today's date see a fixed day, so results
do not change as the calendar moves on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TODAY = "2026-11-22"
ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"

# Set before anything runs so subprocesses (the CLI run for real) see it too.
os.environ["CRISISPLAN_TODAY"] = TODAY


@pytest.fixture
def root() -> Path:
    return ROOT
