"""`crisisplan init`: start a company repository with a plan that already passes.

A team adopting crisisplan starts from an empty repository. What it needs on day
one is a plan it can read and change (two scenarios, three severity levels, a team
with deputies, escalation, a statement per language, monitoring and review), the
site configuration, and the tooling around it: editor schemas, a pre-commit hook
and CI for GitHub and GitLab. Everything is written as new files only: if any of
them is already there, nothing at all is written.

A team that already has a repository (a README, its own .gitignore or CI) asks to
skip what is there instead: the missing files are written, and each file left alone
comes back with what to add to it by hand. An existing file is never written to,
appended to or read through a link: a team's .gitignore or CI file is theirs, and a
merge done by a tool is a merge nobody reviewed.

Every YAML file init writes passes yamllint's default configuration: a team that
lints its YAML gets no problems from day one.
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

from crisisplan.errors import CrisisplanError
from crisisplan.files import UnsafeFile, WriteRefused, read_bounded, write_new
from crisisplan.plan.schema import SCHEMA_NAMES, schema_text
from crisisplan.render.templating import environment
from crisisplan.suggest import slug

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
# yamllint's default line-length: longer text values are written as folded blocks.
LINE_WIDTH = 80
# What init reads of a file it left alone, to tell what is missing from it.
_READ_LIMIT = 1 << 20


class InitError(CrisisplanError):
    """Init will not write; ``hint`` says what to do instead."""

    def __init__(self, message: str, hint: str = "", existing: tuple[Path, ...] = ()) -> None:
        super().__init__(message, hint)
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
    # Write what is missing and leave the rest, instead of writing nothing at all.
    skip_existing: bool = False
    # The GitHub workflow also uploads the check's SARIF to code scanning.
    code_scanning: bool = False


@dataclass(frozen=True)
class Skipped:
    """A file init left alone, why, and what to add to it by hand."""

    path: PurePosixPath
    reason: str  # "already there", ".vscode is a symbolic link"
    advice: str = ""  # what to do about it ("add these lines to it:"); "" for nothing
    addition: str = ""  # the text the advice speaks of, ready to paste; "" for none


@dataclass(frozen=True)
class InitResult:
    written: tuple[PurePosixPath, ...]
    plan: PurePosixPath
    untranslated: tuple[str, ...]  # languages given the English text, to translate
    skipped: tuple[Skipped, ...] = ()


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


# A line holding one value: its indentation and list dashes, an optional key, the value.
_VALUE_LINE = re.compile(r"(?P<lead> *(?:- )*)(?:(?P<key>[A-Za-z0-9_][\w.-]*): )?(?P<value>\S.*)\Z")
# A line whose value is a block scalar (`run: |`, `- >-`): the lines below it are text.
_BLOCK_START = re.compile(r"(?:^ *-|:) +[|>][+-]?\Z")


def fit_width(document: str) -> str:
    """``document`` with each text value too long for an 80-column line written as a
    folded block (``key: >-`` and the words on the lines below), which reads back as
    the same text: yamllint's default line-length passes, and no text is shortened.

    Only values written the way this module writes scalars are folded, and never a
    line inside a block scalar (a shell script's line is not a value).
    """
    lines: list[str] = []
    block_indent: int | None = None
    for line in document.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            lines.append(line)
            continue
        block_indent = indent if _BLOCK_START.search(line) else None
        lines.append(_folded(line) if len(line) > LINE_WIDTH else line)
    return "\n".join(lines)


def _folded(line: str) -> str:
    found = _VALUE_LINE.match(line)
    if found is None:
        return line
    try:
        value = yaml.safe_load(found["value"])
    except yaml.YAMLError:
        return line
    # Only a value exactly as _yaml_scalar writes it: never a flow list, a value with a
    # comment after it, or anything else whose meaning could change.
    if not isinstance(value, str) or _yaml_scalar(value) != found["value"]:
        return line
    words = value.split(" ")
    if any(not word or "\t" in word for word in words):
        return line  # runs of spaces or tabs do not survive folding
    lead, key = found["lead"], found["key"]
    # The text goes one step deeper than what it belongs to: the key, or the dash.
    indent = len(lead) + 2 if key else len(lead)
    head = f"{lead}{key}: >-" if key else f"{lead.rstrip()} >-"
    rows = [words[0]]
    for word in words[1:]:
        if indent + len(rows[-1]) + 1 + len(word) <= LINE_WIDTH:
            rows[-1] += " " + word
        else:
            rows.append(word)
    if yaml.safe_load("k: >-\n" + "".join(f"  {row}\n" for row in rows)) != {"k": value}:
        return line
    return "\n".join([head, *(" " * indent + row for row in rows)])


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
            # The modeline first, where editors look for it; then the document start
            # yamllint asks for.
            header = "# yaml-language-server: $schema=../../../schema/scenario.schema.json\n---\n"
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
            code_scanning=options.code_scanning,
        )
    return {path: fit_width(text) if path.suffix in (".yaml", ".yml") else text for path, text in files.items()}


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
    """Write the starting files into ``options.target``.

    By default nothing is written when any of them is there: InitError lists them
    all. With ``skip_existing``, the missing ones are written and each one there is
    returned as Skipped, with what to add to it. The plan's files are written all or
    none: a scenario means nothing without its plan. Raises WriteRefused/OSError from
    writing itself, after taking back what this run wrote.
    """
    files = plan_files(options)
    target = options.target
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} is a file, not a folder", "give a folder, or leave it out to use this one")
    if target.is_symlink():
        raise InitError(f"{target} is a symbolic link; crisisplan does not write through links", "give the real folder")
    in_the_way = {path: found for path in files if (found := _in_the_way(target, path))}
    if in_the_way and not options.skip_existing:
        existing = tuple(dict.fromkeys(in_the_way.values()))
        raise InitError(
            f"{len(existing)} of the files init writes {'is' if len(existing) == 1 else 'are'} already there; nothing was written",
            "run crisisplan init in an empty folder, move these away first, "
            "or add --skip-existing to write only what is missing",
            existing,
        )
    plan = next(p for p in files if p.name == "plan.yaml" or p.parent == PurePosixPath("plans"))
    plan_paths = [path for path in files if path.parts[0] == "plans"]
    left_alone = set(in_the_way)
    skipped: list[Skipped] = []
    blocking = [in_the_way[path] for path in plan_paths if path in in_the_way]
    if blocking:
        skipped.append(_plan_skipped(target, plan, blocking[0]))
        left_alone.update(plan_paths)
    skipped.extend(
        _skipped(target, path, found, files[path]) for path, found in in_the_way.items() if path not in plan_paths
    )
    target.mkdir(parents=True, exist_ok=True)
    written: list[PurePosixPath] = []
    for path, text in files.items():
        if path in left_alone:
            continue
        try:
            write_new(target / path, text.encode("utf-8"), within=target)
        except WriteRefused:
            # A file appeared while writing: take back what this run wrote.
            for done in written:
                (target / done).unlink(missing_ok=True)
            raise
        written.append(path)
    return InitResult(tuple(written), plan, untranslated_languages(options.languages), tuple(skipped))


def _relative(target: Path, found: Path) -> PurePosixPath:
    return PurePosixPath(found.relative_to(target).as_posix())


def _plan_skipped(target: Path, plan: PurePosixPath, found: Path) -> Skipped:
    """The starting plan, left out whole because one of its files is in the way."""
    shown = plan.parent if plan.name == "plan.yaml" else plan
    blocker = _relative(target, found)
    if found.is_symlink():
        reason = f"{blocker} is a symbolic link"
    elif blocker in (plan, shown):
        reason = "already there"
    elif blocker in plan.parents:
        reason = f"{blocker} is a file, not a folder"
    else:
        reason = f"{blocker} is already there"
    return Skipped(
        shown,
        reason,
        "crisisplan check --strict checks it as it is; to start another plan beside it, "
        "run init again with another --organisation",
    )


def _skipped(target: Path, path: PurePosixPath, found: Path, ours: str) -> Skipped:
    """A tooling file init leaves alone: why, and what it would have added."""
    blocker = _relative(target, found)
    theirs = None
    if blocker != path:
        kind = "a symbolic link" if found.is_symlink() else "a file, not a folder"
        reason = f"{blocker} is {kind}"
    elif found.is_symlink():
        reason = "a symbolic link is there"
    elif found.is_dir():
        reason = "a folder is there"
    else:
        theirs = _read_existing(found, target)
        if theirs == ours:
            return Skipped(path, "already there, as init writes it")
        reason = "already there"
    advice, addition = _what_to_add(path, ours, theirs)
    return Skipped(path, reason, advice, addition)


def _read_existing(found: Path, target: Path) -> str | None:
    """A regular file's text, to tell what it lacks; None for anything else.

    Never through a link: init's caller made sure no folder on the way is one, and a
    link in the file's place is not read at all.
    """
    if found.is_symlink() or not found.is_file():
        return None
    try:
        data = read_bounded(found, _READ_LIMIT, boundary=target.resolve())
        return None if len(data) > _READ_LIMIT else data.decode("utf-8")
    except (UnsafeFile, OSError, UnicodeDecodeError):
        return None


def _what_to_add(path: PurePosixPath, ours: str, theirs: str | None) -> tuple[str, str]:
    """What to say about a file left alone, and the text to add to it (or "").

    ``theirs`` is the file's text when it could be read: then only what it lacks is
    asked for.
    """
    name = path.as_posix()
    if name == ".gitignore":
        return _gitignore_advice(ours, theirs)
    if name == ".pre-commit-config.yaml":
        if theirs is not None and _runs_crisisplan_hook(theirs):
            return "it already runs the crisisplan-check hook; nothing to add", ""
        return "add this under its repos:", ours.split("repos:\n", 1)[1]
    if name == ".gitlab-ci.yml":
        return "add these jobs to it:", _body(ours)
    if path.parent == PurePosixPath(".github/workflows"):
        return "save this as another workflow in .github/workflows/:", ours
    if name == ".vscode/settings.json":
        schemas: dict[str, list[str]] = json.loads(ours)["yaml.schemas"]
        lines = [f"{json.dumps(schema)}: {json.dumps(globs)}," for schema, globs in schemas.items()]
        return 'add these to its "yaml.schemas":', "\n".join(lines).rstrip(",") + "\n"
    if name == "mkdocs.yml":
        return "crisisplan builds the site with it as it is (theme: material, or no theme)", ""
    if path.parent == PurePosixPath("schema"):
        return "it differs from this crisisplan's; crisisplan schema --write --force updates the schemas", ""
    return "", ""


def _gitignore_advice(ours: str, theirs: str | None) -> tuple[str, str]:
    def pattern(line: str) -> str:
        # /site/, site/ and site all keep site/ out of git.
        return line.strip().strip("/")

    present = {pattern(line) for line in (theirs or "").splitlines()}
    comments = [line for line in ours.splitlines() if line.startswith("#")]
    missing = [line for line in ours.splitlines() if line and not line.startswith("#") and pattern(line) not in present]
    if not missing:
        return "it already keeps out of git what crisisplan writes; nothing to add", ""
    return "add these lines to it:", "\n".join([*comments, *missing]) + "\n"


def _runs_crisisplan_hook(text: str) -> bool:
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    repos = config.get("repos") if isinstance(config, dict) else None
    hooks = [
        hook
        for repo in (repos if isinstance(repos, list) else [])
        if isinstance(repo, dict) and isinstance(repo.get("hooks"), list)
        for hook in repo["hooks"]
    ]
    return any(isinstance(hook, dict) and hook.get("id") == "crisisplan-check" for hook in hooks)


def _body(document: str) -> str:
    """A YAML file's content after its opening comment and document start."""
    return document.split("\n---\n", 1)[-1]


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
