"""`crisisplan init`: a new repository's plan, site configuration and tooling."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crisisplan.cli.common import _fail, _today
from crisisplan.errors import EXIT_PROBLEMS, EXIT_USAGE


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path(), required=False)
@click.option(
    "--organisation",
    "--organization",
    default="Example Co",
    show_default=True,
    help="The organisation or brand the plan is for; it also names the plan's file.",
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="CODE",
    help="A language of the plan, the main one first: --language id --language en. Default: en.",
)
@click.option(
    "--layout",
    type=click.Choice(["file", "folder"]),
    default="file",
    show_default=True,
    help="One plan file, or a folder with plan.yaml and a file per scenario (smaller reviews).",
)
@click.option(
    "--source",
    default=None,
    help="Where your team installs crisisplan from (a git URL or a path), for the pre-commit and CI files. Default: where this crisisplan was installed from.",
)
@click.option(
    "--rev",
    default=None,
    help="The git tag, branch or commit of --source to use. Default: the installed commit.",
)
@click.option(
    "--skip-existing",
    is_flag=True,
    help="In a repository that has some of these files already (a .gitignore, its own CI): "
    "write the others, leave those as they are, and say what to add to each.",
)
@click.option(
    "--code-scanning",
    is_flag=True,
    help="The GitHub workflow also uploads the problems to code scanning (SARIF); "
    "a private repository needs GitHub Advanced Security for it.",
)
def init(
    folder: Path,
    organisation: str,
    languages: tuple[str, ...],
    layout: str,
    source: str | None,
    rev: str | None,
    skip_existing: bool,
    code_scanning: bool,
) -> None:
    """Start a repository of crisis plans in FOLDER (default: here).

    Writes a small plan that passes `crisisplan check --strict` (two scenarios, three
    severity levels, a team with deputies, statements in every language), mkdocs.yml,
    .gitignore, the schemas and VS Code settings for editor help, a pre-commit
    configuration, and CI for GitHub Actions and GitLab. Never writes over a file: if
    any of them is there already, nothing is written, or with --skip-existing, the
    others are written and init says what to add to the ones already there.
    """
    from crisisplan.files import describe_os_error
    from crisisplan.publish.scaffold import InitError, InitOptions, Source, init, installed_source

    installed = installed_source()
    chosen = Source(
        source or installed.url,
        rev or (installed.rev if source is None else "main"),
        known=installed.known or source is not None,
    )
    options = InitOptions(
        target=folder,
        today=_today(),
        source=chosen,
        organisation=organisation,
        languages=languages or ("en",),
        layout="folder" if layout == "folder" else "file",
        skip_existing=skip_existing,
        code_scanning=code_scanning,
    )
    try:
        result = init(options)
    except InitError as exc:
        if exc.existing:
            click.echo(f"error: {exc.message}:", err=True)
            for path in exc.existing:
                click.echo(f"  {path}", err=True)
            click.echo(f"  hint: {exc.hint}", err=True)
            sys.exit(EXIT_PROBLEMS)
        _fail(exc.message, exc.hint, code=EXIT_USAGE)
    except OSError as exc:
        _fail(f"cannot write into {folder}: {describe_os_error(exc)}")
    for written in result.written:
        click.echo(f"created {folder / written}")
    for skipped in result.skipped:
        advice = f": {skipped.advice}" if skipped.advice else ""
        click.echo(f"skipped {folder / skipped.path} ({skipped.reason}){advice}")
        # Unindented, so that it can be pasted as it is (a .gitignore line with a
        # leading space is another pattern); a blank line ends it.
        if skipped.addition:
            click.echo(skipped.addition.rstrip("\n") + "\n")
    if result.untranslated:
        click.echo(
            f"note: crisisplan has no starting text in {', '.join(result.untranslated)}: "
            "those texts are in English, to translate",
            err=True,
        )
    if not chosen.known:
        click.echo(
            "note: crisisplan cannot tell where it was installed from: put your team's git URL "
            "of crisisplan in .pre-commit-config.yaml and the CI files (or run init with --source)",
            err=True,
        )
    elif chosen.is_path:
        click.echo(
            f"note: crisisplan was installed from the folder {chosen.url}, which CI cannot reach: "
            "put your team's git URL of crisisplan in the CI files (or run init with --source)",
            err=True,
        )
    steps = [] if folder == Path() else [f"cd {folder}"]
    to_complete = [str(skipped.path) for skipped in result.skipped if skipped.addition]
    if to_complete:
        steps.append(f"add by hand what is shown above for {_and(to_complete)}")
    steps += [
        f"edit {result.plan}: your people, numbers and texts",
        "crisisplan check --strict",
        "crisisplan build, then open site/index.html",
    ]
    # After a pasteable block, its closing blank line already separates.
    ended_blank = bool(result.skipped) and bool(result.skipped[-1].addition)
    click.echo("Next:" if ended_blank else "\nNext:")
    for number, step in enumerate(steps, 1):
        click.echo(f"  {number}. {step}")


def _and(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
