"""The incident tools: `scenarios`, `statement`, `drill` and `review`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from crisisplan.cli.common import (
    _fail,
    _load_plans,
    _plan_paths,
    _refuse_stdin,
    _today,
    paper_option,
    paths_argument,
    plan_option,
)


def _plan_files(paths: tuple[Path, ...], option: str = "") -> list[Path]:
    """The plans to load; '-' is refused with a sentence, not "no such file"."""
    _refuse_stdin(paths, option)
    return _plan_paths(paths)


@click.command()
@paths_argument
@click.option(
    "--search",
    "-s",
    "words",
    default="",
    help="Words to look for: a trigger, a hashtag, a product.",
)
def scenarios(paths: tuple[Path, ...], words: str) -> None:
    """List the scenarios with severity and triggers; with --search, best matches first."""
    from crisisplan.incident.find import find_scenarios, next_command

    plans = _load_plans(_plan_files(paths))
    matches = find_scenarios(plans, words)
    if not matches:
        _fail(
            f"no scenario matches '{words}'",
            "try another word, or 'crisisplan scenarios' for the full list",
        )
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
            where = "; ".join(
                f"{term} ({', '.join(dict.fromkeys(fields))})"
                for term, fields in match.matched.items()
            )
            click.echo(f"{'':<{width}}  matched: {where}")
    if words:
        click.echo("\nNext: " + next_command(matches[0].plan, matches[0].scenario), err=True)


def _values(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"'{pair}' is not name=value, like --set product=\"Oat Latte\"", param_hint="--set"
            )
        values[name.strip().strip("{}")] = value
    return values


@click.command()
@click.argument("scenario_id", metavar="SCENARIO", required=False)
@click.option("--channel", "-c", help="The channel id to post on; its character limit applies.")
@click.option("--lang", "-l", "language", help="The language (default: the plan's first).")
@click.option(
    "--statement",
    "statement_id",
    help="Which of the scenario's statements (default: the main one).",
)
@click.option(
    "--set",
    "pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="A placeholder's value; repeat for each.",
)
@click.option(
    "--list",
    "list_all",
    is_flag=True,
    help="List every statement: scenario, channel, language, status.",
)
@plan_option
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
    from crisisplan.incident.find import compose, locate_scenario, statement_rows

    plans = _load_plans(_plan_files(plan_paths, "--plan"))
    if list_all:
        rows = statement_rows(plans, scenario_id)
        header = ("SCENARIO", "STATEMENT", "CHANNEL", "LANGUAGE", "STATUS")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            click.echo(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        return
    if not scenario_id:
        raise click.UsageError("name a scenario (crisisplan scenarios lists them), or use --list")
    plan, scenario = locate_scenario(plans, scenario_id)
    done = compose(plan, scenario, _values(pairs), channel, language, statement_id)
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
    click.echo(
        f"{done.statement.id} ({done.language}){where}: {done.length}{limit} characters", err=True
    )
    if not done.approved:
        click.echo(
            f"warning: statement '{done.statement.id}' is not approved (status: {done.approval}); have it approved before publishing",
            err=True,
        )
    if not done.fits:
        _fail(
            f"{done.length - (done.limit or 0)} characters over the limit{where}",
            "shorten the values you set, or use a statement for a longer channel",
        )


def _plausible_date(value: dt.datetime | None) -> dt.datetime | None:
    from crisisplan.plan.values import FIRST_YEAR, LAST_YEAR

    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise click.BadParameter(
            f"{value.date()} is out of range: dates run from {FIRST_YEAR} to {LAST_YEAR}"
        )
    return value


def _clock(value: str) -> dt.time:
    try:
        hours, minutes = value.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a time like 09:30", param_hint="--start"
        ) from None


@click.command()
@click.argument("scenario_id", metavar="SCENARIO")
@click.option(
    "--start", default="10:00", show_default=True, help="Clock time the drill starts (HH:MM)."
)
@click.option(
    "--pdf",
    "pdf_file",
    type=click.Path(dir_okay=False),
    help="Write a printable PDF here instead (a new file).",
)
@click.option(
    "--force", is_flag=True, help="With --pdf: replace an existing file (never through a link)."
)
@paper_option
@plan_option
def drill(
    scenario_id: str,
    start: str,
    pdf_file: str | None,
    force: bool,
    paper: str,
    plan_paths: tuple[Path, ...],
) -> None:
    """Write a tabletop exercise script for a scenario (Markdown, or a PDF with --pdf).

    Timed injects escalate from the first trigger to the worst case; under each, the
    actions and escalations expected by then, with clock deadlines from the plan's
    timings and the severity's targets; then an evaluation checklist.
    """
    from crisisplan.incident.drill import build_drill
    from crisisplan.incident.find import locate_scenario
    from crisisplan.render.templating import environment

    begin = _clock(start)
    plans = _load_plans(_plan_files(plan_paths, "--plan"))
    plan, scenario = locate_scenario(plans, scenario_id)
    script = build_drill(plan, scenario, begin)
    if pdf_file is None:
        click.echo(environment().get_template("text/drill.text.j2").render(d=script), nl=False)
        return
    from crisisplan.files import describe_os_error
    from crisisplan.incident.drill import drill_html
    from crisisplan.publish.pdf.deps import require_weasyprint
    from crisisplan.publish.pdf.weasy import write_pdf_file

    require_weasyprint(instead="or write the drill as text: leave out --pdf")
    try:
        pages = write_pdf_file(drill_html(script, paper), pdf_file, replace=force)
    except OSError as exc:
        _fail(
            f"cannot write {pdf_file}: {describe_os_error(exc)}",
            "choose a folder you can write to, with room left",
        )
    click.echo(f"Wrote {pdf_file} ({pages} pages)", err=True)


@click.command()
@click.argument("scenario_id", metavar="SCENARIO")
@click.option(
    "--date",
    "incident_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When the incident started (default: today, or the log's start).",
    callback=lambda ctx, param, value: _plausible_date(value),
)
@click.option(
    "--from-log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The incident log saved by 'Download log' on the scenario's page: fills in the timeline and what was done. "
    "Name more logs after it (--from-log A.json B.json C.json) to merge several phones' logs into one timeline.",
)
@click.argument("more_logs", metavar="[MORE_LOGS]...", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@plan_option
def review(
    scenario_id: str,
    incident_date: dt.datetime | None,
    log_file: Path | None,
    more_logs: tuple[Path, ...],
    plan_paths: tuple[Path, ...],
) -> None:
    """Start a post-crisis review for a scenario, as a file in the plan's reviews/.

    The file is pre-filled with the plan's review checklist and expected timings;
    with --from-log, also with the incident's timeline and which deadlines were met.
    Several phones' logs are merged: every event once, labelled with who did it.
    'crisisplan check' validates it and warns about actions past their due date.
    """
    from crisisplan.files import describe_os_error
    from crisisplan.incident.find import locate_scenario
    from crisisplan.incident.logmerge import merge_logs
    from crisisplan.incident.review import (
        ReviewExists,
        check_log_scenario,
        read_log,
        write_review,
    )

    if more_logs and log_file is None:
        raise click.UsageError("name the logs after --from-log, like: --from-log phone-a.json phone-b.json")
    plans = _load_plans(_plan_files(plan_paths, "--plan"))
    plan, scenario = locate_scenario(plans, scenario_id)
    log = None
    if log_file is not None:
        logs = [read_log(path) for path in (log_file, *more_logs)]
        for one in logs:
            check_log_scenario(one, scenario)
        log = merge_logs(logs)
    # The incident's own day unless told otherwise: a log downloaded after midnight
    # still belongs to the day the incident began.
    started = log.started.date() if log else _today()
    day = incident_date.date() if incident_date else started
    try:
        target = write_review(plan, scenario, day, log=log)
    except ReviewExists as exc:
        _fail(f"{exc} already exists", "edit it, or give another --date")
    except OSError as exc:
        _fail(
            f"cannot write the review: {describe_os_error(exc)}",
            "check that the plan's folder is writable",
        )
    click.echo(f"Wrote {target}: fill it in, then run 'crisisplan check'.")
