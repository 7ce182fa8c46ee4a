"""What keeps crisisplan's start-up light, pinned without timing anything: which
modules the shortest commands import, and that the commands imported lazily are listed
and resolved as before. The shortcuts past a parser or a library that this allows are
held to the library's answers in tests/check/test_shortcuts.py."""

from __future__ import annotations

import subprocess
import sys

from crisisplan.cli import cli
from tests.conftest import CASES

# Libraries each needed by some command or some plan, never by --version or --help.
HEAVY = (
    "babel",
    "jsonschema",
    "phonenumbers",
    "email_validator",
    "markdown_it",
    "yaml",
    "mkdocs",
    "weasyprint",
)


def _crisisplan(
    args: list[str], cwd: str = ".", modules: bool = False, eager: bool = False
) -> subprocess.CompletedProcess[str]:
    """`crisisplan ARGS` in a fresh process, as its console script runs it; with
    modules, its last line lists the heavy libraries and crisisplan modules it held;
    eager, every command is imported up front, as the group was built before."""
    code = (
        "import sys\n"
        "from crisisplan.cli import cli, main\n"
        + ("cli.commands = dict(cli.commands)\n" if eager else "")
        + f"sys.argv = ['crisisplan', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as end:\n    code = end.code\nelse:\n    code = 0\n"
        + (
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m.startswith('crisisplan.')))\n"
            if modules
            else ""
        )
        + "sys.exit(code)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )


def _imported_by(args: list[str], cwd: str = ".") -> list[str]:
    result = _crisisplan(args, cwd, modules=True)
    return list(eval(result.stdout.strip().splitlines()[-1]))  # noqa: S307  (our own print of a list)


def test_version_imports_no_command_and_no_library_but_click() -> None:
    assert _imported_by(["--version"]) == ["crisisplan.cli", "crisisplan.errors"]


def test_help_imports_the_commands_but_none_of_their_libraries() -> None:
    imported = _imported_by(["--help"])
    assert not [m for m in imported if m.split(".")[0] in HEAVY]
    # Only the names of the report formats (for --format's choices), none of the checks.
    core = [
        m
        for m in imported
        if m.startswith(
            ("crisisplan.check", "crisisplan.plan", "crisisplan.render", "crisisplan.publish")
        )
    ]
    assert core == ["crisisplan.check", "crisisplan.check.formats"]


def test_check_of_a_plain_plan_loads_neither_markdown_nor_email_parsers_nor_other_commands() -> (
    None
):
    # The minimal plan has e-mail addresses of the plainest shape and text that cannot
    # nest: neither markdown-it nor email-validator is needed to check it.
    imported = _imported_by(["check", "plan.yaml"], cwd=str(CASES / "valid" / "minimal"))
    libraries = sorted({m.split(".")[0] for m in imported if m.split(".")[0] in HEAVY})
    assert libraries == ["jsonschema", "phonenumbers", "yaml"]
    commands = [m for m in imported if m.startswith("crisisplan.cli.")]
    assert commands == ["crisisplan.cli.check", "crisisplan.cli.common"]
    assert not [m for m in imported if m.startswith("crisisplan.publish")]


def test_help_and_a_mistyped_command_read_as_with_every_command_imported() -> None:
    for args in (["--help"], ["chek"], ["check", "--help"], ["room", "--help"]):
        lazy, eager = _crisisplan(args), _crisisplan(args, eager=True)
        assert (lazy.returncode, lazy.stdout, lazy.stderr) == (
            eager.returncode,
            eager.stdout,
            eager.stderr,
        ), args
    listed = _crisisplan(["--help"]).stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(cli.commands)
    assert (
        "No such command 'chek'. (Did you mean one of: 'check', 'checks', 'schema'?)"
        in _crisisplan(["chek"]).stderr
    )
