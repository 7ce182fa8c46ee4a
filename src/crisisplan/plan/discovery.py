"""Which plans the paths a user named stand for, and a plan's files merged into one.

A plan is a single YAML file, a folder with plan.yaml and scenarios/ (reviews/
beside them), or a single-file plan read from standard input (``-``). Reading each
file is crisisplan.plan.yamlfile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from crisisplan.diagnostics import Diagnostic, Location
from crisisplan.files import boundary_for, describe_os_error, special_file
from crisisplan.plan.yamlfile import (
    MAX_FILE_BYTES,
    PLAN_FILE_NAMES,
    Document,
    LoadError,
    load_file,
)

YAML_SUFFIXES = (".yaml", ".yml")

# The path that means "read the plan from standard input" (as in yamllint), and the
# name diagnostics give it.
STDIN = "-"
STDIN_NAME = "<stdin>"
# Names of standard input as a file. It is never opened as one: a pipe is refused like
# any other (CP014), and a hint points to '-'.
_STDIN_FILES = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


@dataclass(frozen=True)
class PlanSource:
    """One plan: a single YAML file, or a folder with plan.yaml and scenarios/, or
    (``data`` set) a single-file plan read from standard input."""

    path: Path
    is_folder: bool
    data: bytes | None = field(default=None, repr=False)

    @property
    def is_stdin(self) -> bool:
        return self.data is not None

    @property
    def shown(self) -> str:
        """How reports name the plan: as given, or <stdin>."""
        return STDIN_NAME if self.is_stdin else str(self.path)

    @property
    def plan_file(self) -> Path:
        if not self.is_folder:
            return self.path
        for name in PLAN_FILE_NAMES:
            if (self.path / name).is_file():
                return self.path / name
        return self.path / PLAN_FILE_NAMES[0]

    def scenario_files(self) -> list[Path]:
        return _yaml_files(self.path / "scenarios") if self.is_folder else []

    @property
    def reviews_dir(self) -> Path:
        """Where post-crisis reviews live: reviews/ in a folder plan, and
        reviews/<name>/ beside a single-file plan."""
        if self.is_folder:
            return self.path / "reviews"
        return self.path.parent / "reviews" / self.path.stem

    def review_files(self) -> list[Path]:
        # A plan from standard input has no folder, so no reviews beside it.
        return [] if self.is_stdin else _yaml_files(self.reviews_dir)

    def files(self) -> list[Path]:
        return [self.plan_file, *self.scenario_files(), *self.review_files()]


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Links are listed too, dangling ones included, and so are pipes, devices and
    # sockets: reading them reports what is wrong (CP014) instead of skipping a
    # scenario without a word.
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and (p.is_symlink() or not p.is_dir()) and not p.name.startswith(".")
        # The project's check settings (crisisplan.check.settings) sit beside the plans, not among them.
        and p.name != "crisisplan.yaml"
    )


def _is_plan_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in PLAN_FILE_NAMES)


def _plans_in(folder: Path, depth: int = 0) -> Iterator[PlanSource]:
    if _is_plan_folder(folder):
        yield PlanSource(folder, True)
        return
    for path in _yaml_files(folder):
        yield PlanSource(path, False)
    if depth < 3:
        for sub in sorted(
            p
            for p in folder.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_")) and p.name not in ("reviews", "scenarios")
        ):
            yield from _plans_in(sub, depth + 1)


def _plan_of_file(path: Path) -> PlanSource:
    """The plan a file belongs to: a folder plan for its plan.yaml, scenarios and
    reviews, a single-file plan for its reviews, else the file itself."""
    parent = path.parent
    if path.name in PLAN_FILE_NAMES:
        return PlanSource(parent, True)
    if parent.name in ("scenarios", "reviews") and _is_plan_folder(parent.parent):
        return PlanSource(parent.parent, True)
    if parent.parent.name == "reviews" and (parent.parent.parent / f"{parent.name}.yaml").is_file():
        return PlanSource(parent.parent.parent / f"{parent.name}.yaml", False)
    return PlanSource(path, False)


def _read_stdin(stdin: BinaryIO) -> bytes:
    """At most one byte past the size limit, so that an endless pipe cannot fill memory."""
    chunks: list[bytes] = []
    left = MAX_FILE_BYTES + 1
    while left > 0:
        chunk = stdin.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def discover(paths: list[Path], stdin: BinaryIO | None = None) -> tuple[list[PlanSource], list[Diagnostic]]:
    """Turn the paths a user named into plans.

    A file inside a folder plan (its plan.yaml or one of its scenarios, as an editor's
    save hook passes it) stands for the whole folder plan: references reach across
    its files. ``-`` reads one single-file plan from ``stdin``, when given.
    """
    found: list[PlanSource] = []
    problems: list[Diagnostic] = []
    from_stdin: bytes | None = None
    for path in paths:
        if stdin is not None and str(path) == STDIN:
            if from_stdin is None:
                try:
                    from_stdin = _read_stdin(stdin)
                except OSError as exc:
                    problems.append(
                        Diagnostic.at(
                            Location(STDIN_NAME),
                            "CP011",
                            f"cannot read standard input: {describe_os_error(exc)}",
                            "pipe the plan in: crisisplan check - < plan.yaml",
                        )
                    )
                    continue
                found.append(PlanSource(Path(STDIN), False, from_stdin))
            continue
        problem = _unusable(path)
        if problem is not None:
            problems.append(problem)
        elif path.is_file():
            found.append(_plan_of_file(path))
        else:
            plans = list(_plans_in(path))
            if not plans:
                problems.append(
                    Diagnostic.at(
                        Location(str(path)),
                        "CP012",
                        "no plans in this folder",
                        "a plan is a .yaml file, or a folder holding plan.yaml and a scenarios/ folder",
                    )
                )
            found.extend(plans)
    unique: dict[Path | str, PlanSource] = {}
    for plan in found:
        unique.setdefault(STDIN_NAME if plan.is_stdin else plan.path.resolve(), plan)
    return list(unique.values()), problems


def _unusable(path: Path) -> Diagnostic | None:
    """Why a named path cannot be a plan or hold plans: standard input named as a
    file, nothing there, or a pipe, device or socket; None for a file or folder."""
    if str(path) in _STDIN_FILES:
        return Diagnostic.at(
            Location(str(path)),
            "CP014",
            "this is standard input, not a file crisisplan can read",
            "to check a plan from standard input, give '-' instead: crisisplan check - < plan.yaml",
        )
    if not path.exists():
        return Diagnostic.at(
            Location(str(path)),
            "CP011",
            "no such file or folder",
            "check the path; plans usually live in plans/",
        )
    if not path.is_file() and not path.is_dir():
        problem = special_file(path)
        return Diagnostic.at(Location(str(path)), problem.code, problem.message, problem.hint)
    return None


def load_plan(source: PlanSource) -> tuple[Document | None, list[Diagnostic]]:
    """Load a plan's files and merge scenario files into its ``scenarios`` list."""
    problems: list[Diagnostic] = []
    # Standard input has no folder: no boundary, and no other files to read.
    boundary = None if source.is_stdin else boundary_for(source.path)
    try:
        plan = load_file(source.plan_file, STDIN_NAME if source.is_stdin else None, boundary, source.data)
    except LoadError as exc:
        plan = None
        problems.append(exc.diagnostic)
    parts: dict[str, list[Document]] = {"scenarios": [], "reviews": []}
    for key, paths in (("scenarios", source.scenario_files()), ("reviews", source.review_files())):
        for path in paths:
            try:
                parts[key].append(load_file(path, boundary=boundary))
            except LoadError as exc:
                problems.append(exc.diagnostic)
    for doc in ([plan] if plan else []) + parts["scenarios"] + parts["reviews"]:
        problems.extend(doc.warnings)
    if plan is None:
        return None, problems
    for key, docs in parts.items():
        if not docs:
            continue
        listed = plan.data.setdefault(key, [])
        if not isinstance(listed, list):
            continue  # the schema reports the wrong type where it was written
        if (key,) not in plan.locator.values:
            plan.locator.values[(key,)] = docs[0].locator.value(())
        for doc in docs:
            plan.locator.graft(doc.locator, (key, len(listed)))
            listed.append(doc.data)
    return plan, problems
