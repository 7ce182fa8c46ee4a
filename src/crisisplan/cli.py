"""The command line: options in, one core call, a reporter, an exit code. Nothing else."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from crisisplan import __version__

if TYPE_CHECKING:
    from crisisplan.build import BuildOptions
    from crisisplan.model import Plan

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
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
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How to report problems: text for people, json for tools, github for GitHub Actions annotations.",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Fail on warnings too (unapproved statements, overdue reviews)."
)


def _today() -> dt.date:
    """Today, or CRISISPLAN_TODAY (YYYY-MM-DD) so that checks can be reproduced."""
    fixed = os.environ.get("CRISISPLAN_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise click.UsageError(f"CRISISPLAN_TODAY must be a date like 2026-11-22, not '{fixed}'") from None


def _plan_paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_PLANS.exists():
        raise click.UsageError(
            "there is no plans/ folder here: give the path of a plan, like 'crisisplan check my-plan.yaml'"
        )
    return [DEFAULT_PLANS]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crisisplan")
def cli() -> None:
    """Check and publish crisis-management plans written in YAML."""


@cli.command()
@paths_argument
@format_option
@strict_option
def check(paths: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check plans for mistakes and say where each one is.

    PATH is a plan file, a plan folder (plan.yaml plus scenarios/), or a folder of
    plans; the default is plans/. Exits 0 when clean, 1 when there are problems
    (warnings count only with --strict), 2 on a usage error.
    """
    from crisisplan.checker import check_paths
    from crisisplan.reporters import REPORTERS

    report = check_paths(_plan_paths(paths), today=_today())
    click.echo(REPORTERS[output_format]().render(report), nl=False)
    sys.exit(EXIT_PROBLEMS if report.failed(strict) else EXIT_OK)


def _print_progress(done: int, total: int, name: str) -> None:
    line = f"Rendering PDFs [{done}/{total}] {name}"
    if sys.stderr.isatty():
        click.echo(f"\r\033[K{line}", err=True, nl=done == total)
    else:
        click.echo(line, err=True)


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
) -> BuildOptions:
    from crisisplan.build import BuildOptions

    if config_file is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    return BuildOptions(
        paths=_plan_paths(paths),
        site_dir=site_dir,
        config_file=config_file,
        strict=strict,
        pdf=not no_pdf,
        paper=paper,
        today=_today(),
        public=audience == "public",
        force=force,
        cache=cache,
    )


site_dir_option = click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where to publish the site. It is replaced only when the whole build succeeds.",
)
no_pdf_option = click.option("--no-pdf", is_flag=True, help="Skip the PDF runbooks (faster).")
paper_option = click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="PDF paper size."
)
config_option = click.option(
    "--config-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The MkDocs configuration (default: mkdocs.yml here, if there is one).",
)


@cli.command(name="build")
@paths_argument
@strict_option
@no_pdf_option
@site_dir_option
@paper_option
@config_option
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="public leaves personal contacts and internal fields out of every page, the search and every PDF.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace a site folder that holds files crisisplan did not write (never the repository, a plan or the docs).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Render every PDF again instead of reusing those rendered from the same content (kept in .crisisplan-cache/).",
)
@format_option
def build_command(
    paths: tuple[Path, ...],
    strict: bool,
    no_pdf: bool,
    site_dir: Path,
    paper: str,
    config_file: Path | None,
    audience: str,
    force: bool,
    no_cache: bool,
    output_format: str,
) -> None:
    """Check the plans, then publish the runbook site and PDF runbooks.

    Nothing is published when a plan has errors (or warnings, with --strict): the
    previous site is left exactly as it was, as it is when a build fails or is
    interrupted.
    """
    from crisisplan.build import BuildError, build
    from crisisplan.reporters import REPORTERS

    options = _build_options(paths, site_dir, strict, no_pdf, paper, config_file, audience, force, not no_cache)

    def waiting() -> None:
        click.echo(f"Waiting for another crisisplan build of {site_dir}/ to finish...", err=True)

    try:
        result = build(options, progress=_print_progress, waiting=waiting)
    except BuildError as exc:
        raise click.ClickException(f"{exc}\n{site_dir}/ was left as it was.") from None
    report = result.report
    if report.diagnostics or not result.built:
        click.echo(REPORTERS[output_format]().render(report), nl=False)
    if not result.built:
        click.echo(f"Nothing published: fix the problems above. {site_dir}/ was left as it was.", err=True)
        sys.exit(EXIT_PROBLEMS)
    reused = f"; {len(result.pdfs_reused)} unchanged, from the cache" if result.pdfs_reused else ""
    pdfs = f", {result.pdfs} PDFs ({result.pdf_pages} pages, {result.pdf_seconds:.1f}s{reused})" if result.pdfs else ""
    edition = " (public edition)" if options.public else ""
    click.echo(f"Built {site_dir}/{edition} in {result.seconds:.1f}s: {result.pages} pages{pdfs}")
    for warning in result.warnings:
        click.echo(f"mkdocs: {warning}", err=True)


@cli.command()
@paths_argument
@paper_option
@config_option
@click.option("--pdf", "with_pdf", is_flag=True, help="Render the PDF runbooks on every rebuild too.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port on localhost.")
def serve(paths: tuple[Path, ...], paper: str, config_file: Path | None, with_pdf: bool, port: int) -> None:
    """Preview the site on localhost, rebuilding when a plan file changes.

    The preview is built in a private folder; the published site/ is not touched.
    Stop with Ctrl-C.
    """
    import tempfile

    from crisisplan.reporters import TextReporter
    from crisisplan.serve import rebuilds, start_server

    with tempfile.TemporaryDirectory(prefix="crisisplan-preview-") as preview:
        site = Path(preview) / "site"
        site.mkdir()
        options = _build_options(paths, site, False, not with_pdf, paper, config_file)
        try:
            server = start_server(site, "127.0.0.1", port)
        except OSError as exc:
            raise click.ClickException(f"cannot listen on port {port}: {exc.strerror}") from None
        click.echo(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        watch = [p for p in (options.config_file, Path("docs")) if p is not None]
        try:
            for count, result in enumerate(rebuilds(options, watch)):
                if result.report.diagnostics:
                    click.echo(TextReporter().render(result.report), nl=False)
                if result.error:
                    click.echo(f"error: {result.error}", err=True)
                if result.built:
                    verb = "Rebuilt" if count else "Built"
                    click.echo(f"{verb} in {result.seconds:.1f}s: {result.pages} pages")
                else:
                    click.echo("Not rebuilt: fix the problems above; the preview shows the last good build.")
        finally:
            server.shutdown()
        server.server_close()


def _load_plans(paths: list[Path]) -> list[Plan]:
    """Plans for the incident tools: usable even if a check fails elsewhere in them."""
    from crisisplan.checker import check_paths
    from crisisplan.reporters import TextReporter

    report = check_paths(paths, today=_today())
    plans = [checked.plan for checked in report.plans if checked.plan is not None]
    if not plans:
        click.echo(TextReporter().render(report), nl=False, err=True)
        sys.exit(EXIT_PROBLEMS)
    if report.errors:
        click.echo(
            f"note: the plans have {report.errors} error(s); 'crisisplan check' shows them", err=True
        )
    return plans


def _fail(message: str, hint: str = "", code: int = EXIT_PROBLEMS) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    sys.exit(code)


@cli.command()
@paths_argument
@click.option("--search", "-s", "words", default="", help="Words to look for: a trigger, a hashtag, a product.")
def scenarios(paths: tuple[Path, ...], words: str) -> None:
    """List the scenarios with severity and triggers; with --search, best matches first."""
    from crisisplan.incident import find_scenarios, next_command

    plans = _load_plans(_plan_paths(paths))
    matches = find_scenarios(plans, words)
    if not matches:
        _fail(f"no scenario matches '{words}'", "try another word, or 'crisisplan scenarios' for the full list")
    several = len(plans) > 1
    width = max(len(m.scenario.id) for m in matches)
    for match in matches:
        scenario, plan = match.scenario, match.plan
        level = plan.severity(scenario.severity)
        label = f"[{level.name}]" if level else ""
        owner = f"  ({plan.organisation})" if several else ""
        click.echo(f"{scenario.id:<{width}}  {label}  {scenario.title}{owner}")
        if scenario.triggers:
            click.echo(f"{'':<{width}}  triggers: {' · '.join(scenario.triggers)}")
        if match.matched:
            where = "; ".join(f"{term} ({', '.join(dict.fromkeys(fields))})" for term, fields in match.matched.items())
            click.echo(f"{'':<{width}}  matched: {where}")
    if words:
        click.echo("\nNext: " + next_command(matches[0].plan, matches[0].scenario), err=True)


def _values(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not name=value, like --set product=\"Oat Latte\"", param_hint="--set")
        values[name.strip().strip("{}")] = value
    return values


@cli.command()
@click.argument("scenario_id", metavar="SCENARIO", required=False)
@click.option("--channel", "-c", help="The channel id to post on; its character limit applies.")
@click.option("--lang", "-l", "language", help="The language (default: the plan's first).")
@click.option("--statement", "statement_id", help="Which of the scenario's statements (default: the main one).")
@click.option("--set", "pairs", multiple=True, metavar="NAME=VALUE", help="A placeholder's value; repeat for each.")
@click.option("--list", "list_all", is_flag=True, help="List every statement: scenario, channel, language, status.")
@click.option(
    "--plan",
    "plan_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The plan (default: every plan under plans/).",
)
def statement(
    scenario_id: str | None,
    channel: str | None,
    language: str | None,
    statement_id: str | None,
    pairs: tuple[str, ...],
    list_all: bool,
    plan_paths: tuple[Path, ...],
) -> None:
    """Print a scenario's holding statement, filled in and ready to paste.

    The text goes to standard output (pipe it to the clipboard); its length against
    the channel's limit, and any warning, to standard error. Refuses when a
    placeholder has no value, and fails when the text is over the channel's limit.
    """
    from crisisplan.incident import IncidentError, compose, locate_scenario, statement_rows

    plans = _load_plans(_plan_paths(plan_paths))
    if list_all:
        rows = statement_rows(plans, scenario_id)
        header = ("SCENARIO", "STATEMENT", "CHANNEL", "LANGUAGE", "STATUS")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        return
    if not scenario_id:
        raise click.UsageError("name a scenario (crisisplan scenarios lists them), or use --list")
    try:
        plan, scenario = locate_scenario(plans, scenario_id)
        done = compose(plan, scenario, _values(pairs), channel, language, statement_id)
    except IncidentError as exc:
        _fail(exc.message, exc.hint, EXIT_USAGE)
    if done.missing:
        lines = [f"--set {p.name}=...   {p.description}".rstrip() for p in done.missing]
        _fail(
            f"statement '{done.statement.id}' needs a value for "
            + ", ".join("{" + p.name + "}" for p in done.missing),
            "add " + "\n        ".join(lines),
        )
    click.echo(done.text)
    where = f" on {done.channel.label} ({done.channel.id})" if done.channel else ""
    limit = f" of {done.limit}" if done.limit else ""
    click.echo(f"{done.statement.id} ({done.language}){where}: {done.length}{limit} characters", err=True)
    if not done.approved:
        click.echo(f"warning: statement '{done.statement.id}' is not approved (status: {done.statement.status}); have it approved before publishing", err=True)
    if not done.fits:
        _fail(f"{done.length - (done.limit or 0)} characters over the limit{where}", "shorten the values you set, or use a statement for a longer channel")


def _plausible_date(value: dt.datetime | None) -> dt.datetime | None:
    from crisisplan.model import FIRST_YEAR, LAST_YEAR

    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise click.BadParameter(f"{value.date()} is out of range: dates run from {FIRST_YEAR} to {LAST_YEAR}")
    return value


def _clock(value: str) -> dt.time:
    try:
        hours, minutes = value.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a time like 09:30", param_hint="--start") from None


@cli.command()
@click.argument("scenario_id", metavar="SCENARIO")
@click.option("--start", default="10:00", show_default=True, help="Clock time the drill starts (HH:MM).")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False), help="Write a printable PDF here instead (a new file).")
@click.option("--force", is_flag=True, help="With --pdf: replace an existing file (never through a link).")
@paper_option
@click.option("--plan", "plan_paths", multiple=True, type=click.Path(path_type=Path), help="The plan (default: plans/).")
def drill(scenario_id: str, start: str, pdf_file: str | None, force: bool, paper: str, plan_paths: tuple[Path, ...]) -> None:
    """Write a tabletop exercise script for a scenario (Markdown, or a PDF with --pdf).

    Timed injects escalate from the first trigger to the worst case; under each, the
    actions and escalations expected by then, with clock deadlines from the plan's
    timings and the severity's targets; then an evaluation checklist.
    """
    from crisisplan.drill import build_drill
    from crisisplan.incident import IncidentError, locate_scenario
    from crisisplan.templating import environment

    begin = _clock(start)
    plans = _load_plans(_plan_paths(plan_paths))
    try:
        plan, scenario = locate_scenario(plans, scenario_id)
    except IncidentError as exc:
        _fail(exc.message, exc.hint, EXIT_USAGE)
    script = build_drill(plan, scenario, begin)
    if pdf_file is None:
        click.echo(environment().get_template("text/drill.text.j2").render(d=script), nl=False)
        return
    from crisisplan.files import WriteRefused, describe_os_error
    from crisisplan.pdf import drill_html, write_pdf_file

    try:
        pages = write_pdf_file(drill_html(script, paper), pdf_file, replace=force)
    except WriteRefused as exc:
        _fail(exc.message, exc.hint)
    except OSError as exc:
        _fail(f"cannot write {pdf_file}: {describe_os_error(exc)}", "choose a folder you can write to, with room left")
    click.echo(f"Wrote {pdf_file} ({pages} pages)", err=True)


@cli.command()
@click.argument("scenario_id", metavar="SCENARIO")
@click.option(
    "--date",
    "incident_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When the incident started (default: today).",
    callback=lambda ctx, param, value: _plausible_date(value),
)
@click.option("--plan", "plan_paths", multiple=True, type=click.Path(path_type=Path), help="The plan (default: plans/).")
def review(scenario_id: str, incident_date: dt.datetime | None, plan_paths: tuple[Path, ...]) -> None:
    """Start a post-crisis review for a scenario, as a file in the plan's reviews/.

    The file is pre-filled with the plan's review checklist and expected timings;
    'crisisplan check' validates it and warns about actions past their due date.
    """
    from crisisplan.files import WriteRefused, describe_os_error
    from crisisplan.incident import IncidentError, locate_scenario
    from crisisplan.review import ReviewExists, write_review

    plans = _load_plans(_plan_paths(plan_paths))
    try:
        plan, scenario = locate_scenario(plans, scenario_id)
    except IncidentError as exc:
        _fail(exc.message, exc.hint, EXIT_USAGE)
    day = incident_date.date() if incident_date else _today()
    try:
        target = write_review(plan, scenario, day)
    except ReviewExists as exc:
        _fail(f"{exc} already exists", "edit it, or give another --date")
    except WriteRefused as exc:
        _fail(exc.message, exc.hint)
    except OSError as exc:
        _fail(f"cannot write the review: {describe_os_error(exc)}", "check that the plan's folder is writable")
    click.echo(f"Wrote {target}: fill it in, then run 'crisisplan check'.")


@cli.command()
def schema() -> None:
    """Print the plan format's JSON Schema (draft-07), for editors and other tools."""
    from crisisplan.schema import schema_text

    click.echo(schema_text(), nl=False)


@cli.command(name="checks")
def list_checks() -> None:
    """List every diagnostic code with what it catches."""
    from crisisplan.codes import all_codes

    for info in all_codes():
        click.echo(f"{info.code}  {info.severity:<7}  {info.name:<30} {info.summary}")


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a diagnostic code, with an example that fails and one that passes."""
    from crisisplan.codes import all_codes

    wanted = code.upper()
    for info in all_codes():
        if wanted in (info.code, info.name.upper()):
            click.echo(f"{info.code} {info.name} ({info.severity})\n\n{info.doc}")
            return
    raise click.UsageError(f"no code '{code}': 'crisisplan checks' lists them all")


class Terminated(BaseException):
    """SIGTERM (a CI timeout, `kill`): unwind like Ctrl-C so scratch folders and PDF
    workers are cleaned up and the published site is left as it was."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Entry point: Click's usage errors exit 2; anything unexpected is reported, not traced."""
    import signal

    from crisisplan.labels import CatalogError, project_catalogs

    signal.signal(signal.SIGTERM, _terminate)
    try:
        # A team's own translations in locale/ here apply to every command's output.
        with project_catalogs([Path.cwd()]):
            cli.main(standalone_mode=True)
    except CatalogError as exc:
        click.echo(f"error: cannot use the translations: {exc}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Terminated:
        click.echo("Stopped.", err=True)
        sys.exit(143)
    except RecursionError:
        click.echo("error: the input is nested too deeply to process", err=True)
        sys.exit(EXIT_PROBLEMS)
    except MemoryError:
        click.echo("error: out of memory", err=True)
        sys.exit(EXIT_PROBLEMS)
    except Exception as exc:
        # A bug of ours: say so in one line, never with a traceback in front of an
        # author; CRISISPLAN_DEBUG=1 shows it for a bug report.
        if os.environ.get("CRISISPLAN_DEBUG"):
            raise
        click.echo(
            f"error: crisisplan failed unexpectedly ({type(exc).__name__}: {exc})\n"
            "  hint: this is a bug in crisisplan; run again with CRISISPLAN_DEBUG=1 and report what it prints",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
