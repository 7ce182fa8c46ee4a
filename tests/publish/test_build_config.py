"""What a build reads besides the plans, said in its own words when it cannot be used:
mkdocs.yml (its shape, named with file and line) and SOURCE_DATE_EPOCH, for both
engines, before anything is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from crisisplan.publish.build import build
from crisisplan.publish.options import BuildError, BuildOptions
from crisisplan.publish.site.mkdocs_site import SiteBuildError, user_config
from tests.conftest import CASES, invoke

TOP_LEVEL_HINT = "write each setting at the left margin as name: value, like site_name: Crisis runbook"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- site_name: x\n- theme: material\n", "mkdocs.yml:1:1: mkdocs.yml holds a list; its top level must be settings as keys"),
        ("[1, 2]\n", "mkdocs.yml:1:1: mkdocs.yml holds a list; its top level must be settings as keys"),
        ("# the runbook\njust text\n", "mkdocs.yml:2:1: mkdocs.yml holds a single value; its top level must be settings as keys"),
        ("!!binary aGk=\n", "mkdocs.yml:1:1: mkdocs.yml holds a single value; its top level must be settings as keys"),
        ("site_name: x\n1: one\n", "mkdocs.yml:2:1: '1' is not a setting name; the top level of mkdocs.yml must be settings named by words"),
        ("site_name: x\ntrue: yes\n", "mkdocs.yml:2:1: 'true' is not a setting name"),
        ("site_name: x\n? [a, b]\n: c\n", "mkdocs.yml:2:3: a list or mapping is not a setting name"),
    ],
)
def test_a_mkdocs_yml_of_the_wrong_shape_is_named(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    with pytest.raises(SiteBuildError) as raised:
        user_config(config)
    assert message in raised.value.message.replace(f"{tmp_path}/", "")
    assert raised.value.hint == TOP_LEVEL_HINT


@pytest.mark.parametrize(("text", "message"), [("docs_dir: [a]\n", "docs_dir: in {} must be a folder's path, not ['a']"), ("site_dir: 7\n", "site_dir: in {} must be a folder's path, not 7")])
def test_a_docs_or_site_dir_that_is_not_a_path_is_named(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    with pytest.raises(SiteBuildError) as raised:
        user_config(config)
    assert raised.value.message == message.format(config)


def test_an_empty_mkdocs_yml_sets_nothing(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    for text in ("", "# nothing yet\n", "---\n", "null\n"):
        config.write_text(text)
        assert user_config(config) == {}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    shutil.copy(CASES / "valid" / "minimal" / "plan.yaml", tmp_path / "plans" / "shop.yaml")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the previous site")
    (tmp_path / "site" / ".crisisplan-site").write_text("built by crisisplan\n")
    return tmp_path


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_build_with_a_list_for_mkdocs_yml_says_so_and_publishes_nothing(project: Path, engine: str) -> None:
    (project / "mkdocs.yml").write_text("- site_name: x\n")
    code, out, err = invoke("build", "--no-pdf", "--engine", engine, cwd=project)
    assert code == 1, out + err
    assert err == (
        "Error: mkdocs.yml:1:1: mkdocs.yml holds a list; its top level must be settings as keys\n"
        f"  hint: {TOP_LEVEL_HINT}\n"
        "site/ was left as it was.\n"
    )
    assert (project / "site" / "index.html").read_text() == "the previous site"


def test_mkdocs_says_which_setting_it_refused(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: [x]\n")
    code, _, err = invoke("build", "--no-pdf", cwd=project)
    assert code == 1
    assert "Error: MkDocs could not build the site: Config value 'site_name': Expected type: <class 'str'> but received: <class 'list'> (in mkdocs.yml)" in err
    assert "Aborted with a configuration error" not in err


def test_a_mkdocs_yml_linked_out_of_the_repository_is_not_read(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    secret = tmp_path_factory.mktemp("elsewhere") / "mkdocs.yml"
    secret.write_text("site_name: hunter2\n- broken: [\n")
    (project / "mkdocs.yml").symlink_to(secret)
    code, out, err = invoke("build", "--no-pdf", cwd=project)
    assert code == 2 and "hunter2" not in out + err
    assert "mkdocs.yml: this is a link to a file outside the repository; crisisplan does not read it" in err
    # Named on the command line, it is the user's choice.
    code, out, err = invoke("build", "--no-pdf", "--config-file", str(secret), cwd=project)
    assert code == 1 and "Error: cannot read" in err


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("value", ["abc", "-5", "99999999999"])
def test_the_core_refuses_a_source_date_epoch_it_cannot_use(
    project: Path, monkeypatch: pytest.MonkeyPatch, engine: str, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    options = BuildOptions(paths=[project / "plans"], site_dir=project / "site", pdf=False, engine=engine)
    with pytest.raises(BuildError) as raised:
        build(options)
    assert str(raised.value).startswith(
        f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (up to the end of 2199), not '{value}'"
    )
    assert (project / "site" / "index.html").read_text() == "the previous site"


def test_a_mkdocs_yml_that_expands_to_millions_of_values_is_refused(tmp_path: Path) -> None:
    """MkDocs writes out its whole configuration for a debug line: nine lines of
    aliases (a billion values) held a build for minutes."""
    bomb = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n" + "\n".join(bomb) + "\n")
    with pytest.raises(SiteBuildError) as raised:
        user_config(config)
    assert raised.value.message == f"{config} holds more than 100,000 values once its anchors and aliases are expanded"
    # An alias that refers to itself is one value, not an endless one.
    config.write_text("site_name: x\nextra: &a [*a, *a]\n")
    assert user_config(config)["site_name"] == "x"
