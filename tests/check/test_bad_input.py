"""Bad input never produces a traceback: each becomes a diagnostic naming the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crisisplan.check.pipeline import check_paths
from crisisplan.plan.yamlfile import MAX_FILE_BYTES, LoadError, load_file
from tests.conftest import CASES

# Cases where the file itself cannot be read as a plan (loader errors CP001-CP012).
LOADER_CASES = sorted(
    p
    for p in (CASES / "invalid").iterdir()
    if p.name.startswith(("cp00", "cp01"))
    and " error CP0" in (p / "expected.txt").read_text()
    and (p / "expected.txt").read_text().startswith("plan.yaml:")
)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crisisplan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("case", LOADER_CASES, ids=[p.name for p in LOADER_CASES])
def test_bad_file_exits_1_naming_the_file_without_traceback(case: Path) -> None:
    result = run_cli("check", "plan.yaml", cwd=case)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("plan.yaml:")


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("plan:\n" + "  # padding\n" * (MAX_FILE_BYTES // 10))
    result = run_cli("check", "big.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("big.yaml:1:1: error CP007: the file is")
    assert "Traceback" not in result.stderr


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("plans:1:1: error CP012: no plans in this folder")


def test_missing_path(tmp_path: Path) -> None:
    result = run_cli("check", "gone/plan.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "gone/plan.yaml:1:1: error CP011: no such file or folder" in result.stdout
    assert "Traceback" not in result.stderr


def test_top_level_scalar(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("just some words\n")
    result = run_cli("check", "plan.yaml", cwd=tmp_path)
    assert result.stdout.startswith("plan.yaml:1:1: error CP010: the file holds a single value")


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    source = (CASES / "valid" / "minimal" / "plan.yaml").read_text("utf-8")
    (tmp_path / "plan.yaml").write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    report = check_paths([tmp_path / "plan.yaml"])
    assert report.diagnostics == []


def test_alias_bomb_is_refused_by_the_loader_before_validation() -> None:
    # Refused while counting aliases as if expanded: jsonschema never walks it.
    with pytest.raises(LoadError) as refused:
        load_file(CASES / "invalid" / "cp005-alias-bomb" / "plan.yaml")
    assert refused.value.diagnostic.code == "CP005"


def test_yaml_11_surprises_stay_text(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("a: no\nb: on\nc: 2026-01-31\nd: 15:00\ne: 0o17\n")
    data = load_file(tmp_path / "p.yaml").data
    assert data == {"a": "no", "b": "on", "c": "2026-01-31", "d": "15:00", "e": 15}


def test_every_problem_in_every_file_in_one_run(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("plan: [\n")
    (tmp_path / "c.yaml").write_text("")
    report = check_paths([tmp_path])
    assert [(Path(d.path).name, d.code) for d in report.diagnostics] == [
        ("a.yaml", "CP001"),
        ("b.yaml", "CP001"),
        ("c.yaml", "CP009"),
    ]
