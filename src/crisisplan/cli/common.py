"""Options and helpers shared by the commands: where plans are, today, and failing cleanly."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from crisisplan.check.formats import FORMATS
from crisisplan.errors import EXIT_PROBLEMS

if TYPE_CHECKING:
    from crisisplan.check.settings import Config
    from crisisplan.plan.model import Plan
    from crisisplan.publish.options import BuildOptions

DEFAULT_PLANS = Path("plans")

paths_argument = click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path),
    metavar="[PATH]...",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How to report problems: text for people, json for tools, github for GitHub Actions "
    "annotations, sarif for code scanning (SARIF 2.1.0), gitlab for GitLab Code Quality.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print only the problems: no summary or progress."
)
verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also say, on standard error, which plans were checked (and, for build, each edition and PDF).",
)


def _quiet_or_verbose(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")
strict_option = click.option(
    "--strict/--no-strict",
    default=False,
    help="Fail on warnings too (unapproved statements, overdue reviews); --no-strict overrides strict: true in crisisplan.yaml.",
)


def _project_config() -> Config:
    """crisisplan.yaml where crisisplan runs (an empty Config when there is none)."""
    from crisisplan.check.settings import load_config

    return load_config()


def _configured(name: str, given: Any, configured: Any) -> Any:
    """An option's value: as given on the command line, else crisisplan.yaml's, else the default."""
    from click.core import ParameterSource

    context = click.get_current_context(silent=True)
    if configured is None or context is None:
        return given
    return configured if context.get_parameter_source(name) is ParameterSource.DEFAULT else given


def _today() -> dt.date:
    """Today, or CRISISPLAN_TODAY (YYYY-MM-DD) so that checks can be reproduced."""
    from crisisplan.plan.today import TodayError, today

    try:
        return today()
    except TodayError as error:
        raise click.UsageError(str(error)) from None


def _plan_paths(paths: tuple[Path, ...], config: Config | None = None) -> list[Path]:
    if paths:
        return list(paths)
    if config is not None and (config.plans or config.plans_set):
        # None, when every path crisisplan.yaml names was refused: its report says
        # why, rather than plans/ being checked in their place.
        return list(config.plans)
    if not DEFAULT_PLANS.exists():
        raise click.UsageError(
            "there is no plans/ folder here: give the path of a plan, like 'crisisplan check my-plan.yaml'"
        )
    return [DEFAULT_PLANS]


def _build_options(
    paths: tuple[Path, ...],
    site_dir: Path,
    strict: bool,
    no_pdf: bool,
    paper: str,
    config_file: Path | None,
    audience: str = "internal",
    force: bool = False,
    cache: bool = True,
    engine: str = "mkdocs",
) -> BuildOptions:
    from crisisplan.publish.options import BuildOptions

    _refuse_stdin(paths)
    _build_epoch()
    check_config = _project_config()
    if config_file is None and (Path("mkdocs.yml").is_file() or Path("mkdocs.yml").is_symlink()):
        config_file = _found_mkdocs_config(Path("mkdocs.yml"))
    return BuildOptions(
        paths=_plan_paths(paths, check_config),
        site_dir=_configured_site_dir(site_dir, config_file),
        config_file=config_file,
        strict=_configured("strict", strict, check_config.strict),
        pdf=not no_pdf,
        paper=paper,
        today=_today(),
        public=audience == "public",
        force=force,
        cache=cache,
        engine=engine,
        check_config=check_config,
    )


def _refuse_stdin(paths: tuple[Path, ...], option: str = "") -> None:
    """'-' (a plan on standard input) is for check only: sites and the incident tools
    read plans from files. option: how the paths were given, like --plan."""
    from crisisplan.plan.discovery import STDIN

    if any(str(path) == STDIN for path in paths):
        context = click.get_current_context(silent=True)
        command = context.info_name if context is not None else "build"
        given = f"{option} -" if option else "-"
        example = f"{option} plans/acme.yaml" if option else f"crisisplan {command} plans/acme.yaml"
        raise click.UsageError(
            f"{given} (a plan on standard input) works only for 'crisisplan check'; "
            f"give the plan's file or folder, like {example}"
        )


def _build_epoch() -> None:
    """SOURCE_DATE_EPOCH, refused as CRISISPLAN_TODAY is when it cannot be used."""
    from crisisplan.publish.editions import EpochError, build_epoch

    try:
        build_epoch()
    except EpochError as error:
        raise click.UsageError(f"{error.message}\n  hint: {error.hint}") from None


def _found_mkdocs_config(path: Path) -> Path:
    """mkdocs.yml found here (not named with --config-file) is read as a plan file
    is: never through a link out of the repository, whose settings (and errors
    quoting them) would reach the site and the build log."""
    from crisisplan.files import UnsafeFile, boundary_for, check_inside

    try:
        check_inside(path, boundary_for(path))
    except UnsafeFile as exc:
        raise click.UsageError(f"{path}: {exc.message}\n  hint: replace the link with the file itself, or name a configuration with --config-file") from None
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return path


def _configured_site_dir(site_dir: Path, config_file: Path | None) -> Path:
    """site_dir from mkdocs.yml when --site-dir is not given (an explicit --site-dir
    wins, as MkDocs' own does); the build's site-folder guards apply to either."""
    from click.core import ParameterSource

    context = click.get_current_context(silent=True)
    if context is None or context.get_parameter_source("site_dir") is not ParameterSource.DEFAULT:
        return site_dir  # given on the command line, or a command without the option (serve)
    from crisisplan.publish.site.mkdocs_site import site_dir_of

    return site_dir_of(config_file) or site_dir


site_dir_option = click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where to publish the site (without it: site_dir in mkdocs.yml, if set). It is replaced only when the whole build succeeds.",
)
no_pdf_option = click.option("--no-pdf", is_flag=True, help="Skip the PDF runbooks (faster).")
paper_option = click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="PDF paper size.",
)
config_option = click.option(
    "--config-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The MkDocs configuration (default: mkdocs.yml here, if there is one).",
)


def _load_plans(paths: list[Path]) -> list[Plan]:
    """Plans for the incident tools: usable even if a check fails elsewhere in them."""
    from crisisplan.check.pipeline import check_paths
    from crisisplan.check.report import TextReporter

    report = check_paths(paths, today=_today())
    plans = [checked.plan for checked in report.plans if checked.plan is not None]
    if not plans:
        click.echo(TextReporter().render(report), nl=False, err=True)
        sys.exit(EXIT_PROBLEMS)
    if report.errors:
        click.echo(
            f"note: the plans have {report.errors} error(s); 'crisisplan check' shows them",
            err=True,
        )
    return plans


def _fail(message: str, hint: str = "", code: int = EXIT_PROBLEMS) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)


engine_option = click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site generator: MkDocs with Material, or Zensical, its successor (pip install 'crisisplan[zensical]'; search is not yet tuned for it).",
)

plan_option = click.option(
    "--plan",
    "plan_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The plan (default: every plan under plans/).",
)
