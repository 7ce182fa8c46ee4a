"""Post-crisis reviews: written by `crisisplan review`, validated, shown on the site."""

from __future__ import annotations

import shutil
from pathlib import Path

from crisisplan.build import BuildOptions, build
from crisisplan.checker import check_paths
from tests.conftest import CASES, ROOT, invoke


def run(cwd: Path, *args: str) -> tuple[int, str, str]:
    return invoke(*args, cwd=cwd)


def test_review_file_is_written_beside_its_plan_and_passes_check(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, out, _ = run(tmp_path, "review", "hacked-account", "--date", "2026-11-20")
    assert code == 0
    written = tmp_path / "plans" / "brightbrew" / "reviews" / "2026-11-20-hacked-account.yaml"
    assert out == f"Wrote {written.relative_to(tmp_path)}: fill it in, then run 'crisisplan check'.\n"
    text = written.read_text()
    assert "scenario: hacked-account" in text and "status: draft" in text
    assert '  - question: "How did the attacker get in, and is that door now closed?"' in text
    assert "#   T+10m Try to log in" in text
    report = check_paths([tmp_path / "plans"])
    assert report.diagnostics == []
    plan = next(p.plan for p in report.plans if p.plan and p.plan.organisation == "Brightbrew Coffee")
    assert [r.scenario for r in plan.reviews] == ["hacked-account"]


def test_single_file_plan_reviews_live_in_reviews_slash_name(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    code, _, _ = run(tmp_path, "review", "keluhan-viral", "--date", "2026-11-20")
    assert code == 0
    assert (tmp_path / "plans" / "reviews" / "segarkita" / "2026-11-20-keluhan-viral.yaml").is_file()
    # The reviews folder is not mistaken for more plans.
    assert len(check_paths([tmp_path / "plans"]).plans) == 3


def test_a_review_is_never_overwritten(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    assert run(tmp_path, "review", "data-breach", "--date", "2026-11-20")[0] == 0
    code, _, err = run(tmp_path, "review", "data-breach", "--date", "2026-11-20")
    assert code == 1
    assert "2026-11-20-data-breach.yaml already exists" in err


def test_reviews_appear_under_their_scenario(tmp_path: Path) -> None:
    source = CASES / "invalid" / "cp721-review-action-overdue"
    shutil.copytree(source, tmp_path / "plans")
    result = build(BuildOptions(paths=[tmp_path / "plans"], site_dir=tmp_path / "site", config_file=ROOT / "mkdocs.yml", pdf=False))
    assert result.built
    html = (tmp_path / "site" / "plans" / "scenarios" / "outage.html").read_text()
    assert "Post-crisis reviews" in html and "2 June 2026 (final)" in html
    assert "Orders failed for three hours" in html
    assert 'class="cp-overdue"' in html and "overdue" in html
    assert "Last drilled: 1 September 2026" in html
