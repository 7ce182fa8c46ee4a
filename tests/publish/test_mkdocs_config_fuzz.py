"""Robustness of mkdocs.yml as crisisplan reads it: whatever it holds (any YAML, any
bytes), reading it gives settings or an error that names the file, never a
traceback; and a build with it publishes a site or refuses, never a plan's own
files or a file from outside the repository.

Most examples drive the reading (user_config and what is derived from it); a few run
`crisisplan build --no-pdf` of a one-scenario plan.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crisisplan.publish.site.mkdocs_site import (
    SiteBuildError,
    custom_dir_of,
    docs_dir_of,
    site_dir_of,
    site_url_warning,
    user_config,
)
from tests.conftest import CASES, invoke
from tests.fuzzing import FUZZ, HOSTILE_KEYS, hostile_values, yaml_bytes

MARKER = "hunter2"


FOLDERS: list[Any] = ["docs", "plans", "plans/shop", "plans/shop/scenarios", ".", "..", "../outside", "{root}/outside", "docs/../plans", "", "nowhere"]
SETTINGS: list[Any] = [
    "site_name",
    "docs_dir",
    "theme",
    "nav",
    "plugins",
    "extra",
    "extra_css",
    "extra_javascript",
    "site_url",
    "use_directory_urls",
    "markdown_extensions",
    *HOSTILE_KEYS[:8],
]


@st.composite
def setting(draw: st.DrawFn, key: Any) -> Any:
    if key == "docs_dir":
        return draw(st.one_of(st.sampled_from(FOLDERS), hostile_values()))
    if key == "theme":
        custom = st.sampled_from(FOLDERS)
        return draw(st.one_of(st.fixed_dictionaries({"name": st.just("material"), "custom_dir": custom}), hostile_values()))
    if key == "site_name":
        return draw(st.one_of(st.just("Runbook"), hostile_values()))
    return draw(hostile_values())


@st.composite
def mkdocs_yml(draw: st.DrawFn) -> bytes:
    keys = draw(st.lists(st.sampled_from(SETTINGS), max_size=4, unique_by=repr))
    data = {key: draw(setting(key)) for key in keys}
    if draw(st.integers(0, 5)) == 0:
        data = draw(st.one_of(hostile_values(), st.just([data])))  # not a mapping at all
    return draw(yaml_bytes(data))


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """scratch/repo: a repository with a folder plan in plans/shop and a page in docs/;
    scratch/outside: files with the marker, outside it."""
    with tempfile.TemporaryDirectory(prefix="crisisplan-mkdocs-fuzz-") as scratch:
        root = Path(scratch).resolve()
        repo = root / "repo"
        (repo / ".git").mkdir(parents=True)
        (repo / "plans" / "shop").mkdir(parents=True)
        shutil.copy(CASES / "valid" / "minimal" / "plan.yaml", repo / "plans" / "shop" / "plan.yaml")
        (repo / "docs").mkdir()
        (repo / "docs" / "welcome.md").write_text("# Welcome\n")
        (root / "outside").mkdir()
        (root / "outside" / "secret.md").write_text(f"# {MARKER}\n")
        (root / "outside" / "secret.txt").write_text(MARKER)
        yield repo


def write(repo: Path, raw: bytes) -> Path:
    config = repo / "mkdocs.yml"
    config.write_bytes(raw.replace(b"{root}", str(repo.parent).encode()))
    return config


@settings(FUZZ, max_examples=50)
@given(raw=mkdocs_yml())
@example(raw=b"- site_name: x\n")
@example(raw=b"!!binary aGk=\n")
@example(raw=b"site_name: x\n1: one\n")
@example(raw=b"INHERIT: nowhere.yml\n")
@example(raw=b"docs_dir: [a]\n")
def test_any_mkdocs_yml_gives_settings_or_an_error_that_names_it(template: Path, raw: bytes) -> None:
    config = write(template, raw)
    try:
        loaded = user_config(config)
    except SiteBuildError as exc:
        assert "mkdocs.yml" in exc.message, exc.message
        return
    assert isinstance(loaded, dict) and all(isinstance(key, str) for key in loaded)
    # What the build derives from it never fails on its own.
    docs_dir_of(config)
    site_dir_of(config)
    custom_dir_of(config)
    site_url_warning(config)


@settings(FUZZ, max_examples=6)
@given(raw=mkdocs_yml(), audience=st.sampled_from(["internal", "public"]))
@example(raw=b"site_name: x\ndocs_dir: plans\n", audience="public")
@example(raw=b"site_name: x\ntheme:\n  name: material\n  custom_dir: ../outside\n", audience="internal")
def test_a_build_with_any_mkdocs_yml_publishes_neither_the_plan_nor_the_outside(
    template: Path, raw: bytes, audience: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="crisisplan-mkdocs-build-") as scratch:
        repo = Path(scratch) / "repo"
        shutil.copytree(template, repo)
        shutil.copytree(template.parent / "outside", Path(scratch) / "outside")
        write(repo, raw)
        code, out, err = invoke("build", "--no-pdf", "--audience", audience, "plans", cwd=repo)
        assert code in (0, 1, 2), out + err
        assert "Traceback" not in err and "unexpectedly" not in out + err
        assert MARKER not in out + err
        site = repo / "site"
        if code == 0 and site.is_dir():
            published = [p for p in site.rglob("*") if p.is_file()]
            assert not [p for p in published if p.suffix in (".yaml", ".yml")], published
            assert not [p for p in published if p.suffix != ".gz" and MARKER.encode() in p.read_bytes()]
