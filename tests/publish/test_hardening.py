"""A hardened build: nothing lost, nothing read or written outside the plan, no hang,
no traceback. Each test is an attack or an accident that once did damage."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crisisplan.plan.yamlfile import MAX_EXPANDED_BYTES, MAX_NODES, LoadError, load_file
from tests.conftest import CASES, snapshot

MINIMAL = CASES / "valid" / "minimal" / "plan.yaml"


def run_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crisisplan", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )



@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A company repository: git, plans/, docs/, mkdocs.yml and a source folder."""
    project = tmp_path / "company"
    (project / "plans").mkdir(parents=True)
    shutil.copy(MINIMAL, project / "plans" / "plan.yaml")
    (project / "docs").mkdir()
    (project / "docs" / "offline.md").write_text("# When the network is down\n")
    (project / "src").mkdir()
    (project / "src" / "app.py").write_text("print('precious')\n")
    (project / "mkdocs.yml").write_text("site_name: Example runbook\ntheme:\n  name: material\n")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    return project


# --- 1. Nothing is lost --------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        ("plans", "plans is the plans folder; building there would replace it"),
        ("src", "src holds files crisisplan did not write (app.py)"),
        (".", ". is the current folder or holds it"),
        ("..", ".. is the current folder or holds it"),
        ("docs", "docs is the docs folder"),
        ("docs/site", "docs/site is inside the docs folder"),
        ("plans/site", "plans/site is inside the plans folder plans"),
        ("mkdocs.yml", "Directory 'mkdocs.yml' is a file"),
    ],
)
def test_a_site_dir_that_would_replace_something_is_refused(repo: Path, site_dir: str, message: str) -> None:
    before = snapshot(repo.parent)
    result = run_cli("build", "--no-pdf", "--site-dir", site_dir, cwd=repo)
    assert result.returncode == (2 if site_dir == "mkdocs.yml" else 1), result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "Built" not in result.stdout
    assert snapshot(repo.parent) == before


def test_force_replaces_a_foreign_folder_but_never_the_repository_or_a_plan(repo: Path) -> None:
    (repo / "public").mkdir()
    (repo / "public" / "notes.txt").write_text("mine")
    refused = run_cli("build", "--no-pdf", "--site-dir", "public", cwd=repo)
    assert "public holds files crisisplan did not write (notes.txt)" in refused.stderr
    assert "pass --force" in refused.stderr
    assert (repo / "public" / "notes.txt").exists()
    forced = run_cli("build", "--no-pdf", "--site-dir", "public", "--force", cwd=repo)
    assert forced.returncode == 0, forced.stderr
    assert not (repo / "public" / "notes.txt").exists()
    assert (repo / "public" / ".crisisplan-site").is_file()
    before = snapshot(repo)
    for target in (".", "plans", "docs", ".."):
        result = run_cli("build", "--no-pdf", "--force", "--site-dir", target, cwd=repo)
        assert result.returncode == 1, target
    assert snapshot(repo) == before


def test_a_committed_site_symlink_is_refused_and_its_target_kept(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    (repo / "site").symlink_to(victim, target_is_directory=True)
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 1
    assert "site is a symbolic link" in result.stderr
    assert (victim / "keep.txt").read_text() == "precious"
    assert (repo / "site").is_symlink()


def test_a_site_of_crisisplan_0_1_without_marker_is_still_replaced(repo: Path) -> None:
    assert run_cli("build", "--no-pdf", cwd=repo).returncode == 0
    (repo / "site" / ".crisisplan-site").unlink()  # as 0.1 left it
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "site" / ".crisisplan-site").is_file()


def test_scratch_space_is_ignored_by_git_and_cleaned(repo: Path) -> None:
    assert run_cli("build", "--no-pdf", cwd=repo).returncode == 0
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True)
    assert ".crisisplan-build" not in status.stdout
    work = repo / ".crisisplan-build"
    assert sorted(p.name for p in work.iterdir()) == [".gitignore", "site.last-build.json", "site.lock"]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _start_build(repo: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crisisplan", "build", *args],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_pdf_workers(build: subprocess.Popen[str]) -> set[int]:
    """The build's PDF workers, once two run: forked by its fork server, a child of
    the build, so grandchildren of the build."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None:
        workers = {worker for child in _children(build.pid) for worker in _children(child)}
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    pytest.fail("the build never started its PDF workers")


def _wait_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


def _assert_complete_site(site: Path) -> None:
    assert (site / ".crisisplan-site").is_file()
    assert (site / "index.html").is_file()
    assert (site / "plans" / "scenarios" / "outage.html").is_file()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
def test_sigkill_at_any_moment_leaves_a_complete_site_and_no_workers(repo: Path) -> None:
    (repo / "plans" / "more.yaml").write_text(MINIMAL.read_text().replace("Example Co", "Second Co"))
    assert run_cli("build", cwd=repo).returncode == 0
    # Killed while rendering PDFs: the workers die with the build.
    build = _start_build(repo, "--no-cache")
    workers = _wait_for_pdf_workers(build)
    build.kill()
    build.communicate()
    assert _wait_gone(workers) == set()
    _assert_complete_site(repo / "site")
    # Killed at other moments, through the swap included.
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        build = _start_build(repo, "--no-pdf")
        time.sleep(delay)
        build.kill()
        build.communicate()
        _assert_complete_site(repo / "site")
    # The next build cleans what the killed ones left.
    assert run_cli("build", "--no-pdf", cwd=repo).returncode == 0
    assert sorted(p.name for p in (repo / ".crisisplan-build").iterdir()) == [".gitignore", "site.last-build.json", "site.lock"]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
def test_sigterm_stops_workers_cleans_scratch_and_keeps_the_site(repo: Path) -> None:
    assert run_cli("build", "--no-pdf", cwd=repo).returncode == 0
    before = snapshot(repo / "site")
    (repo / "plans" / "more.yaml").write_text(MINIMAL.read_text().replace("Example Co", "Second Co"))
    build = _start_build(repo, "--no-cache")
    workers = _wait_for_pdf_workers(build)
    build.terminate()
    _, stderr = build.communicate(timeout=30)
    assert build.returncode == 143
    assert "Traceback" not in stderr
    assert _wait_gone(workers) == set()
    assert snapshot(repo / "site") == before
    kept = {".gitignore", "site.last-build.json", "site.lock"}
    left = {p.name for p in (repo / ".crisisplan-build").iterdir()} - kept
    # Known, rare (seen twice in CI): a worker the pool started just as the signal came
    # is not among those it stops, finishes its file into a scratch folder it makes anew,
    # then dies with the build. Until workers stop making their folder, the promise kept
    # is the one a killed build keeps: the next build removes what is left.
    assert all(".scratch-" in name for name in left), left
    if left:
        assert run_cli("build", "--no-pdf", cwd=repo).returncode == 0
        assert {p.name for p in (repo / ".crisisplan-build").iterdir()} == kept


def test_overlapping_builds_are_serialised(repo: Path) -> None:
    first = _start_build(repo, "--no-pdf")
    second = _start_build(repo, "--no-pdf")
    for build in (first, second):
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
        assert "Traceback" not in err
    _assert_complete_site(repo / "site")


# --- Writing only what is new, only where it belongs ----------------------------------


def test_review_never_writes_through_a_linked_reviews_folder(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "plans" / "reviews").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("review", "outage", "--date", "2026-11-20", cwd=repo)
    assert result.returncode == 1
    assert "is a symbolic link; crisisplan does not write through links" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_review_never_writes_through_a_dangling_link(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "planted.yaml"
    (repo / "plans" / "reviews").mkdir(parents=True)
    (repo / "plans" / "reviews" / "2026-11-20-outage.yaml").symlink_to(target)
    result = run_cli("review", "outage", "--date", "2026-11-20", cwd=repo)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert not target.exists()


def test_review_refuses_a_scenario_id_that_climbs_out(repo: Path, tmp_path: Path) -> None:
    plan = repo / "plans" / "plan.yaml"
    plan.write_text(plan.read_text().replace("  - id: outage\n", '  - id: "../../../../x"\n'))
    result = run_cli("review", "../../../../x", "--date", "2026-11-20", cwd=repo)
    assert result.returncode == 1
    assert "cannot be part of a file name" in result.stderr
    assert not list(tmp_path.rglob("*x.yaml"))


def test_review_writes_a_new_file_and_never_over_one(repo: Path) -> None:
    first = run_cli("review", "outage", "--date", "2026-11-20", cwd=repo)
    assert first.returncode == 0, first.stderr
    written = repo / "plans" / "reviews" / "2026-11-20-outage.yaml"
    written.write_text(written.read_text() + "# my notes\n")
    again = run_cli("review", "outage", "--date", "2026-11-20", cwd=repo)
    assert again.returncode == 1
    assert written.read_text().endswith("# my notes\n")


def test_review_date_out_of_range_is_a_usage_error(repo: Path) -> None:
    result = run_cli("review", "outage", "--date", "9999-12-31", cwd=repo)
    assert result.returncode == 2
    assert "9999-12-31 is out of range" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("out/", "out/ is a folder"),
        ("existing.pdf", "existing.pdf is already there (a file); crisisplan never writes over a file"),
        ("link.pdf", "link.pdf is a symbolic link"),
    ],
)
def test_drill_pdf_writes_only_new_files(repo: Path, tmp_path: Path, target: str, message: str) -> None:
    (repo / "existing.pdf").write_text("keep")
    (repo / "link.pdf").symlink_to(tmp_path / "planted.pdf")
    result = run_cli("drill", "outage", "--pdf", target, cwd=repo)
    assert result.returncode == 1
    assert message in result.stderr
    assert (repo / "existing.pdf").read_text() == "keep"
    assert not (tmp_path / "planted.pdf").exists()
    assert not (repo / "out").exists()


def test_drill_pdf_force_replaces_a_file_and_a_full_disk_is_an_error(repo: Path) -> None:
    (repo / "drill.pdf").write_text("old")
    result = run_cli("drill", "outage", "--pdf", "drill.pdf", "--force", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "drill.pdf").read_bytes().startswith(b"%PDF")
    if Path("/dev/full").exists():
        full = run_cli("drill", "outage", "--pdf", "/dev/full", cwd=repo)
        assert full.returncode == 1
        assert "Traceback" not in full.stderr


# --- 2. Read only what is the plan's -------------------------------------------------


def test_docs_links_out_of_the_repository_are_never_published(repo: Path, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "passwords.md").write_text("hunter2")
    (repo / "docs" / "secrets").symlink_to(secrets, target_is_directory=True)
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 1
    assert "docs/secrets:1:1: error CP015: this is a link to a file outside the repository" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr
    assert not (repo / "site").exists()


def test_a_docs_dir_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("hunter2")
    (repo / "mkdocs.yml").write_text(f"site_name: x\ndocs_dir: {outside}\n")
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 1
    assert "error CP015: the docs folder is outside the repository" in result.stdout
    assert not (repo / "site").exists()


def test_docs_links_inside_the_repository_are_followed(repo: Path) -> None:
    (repo / "notes").mkdir()
    (repo / "notes" / "shared.md").write_text("# Shared note\n")
    (repo / "docs" / "shared.md").symlink_to(repo / "notes" / "shared.md")
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Shared note" in (repo / "site" / "shared.html").read_text()


def test_plan_files_linked_out_of_the_repository_are_not_read(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n")
    (repo / "plans" / "scenarios").mkdir()
    (repo / "plans" / "scenarios" / "stolen.yaml").symlink_to(secret)
    (repo / "plans" / "scenarios" / "status.yaml").symlink_to("/proc/self/status")
    result = run_cli("check", cwd=repo)
    assert "plans/scenarios/stolen.yaml:1:1: error CP015" in result.stdout
    assert "hunter2" not in result.stdout
    if Path("/proc/self/status").exists():
        assert "plans/scenarios/status.yaml:1:1: error CP015" in result.stdout
        assert "VmRSS" not in result.stdout and "Pid" not in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_files_are_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli("check", "pipe.yaml", "/dev/null", cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        "/dev/null:1:1: error CP014: this is a device, not a file crisisplan can read",
        "  hint: give the path of a .yaml file, or of a folder of plans",
        "pipe.yaml:1:1: error CP014: this is a pipe, not a file crisisplan can read",
    ]
    piped = subprocess.run(
        [sys.executable, "-m", "crisisplan", "check", "/dev/stdin"],
        input="plan: {}\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert piped.returncode == 1
    assert "error CP014" in piped.stdout


@pytest.mark.parametrize("site_dir", ["/dev/null/x", "readonly/site"])
def test_unwritable_site_dir_is_an_error_not_a_traceback(repo: Path, site_dir: str) -> None:
    readonly = repo / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    try:
        result = run_cli("build", "--no-pdf", "--site-dir", site_dir, cwd=repo)
    finally:
        readonly.chmod(0o755)
    if os.geteuid() == 0 and site_dir.startswith("readonly"):
        assert result.returncode == 0  # root writes anyway; the point is no traceback
    else:
        assert result.returncode == 1
        assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr


# --- 3. Bounded cost ------------------------------------------------------------------


def test_aliases_are_counted_in_bytes_not_only_in_values(tmp_path: Path) -> None:
    # 1,000 aliases to one 1.5 MiB string: few values, gigabytes of pages.
    big = "x" * (3 * 1024 * 1024 // 2)
    text = f"plan:\n  title: &big {big}\nscenarios:\n" + "".join("  - *big\n" for _ in range(1000))
    (tmp_path / "plan.yaml").write_text(text)
    with pytest.raises(LoadError) as refused:
        load_file(tmp_path / "plan.yaml")
    diagnostic = refused.value.diagnostic
    assert diagnostic.code == "CP005"
    assert f"more than {MAX_EXPANDED_BYTES // 1024 // 1024} MiB of text" in diagnostic.message
    assert diagnostic.line == 8  # the alias that crossed the limit: 1.5 MiB x 6 > 8 MiB


def test_plain_values_are_capped_without_aliases(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("plan:\n  triggers: [" + "1," * (MAX_NODES + 10) + "1]\n")
    with pytest.raises(LoadError) as refused:
        load_file(tmp_path / "plan.yaml")
    assert refused.value.diagnostic.code == "CP005"
    assert refused.value.diagnostic.message == f"this file holds more than {MAX_NODES:,} values"


def test_incident_tools_survive_values_the_check_refuses(repo: Path) -> None:
    plan = repo / "plans" / "plan.yaml"
    text = plan.read_text().replace("        at: 10m\n", "        at: 99999999999m\n")
    text = text.replace("  next_review: 2027-04-01\n", "  next_review: 2027-04-01\n  drill_cadence: 99999999999w\n")
    plan.write_text(text.replace("max_length: 30", "max_length: 100000000000"))
    text = plan.read_text()
    plan.write_text(text.replace("moderation:\n", "post_crisis_review:\n  within: 99999999999w\nmoderation:\n", 1))
    commands = (["check"], ["drill", "outage"], ["scenarios"], ["statement", "outage", "--set", "product=X"], ["review", "outage"])
    for args in commands:
        result = run_cli(*args, cwd=repo, timeout=60)
        assert "Traceback" not in result.stderr, args
        assert result.returncode in (0, 1, 2), args


# --- 4. Plan text is data: PDFs hold no local path ------------------------------------


def test_pdfs_hold_no_local_path_and_do_not_depend_on_the_build_folder(tmp_path: Path) -> None:
    from pypdf import PdfReader

    plan = MINIMAL.read_text().replace(
        "worst_case: Customers cannot order for a day and move to competitors.",
        'worst_case: "See [the notes](notes.html), [this](javascript:alert(1)) and [us](https://example.com)."',
    )
    outputs = []
    for name in ("one", "two"):
        folder = tmp_path / name
        (folder / "plans").mkdir(parents=True)
        (folder / "plans" / "plan.yaml").write_text(plan)
        result = run_cli("build", cwd=folder)
        assert result.returncode == 0, result.stderr
        outputs.append((folder / "site" / "pdf" / "plans" / "outage.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"file:" not in outputs[0]
    assert str(tmp_path).encode() not in outputs[0]
    reader = PdfReader(tmp_path / "one" / "site" / "pdf" / "plans" / "outage.pdf")
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]
    assert "https://example.com" in uris
    assert all(not uri.startswith("file:") and "javascript" not in uri for uri in uris)


def test_serve_keeps_going_when_mkdocs_yml_breaks(repo: Path) -> None:
    from crisisplan.publish.options import BuildOptions
    from crisisplan.publish.serve import rebuilds

    (repo / "mkdocs.yml").write_text("site_name: [unclosed\n")
    preview = repo.parent / "preview"
    preview.mkdir()
    options = BuildOptions(paths=[repo / "plans"], site_dir=preview / "site", config_file=repo / "mkdocs.yml", pdf=False)
    here = os.getcwd()
    os.chdir(repo)
    try:
        first = next(rebuilds(options, [repo / "mkdocs.yml"], sleep=lambda _: None))
    finally:
        os.chdir(here)
    assert not first.built
    assert "mkdocs.yml" in first.error


# --- Found in review: the repository's own store, linked folders, planted caches -------


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        (".git", "is inside a repository's .git folder"),
        (".git/pub", "is inside a repository's .git folder"),
        (".crisisplan-cache", "is crisisplan's own scratch or cache folder"),
        ("a" * 300, "cannot be used as the site folder: File name too long"),
    ],
)
def test_force_never_reaches_git_or_crisisplans_own_folders(repo: Path, site_dir: str, message: str) -> None:
    before = snapshot(repo)
    result = run_cli("build", "--no-pdf", "--force", "--site-dir", site_dir, cwd=repo)
    assert result.returncode == 1
    assert message in result.stderr
    assert snapshot(repo) == before


def test_docs_links_into_git_or_to_folders_are_refused(repo: Path) -> None:
    subprocess.run(["git", "config", "http.extraheader", "AUTHORIZATION: basic SECRET"], cwd=repo, check=True)
    (repo / "docs" / "config.txt").symlink_to(repo / ".git" / "config")
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert "docs/config.txt:1:1: error CP015: this is a link into the repository's .git folder" in result.stdout
    (repo / "docs" / "config.txt").unlink()
    (repo / "docs" / "raw").symlink_to(repo / "plans", target_is_directory=True)
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert "docs/raw:1:1: error CP015: this is a link to a folder" in result.stdout
    assert not (repo / "site").exists()


def test_a_mkdocs_yml_of_the_wrong_shape_is_a_message(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: x\nnav: 5\n")
    result = run_cli("build", "--no-pdf", cwd=repo)
    assert result.returncode == 1
    assert "a setting in mkdocs.yml has the wrong shape" in result.stderr
    assert "unexpectedly" not in result.stderr


def test_a_committed_pdf_cache_is_never_used(repo: Path) -> None:
    assert run_cli("build", cwd=repo).returncode == 0
    for entry in (repo / ".crisisplan-cache" / "pdf").glob("*.pdf"):
        entry.write_bytes(b"%PDF-1.4 forged")  # and its checksum, as an attacker would
        meta = entry.with_suffix(".json")
        record = json.loads(meta.read_text())
        record["sha256"] = hashlib.sha256(b"%PDF-1.4 forged").hexdigest()
        meta.write_text(json.dumps(record))
    subprocess.run(["git", "add", "-f", ".crisisplan-cache"], cwd=repo, check=True)
    result = run_cli("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "from the cache" not in result.stdout
    assert all(b"forged" not in pdf.read_bytes() for pdf in (repo / "site").rglob("*.pdf"))
