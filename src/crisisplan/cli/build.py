"""`crisisplan build` and `crisisplan serve`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crisisplan.cli.common import (
    _build_options,
    _configured,
    _quiet_or_verbose,
    config_option,
    engine_option,
    format_option,
    no_pdf_option,
    paper_option,
    paths_argument,
    quiet_option,
    site_dir_option,
    strict_option,
    verbose_option,
)
from crisisplan.errors import EXIT_PROBLEMS

if TYPE_CHECKING:
    from crisisplan.publish.options import BuildResult


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
@engine_option
@click.option(
    "--shard",
    metavar="K/N",
    callback=lambda ctx, param, value: _shard(value),
    help="Render only the K-th of N shares of the PDFs into .crisisplan-cache/ and publish nothing: "
    "N CI jobs share a build, and a last plain build with their caches publishes the site.",
)
@format_option
@quiet_option
@verbose_option
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
    engine: str,
    shard: tuple[int, int] | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check the plans, then publish the runbook site and PDF runbooks.

    Nothing is published when a plan has errors (or warnings, with --strict): the
    previous site is left exactly as it was, as it is when a build fails or is
    interrupted. With --format json, sarif or gitlab, standard output holds one
    document and nothing else (json's has a "build" object saying what was built).
    """
    from crisisplan.check.pipeline import Report
    from crisisplan.check.report import REPORTERS, BuildSummary, plan_lines
    from crisisplan.publish.build import build
    from crisisplan.publish.options import BuildError

    _quiet_or_verbose(quiet, verbose)
    options = _build_options(
        paths, site_dir, strict, no_pdf, paper, config_file, audience, force, not no_cache, engine
    )
    options.shard = shard
    site = options.site_dir
    # The default format may come from crisisplan.yaml; --format wins.
    output_format = _configured("output_format", output_format, options.check_config.format if options.check_config else None)
    reporter = REPORTERS[output_format](quiet=quiet)
    # Machine formats keep standard output for their one document: the rest goes to
    # standard error.
    to_stderr = reporter.machine

    def waiting() -> None:
        if not quiet:
            click.echo(f"Waiting for another crisisplan build of {site}/ to finish...", err=True)

    try:
        result = build(options, progress=None if quiet else _print_progress, waiting=waiting)
    except BuildError as exc:
        if reporter.machine:
            failed = BuildSummary(built=False, site_dir=site.as_posix(), public=options.public, error=str(exc))
            click.echo(reporter.render(Report(), failed), nl=False)
        raise click.ClickException(f"{exc}\n{site}/ was left as it was.") from None
    report = result.report
    if verbose:
        for line in [*plan_lines(report), *_published(result, site)]:
            click.echo(line, err=True)
    if reporter.machine:
        click.echo(reporter.render(report, result.summary(site, options.public)), nl=False)
    elif report.diagnostics or not (result.built or shard):
        click.echo(reporter.render(report), nl=False)
    if shard and not report.failed(strict):
        if not quiet:
            click.echo(
                f"Rendered share {shard[0]}/{shard[1]} of the PDFs: {len(result.pdfs_rendered)} rendered, "
                f"{len(result.pdfs_reused)} already in the cache; nothing published",
                err=to_stderr,
            )
        return
    if not result.built:
        click.echo(f"Nothing published: fix the problems above. {site}/ was left as it was.", err=True)
        sys.exit(EXIT_PROBLEMS)
    if not quiet and result.unchanged:
        click.echo(
            f"{site}/ is up to date: nothing changed since the last build ({result.seconds:.1f}s)", err=to_stderr
        )
    elif not quiet:
        reused = f"; {len(result.pdfs_reused)} unchanged, from the cache" if result.pdfs_reused else ""
        pdfs = (
            f", {result.pdfs} PDFs ({result.pdf_pages} pages, {result.pdf_seconds:.1f}s{reused})"
            if result.pdfs
            else ""
        )
        edition = " (public edition)" if options.public else ""
        click.echo(
            f"Built {site}/{edition} in {result.seconds:.1f}s: {result.pages} pages{pdfs}", err=to_stderr
        )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


def _published(result: BuildResult, site: Path) -> list[str]:
    """What `build -v` adds: each edition and each PDF, rendered or from the cache."""
    from crisisplan.publish.editions import site_editions, site_plans

    if not result.built:
        return []
    editions = site_editions(site_plans(result.report))
    lines = [f"edition {editions.root_language}: {site}/"]
    lines += [f"edition {language}: {site}/{language}/" for language in editions.folders]
    done = [(name, "rendered") for name in result.pdfs_rendered]
    done += [(name, "from the cache") for name in result.pdfs_reused]
    lines += [f"PDF {site}/{name}: {how}" for name, how in sorted(done)]
    return lines


def _dev_addr(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, int] | None:
    if value is None:
        return None
    from crisisplan.publish.serve import parse_address

    try:
        return parse_address(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@paths_argument
@paper_option
@config_option
@click.option(
    "--pdf", "with_pdf", is_flag=True, help="Render the PDF runbooks on every rebuild too."
)
@click.option(
    "-a",
    "--dev-addr",
    metavar="HOST:PORT",
    callback=_dev_addr,
    help="Where to serve the preview, as with mkdocs serve: 0.0.0.0:8000 lets other machines (or the host of a container) reach it.  [default: 127.0.0.1:8000]",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port on 127.0.0.1: the same as --dev-addr 127.0.0.1:PORT.  [default: 8000]",
)
@engine_option
def serve(
    paths: tuple[Path, ...],
    paper: str,
    config_file: Path | None,
    with_pdf: bool,
    dev_addr: tuple[str, int] | None,
    port: int | None,
    engine: str,
) -> None:
    """Preview the site, rebuilt and reloaded within a second of each save.

    The preview is built in a private folder; the published site/ is not touched.
    It is served once a build has succeeded; open pages reload by themselves after
    each rebuild. Every file of the plans and docs/, mkdocs.yml and crisisplan.yaml
    is watched. Stop with Ctrl-C.
    """
    from crisisplan.publish.serve import DEFAULT_HOST, DEFAULT_PORT

    if dev_addr is not None and port is not None:
        raise click.UsageError("--port and --dev-addr cannot be used together: give the port in --dev-addr HOST:PORT")
    host, port = dev_addr or (DEFAULT_HOST, port or DEFAULT_PORT)
    try:
        _serve(paths, paper, config_file, with_pdf, host, port, engine)
    except KeyboardInterrupt:
        # Stopping is how serve ends, not a failure: no "Aborted!", exit 0. The
        # preview folder is already gone (SIGTERM unwinds the same way, in main()).
        click.echo("Stopped.", err=True)


def _serve(
    paths: tuple[Path, ...],
    paper: str,
    config_file: Path | None,
    with_pdf: bool,
    host: str,
    port: int,
    engine: str,
) -> None:
    import os
    import tempfile
    from contextlib import closing

    from crisisplan.check.report import TextReporter
    from crisisplan.publish.options import BuildOptions
    from crisisplan.publish.serve import PreviewServer, is_local, rebuilds, url_of, watched_paths

    with tempfile.TemporaryDirectory(prefix="crisisplan-preview-") as preview:
        site = Path(preview) / "site"
        # Usage errors (no plans/ here) end serve before anything starts.
        options = _build_options(paths, site, False, not with_pdf, paper, config_file, engine=engine)

        def current_options() -> BuildOptions:
            # Read again for each build: crisisplan.yaml may have changed (its plans,
            # its settings), and serve may run past midnight.
            nonlocal options
            try:
                options = _build_options(paths, site, False, not with_pdf, paper, config_file, engine=engine)
            except click.UsageError as exc:
                click.echo(f"error: {exc.format_message()}; building with the previous settings", err=True)
            return options

        try:
            server = PreviewServer(site, host, port)
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        # Closed on the way out, however serve ends: the watcher's threads stop.
        with server, closing(rebuilds(current_options)) as results:
            click.echo("Building the preview...")
            for result in results:
                if result.report.diagnostics:
                    click.echo(TextReporter().render(result.report), nl=False)
                if result.error:
                    click.echo(f"error: {result.error}", err=True)
                if result.built and not server.listening:
                    click.echo(f"Built in {result.seconds:.1f}s: {result.pages} pages")
                    try:
                        server.open()
                    except OSError as exc:
                        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
                    watched = ", ".join(sorted({os.path.relpath(p) for p in watched_paths(options) if p.exists()}))
                    click.echo(f"Watching {watched} for changes")
                    if not is_local(host):
                        click.echo(
                            f"warning: anyone who can reach this machine on port {server.port} can read the preview, "
                            "personal contacts included",
                            err=True,
                        )
                    click.echo(f"Serving on {url_of(host, server.port)} (Ctrl-C to stop)")
                elif result.unchanged:
                    click.echo("Nothing changed: the preview is up to date.")
                elif result.built:
                    server.built()
                    click.echo(f"Rebuilt in {result.seconds:.1f}s: {result.pages} pages")
                elif not server.listening:
                    # Nothing to show yet: a browser gets "connection refused", which
                    # it shows as such, rather than an empty page that looks like a
                    # preview and never comes back by itself.
                    click.echo(
                        f"Not serving yet: fix the problems above; {url_of(host, server.port)} is served once a build succeeds."
                    )
                else:
                    click.echo(
                        "Not rebuilt: fix the problems above; the preview shows the last good build."
                    )


def _shard(value: str | None) -> tuple[int, int] | None:
    """'2/3' -> (2, 3): the share of a build's PDFs one CI job renders."""
    if value is None:
        return None
    number, _, count = value.partition("/")
    if number.isdigit() and count.isdigit() and 1 <= int(number) <= int(count) <= 1000:
        return int(number), int(count)
    raise click.BadParameter(f"'{value}' is not a share like 1/2 (the first of two jobs)", param_hint="--shard")
