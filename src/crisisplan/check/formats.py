"""The report formats, in one list: the command line's --format choices, the
``format:`` setting in crisisplan.yaml and the reporters (check/report.py) all read
it. Kept apart from the reporters so the command line can offer the choices
without importing every check."""

from __future__ import annotations

# Each format's name, and what its file is usually called (for check --output-file).
FILE_NAMES: dict[str, str] = {
    "text": "crisisplan.txt",
    "json": "crisisplan.json",
    "github": "crisisplan.txt",
    "sarif": "crisisplan.sarif",
    "gitlab": "gl-code-quality-report.json",
}
FORMATS: tuple[str, ...] = tuple(FILE_NAMES)
