"""Reference commands: `schema`, `checks` and `explain`."""

from __future__ import annotations

from pathlib import Path

import click

from crisisplan.cli.common import _fail
from crisisplan.files import describe_os_error


@click.command()
@click.argument("name", type=click.Choice(["plan", "scenario", "review"]), default="plan", required=False)
@click.option(
    "--write",
    is_flag=True,
    help="Write every schema (plan, scenario, review) into schema/ instead of printing one.",
)
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write every schema into this folder (implies --write).",
)
@click.option("--force", is_flag=True, help="With --write: replace schema files that differ (never through a link).")
def schema(name: str, write: bool, output: Path | None, force: bool) -> None:
    """Print a JSON Schema (draft-07) of the plan format, or write them all for editors.

    NAME is plan (the default: a plan file, or plan.yaml of a folder plan), scenario
    (a file in a folder plan's scenarios/) or review (a file in reviews/). The
    scenario and review schemas point into plan.schema.json, so write them together:
    `crisisplan schema --write` puts all three in schema/.
    """
    from crisisplan.plan.schema import schema_text, write_schemas

    if not (write or output):
        if force:
            raise click.UsageError("--force goes with --write or --output")
        click.echo(schema_text(name), nl=False)
        return
    if click.get_current_context().get_parameter_source("name") is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--write writes every schema; leave out the schema's name")
    try:
        results = write_schemas(output or Path("schema"), force=force)
    except OSError as exc:
        _fail(f"cannot write the schemas: {describe_os_error(exc)}")
    for path, status in results:
        click.echo(f"{path}: {status}")


@click.command(name="checks")
def list_checks() -> None:
    """List every diagnostic code with what it catches, then the rule packs' rules."""
    from crisisplan.check.codes import all_codes
    from crisisplan.check.rules import PACKS

    codes = all_codes()
    for info in codes:
        if not info.pack:
            click.echo(f"{info.code}  {info.severity:<7}  {info.name:<30} {info.summary}")
    click.echo("\nRule packs, checked only for plans that list them under plan:, like rules: [gdpr, iso22301]")
    for pack in PACKS.values():
        click.echo(f"\n{pack.name}: {pack.title} ({pack.applies_to})")
        for info in codes:
            if info.pack == pack.name:
                click.echo(f"{info.code:<7}  {info.severity:<7}  {info.name:<30} {info.summary}")


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a diagnostic code, with an example that fails and one that passes.

    CODE may also be a check's name (unknown-role) or a rule pack (gdpr).
    """
    from crisisplan.check.codes import all_codes
    from crisisplan.check.rules import PACKS, pack_doc
    from crisisplan.suggest import did_you_mean

    wanted = code.upper()
    codes = all_codes()
    for info in codes:
        if wanted in (info.code, info.name.upper()):
            click.echo(f"{info.code} {info.name} ({info.severity})")
            if info.pack:
                pack = PACKS[info.pack]
                click.echo(f"Rule pack {pack.name} ({pack.title}): checked only for plans with rules: [{pack.name}].")
            click.echo(f"\n{info.doc}")
            return
    if code.lower() in PACKS:
        name = code.lower()
        click.echo(pack_doc(name))
        click.echo(f"\nA plan opts in under plan: with rules: [{name}]. Its rules:")
        for info in codes:
            if info.pack == name:
                click.echo(f"{info.code:<7}  {info.severity:<7}  {info.name:<30} {info.summary}")
        return
    choices = [info.code for info in codes] + [info.name for info in codes] + list(PACKS)
    hint = did_you_mean(code, choices, "")
    raise click.UsageError(
        f"no code '{code}': 'crisisplan checks' lists them all" + (f"; {hint}" if hint.startswith("did") else "")
    )
