"""The linters pyproject.toml configures run in CI too, so main stays clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff(root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests"], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy(root: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
