"""Reference commands: `schema`, `checks` and `explain`."""

from __future__ import annotations

import click


@click.command()
def schema() -> None:
    """Print the plan format's JSON Schema (draft-07), for editors and other tools."""
    from crisisplan.schema import schema_text

    click.echo(schema_text(), nl=False)


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
