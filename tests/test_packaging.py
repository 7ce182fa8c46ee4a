"""What ships: every source file is in git, and the package finds its data when installed."""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

import pytest


def test_every_source_file_is_tracked_by_git(root: Path) -> None:
    # A too-broad .gitignore once hid src/crisisplan/site/ (it matched "site/").
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "src"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    ignored = [line for line in listed.stdout.splitlines() if "__pycache__" not in line and ".egg-info" not in line]
    assert ignored == []


def test_package_data_is_found_through_importlib_resources() -> None:
    package = resources.files("crisisplan")
    for name in (
        "schemas/plan.schema.json",
        "schemas/scenario.schema.json",
        "templates/fragments.html.j2",
        "templates/site/scenario.md.j2",
        "templates/pdf/runbook.html.j2",
        "templates/pdf/pdf.css",
        "assets/crisisplan.css",
        "assets/crisisplan.js",
        "assets/vendor/iframe-worker/shim.js",
        "assets/vendor/iframe-worker/LICENSE",
    ):
        assert package.joinpath(name).is_file(), name
