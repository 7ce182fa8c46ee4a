"""The one error type crisisplan's core raises for a person to read.

Every such error says what is wrong (``message``), what to do instead (``hint``)
and how the command ends (``exit_code``); the CLI turns it into output in one
place (crisisplan.cli.main), as mkdocs' and pre-commit's error handlers do. A
problem in a plan is not an error: it is a Diagnostic, collected with the others.
"""

from __future__ import annotations

from typing import ClassVar

# How a command ends: clean, problems found (or it could not do its job), or the
# command itself was given wrongly.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class CrisisplanError(Exception):
    """What went wrong, what to do instead, and the exit code to end with."""

    exit_code: ClassVar[int] = EXIT_PROBLEMS

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
