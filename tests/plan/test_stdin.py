"""`crisisplan check -` reads a plan from standard input (as yamllint does); standard
input named as a file, pipes, sockets and devices give a clean diagnostic, never a
traceback or a hang. Run as a real process, with a real standard input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import ROOT

PLAN = (ROOT / "plans" / "segarkita.yaml").read_bytes()


def run(*args: str, stdin: bytes | IO[bytes] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The CLI with ``stdin`` as its standard input: bytes (a pipe), an open file
    (a redirection), or nothing (/dev/null)."""
    command = [sys.executable, "-m", "crisisplan", *args]
    if isinstance(stdin, bytes):
        ran = subprocess.run(command, input=stdin, capture_output=True, cwd=cwd, timeout=60, check=False)
    else:
        source = subprocess.DEVNULL if stdin is None else stdin
        ran = subprocess.run(command, stdin=source, capture_output=True, cwd=cwd, timeout=60, check=False)
    result = subprocess.CompletedProcess(ran.args, ran.returncode, ran.stdout.decode(), ran.stderr.decode())
    assert "Traceback" not in result.stderr
    return result


def test_a_plan_from_stdin() -> None:
    result = run("check", "-", stdin=PLAN)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 plan checked: no problems\n", "")


def test_problems_in_stdin_are_reported_as_stdin() -> None:
    result = run("check", "-", stdin=b"bogus: 1\n" + PLAN)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "<stdin>:1:1: error CP102: unknown key 'bogus' in crisis plan"
    result = run("check", "-", "--format", "json", stdin=b"plan: [\n")
    document = json.loads(result.stdout)
    assert document["plans"] == ["<stdin>"]
    assert [(d["path"], d["line"], d["code"]) for d in document["diagnostics"]] == [("<stdin>", 2, "CP001")]


def test_stdin_beside_files_and_given_twice() -> None:
    result = run("check", "-v", "-", "plans/segarkita.yaml", "-", stdin=PLAN)
    assert (result.returncode, result.stdout) == (0, "2 plans checked: no problems\n")
    assert result.stderr == (
        "checked <stdin> (standard input): no problems\n"
        "checked plans/segarkita.yaml (segarkita.yaml): no problems\n"
    )


def test_empty_closed_and_oversized_stdin() -> None:
    empty = "<stdin>:1:1: error CP009: the file is empty\n  hint: write the plan in it, or delete the file\n1 plan checked: 1 error\n"
    assert run("check", "-").stdout == empty  # /dev/null
    # `crisisplan check - <&-`: Python starts with no sys.stdin at all.
    closed = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m crisisplan check - <&-', sys.executable],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert (closed.returncode, closed.stdout, closed.stderr) == (1, empty, "")
    # A descriptor closed under Python's feet: a clean error too.
    closed_late = subprocess.run(
        [sys.executable, "-c", "import os, sys, runpy; os.close(0); sys.argv = ['crisisplan', 'check', '-']; runpy.run_module('crisisplan', run_name='__main__')"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert (closed_late.returncode, closed_late.stdout) == (
        1,
        "<stdin>:1:1: error CP011: cannot read standard input: Bad file descriptor\n"
        "  hint: pipe the plan in: crisisplan check - < plan.yaml\n"
        "0 plans checked: 1 error\n",
    )
    huge = run("check", "-", stdin=b"a: '" + b"x" * (3 * 1024 * 1024) + b"'\n")
    assert huge.stdout.splitlines()[0] == "<stdin>:1:1: error CP007: the file is over the limit; plan files are limited to 2 MiB"


STDIN_AS_A_FILE = (
    "/dev/stdin:1:1: error CP014: this is standard input, not a file crisisplan can read\n"
    "  hint: to check a plan from standard input, give '-' instead: crisisplan check - < plan.yaml\n"
    "0 plans checked: 1 error\n"
)


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="no /dev/stdin here")
def test_dev_stdin_is_refused_with_a_pointer_to_dash(tmp_path: Path) -> None:
    piped = run("check", "/dev/stdin", stdin=PLAN)
    assert (piped.returncode, piped.stdout) == (1, STDIN_AS_A_FILE)
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN)
    with plan.open("rb") as redirected:  # `crisisplan check /dev/stdin < plan.yaml`
        result = run("check", "/dev/stdin", stdin=redirected)
    assert (result.returncode, result.stdout) == (1, STDIN_AS_A_FILE)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_files_in_a_plan_folder_are_reported_not_skipped(tmp_path: Path) -> None:
    shutil_plan = ROOT / "plans" / "brightbrew"
    folder = tmp_path / "plan"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "plan.yaml").write_bytes((shutil_plan / "plan.yaml").read_bytes())
    for scenario in (shutil_plan / "scenarios").iterdir():
        (folder / "scenarios" / scenario.name).write_bytes(scenario.read_bytes())
    os.mkfifo(folder / "scenarios" / "pipe.yaml")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(folder / "scenarios" / "socket.yaml"))
        result = run("check", "plan", cwd=tmp_path)
    finally:
        listener.close()
    assert result.returncode == 1
    assert result.stdout == (
        "plan/scenarios/pipe.yaml:1:1: error CP014: this is a pipe, not a file crisisplan can read\n"
        "  hint: give the path of a .yaml file, or of a folder of plans\n"
        "plan/scenarios/socket.yaml:1:1: error CP014: this is a socket, not a file crisisplan can read\n"
        "  hint: give the path of a .yaml file, or of a folder of plans\n"
        "1 plan checked: 2 errors\n"
    )


def test_a_socket_named_on_the_command_line(tmp_path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "plan.yaml"))
        result = run("check", "plan.yaml", cwd=tmp_path)
    finally:
        listener.close()
    assert (result.returncode, result.stdout.splitlines()[0]) == (
        1,
        "plan.yaml:1:1: error CP014: this is a socket, not a file crisisplan can read",
    )
