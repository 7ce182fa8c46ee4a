"""Per-project check settings, in one place: ``crisisplan.yaml`` at the project's root.

    # crisisplan.yaml
    plans: [plans/brightbrew, plans/segarkita.yaml]   # what `check` and `build` read by default
    format: text                                      # text, json, github, sarif or gitlab
    strict: true                                      # warnings fail too
    codes:                                            # each code's severity, as ruff and yamllint allow
      CP606: error                                    # a missing translation fails the check
      CP724: off                                      # never reported

It is YAML, like the plans, so that a problem in it is reported as a plan problem is:
file:line:column, with "did you mean" (a TOML table would lose its line numbers).
Options given on the command line win over it. The file is read from the folder
crisisplan runs in, as ``plans/`` and ``mkdocs.yml`` are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crisisplan.check.formats import FORMATS
from crisisplan.diagnostics import Diagnostic, Severity
from crisisplan.plan.yamlfile import JsonPath, LoadError, Locator, load_file
from crisisplan.suggest import did_you_mean

CONFIG_FILE = "crisisplan.yaml"
LEVELS = ("error", "warning", "off")
_KEYS = {
    "plans": "the plans checked when none is named: a path or a list of paths",
    "format": "the report's format: " + ", ".join(FORMATS),
    "strict": "true to fail on warnings too",
    "codes": "each code's severity: error, warning or off",
}


@dataclass
class Config:
    """What crisisplan.yaml says; every field unset (None or empty) when it is absent."""

    path: Path | None = None
    plans: list[Path] = field(default_factory=list)
    format: str | None = None
    strict: bool | None = None
    # Code -> "error", "warning" or "off".
    codes: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)

    def apply(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics with each code at its configured severity; codes set off dropped."""
        kept = []
        for d in diagnostics:
            level = self.codes.get(d.code)
            if level == "off":
                continue
            if level is not None and level != str(d.severity):
                d = Diagnostic(d.path, d.line, d.column, d.code, Severity(level), d.message, d.hint)
            kept.append(d)
        return kept


def load_config(folder: Path | None = None) -> Config:
    """crisisplan.yaml in ``folder`` (where crisisplan runs), or an empty Config.

    Never raises for a bad file: what is wrong is in ``problems``, and what is right
    is used.
    """
    path = (folder or Path.cwd()) / CONFIG_FILE
    if not path.is_file():
        return Config()
    shown = CONFIG_FILE if folder is None else str(path)
    try:
        document = load_file(path, shown)
    except LoadError as exc:
        if exc.diagnostic.code == "CP009":
            return Config(path)  # an empty file sets nothing
        return Config(path, problems=[exc.diagnostic])
    config = Config(path, problems=list(document.warnings))
    _read(config, document.data, document.locator, path.parent)
    return config


def _read(config: Config, data: Mapping[str, Any], locator: Locator, base: Path) -> None:
    problems = config.problems

    def wrong(where: JsonPath, code: str, message: str, hint: str, key: bool = False) -> None:
        place = locator.key(where) if key else locator.value(where)
        problems.append(Diagnostic.at(place, code, message, hint))

    for key, value in data.items():
        if key not in _KEYS:
            wrong(
                (key,),
                "CP102",
                f"crisisplan.yaml has no setting '{key}'",
                did_you_mean(str(key), list(_KEYS), "its settings are"),
                key=True,
            )
        elif key == "plans":
            paths = [value] if isinstance(value, str) else value
            if (
                not isinstance(paths, list)
                or not paths
                or not all(isinstance(p, str) and p for p in paths)
            ):
                wrong(
                    (key,),
                    "CP103",
                    "plans: must be a path or a list of paths",
                    "write plans: [plans] or plans: [plans/brightbrew, plans/segarkita.yaml]",
                )
                continue
            for index, item in enumerate(paths):
                if not (base / item).exists():
                    wrong(
                        (key,) if isinstance(value, str) else (key, index),
                        "CP011",
                        f"'{item}' does not exist",
                        "give a plan file or folder, relative to crisisplan.yaml",
                    )
            # A missing one is reported here, at its line, rather than again as a plan.
            config.plans = [_shown(base / p) for p in paths if (base / p).exists()]
        elif key == "format":
            if value not in FORMATS:
                wrong(
                    (key,),
                    "CP104",
                    f"'{value}' is not a known format",
                    did_you_mean(str(value), FORMATS),
                )
            else:
                config.format = value
        elif key == "strict":
            if not isinstance(value, bool):
                wrong(
                    (key,),
                    "CP103",
                    f"strict: must be true or false, not '{value}'",
                    "write strict: true or strict: false",
                )
            else:
                config.strict = value
        else:
            _read_codes(config, value, locator, wrong)


def _read_codes(config: Config, value: Any, locator: Locator, wrong: Any) -> None:
    from crisisplan.check.checks import REGISTRY
    from crisisplan.check.checks.honesty import code_hint
    from crisisplan.check.codes import all_codes

    if not isinstance(value, dict):
        wrong(
            ("codes",),
            "CP103",
            "codes: must map codes to a severity",
            "write codes: {CP711: warning, CP606: error}",
        )
        return
    known = [c.code for c in all_codes()]
    for code, level in value.items():
        if code not in REGISTRY:
            if code in known:
                wrong(
                    ("codes", code),
                    "CP104",
                    f"{code}'s severity cannot be changed: the plan must be readable and follow the format to be checked at all",
                    "remove it from codes:",
                    key=True,
                )
            else:
                wrong(
                    ("codes", code),
                    "CP104",
                    f"unknown code '{code}'",
                    code_hint(str(code), list(REGISTRY)),
                    key=True,
                )
            continue
        if level not in LEVELS:
            wrong(
                ("codes", code),
                "CP104",
                f"'{level}' is not a severity",
                did_you_mean(str(level), LEVELS, "write one of"),
            )
            continue
        config.codes[code] = level


def _shown(path: Path) -> Path:
    """A configured path as crisisplan names paths: relative to where it runs, when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
