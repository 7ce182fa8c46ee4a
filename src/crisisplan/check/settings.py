"""Per-project check settings, in one place: ``crisisplan.yaml`` at the project's root.

    # crisisplan.yaml
    plans: [plans/brightbrew, plans/segarkita.yaml]   # what `check` and `build` read by default
    format: text                                      # text, json, github, sarif or gitlab
    strict: true                                      # warnings fail too
    codes:                                            # each code's severity, as ruff and yamllint allow
      CP606: error                                    # a missing translation fails the check
      CP724: off                                      # never reported
    room: https://room.example.org                    # the team's incident room (crisisplan room)

It is YAML, like the plans, so that a problem in it is reported as a plan problem is:
file:line:column, with "did you mean" (a TOML table would lose its line numbers).
Options given on the command line win over it. The file is read from the folder
crisisplan runs in, as ``plans/`` and ``mkdocs.yml`` are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crisisplan.check.formats import FORMATS
from crisisplan.diagnostics import Diagnostic, Severity
from crisisplan.files import boundary_for, describe_os_error
from crisisplan.plan.yamlfile import JsonPath, LoadError, Locator, load_file
from crisisplan.suggest import did_you_mean

CONFIG_FILE = "crisisplan.yaml"
LEVELS = ("error", "warning", "off")
_KEYS = {
    "plans": "the plans checked when none is named: a path or a list of paths",
    "format": "the report's format: " + ", ".join(FORMATS),
    "strict": "true to fail on warnings too",
    "codes": "each code's severity: error, warning or off",
    "room": "the address of the team's incident room (crisisplan room), like https://room.example.org",
}
# A room is reached over TLS; plain http only on this machine (a room tried out
# beside the runbook, or the tests'): a phone's events never cross a network in clear.
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_ROOM_HINT = "write the room's address as the phones reach it, like room: https://room.example.org (http:// only for 127.0.0.1 or localhost)"


@dataclass
class Config:
    """What crisisplan.yaml says; every field unset (None or empty) when it is absent."""

    path: Path | None = None
    plans: list[Path] = field(default_factory=list)
    format: str | None = None
    strict: bool | None = None
    # Code -> "error", "warning" or "off".
    codes: dict[str, str] = field(default_factory=dict)
    # The incident room's address (https://host[:port], no path), written into the
    # internal edition's scenario pages; None: no room, and the pages make no request.
    room: str | None = None
    # plans: was written (the plans it names may all be unusable: then none is checked).
    plans_set: bool = False
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
    is used. Like a plan file, the settings file and every path it names must stay
    inside the repository (CP015): what they hold would otherwise show up in reports
    (a CI log, code scanning) of a repository that never held it.
    """
    path = (folder or Path.cwd()) / CONFIG_FILE
    # A link is read (and refused) even when it leads nowhere or out of the repository.
    if not path.is_file() and not path.is_symlink():
        return Config()
    shown = CONFIG_FILE if folder is None else str(path)
    boundary = boundary_for(path)
    try:
        document = load_file(path, shown, boundary)
    except LoadError as exc:
        if exc.diagnostic.code == "CP009":
            return Config(path)  # an empty file sets nothing
        return Config(path, problems=[_as_settings_problem(exc.diagnostic)])
    config = Config(path, problems=list(document.warnings))
    _read(config, document.data, document.locator, path.parent, boundary)
    return config


def _as_settings_problem(diagnostic: Diagnostic) -> Diagnostic:
    """The loader's words for a plan file, said of the settings file."""
    hints = {
        "CP010": "crisisplan.yaml holds settings as keys at the left margin, like plans: [plans] and strict: true",
        "CP015": "replace the link with the settings file itself: crisisplan reads its settings only from inside the repository",
    }
    if diagnostic.code not in hints:
        return diagnostic
    message = diagnostic.message.replace("a plan file holds a mapping of keys", "crisisplan.yaml holds a mapping of settings")
    return Diagnostic(diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.severity, message, hints[diagnostic.code])


def _read(config: Config, data: Mapping[str, Any], locator: Locator, base: Path, boundary: Path) -> None:
    problems = config.problems

    def wrong(where: JsonPath, code: str, message: str, hint: str, key: bool = False) -> None:
        place = locator.key(where) if key else locator.value(where)
        problems.append(Diagnostic.at(place, code, message, hint))

    for key, value in data.items():
        if key not in _KEYS:
            wrong(
                (key,),
                "CP102",
                f"crisisplan.yaml has no setting '{_short(str(key))}'",
                did_you_mean(str(key), list(_KEYS), "its settings are"),
                key=True,
            )
        elif key == "plans":
            _read_plans(config, value, base, boundary, wrong)
        elif key == "format":
            if value not in FORMATS:
                wrong(
                    (key,),
                    "CP104",
                    f"'{_short(str(value))}' is not a known format",
                    did_you_mean(str(value), FORMATS),
                )
            else:
                config.format = value
        elif key == "strict":
            if not isinstance(value, bool):
                wrong(
                    (key,),
                    "CP103",
                    f"strict: must be true or false, not '{_short(str(value))}'",
                    "write strict: true or strict: false",
                )
            else:
                config.strict = value
        elif key == "room":
            config.room = _read_room(value, lambda code, message: wrong(("room",), code, message, _ROOM_HINT))
        else:
            _read_codes(config, value, locator, wrong)


def room_address(value: object) -> str | None:
    """The room's address as pages use it (scheme, host and port, no slash at the
    end), or None when it is not one a phone may be sent to."""
    if not isinstance(value, str) or len(value) > 300 or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a port that is not a number, or out of range, raises
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or "@" in parts.netloc:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        return None
    if parts.scheme == "http" and host not in _LOCAL_HOSTS:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _read_room(value: Any, wrong: Callable[[str, str], None]) -> str | None:
    address = room_address(value)
    if address is None and not isinstance(value, str):
        wrong("CP103", "room: must be the room's address, a text like https://room.example.org")
    elif address is None:
        wrong("CP105", f"room: '{_short(value)}' is not an address the phones may use: https://host, or http:// on this machine")
    return address


def _read_plans(config: Config, value: Any, base: Path, boundary: Path, wrong: Any) -> None:
    """plans: each path relative to crisisplan.yaml, inside the repository, and there."""
    config.plans_set = True
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
        wrong(
            ("plans",),
            "CP103",
            "plans: must be a path or a list of paths",
            "write plans: [plans] or plans: [plans/brightbrew, plans/segarkita.yaml]",
        )
        return
    for index, item in enumerate(paths):
        where = ("plans",) if isinstance(value, str) else ("plans", index)
        problem = _unusable_plan_path(base / item, boundary)
        if problem is None:
            # A missing one is reported here, at its line, rather than again as a plan.
            config.plans.append(_shown(base / item))
        else:
            code, message, hint = problem
            wrong(where, code, f"'{_short(item)}' {message}", hint)


def _unusable_plan_path(path: Path, boundary: Path) -> tuple[str, str, str] | None:
    """Why a path crisisplan.yaml names cannot be read as plans (code, message, hint), or None.

    Whether it is inside the repository is asked first, and only of the path and the
    links on the way: nothing outside is opened, and a report does not even say
    whether something exists there.
    """
    try:
        real = path.resolve()
        inside = real == boundary or real.is_relative_to(boundary)
        if inside and ".git" in real.relative_to(boundary).parts:
            return (
                "CP015",
                "is in the repository's .git folder; crisisplan does not read it",
                "give a plan file or folder, relative to crisisplan.yaml, like plans: [plans]",
            )
        if not inside:
            return (
                "CP015",
                "is outside the repository; crisisplan.yaml names only plans inside it",
                "give a plan file or folder inside the repository, relative to crisisplan.yaml, like plans: [plans]; "
                "a plan elsewhere can be named on the command line: crisisplan check PATH",
            )
        if path.exists():
            return None
    except OSError as exc:  # a name too long for the file system...
        return ("CP011", f"cannot be used as a path: {describe_os_error(exc)}", "give a plan file or folder, relative to crisisplan.yaml")
    except RuntimeError:
        return ("CP011", "is a link that leads round in a loop", "give a plan file or folder, relative to crisisplan.yaml")
    except ValueError:  # a NUL character
        return ("CP011", "cannot be a file name", "give a plan file or folder, relative to crisisplan.yaml")
    return ("CP011", "does not exist", "give a plan file or folder, relative to crisisplan.yaml")


def _short(text: str, limit: int = 160) -> str:
    """A value as a message quotes it: a path of thousands of characters is not read
    whole, but its start and its file name are."""
    if len(text) <= limit:
        return text
    head = limit // 3
    return text[:head] + "…" + text[len(text) - (limit - head - 1) :]


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
                    f"unknown code '{_short(str(code))}'",
                    code_hint(str(code), list(REGISTRY)),
                    key=True,
                )
            continue
        if level not in LEVELS:
            wrong(
                ("codes", code),
                "CP104",
                f"'{_short(str(level))}' is not a severity",
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
