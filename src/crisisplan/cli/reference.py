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
    from crisisplan.schema import SchemaWriteRefused, schema_text, write_schemas

    if not (write or output):
        if force:
            raise click.UsageError("--force goes with --write or --output")
        click.echo(schema_text(name), nl=False)
        return
    if click.get_current_context().get_parameter_source("name") is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--write writes every schema; leave out the schema's name")
    try:
        results = write_schemas(output or Path("schema"), force=force)
    except SchemaWriteRefused as exc:
        _fail(exc.message, exc.hint)
    except OSError as exc:
        _fail(f"cannot write the schemas: {describe_os_error(exc)}")
    for path, status in results:
        click.echo(f"{path}: {status}")


@click.command(name="checks")
def list_checks() -> None:
    """List every diagnostic code with what it catches."""
    from crisisplan.codes import all_codes

    for info in all_codes():
        click.echo(f"{info.code}  {info.severity:<7}  {info.name:<30} {info.summary}")


@click.command()
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
