"""`crisisplan init`: start a company repository with a plan that already passes.

A team adopting crisisplan starts from an empty repository. What it needs on day
one is a plan it can read and change (two scenarios, three severity levels, a team
with deputies, escalation, a statement per language, monitoring and review), the
site configuration, and the tooling around it: editor schemas, a pre-commit hook
and CI for GitHub and GitLab. Everything is written as new files only: if any of
them is already there, nothing at all is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import unquote, urlparse

import yaml

from crisisplan.files import WriteRefused, write_new
from crisisplan.schema import SCHEMA_NAMES, schema_text
from crisisplan.suggest import slug
from crisisplan.templating import environment

Layout = Literal["file", "folder"]
LAYOUTS: tuple[Layout, ...] = ("file", "folder")

# The same pattern the schema holds for a language code (BCP 47, as plans write it).
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
# A rev pre-commit and pip can both use: a tag, branch or commit, nothing that could
# break out of the YAML or shell line it is written into.
_REV = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}\Z")
SCENARIOS = ("hacked-account", "viral-complaint")
DEFAULT_ORGANISATION = "Example Co"
# Written when crisisplan cannot tell where it was installed from (a wheel or sdist):
# the team puts its own clone's address there, and init says so.
UNKNOWN_SOURCE = "https://git.example.com/your-team/crisisplan.git"
UNKNOWN_REV = "main"


class InitError(Exception):
    """Init will not write; ``hint`` says what to do instead."""

    def __init__(self, message: str, hint: str = "", existing: tuple[Path, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.existing = existing


@dataclass(frozen=True)
class Source:
    """Where the team installs crisisplan from: a git URL or a path, at a revision."""

    url: str
    rev: str
    known: bool = True

    @property
    def is_path(self) -> bool:
        """A folder on this machine: fine for pre-commit here, out of CI's reach."""
        return "://" not in self.url and not self.url.startswith("git@")

    @property
    def pip_requirement(self) -> str:
        return self.url if self.is_path else f"git+{self.url}@{self.rev}"

    @property
    def github_action(self) -> str | None:
        """'owner/name@rev' when the source is on github.com, for `uses:`."""
        found = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", self.url)
        return f"{found.group(1)}@{self.rev}" if found else None


@dataclass(frozen=True)
class InitOptions:
    target: Path
    today: dt.date
    source: Source
    organisation: str = DEFAULT_ORGANISATION
    languages: tuple[str, ...] = ("en",)
    layout: Layout = "file"


@dataclass(frozen=True)
class InitResult:
    written: tuple[PurePosixPath, ...]
    plan: PurePosixPath
    untranslated: tuple[str, ...]  # languages given the English text, to translate


def installed_source() -> Source:
    """Where this crisisplan came from, as pip recorded it (PEP 610's direct_url.json).

    A git install gives its URL and commit; a path install (editable or not) gives the
    path, at the clone's current commit. A wheel from an index records nothing.
    """
    try:
        raw = metadata.distribution("crisisplan").read_text("direct_url.json")
        recorded: dict[str, Any] = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        recorded = {}
    url = str(recorded.get("url", ""))
    vcs = recorded.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Source(url, str(vcs["commit_id"]))
    if url.startswith("file://") and "dir_info" in recorded:
        path = unquote(urlparse(url).path)
        commit = _git_head(Path(path))
        if commit:
            return Source(path, commit)
    return Source(UNKNOWN_SOURCE, UNKNOWN_REV, known=False)


def _git_head(folder: Path) -> str | None:
    git = shutil.which("git")
    if git is None or not (folder / ".git").exists():
        return None
    try:
        done = subprocess.run(  # noqa: S603  (a fixed command on the install's own folder)
            [git, "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def validate_options(options: InitOptions) -> None:
    organisation = options.organisation.strip()
    if not organisation or len(organisation) > 300 or any(ch < " " for ch in organisation):
        raise InitError(
            "the organisation's name must be one line of at most 300 characters",
            "give it like --organisation \"Acme Coffee\"",
        )
    for language in options.languages:
        if not _LANGUAGE.match(language):
            raise InitError(
                f"'{language}' is not a language code",
                "give a code such as en, id, ms or da: --language id --language en",
            )
    if len(set(options.languages)) != len(options.languages):
        raise InitError("a language is given twice", "give each language once, the plan's main language first")
    if not options.source.url or any(ch in options.source.url for ch in "\n\r\"'` "):
        raise InitError(
            f"'{options.source.url}' is not a git URL or path crisisplan can write into the configuration",
            "give it like --source https://github.com/your-team/crisisplan.git",
        )
    if not _REV.match(options.source.rev):
        raise InitError(
            f"'{options.source.rev}' is not a git tag, branch or commit",
            "give it like --rev v0.1.0",
        )


@cache
def _texts() -> dict[str, Any]:
    raw = resources.files("crisisplan").joinpath("templates/init/texts.yaml").read_text("utf-8")
    texts: dict[str, Any] = yaml.safe_load(raw)
    return texts


def _yaml_scalar(value: object) -> str:
    """A value as one YAML scalar: plain when it reads back as the same text, quoted
    otherwise ('Level 1: watch', a name starting with '@', 'no')."""
    text = str(value)
    plain_ok = (
        text == text.strip()
        and "\n" not in text
        and not text.startswith(("{", "[", "*", "&", "!", "|", ">", "'", '"', "%", "@", "`", "#", "-", "?"))
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
    )
    if plain_ok:
        try:
            plain_ok = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain_ok = False
    # JSON's double-quoted strings are YAML double-quoted strings.
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


class _Writer:
    """The functions the templates call to write a text in every language."""

    def __init__(self, options: InitOptions) -> None:
        self.languages = options.languages
        first = options.languages[0].split("-")[0]
        texts = _texts()
        self.people: list[str] = texts["people"].get(first, texts["people"]["en"])
        self.timezone: str = texts["timezone"].get(first, texts["timezone"]["en"])

    def text(self, key: str, language: str) -> str:
        per_language: dict[str, str] = _texts()[key]
        return per_language.get(language.split("-")[0], per_language["en"])

    def value(self, key: str, indent: int) -> str:
        """After 'key:': the text on the same line, or one line per language under it."""
        if len(self.languages) == 1:
            return " " + _yaml_scalar(self.text(key, self.languages[0]))
        pad = " " * indent
        return "".join(f"\n{pad}{lang}: {_yaml_scalar(self.text(key, lang))}" for lang in self.languages)

    def item(self, key: str, indent: int) -> str:
        """After '-': a list item, its first language on the dash's line."""
        if len(self.languages) == 1:
            return " " + _yaml_scalar(self.text(key, self.languages[0]))
        lines = [f"{lang}: {_yaml_scalar(self.text(key, lang))}" for lang in self.languages]
        return " " + ("\n" + " " * indent).join(lines)

    def person(self, index: int, phone: str, indent: int | None = None) -> str:
        """A fictional person: indented keys (a primary), or a list item at ``indent``."""
        name = self.people[index]
        email = ".".join(slug(part) for part in name.split()) + "@example.com"
        lines = [
            f"name: {_yaml_scalar(name)}",
            f'phone: "{phone}"',
            f"email: {email}",
            f"timezone: {self.timezone}",
        ]
        if indent is None:
            return "\n".join("      " + line for line in lines)
        return " " + ("\n" + " " * indent).join(lines)


def _render(template: str, **context: Any) -> str:
    env = environment()
    env.filters.setdefault("yaml", _yaml_scalar)
    return env.get_template(f"init/{template}").render(**context)


def _as_list_item(document: str) -> str:
    """A top-level mapping, indented as an item of a list under a top-level key."""
    lines = document.rstrip("\n").split("\n")
    return "\n".join(
        ("  - " if i == 0 else "    ") + line if line else "" for i, line in enumerate(lines)
    ) + "\n"


def plan_files(options: InitOptions) -> dict[PurePosixPath, str]:
    """Every file init writes, by its path in the repository, and its text."""
    validate_options(options)
    writer = _Writer(options)
    name = file_name(options.organisation)
    common: dict[str, Any] = {
        "organisation": options.organisation.strip(),
        "languages": options.languages,
        "today": options.today.isoformat(),
        "next_review": (options.today + dt.timedelta(days=182)).isoformat(),
        # A new plan has not been drilled: its first drill is planned, four weeks out.
        "first_drill": (options.today + dt.timedelta(days=28)).isoformat(),
        "scenario_ids": SCENARIOS,
        "t": writer.value,
        "ti": writer.item,
        "text": writer.text,
        "person": writer.person,
    }
    files: dict[PurePosixPath, str] = {}
    if options.layout == "folder":
        folder = PurePosixPath("plans") / name
        plan_path = folder / "plan.yaml"
        for scenario in SCENARIOS:
            body = _render(f"scenario-{scenario}.yaml.text.j2", **common)
            header = "# yaml-language-server: $schema=../../../schema/scenario.schema.json\n"
            files[folder / "scenarios" / f"{scenario}.yaml"] = header + body
        files[plan_path] = _render("plan.yaml.text.j2", schema_path="../../schema", scenarios="", **common)
    else:
        plan_path = PurePosixPath("plans") / f"{name}.yaml"
        scenarios = "\n".join(
            _as_list_item(_render(f"scenario-{scenario}.yaml.text.j2", **common)) for scenario in SCENARIOS
        )
        files[plan_path] = _render("plan.yaml.text.j2", schema_path="../schema", scenarios=scenarios, **common)
    for schema in SCHEMA_NAMES:
        files[PurePosixPath("schema") / f"{schema}.schema.json"] = schema_text(schema)
    source = options.source
    tooling = {
        "mkdocs.yml": "mkdocs.yml.text.j2",
        ".gitignore": "gitignore.text.j2",
        ".vscode/settings.json": "vscode-settings.json.text.j2",
        ".pre-commit-config.yaml": "pre-commit-config.yaml.text.j2",
        ".github/workflows/crisisplan.yml": "github-workflow.yml.text.j2",
        ".gitlab-ci.yml": "gitlab-ci.yml.text.j2",
    }
    for path, template in tooling.items():
        files[PurePosixPath(path)] = _render(
            template,
            source=source,
            organisation=options.organisation.strip(),
            layout=options.layout,
        )
    return files


# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l"})


def file_name(organisation: str) -> str:
    """The plan's file or folder name: 'Brød & Co' -> 'brod-co'."""
    ascii_text = unicodedata.normalize("NFKD", organisation.translate(_LETTERS))
    return slug(ascii_text.encode("ascii", "ignore").decode()) or "crisis-plan"


def untranslated_languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    known = set(_texts()["plan.title"])
    return tuple(lang for lang in languages if lang.split("-")[0] not in known)


def init(options: InitOptions) -> InitResult:
    """Write the starting files into ``options.target``; nothing when any is there.

    Raises InitError when one of the files (or a link in its place) already exists,
    listing them all, and WriteRefused/OSError from writing itself.
    """
    files = plan_files(options)
    target = options.target
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} is a file, not a folder", "give a folder, or leave it out to use this one")
    if target.is_symlink():
        raise InitError(f"{target} is a symbolic link; crisisplan does not write through links", "give the real folder")
    existing = tuple(dict.fromkeys(found for path in files if (found := _in_the_way(target, path))))
    if existing:
        raise InitError(
            f"{len(existing)} of the files init writes {'is' if len(existing) == 1 else 'are'} already there; nothing was written",
            "run crisisplan init in an empty folder, or move these away first",
            existing,
        )
    target.mkdir(parents=True, exist_ok=True)
    written: list[PurePosixPath] = []
    for path, text in files.items():
        try:
            write_new(target / path, text.encode("utf-8"), within=target)
        except WriteRefused:
            # A file appeared while writing: take back what this run wrote.
            for done in written:
                (target / done).unlink(missing_ok=True)
            raise
        written.append(path)
    plan = next(p for p in files if p.name == "plan.yaml" or p.parent == PurePosixPath("plans"))
    return InitResult(tuple(written), plan, untranslated_languages(options.languages))


def _in_the_way(target: Path, path: PurePosixPath) -> Path | None:
    """What stops ``path`` from being written as a new file: the file itself, or a
    folder on the way that is a symbolic link or a file."""
    current = target
    for part in path.parts[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            return current
    full = target / path
    return full if full.exists() or full.is_symlink() else None
