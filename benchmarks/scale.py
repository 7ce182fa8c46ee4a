"""How check and build grow with a plan's size: one table, N = 10, 100 and 1,000.

Not a test: machines here are shared and noisy, so figures are read, never asserted.
Run (check-jsonschema comes with the bench extra: pip install -e '.[bench]'):

    .venv/bin/python benchmarks/scale.py [--sizes 10,100,1000] [--pdf-up-to 100]
        [--repeat K] [--languages en,da] [--json results.json] [--profile]
        [--baseline path/to/old/src]

For each N, a plan made by replicating plans/brightbrew to N scenarios
(benchmarks/generate.py) is measured, each figure the median wall time of whole
processes (--repeat; by default 3 below N=1,000 and 1 from it):

(a) `crisisplan check --strict` next to `check-jsonschema` validating the same files
    against crisisplan's own schema (src/crisisplan/schemas), in one process;
(b) `crisisplan build` and its site part alone (`--no-pdf`) next to a plain
    `mkdocs build` of the very Markdown and configuration crisisplan handed to
    MkDocs (kept by benchmarks/export_docs.py), with the site's size and the size
    of one scenario page;
(c) a fresh build (new folder, no cache) next to a rebuild with nothing changed and
    one with one word changed in one scenario file, with PDFs rendered and reused;
    with --baseline SRC, also next to fresh builds by the crisisplan in SRC (a copy of
    an older src/ folder), interleaved with this one's, as ratios;
(c') with Zensical installed, `--no-pdf` rebuilds with one word changed beside fresh
    builds on that engine (benchmarks/incremental.py), whose cache is kept between builds;
(d) the fresh build's CPU time, of every process (the PDF workers' too: this process
    adopts the orphaned fork server and reaps it), and its peak memory: the largest
    single process (from wait4) and all of its processes together (PSS, sampled).

(e) after the table, start-up (benchmarks/startup.py): `check` of a minimal plan
beside check-jsonschema and `--version` beside yamllint, as ratios within rounds.

PDFs are rendered at sizes up to --pdf-up-to (default 100: the 1,000-scenario
builds run --no-pdf unless asked). Everything runs in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import incremental  # noqa: E402
import startup  # noqa: E402
from generate import generate  # noqa: E402

from crisisplan.publish.site.zensical_site import zensical_installed  # noqa: E402

CRISISPLAN = [sys.executable, "-m", "crisisplan"]
SCHEMAS = ROOT / "src" / "crisisplan" / "schemas"
# The scenario whose worst case gets one word changed, and the words it cycles through
# (each rebuild sees a change from the one before).
CHANGED = "data-breach"
WORD = "press"
WORDS = ("media", "papers", "news", "radio", "blogs")


# -- running one process ------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    # The largest resident set of the process or any descendant it waited for (wait4).
    max_rss_mib: float
    # The most memory the process and all its descendants held at one moment (sampled).
    tree_peak_mib: float
    code: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        """The build's summary ("Built site/ in ...") or else the last line printed."""
        lines = (self.stdout.strip() or self.stderr.strip()).splitlines()
        built = [line for line in lines if line.startswith("Built ")]
        return (built or lines or [""])[-1]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _resident(pid: int) -> int:
    """Bytes of memory a process holds, sharing counted once: its proportional set size
    (forked PDF workers share the parent's pages), or its RSS where there is no PSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE


def _tree_rss(pid: int) -> int:
    """Bytes held by a process and its descendants now (0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += _resident(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def adopt_orphans() -> bool:
    """Become the reaper of this process's orphaned descendants (Linux): the PDF
    workers' fork server outlives the build by a moment and is reparented, so its CPU
    time (and its workers') would escape the build's rusage. True if adopted."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_orphans(deadline: float = 30.0) -> float:
    """CPU seconds of adopted descendants, once they have ended (each one's rusage holds
    the children it reaped: the fork server's holds its workers')."""
    cpu, until = 0.0, time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.02)
            continue
        cpu += usage.ru_utime + usage.ru_stime
    return cpu


def run(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end; its output goes to files, so no pipe can fill up.
    Its CPU time is the whole tree's (with adopt_orphans)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)  # noqa: S603
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 rather than wait: its rusage covers the process and every descendant it
        # reaped (the PDF workers), which RUSAGE_CHILDREN would mix across runs.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        orphans = _reap_orphans()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime + orphans,
            max_rss_mib=usage.ru_maxrss / 1024,
            tree_peak_mib=peak[0] / 1024 / 1024,
            code=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


@dataclass
class Measure:
    """Repeated runs of one command: the median time, the highest memory."""

    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def max_rss_mib(self) -> float:
        return max(r.max_rss_mib for r in self.runs)

    @property
    def tree_peak_mib(self) -> float:
        return max(r.tree_peak_mib for r in self.runs)

    @property
    def failed(self) -> Run | None:
        return next((r for r in self.runs if r.code != 0), None)

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "all_seconds": [round(r.seconds, 3) for r in self.runs],
            "cpu_seconds": round(self.cpu_seconds, 3),
            "max_rss_mib": round(self.max_rss_mib, 1),
            "tree_peak_mib": round(self.tree_peak_mib, 1),
            "exit_codes": [r.code for r in self.runs],
            "last_line": self.runs[-1].last_line if self.runs else "",
        }


def _checked(measure: Measure, what: str) -> Measure:
    bad = measure.failed
    if bad is not None:
        raise SystemExit(
            f"{what} failed (exit {bad.code}):\n{bad.stdout[-2000:]}\n{bad.stderr[-2000:]}"
        )
    return measure


def repeat(times: int, make: Callable[[], Run]) -> Measure:
    return Measure([make() for _ in range(times)])


# -- the machine ----------------------------------------------------------------------


def _crisisplan_source() -> str:
    """Where the measured crisisplan is imported from (PYTHONPATH can point at another
    checkout), and the commit of this one."""
    import importlib.util

    spec = importlib.util.find_spec("crisisplan")
    where = str(Path(spec.origin).parent) if spec and spec.origin else "not found"
    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{where} (this checkout: {commit or 'not a git checkout'})"


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        **{
            name: version(name)
            for name in (
                "crisisplan",
                "mkdocs",
                "mkdocs-material",
                "weasyprint",
                "check-jsonschema",
            )
        },
        "crisisplan from": _crisisplan_source(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# -- what is compared -----------------------------------------------------------------


def jsonschema_schema(target: Path) -> Path:
    """One schema for all of a folder plan's files, so that check-jsonschema validates
    the plan in one process as crisisplan does: plan.yaml against crisisplan's plan
    schema (less the required scenarios:, which a folder plan keeps in scenarios/),
    each scenario file against its scenario definition. The rules are crisisplan's own,
    copied from src/crisisplan/schemas; only the wrapping is new."""
    plan = json.loads((SCHEMAS / "plan.schema.json").read_text("utf-8"))
    top = {
        k: v
        for k, v in plan.items()
        if k not in ("$schema", "$id", "title", "description", "definitions")
    }
    top["required"] = [key for key in top.get("required", []) if key != "scenarios"]
    combined = {
        "$schema": plan["$schema"],
        "definitions": plan["definitions"],
        "if": {"required": ["plan"]},
        "then": top,
        "else": {"$ref": "#/definitions/scenario"},
    }
    target.write_text(json.dumps(combined), "utf-8")
    return target


def check_jsonschema() -> str | None:
    found = Path(sys.executable).parent / "check-jsonschema"
    return str(found) if found.is_file() else shutil.which("check-jsonschema")


def mkdocs_cli() -> str:
    found = Path(sys.executable).parent / "mkdocs"
    return str(found) if found.is_file() else "mkdocs"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_summary(stdout: str) -> dict[str, Any] | None:
    """The `build` object of `crisisplan build --format json` (README, "JSON output")."""
    try:
        document = json.loads(stdout)
    except ValueError:
        return None
    found = document.get("build") if isinstance(document, dict) else None
    return found if isinstance(found, dict) else None


def pdf_counts(stdout: str) -> dict[str, int] | None:
    """PDFs built, their pages, and how many of them were re-rendered and reused."""
    build = build_summary(stdout)
    if build is None:
        return None
    rendered, reused = len(build["pdfs_rendered"]), len(build["pdfs_reused"])
    return {"pdfs": build["pdfs"], "pages": build["pdf_pages"], "rendered": rendered, "reused": reused}


@dataclass
class Size:
    n: int
    pdf: bool
    repeats: int
    results: dict[str, Any] = field(default_factory=dict)


def measure_size(
    size: Size, scratch: Path, languages: Sequence[str], env: dict[str, str], baseline: Path | None = None
) -> None:
    n, say = size.n, size.results
    base = scratch / f"n{n}" / "base"
    plan = base / "plans" / "brightbrew"
    generate(plan, n, languages)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    copies = iter(range(1_000_000))

    def fresh() -> Path:
        """A new folder with the plan and mkdocs.yml and nothing built before."""
        folder = scratch / f"n{n}" / f"run-{next(copies)}"
        shutil.copytree(base, folder)
        return folder

    def progress(what: str) -> None:
        print(f"  N={n:,}: {what}", file=sys.stderr, flush=True)

    # (a) check
    progress("check")
    files = [str(plan / "plan.yaml"), *sorted(str(p) for p in (plan / "scenarios").glob("*.yaml"))]
    say["check"] = _checked(
        repeat(size.repeats, lambda: run([*CRISISPLAN, "check", "--strict", "plans"], base, env)),
        "crisisplan check",
    )
    tool = check_jsonschema()
    if tool:
        schema = jsonschema_schema(scratch / f"n{n}" / "schema.json")
        say["check-jsonschema"] = _checked(
            repeat(
                size.repeats, lambda: run([tool, "--schemafile", str(schema), *files], base, env)
            ),
            "check-jsonschema",
        )

    # (b) the site part next to plain MkDocs on the same Markdown
    progress("export the generated Markdown")
    export = scratch / f"n{n}" / "export"
    folder = fresh()
    exported = run(
        [
            sys.executable,
            str(HERE / "export_docs.py"),
            str(export),
            "--",
            "build",
            "--no-pdf",
            "plans",
        ],
        folder,
        env,
    )
    if exported.code != 0:
        raise SystemExit(f"export_docs failed:\n{exported.stdout}\n{exported.stderr}")
    shutil.rmtree(folder)
    editions = json.loads((export / "editions.json").read_text("utf-8"))

    def plain_mkdocs() -> Run:
        site = scratch / f"n{n}" / "plain-site"
        if site.exists():
            shutil.rmtree(site)
        total: Run | None = None
        # The root edition first: MkDocs empties the folder it builds into.
        for edition in editions:
            one = run(
                [
                    mkdocs_cli(),
                    "build",
                    "-q",
                    "-f",
                    edition["config"],
                    "-d",
                    str(site / edition["site_subfolder"]),
                ],
                base,
                env,
            )
            if one.code != 0:
                return one
            if total is None:
                total = one
            else:
                total.seconds += one.seconds
                total.cpu_seconds += one.cpu_seconds
                total.max_rss_mib = max(total.max_rss_mib, one.max_rss_mib)
                total.tree_peak_mib = max(total.tree_peak_mib, one.tree_peak_mib)
        assert total is not None  # noqa: S101  (export_docs returns at least one edition)
        say["plain_site_bytes"] = folder_size(site)
        return total

    progress("plain mkdocs build")
    say["mkdocs"] = _checked(repeat(size.repeats, plain_mkdocs), "mkdocs build")

    def site_part() -> Run:
        folder = fresh()
        result = run([*CRISISPLAN, "build", "--no-pdf", "--format", "json", "plans"], folder, env)
        summary = build_summary(result.stdout)
        if summary is not None:
            # The site stage inside the build: pages, MkDocs, search index, offline copy.
            say.setdefault("site_stage", []).append(summary["site_seconds"])
        site = folder / "site"
        if result.code == 0:
            say["site_bytes"] = folder_size(site)
            page = site / "brightbrew" / "scenarios" / f"{CHANGED}.html"
            say["page_bytes"] = page.stat().st_size if page.is_file() else None
        shutil.rmtree(folder)
        return result

    progress("crisisplan build --no-pdf")
    say["build --no-pdf"] = _checked(repeat(size.repeats, site_part), "crisisplan build --no-pdf")

    # (c) fresh build, then rebuilds in the last fresh build's folder; (d) its memory
    build = [*CRISISPLAN, "build", "--format", "json", "plans"] + ([] if size.pdf else ["--no-pdf"])
    folders: list[Path] = []

    def fresh_build() -> Run:
        if folders:
            shutil.rmtree(folders.pop())
        folders.append(fresh())
        return run(build, folders[-1], env)

    def baseline_build() -> Run:
        """A fresh build by the baseline's crisisplan (--baseline), in a folder of its own."""
        folder = fresh()
        try:
            return run(build, folder, {**env, "PYTHONPATH": str(baseline)})
        finally:
            shutil.rmtree(folder)

    if size.pdf and baseline:
        # Paired and interleaved (baseline, this, baseline, ...): a machine that gets
        # busier during the run slows both alike, and the ratio holds.
        progress("fresh build with PDFs, beside the baseline")
        pairs = [(baseline_build(), fresh_build()) for _ in range(size.repeats)]
        say["build (baseline)"] = _checked(Measure([old for old, _ in pairs]), "baseline build")
        say["build"] = _checked(Measure([new for _, new in pairs]), "crisisplan build")
    elif size.pdf:
        progress("fresh build with PDFs")
        say["build"] = _checked(repeat(size.repeats, fresh_build), "crisisplan build")
    else:
        # Without PDFs the fresh build is the site part measured above.
        say["build"] = say["build --no-pdf"]
        folders.append(fresh())
        _checked(Measure([run(build, folders[-1], env)]), "crisisplan build")
    workdir = folders[-1]
    progress("rebuild, nothing changed")
    say["rebuild, nothing changed"] = _checked(
        repeat(size.repeats, lambda: run(build, workdir, env)), "rebuild"
    )
    scenario = workdir / "plans" / "brightbrew" / "scenarios" / f"{CHANGED}.yaml"
    original = scenario.read_text("utf-8")
    if f" {WORD} " not in original:
        raise SystemExit(f"{scenario} no longer has the word {WORD!r} to change")
    words = iter(WORDS * 10)

    def one_change() -> Run:
        scenario.write_text(original.replace(f" {WORD} ", f" {next(words)} ", 1), "utf-8")
        return run(build, workdir, env)

    progress("rebuild, one word changed")
    say["rebuild, one word changed"] = _checked(repeat(size.repeats, one_change), "rebuild")
    shutil.rmtree(scratch / f"n{n}")
    if zensical_installed():
        # MkDocs renders every page again; Zensical keeps its cache between builds.
        progress("Zensical, --no-pdf: rebuild with one word changed beside a fresh build")
        say["zensical rebuild"] = incremental.measure(n, "zensical", size.repeats, scratch, env)
        shutil.rmtree(scratch / f"zensical-{n}", ignore_errors=True)


# -- the table ------------------------------------------------------------------------


def _s(seconds: float) -> str:
    return f"{seconds:.2f}s" if seconds < 10 else f"{seconds:.1f}s"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def _mib(value: float) -> str:
    return f"{value:.0f} MiB"


def rows(sizes: list[Size]) -> list[tuple[str, list[str]]]:
    table: list[tuple[str, list[str]]] = []

    def row(label: str, cell: Callable[[Size], str]) -> None:
        cells = []
        for size in sizes:
            try:
                cells.append(cell(size))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        table.append((label, cells))

    def m(size: Size, key: str) -> Measure:
        value: Measure = size.results[key]
        return value

    def pdfs(size: Size, key: str) -> str:
        if not size.pdf:
            return "no PDFs"
        counts = pdf_counts(m(size, key).runs[-1].stdout)
        return f"{counts['rendered']} / {counts['reused']}" if counts else "?"

    row("(a) crisisplan check --strict", lambda s: _s(m(s, "check").seconds))
    row("    check-jsonschema, same files", lambda s: _s(m(s, "check-jsonschema").seconds))
    row(
        "    check / check-jsonschema",
        lambda s: _ratio(m(s, "check").seconds, m(s, "check-jsonschema").seconds),
    )
    row(
        "    CPU: check / check-jsonschema",
        lambda s: _ratio(m(s, "check").cpu_seconds, m(s, "check-jsonschema").cpu_seconds),
    )
    row(
        "(b) crisisplan build",
        lambda s: _s(m(s, "build").seconds) + ("" if s.pdf else " (no PDFs)"),
    )
    row("    build --no-pdf (site part)", lambda s: _s(m(s, "build --no-pdf").seconds))
    row("    plain mkdocs build, same Markdown", lambda s: _s(m(s, "mkdocs").seconds))
    row(
        "    site stage in the build (no check)",
        lambda s: _s(statistics.median(s.results["site_stage"])) if s.results.get("site_stage") else "?",
    )
    row(
        "    site stage / plain mkdocs",
        lambda s: _ratio(statistics.median(s.results["site_stage"]), m(s, "mkdocs").seconds)
        if s.results.get("site_stage")
        else "?",
    )
    row(
        "    site part / plain mkdocs",
        lambda s: _ratio(m(s, "build --no-pdf").seconds, m(s, "mkdocs").seconds),
    )
    # CPU seconds (process and children) hold up better than wall time on a busy machine.
    row(
        "    CPU: site part / plain mkdocs",
        lambda s: _ratio(m(s, "build --no-pdf").cpu_seconds, m(s, "mkdocs").cpu_seconds),
    )
    row("    site size (no PDFs)", lambda s: f"{s.results['site_bytes'] / 2**20:.1f} MiB")
    row("    one scenario page", lambda s: f"{s.results['page_bytes'] / 1024:.0f} KiB")
    row("(c) fresh build", lambda s: _s(m(s, "build").seconds))
    row("    baseline's fresh build (--baseline)", lambda s: _s(m(s, "build (baseline)").seconds))
    row("      this / baseline", lambda s: _ratio(m(s, "build").seconds, m(s, "build (baseline)").seconds))
    row(
        "      CPU: this / baseline",
        lambda s: _ratio(m(s, "build").cpu_seconds, m(s, "build (baseline)").cpu_seconds),
    )
    row(
        "      all processes (PSS): this / baseline",
        lambda s: _ratio(m(s, "build").tree_peak_mib, m(s, "build (baseline)").tree_peak_mib),
    )
    row("    rebuild, nothing changed", lambda s: _s(m(s, "rebuild, nothing changed").seconds))
    row(
        "      / fresh",
        lambda s: _ratio(m(s, "rebuild, nothing changed").seconds, m(s, "build").seconds),
    )
    row("      PDFs rendered / reused", lambda s: pdfs(s, "rebuild, nothing changed"))
    row("    rebuild, one word changed", lambda s: _s(m(s, "rebuild, one word changed").seconds))
    row(
        "      / fresh",
        lambda s: _ratio(m(s, "rebuild, one word changed").seconds, m(s, "build").seconds),
    )
    row("      PDFs rendered / reused", lambda s: pdfs(s, "rebuild, one word changed"))
    row(
        "    Zensical --no-pdf: one word changed / fresh (wall)",
        lambda s: f"{s.results['zensical rebuild']['wall_ratio']:.2f}x",
    )
    row(
        "      the same, CPU of all processes",
        lambda s: f"{s.results['zensical rebuild']['cpu_ratio']:.2f}x",
    )

    def built(size: Size) -> str:
        if not size.pdf:
            return "no PDFs"
        counts = pdf_counts(m(size, "build").runs[-1].stdout)
        return f"{counts['pdfs']} ({counts['pages']} pages)" if counts else "?"

    row("    PDFs in a build", built)
    row("(d) fresh build, CPU time (all processes)", lambda s: _s(m(s, "build").cpu_seconds))
    row(
        "    CPU per scenario",
        lambda s: f"{m(s, 'build').cpu_seconds / s.n * 1000:.0f} ms",
    )
    row("    largest process (max RSS)", lambda s: _mib(m(s, "build").max_rss_mib))
    row("    all processes at once (PSS, sampled)", lambda s: _mib(m(s, "build").tree_peak_mib))
    row(
        "    baseline: all processes (PSS)", lambda s: _mib(m(s, "build (baseline)").tree_peak_mib)
    )
    row("    plain mkdocs, max RSS", lambda s: _mib(m(s, "mkdocs").max_rss_mib))
    row("repeats (median of)", lambda s: str(s.repeats))
    return table


def render(table: list[tuple[str, list[str]]], sizes: list[Size]) -> str:
    width = max(len(label) for label, _ in table) + 2
    columns = [f"N={s.n:,}" for s in sizes]
    cell = max(12, *(len(c) + 2 for _, cells in table for c in cells))
    lines = [" " * width + "".join(c.rjust(cell) for c in columns)]
    lines += [label.ljust(width) + "".join(c.rjust(cell) for c in cells) for label, cells in table]
    return "\n".join(lines)


# Frames every command has above crisisplan's own work: left out of the profile.
_PLUMBING = re.compile(r"runpy|click/core\.py|^<|^~|crisisplan/(__main__|cli/)")
# Where a build's time goes, by the functions that do each part.
_PARTS = {
    "check the plan": ("crisisplan/check/pipeline.py", "check_paths"),
    "generate the Markdown": ("crisisplan/publish/site/pages.py", "generate"),
    "MkDocs: load the config": ("mkdocs/config/base.py", "load_config"),
    "MkDocs: build": ("mkdocs/commands/build.py", "build"),
    "localize the search index": ("crisisplan/publish/site/search.py", "localize_search_index"),
    "declare page languages": ("crisisplan/publish/build.py", "_declare_language"),
    "publish (swap the site in)": ("crisisplan/publish/sitefolder.py", "swap_in"),
}


def profile(n: int, scratch: Path, languages: Sequence[str], env: dict[str, str], top: int) -> str:
    """cProfile of one `crisisplan build --no-pdf` at N scenarios: the top entries by
    cumulative time, and the build's parts, to show where the site part's time goes
    beyond MkDocs."""
    import pstats

    folder = scratch / f"profile-{n}"
    generate(folder / "plans" / "brightbrew", n, languages)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    stats_file = scratch / "build.prof"
    result = run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(stats_file),
            "-m",
            "crisisplan",
            "build",
            "--no-pdf",
            "plans",
        ],
        folder,
        env,
    )
    shutil.rmtree(folder)
    if result.code != 0:
        return f"profiled build failed (exit {result.code}): {result.stderr[-1000:]}"
    # {(file, line, function): (primitive calls, calls, own time, cumulative, callers)}
    Entry = tuple[int, int, float, float, Any]
    loaded = pstats.Stats(str(stats_file))
    raw: dict[tuple[str, int, str], Entry] = loaded.stats  # type: ignore[attr-defined]

    def short(file: str) -> str:
        return re.sub(r"^.*/site-packages/|^.*/src/", "", file)

    entries = sorted(
        (
            (ct, tt, nc, f"{short(file)}:{line}({name})")
            for (file, line, name), (_, nc, tt, ct, _) in raw.items()
        ),
        reverse=True,
    )
    total = entries[0][0] if entries else 0.0
    kept = [e for e in entries if not _PLUMBING.search(e[3])][:top]
    lines = [
        f"profile: crisisplan build --no-pdf at N={n:,}: {result.seconds:.1f}s under cProfile ({total:.1f}s profiled)",
        f"top {top} by cumulative time (runpy, Click and crisisplan.cli frames left out):",
        f"{'cumtime':>9} {'share':>6} {'tottime':>9} {'calls':>9}  function",
    ]
    lines += [
        f"{ct:>8.2f}s {ct / total:>6.1%} {tt:>8.2f}s {nc:>9}  {where}" for ct, tt, nc, where in kept
    ]
    lines.append("the build's parts (cumulative time of the function doing each):")

    def cumulative(file: str, name: str) -> float:
        return sum(v[3] for (f, _, fn), v in raw.items() if f.endswith(file) and fn == name)

    parts = 0.0
    for part, (file, name) in _PARTS.items():
        ct = cumulative(file, name)
        parts += ct
        lines.append(f"{ct:>8.2f}s {ct / total:>6.1%}  {part}  [{file}:{name}]")
    rest = cumulative("crisisplan/publish/build.py", "build") - parts
    lines.append(f"{rest:>8.2f}s {rest / total:>6.1%}  the rest of crisisplan.publish.build.build")
    return "\n".join(lines)


def start_up_rows(repeat: int, baseline: Path | None) -> dict[str, Any]:
    """(e) The shortest commands beside the tools people run next to crisisplan, in
    interleaved rounds (benchmarks/startup.py): check of a minimal plan beside
    check-jsonschema, --version beside yamllint."""
    argv = ["--runs", str(max(repeat * 7, 7))]
    if baseline is not None:
        argv += ["--baseline", str(baseline)]
    print("(e) start-up, ratios within rounds:", flush=True)
    return startup.measure(argv)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10,100,1000", help="scenario counts (default 10,100,1000)"
    )
    parser.add_argument(
        "--pdf-up-to",
        type=int,
        default=100,
        metavar="N",
        help="render PDFs at sizes up to N (default 100; 1000 includes the largest; 0 none)",
    )
    parser.add_argument(
        "--repeat", type=int, help="runs per figure (default 3 below N=1,000, 1 from it)"
    )
    parser.add_argument(
        "--languages", default="en", help="plan languages, en first (en,da: two editions)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="SRC",
        help="also time fresh builds with PDFs by the crisisplan in SRC (a copy of an older "
        "src/ folder), paired with this one's, and print the ratios",
    )
    parser.add_argument(
        "--profile",
        nargs="?",
        const=-1,
        type=int,
        metavar="N",
        help="also profile build --no-pdf (at N, default the largest size)",
    )
    args = parser.parse_args(argv)
    counts = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    languages = [x.strip() for x in args.languages.split(",") if x.strip()]
    sizes = [
        Size(n, pdf=n <= args.pdf_up_to, repeats=args.repeat or (1 if n >= 1000 else 3))
        for n in counts
    ]
    # The date-dependent checks (overdue drills) give the same answer on any day; the
    # MkDocs 2 notice costs nothing but clutters the logs.
    env = {**os.environ, "CRISISPLAN_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1"}
    adopt_orphans()
    info = machine()
    header = [f"crisisplan scale benchmark, plan languages: {', '.join(languages)}"]
    header += [f"  {key}: {value}" for key, value in info.items()]
    print("\n".join(header), flush=True)
    if not check_jsonschema():
        print("  (check-jsonschema is not installed: pip install -e '.[bench]')", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crisisplan-scale-") as scratch_name:
        scratch = Path(scratch_name)
        for size in sizes:
            measure_size(size, scratch, languages, env, args.baseline.resolve() if args.baseline else None)
        table = rows(sizes)
        print()
        print(render(table, sizes))
        print(
            "\nTimes are medians of whole processes (wall clock); rebuilds run in the last fresh "
            "build's folder, one word changed in one scenario file each time. Memory is the "
            "highest over the repeats."
        )
        print(
            f"total benchmark time: {time.perf_counter() - started:.0f}s, "
            f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        print()
        start_up = start_up_rows(args.repeat or 3, args.baseline)
        profiled = ""
        if args.profile is not None:
            n = counts[-1] if args.profile < 0 else args.profile
            print(file=sys.stderr)
            print(f"  profiling build --no-pdf at N={n:,}", file=sys.stderr, flush=True)
            profiled = profile(n, scratch, languages, env, 15)
            print()
            print(profiled)
    if args.json:
        data = {
            "machine": info,
            "languages": languages,
            "table": [
                {"row": label, **{f"N={s.n}": c for s, c in zip(sizes, cells, strict=True)}}
                for label, cells in table
            ],
            "sizes": {
                str(s.n): {
                    "pdf": s.pdf,
                    "repeats": s.repeats,
                    **{
                        key: value.summary() if isinstance(value, Measure) else value
                        for key, value in s.results.items()
                    },
                }
                for s in sizes
            },
            "profile": profiled,
            "start-up": start_up,
        }
        args.json.write_text(json.dumps(data, indent=2), "utf-8")
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
