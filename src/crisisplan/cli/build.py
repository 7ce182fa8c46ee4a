"""`crisisplan build` and `crisisplan serve`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crisisplan.cli.common import (
    EXIT_PROBLEMS,
    _build_options,
    config_option,
    format_option,
    no_pdf_option,
    paper_option,
    paths_argument,
    site_dir_option,
    strict_option,
)


def _print_progress(done: int, total: int, name: str) -> None:
    line = f"Rendering PDFs [{done}/{total}] {name}"
    if sys.stderr.isatty():
        click.echo(f"\r\033[K{line}", err=True, nl=done == total)
    else:
        click.echo(line, err=True)


@click.command(name="build")
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

    options = _build_options(
        paths, site_dir, strict, no_pdf, paper, config_file, audience, force, not no_cache
    )

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
        click.echo(
            f"Nothing published: fix the problems above. {site_dir}/ was left as it was.", err=True
        )
        sys.exit(EXIT_PROBLEMS)
    reused = f"; {len(result.pdfs_reused)} unchanged, from the cache" if result.pdfs_reused else ""
    pdfs = (
        f", {result.pdfs} PDFs ({result.pdf_pages} pages, {result.pdf_seconds:.1f}s{reused})"
        if result.pdfs
        else ""
    )
    edition = " (public edition)" if options.public else ""
    click.echo(f"Built {site_dir}/{edition} in {result.seconds:.1f}s: {result.pages} pages{pdfs}")
    for warning in result.warnings:
        click.echo(f"mkdocs: {warning}", err=True)


@click.command()
@paths_argument
@paper_option
@config_option
@click.option(
    "--pdf", "with_pdf", is_flag=True, help="Render the PDF runbooks on every rebuild too."
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port on localhost.",
)
def serve(
    paths: tuple[Path, ...], paper: str, config_file: Path | None, with_pdf: bool, port: int
) -> None:
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
                    click.echo(
                        "Not rebuilt: fix the problems above; the preview shows the last good build."
                    )
        finally:
            server.shutdown()
        server.server_close()
