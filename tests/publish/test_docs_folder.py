"""The docs folder never publishes a plan's own files: MkDocs and Zensical copy every
file of it onto the site as it is, so a docs_dir that is, holds or sits in a plan
folder (or holds a plan file, through a link too) would put the plan's YAML, names
and phone numbers included, on the site and in the offline copy, public edition or
not. Such a build is refused before anything is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES, invoke, snapshot

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"
PREVIOUS = b"<p>the previous, good site</p>"



@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a folder plan in plans/shop, its own pages in docs/ and a
    site built earlier."""
    project = tmp_path / "company"
    (project / "plans" / "shop" / "scenarios").mkdir(parents=True)
    shutil.copy(MINIMAL, project / "plans" / "shop" / "plan.yaml")
    (project / "docs").mkdir()
    (project / "docs" / "offline.md").write_text("# When the network is down\n")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_bytes(PREVIOUS)
    (project / "site" / ".crisisplan-site").write_text("built by crisisplan\n")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    return project


REFUSED = "the site would publish the plan files as they are, names and phone numbers included, in the public edition too"


def refused(repo: Path, *args: str) -> str:
    """Build, expect a refusal that changes nothing, and return what it said."""
    before = snapshot(repo)
    code, out, err = invoke("build", "--no-pdf", *args, cwd=repo)
    assert code == 1, out + err
    assert REFUSED in err, err
    assert "site/ was left as it was." in err
    assert "Traceback" not in err and "unexpectedly" not in err
    assert snapshot(repo) == before
    assert not (repo / ".crisisplan-build").exists() or not any((repo / ".crisisplan-build").glob("site.scratch-*"))
    return err


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize(
    ("docs_dir", "message"),
    [
        ("plans", "the docs folder plans is the plans folder:"),
        ("plans/shop", "the docs folder plans/shop is a plan folder:"),
        ("plans/shop/scenarios", "the docs folder plans/shop/scenarios is inside a plan folder plans/shop:"),
    ],
)
def test_a_docs_folder_that_is_or_sits_in_a_plan_folder_is_refused(
    repo: Path, docs_dir: str, message: str, engine: str, audience: str
) -> None:
    (repo / "mkdocs.yml").write_text(f"site_name: Runbook\ndocs_dir: {docs_dir}\n")
    err = refused(repo, "plans", "--engine", engine, "--audience", audience)
    assert message in err
    assert "hint: keep the team's own pages in a folder apart from the plans, set by docs_dir: in mkdocs.yml" in err


def test_a_docs_folder_that_holds_the_plans_is_refused(repo: Path) -> None:
    (repo / "content").mkdir()
    shutil.move(repo / "plans", repo / "content" / "plans")
    (repo / "mkdocs.yml").write_text("site_name: Runbook\ndocs_dir: content\n")
    err = refused(repo, "content/plans")
    assert "the docs folder content holds the plans folder content/plans:" in err
    # A plan named as a file, in the same docs folder.
    err = refused(repo, "content/plans/shop/plan.yaml")
    assert "the docs folder content holds a plan folder content/plans/shop:" in err


def test_a_docs_file_linked_to_a_plan_file_is_refused(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: Runbook\n")
    (repo / "docs" / "raw.yaml").symlink_to("../plans/shop/plan.yaml")
    err = refused(repo, "plans")
    assert "docs/raw.yaml in the docs folder is a link to the plan file plans/shop/plan.yaml:" in err


def test_a_plan_file_linked_into_the_docs_folder_is_refused(repo: Path) -> None:
    """A scenario kept in docs/ and linked into the plan: the build reads it as a plan
    file, and the docs folder would publish it."""
    (repo / "mkdocs.yml").write_text("site_name: Runbook\n")
    (repo / "docs" / "outage.yaml").write_text("id: outage\n")
    (repo / "plans" / "shop" / "scenarios" / "outage.yaml").symlink_to("../../../docs/outage.yaml")
    err = refused(repo, "plans")
    assert "the docs folder docs holds the plan file plans/shop/scenarios/outage.yaml:" in err


def test_the_docs_folder_of_a_project_without_mkdocs_yml_is_guarded_too(repo: Path) -> None:
    """docs/ by default: a plan kept in it is refused the same way."""
    shutil.move(repo / "plans" / "shop", repo / "docs" / "shop")
    err = refused(repo, "docs/shop")
    assert "the docs folder docs holds a plan folder docs/shop:" in err
    assert "set by a mkdocs.yml with docs_dir:" in err


def test_own_pages_beside_the_plans_are_still_published(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: Runbook\ndocs_dir: docs\n")
    code, out, err = invoke("build", "--no-pdf", "--audience", "public", "plans", cwd=repo)
    assert code == 0, out + err
    assert (repo / "site" / "offline.html").is_file()
    assert not list((repo / "site").rglob("*.yaml"))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_theme_folder_that_is_a_plan_folder_or_outside_the_repository_is_refused(
    repo: Path, tmp_path: Path, engine: str
) -> None:
    """MkDocs publishes the files of theme: custom_dir: as it does the docs folder's."""
    (repo / "mkdocs.yml").write_text("site_name: Runbook\ntheme:\n  name: material\n  custom_dir: plans/shop\n")
    err = refused(repo, "plans", "--engine", engine)
    assert "the theme folder plans/shop is a plan folder:" in err
    assert "hint: keep theme overrides in a folder apart from the plans, set by custom_dir: in mkdocs.yml, like custom_dir: overrides" in err
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "secret.txt").write_text("hunter2")
    (repo / "mkdocs.yml").write_text("site_name: Runbook\ntheme:\n  name: material\n  custom_dir: ../theme\n")
    before = snapshot(repo)
    code, out, err = invoke("build", "--no-pdf", "--engine", engine, cwd=repo)
    assert code == 1 and "hunter2" not in out + err
    assert "Error: the theme folder ../theme is outside the repository; crisisplan does not publish it" in err
    assert snapshot(repo) == before
