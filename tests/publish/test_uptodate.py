"""A site is left "up to date" only when it is exactly what its inputs make: no site
file, linked docs file, inherited config, environment value or committed record can
make a build keep output that does not match them.

One project (a tiny plan, a git repository, a mkdocs.yml that INHERITs a chain of
files and reads !ENV, docs with a link, snippets named in the config) is built once
per module without PDFs, from its own folder as CI builds it; each test changes one
thing in a copy and builds again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisplan.check.settings import Config
from crisisplan.plan.discovery import PlanSource
from crisisplan.publish import uptodate
from crisisplan.publish.build import build
from crisisplan.publish.options import BuildError, BuildOptions, BuildResult
from tests.conftest import CASES, TODAY
from tests.gitrepo import DUBIOUS, commit_all, init_repo, isolate_git, make_dubious

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"
SITE_NAME_VARIABLE = "CRISISPLAN_TEST_SITE_NAME"

FILES = {
    "mkdocs.yml": "INHERIT: config/base.yml\nsite_name: !ENV [CRISISPLAN_TEST_SITE_NAME, Example runbook]\n",
    # Two levels up the chain: MkDocs reads it, the key used to skip it.
    "config/base.yml": "INHERIT: shared.yml\ntheme:\n  name: material\n",
    "config/shared.yml": (
        "copyright: Copyright Alpha\n"
        "watch: [snippets]\n"
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [snippets]\n"
    ),
    "docs/notes.md": '# Notes\n\n--8<-- "part.md"\n',
    "snippets/part.md": "Snippet alpha.\n",
    "shared/contacts.md": "# Contacts\n\nCall alpha.\n",
}


def options_for(project: Path) -> BuildOptions:
    return BuildOptions(
        paths=[project / "plans"],
        site_dir=project / "site",
        config_file=project / "mkdocs.yml",
        today=dt.date.fromisoformat(TODAY),
        pdf=False,
    )


def run(project: Path) -> BuildResult:
    result = build(options_for(project))
    assert result.built, result.report.diagnostics
    return result


def page(project: Path, name: str) -> str:
    return (project / "site" / name).read_text(encoding="utf-8")


def rewrite_keeping_time(path: Path, old: str, new: str) -> None:
    """Edit a file to the same size and put its modification time back."""
    assert len(old) == len(new)
    status = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project, built once; copy it, never change it."""
    saved = os.environ.pop(SITE_NAME_VARIABLE, None)
    project = init_repo(tmp_path_factory.mktemp("uptodate") / "project")
    (project / "plans").mkdir()
    shutil.copy(MINIMAL, project / "plans" / "plan.yaml")
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    # A docs page that is a link to a file elsewhere in the repository.
    (project / "docs" / "contacts.md").symlink_to(Path("..") / "shared" / "contacts.md")
    commit_all(project)
    here = Path.cwd()
    # Built from the project's folder, as in CI: Markdown extensions read their paths
    # (the snippets' base_path) from there.
    os.chdir(project)
    try:
        first = run(project)
    finally:
        os.chdir(here)
    assert not first.unchanged
    assert "Snippet alpha." in page(project, "notes.html") and "Call alpha." in page(project, "contacts.html")
    yield project
    if saved is not None:
        os.environ[SITE_NAME_VARIABLE] = saved


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built project (a copy elsewhere is still up to date)."""
    isolate_git(monkeypatch, tmp_path)
    monkeypatch.delenv(SITE_NAME_VARIABLE, raising=False)
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    monkeypatch.chdir(copy)
    return copy


def test_a_copy_with_nothing_changed_is_up_to_date(project: Path) -> None:
    assert run(project).unchanged


def test_a_site_file_edited_to_the_same_size_with_its_time_put_back_is_built_again(project: Path) -> None:
    rewrite_keeping_time(project / "site" / "notes.html", "Snippet alpha.", "Snippet FORGE.")
    result = run(project)
    # Before: "up to date" (same size and time), and the forged page stayed published.
    assert not result.unchanged
    assert "Snippet alpha." in page(project, "notes.html") and "FORGE" not in page(project, "notes.html")


def test_editing_what_a_docs_link_points_to_publishes_the_new_text(project: Path) -> None:
    (project / "shared" / "contacts.md").write_text("# Contacts\n\nCall bravo, the new number.\n")
    result = run(project)
    # Before: the link itself was hashed, so the old page stayed.
    assert not result.unchanged
    assert "Call bravo" in page(project, "contacts.html")


def test_a_snippet_edited_to_the_same_size_with_its_time_put_back_changes_the_key(project: Path) -> None:
    # The snippets folder is named in an inherited file (base_path, watch): by content.
    before = key_of(project)
    rewrite_keeping_time(project / "snippets" / "part.md", "alpha", "bravo")
    assert key_of(project) != before


def test_a_config_two_inherits_up_is_part_of_the_key(project: Path) -> None:
    (project / "config" / "shared.yml").write_text(FILES["config/shared.yml"].replace("Alpha", "Bravo Ltd"))
    result = run(project)
    # Before: only mkdocs.yml's own bytes were in the key.
    assert not result.unchanged
    assert "Copyright Bravo Ltd" in page(project, "index.html")


def test_an_env_value_read_by_mkdocs_yml_is_part_of_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = key_of(project)
    monkeypatch.setenv(SITE_NAME_VARIABLE, "Runbook from the environment")
    assert key_of(project) != before


def test_a_committed_record_with_a_site_to_match_is_not_trusted(project: Path) -> None:
    # A pull request commits a forged site and a record that vouches for it.
    (project / "site" / "notes.html").write_text("forged notes")
    work = project / ".crisisplan-build"
    record = json.loads((work / "site.last-build.json").read_text())
    record["files"] = uptodate._manifest(project / "site")
    (work / "site.last-build.json").write_text(json.dumps(record))
    commit_all(project, "site", ".crisisplan-build")
    result = run(project)
    assert not result.unchanged
    assert "Snippet alpha." in page(project, "notes.html")


@pytest.mark.parametrize("how", DUBIOUS[1:])
def test_a_record_git_cannot_vouch_for_is_not_trusted(project: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    options = options_for(project)
    key = uptodate.inputs_key(options, [PlanSource(project / "plans", is_folder=True)], project)
    work, site = project / ".crisisplan-build", project / "site"
    uptodate.remember(work, site, key, BuildResult(report=None))  # type: ignore[arg-type]
    assert uptodate.unchanged(work, site, key, BuildResult(report=None))  # type: ignore[arg-type]
    make_dubious(project, how, monkeypatch)
    assert not uptodate.unchanged(work, site, key, BuildResult(report=None))  # type: ignore[arg-type]


def test_a_broken_inherited_config_is_reported_not_left_up_to_date(project: Path) -> None:
    (project / "config" / "shared.yml").write_text(FILES["config/shared.yml"] + "nav: [\n")
    with pytest.raises(BuildError, match="cannot read"):
        build(options_for(project))


# --- the key on its own: what is in it, and what it never does --------------------


def key_of(project: Path, **changes: object) -> str:
    options = options_for(project)
    for name, value in changes.items():
        setattr(options, name, value)
    return uptodate.inputs_key(options, [PlanSource(project / "plans", is_folder=True)], project)


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with no site yet: only its key is computed."""
    isolate_git(monkeypatch, tmp_path)
    project = init_repo(tmp_path / "small")
    (project / "plans").mkdir()
    shutil.copy(MINIMAL, project / "plans" / "plan.yaml")
    (project / "docs").mkdir()
    (project / "docs" / "notes.md").write_text("# Notes\n")
    (project / "mkdocs.yml").write_text("site_name: Small\n")
    return project


def test_theme_overrides_hooks_and_named_files_are_in_the_key_by_content(small: Path) -> None:
    (small / "overrides").mkdir()
    (small / "overrides" / "main.html").write_text("{% extends 'base.html' %}\n")
    (small / "hooks.py").write_text("X = 1\n")
    (small / "mkdocs.yml").write_text("site_name: Small\ntheme:\n  name: material\n  custom_dir: overrides\nhooks: [hooks.py]\n")
    before = key_of(small)
    rewrite_keeping_time(small / "overrides" / "main.html", "base", "BASE")
    after_override = key_of(small)
    rewrite_keeping_time(small / "hooks.py", "1", "2")
    assert len({before, after_override, key_of(small)}) == 3


def test_the_check_settings_are_in_the_key(small: Path) -> None:
    assert key_of(small) != key_of(small, check_config=Config(codes={"CP724": "off"}))


def test_locale_and_an_env_value_in_an_inherited_file_are_in_the_key(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (small / "base.yml").write_text("copyright: !ENV CRISISPLAN_TEST_COPYRIGHT\n")
    (small / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Small\n")
    monkeypatch.delenv("CRISISPLAN_TEST_COPYRIGHT", raising=False)
    unset = key_of(small)
    monkeypatch.setenv("CRISISPLAN_TEST_COPYRIGHT", "Alpha")
    alpha = key_of(small)
    (small / "locale").mkdir()
    (small / "locale" / "extra.po").write_text('msgid ""\nmsgstr ""\n')
    assert len({unset, alpha, key_of(small)}) == 3


def test_docs_with_no_mkdocs_yml_are_in_the_key(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without mkdocs.yml, the build publishes docs/ where it runs: so does the key count it.
    monkeypatch.chdir(small)
    before = key_of(small, config_file=None)
    (small / "docs" / "notes.md").write_text("# Notes, changed\n")
    assert key_of(small, config_file=None) != before


def test_a_docs_link_out_of_the_repository_counts_as_the_link_never_as_its_target(small: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("token 1")
    (small / "docs" / "secret.md").symlink_to(secret)
    before = key_of(small)
    secret.write_text("token 2")  # not read: the build refuses the link (CP015) and publishes nothing
    assert key_of(small) == before
    (small / "docs" / "secret.md").unlink()
    (small / "docs" / "secret.md").symlink_to(tmp_path / "other.txt")
    assert key_of(small) != before


def test_a_broken_mkdocs_yml_or_inherit_loop_still_has_a_key(small: Path) -> None:
    (small / "mkdocs.yml").write_text("site_name: [\n")
    broken = key_of(small)
    (small / "mkdocs.yml").write_text("site_name: {\n")
    assert key_of(small) != broken
    (small / "mkdocs.yml").write_text("INHERIT: other.yml\nsite_name: Small\n")
    (small / "other.yml").write_text("INHERIT: mkdocs.yml\n")
    assert len(key_of(small)) == 64


def test_the_key_never_runs_or_expands_what_mkdocs_yml_holds(small: Path, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(9)
    )
    (small / "mkdocs.yml").write_text(
        f"site_name: Small\nhook: !!python/object/apply:os.system ['touch {ran}']\n"
        "icon: !!python/name:material.extensions.emoji.twemoji\n" + bomb
    )
    assert len(key_of(small)) == 64
    assert not ran.exists()


def test_a_pipe_or_device_in_the_plans_folder_is_never_read(small: Path) -> None:
    fifo = small / "plans" / "notes.txt"
    os.mkfifo(fifo)
    (small / "plans" / "zero.txt").symlink_to("/dev/zero")
    keys: list[str] = []
    worker = threading.Thread(target=lambda: keys.append(key_of(small)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        # Before: the key read the pipe and waited for a writer forever (and read
        # /dev/zero until memory ran out). Release it before failing.
        with open(fifo, "wb"):
            pass
        pytest.fail("computing the key waited on a pipe in the plans folder")
    assert len(keys[0]) == 64


def test_a_docs_file_name_that_is_not_utf8_has_a_key(small: Path) -> None:
    # Before: "crisisplan failed unexpectedly (UnicodeEncodeError...)".
    (small / "docs" / os.fsdecode(b"caf\xe9.md")).write_text("# Caf\n")
    assert len(key_of(small)) == 64


def test_a_config_that_holds_itself_still_has_a_key(small: Path) -> None:
    (small / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Small\nextra: &x {more: *x}\n")
    (small / "base.yml").write_text("extra: &y {more: *y}\n")
    assert len(key_of(small)) == 64


def test_a_record_damaged_by_hand_means_a_build_not_a_traceback(project: Path) -> None:
    key = key_of(project)
    work, site = project / ".crisisplan-build", project / "site"
    uptodate.remember(work, site, key, BuildResult(report=None))  # type: ignore[arg-type]
    record = json.loads((work / "site.last-build.json").read_text())
    record["summary"]["pages"] = "many"
    (work / "site.last-build.json").write_text(json.dumps(record))
    result = BuildResult(report=None)  # type: ignore[arg-type]
    assert not uptodate.unchanged(work, site, key, result)
    assert result.pages == 0 and not result.unchanged
