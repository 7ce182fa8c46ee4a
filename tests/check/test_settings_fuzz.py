"""Robustness of the settings file: whatever crisisplan.yaml holds (any YAML, any
bytes, a link anywhere), reading it gives settings or problems that name it, never a
traceback, and never a read outside the repository.

The repository is built once; each example writes crisisplan.yaml into it. Outside
it lie a plan and a folder whose text is a marker: a report that holds the marker
read them. Most examples drive the core (load_config, check_paths); some run
`crisisplan check` itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crisisplan.check.pipeline import check_paths
from crisisplan.check.settings import CONFIG_FILE, load_config
from tests.conftest import CASES, invoke
from tests.fuzzing import FUZZ, HOSTILE_KEYS, dump, hostile_values, yaml_bytes

MARKER = "hunter2"
SECRET = f"{MARKER}-password: {MARKER}\nplan:\n  id: {MARKER}\n".encode()



@pytest.fixture(scope="module")
def world() -> Iterator[Path]:
    """scratch/repo (a repository with plans/shop.yaml, a link out of it and a file
    inside), scratch/secret.yaml and scratch/secrets/ outside it."""
    with tempfile.TemporaryDirectory(prefix="crisisplan-settings-fuzz-") as scratch:
        root = Path(scratch).resolve()
        repo = root / "repo"
        (repo / ".git").mkdir(parents=True)  # what makes it a repository, for crisisplan
        (repo / "plans").mkdir()
        (repo / "plans" / "shop.yaml").write_bytes((CASES / "valid" / "minimal" / "plan.yaml").read_bytes())
        (repo / "inside.yaml").write_text("codes:\n  CP711: off\n")
        (root / "secret.yaml").write_bytes(SECRET)
        (root / "secrets").mkdir()
        (root / "secrets" / "plan.yaml").write_bytes(SECRET)
        (repo / "plans" / "out").symlink_to(root / "secrets", target_is_directory=True)
        (repo / "plans" / "out.yaml").symlink_to(root / "secret.yaml")
        yield repo


# Paths a settings file may name: inside, outside, through links, and ones no file
# system takes.
PATHS = [
    "plans",
    "plans/shop.yaml",
    "plans/nowhere.yaml",
    "../secret.yaml",
    "../secrets",
    "{root}/secret.yaml",
    "{root}/secrets",
    "plans/../../secret.yaml",
    "plans/out",
    "plans/out.yaml",
    "plans/out/plan.yaml",
    ".git",
    ".",
    "..",
    "/",
    "/proc/self/status",
    "~/secret.yaml",
    "x" * 5_000,
    "a\0b",
    "",
    "crisisplan.yaml",
]
KEYS: list[Any] = ["plans", "plans", "format", "strict", "codes", *HOSTILE_KEYS]
CODES: list[Any] = ["CP711", "CP606", "CP001", "CP171", "", 1, None, *HOSTILE_KEYS[:5]]
LEVELS: list[Any] = ["error", "warning", "off", "eror", "", None, 1, True]


@st.composite
def settings_value(draw: st.DrawFn, key: Any) -> Any:
    if key == "plans":
        paths = st.sampled_from(PATHS)
        return draw(st.one_of(paths, st.lists(paths, max_size=4), hostile_values()))
    if key == "format":
        return draw(st.one_of(st.sampled_from(["text", "json", "sarif", "txt", MARKER]), hostile_values()))
    if key == "strict":
        return draw(st.one_of(st.booleans(), hostile_values()))
    if key == "codes":
        return draw(st.one_of(st.dictionaries(st.sampled_from(CODES), st.sampled_from(LEVELS), max_size=3), hostile_values()))
    return draw(hostile_values())


@st.composite
def settings_data(draw: st.DrawFn) -> Any:
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=4, unique_by=repr))
    return {key: draw(settings_value(key)) for key in keys}


@st.composite
def settings_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """How crisisplan.yaml is there ('file', a 'link' to somewhere, a 'folder') and,
    for a file, its bytes."""
    kind = draw(st.sampled_from(["file"] * 6 + ["link", "folder"]))
    if kind == "link":
        return kind, draw(st.sampled_from(["../secret.yaml", "inside.yaml", "nowhere.yaml", "/proc/self/status", "plans/out.yaml"])).encode()
    if kind == "folder":
        return kind, b""
    data = draw(st.one_of(settings_data(), settings_data(), hostile_values()))
    return kind, draw(yaml_bytes(data))


def place(repo: Path, kind: str, content: bytes) -> None:
    path = repo / CONFIG_FILE
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        path.rmdir()
    if kind == "link":
        path.symlink_to(content.decode())
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(content.replace(b"{root}", str(repo.parent).encode()))


def inside(path: Path, repo: Path) -> bool:
    real = path.absolute().resolve()
    return real.is_relative_to(repo) and ".git" not in real.relative_to(repo).parts


def assert_clean(texts: list[str]) -> None:
    for text in texts:
        assert MARKER not in text, f"something outside the repository was read: {text!r}"


@settings(FUZZ, max_examples=50)
@given(case=settings_file(), through_cli=st.integers(0, 4))
@example(case=("file", b"plans: [../secret.yaml]\n"), through_cli=0)
@example(case=("file", b"plans: '{root}/secrets'\n"), through_cli=1)
@example(case=("file", b"plans: [plans/out, plans/out.yaml]\nformat: sarif\n"), through_cli=0)
@example(case=("link", b"../secret.yaml"), through_cli=0)
@example(case=("file", b"plans: [" + b"x" * 5_000 + b"]\n"), through_cli=0)
@example(case=("file", dump([{"plans": "plans"}]).encode()), through_cli=1)
def test_any_settings_file_gives_settings_or_problems_that_name_it(world: Path, case: tuple[str, bytes], through_cli: int) -> None:
    kind, content = case
    place(world, kind, content)
    here = os.getcwd()
    os.chdir(world)
    try:
        config = load_config()
        # Every problem is in the settings file, said without what lies outside.
        for problem in config.problems:
            assert problem.path == CONFIG_FILE, problem
            assert problem.message and problem.line >= 1 and problem.column >= 1
        assert_clean([f"{p.message} {p.hint}" for p in config.problems])
        # Every plan path it gives is inside the repository, whatever it said.
        for path in config.plans:
            assert inside(path, world), path
        report = check_paths(config.plans, config=config)
        assert_clean([f"{d.path} {d.message} {d.hint}" for d in report.diagnostics])
    finally:
        os.chdir(here)
    if through_cli == 0:
        code, out, err = invoke("check", "--format", "sarif", cwd=world)
        assert code in (0, 1, 2), out + err
        assert "Traceback" not in err and "unexpectedly" not in out + err
        assert MARKER not in out + err
