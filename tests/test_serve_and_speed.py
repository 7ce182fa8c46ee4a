"""`crisisplan serve` rebuilds on change; the check path stays light."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from crisisplan.build import BuildOptions
from crisisplan.serve import rebuilds, snapshot, start_server
from tests.conftest import CASES, ROOT


def test_check_never_imports_mkdocs_or_weasyprint() -> None:
    code = (
        "import sys\n"
        "from crisisplan.cli import main\n"
        "sys.argv = ['crisisplan', 'check', 'plans']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'weasyprint'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_serve_rebuilds_when_a_plan_changes_and_serves_the_preview(tmp_path: Path) -> None:
    shutil.copytree(CASES / "valid" / "minimal", tmp_path / "plans")
    plan_file = tmp_path / "plans" / "plan.yaml"
    site = tmp_path / "preview"
    options = BuildOptions(paths=[tmp_path / "plans"], site_dir=site, config_file=ROOT / "mkdocs.yml", pdf=False)

    def edit() -> None:
        plan_file.write_text(plan_file.read_text().replace("Service outage", "Checkout down"))
        # Move the modification time on even where the file system's clock is coarse.
        stamp = plan_file.stat().st_mtime + 5
        os.utime(plan_file, (stamp, stamp))

    edits = iter([lambda: None, edit])  # first poll: nothing changed, so no rebuild

    def sleep(_: float) -> None:
        next(edits)()

    results = rebuilds(options, [], interval=0, sleep=sleep)
    first = next(results)
    assert first.built
    assert "Service outage" in (site / "plans" / "scenarios" / "outage.html").read_text()
    second = next(results)
    assert second.built
    assert "Checkout down" in (site / "plans" / "scenarios" / "outage.html").read_text()

    server = start_server(site, "127.0.0.1", 0)
    try:
        port = server.server_address[1]

        def get(path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                assert response.headers["Cache-Control"] == "no-store"
                return str(response.read().decode())

        served = get("/plans/scenarios/outage.html")
        assert "Checkout down" in served
        # The reload script is added as the page is served, never into the built file.
        assert "var shown = 0;" in served and "/.crisisplan-preview/build" in served
        assert "crisisplan-preview" not in (site / "plans" / "scenarios" / "outage.html").read_text()
        assert "var shown = 0;" in get("/")
        assert get("/.crisisplan-preview/build") == "0"
        server.built()
        assert get("/.crisisplan-preview/build") == "1"
        assert "var shown = 1;" in get("/plans/scenarios/outage.html")
    finally:
        server.shutdown()
        server.server_close()


def test_snapshot_sees_plan_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1")
    (tmp_path / "notes.txt").write_text("ignored")
    assert list(snapshot([tmp_path], [])) == [tmp_path / "a.yaml"]
