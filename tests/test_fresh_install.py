"""A new user's machine: crisisplan from its wheel, in a fresh virtual environment
without extras, starts a plan in an empty git repository and builds it with PDFs.

Nothing of the test environment may leak in: a package that only the test extra
installs (pypdf once was) would break every new user while the suite stayed green.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_wheel_in_a_fresh_venv_inits_and_builds_with_pdfs(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, ROOT, cwd=tmp_path, env=env)
    (wheel,) = dist.glob("crisisplan-*.whl")

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    run(venv / "bin" / "pip", "install", "--quiet", wheel, cwd=tmp_path, env=env)
    # Only the wheel and what it declares: no test extra, no pypdf from elsewhere.
    installed = run(venv / "bin" / "pip", "list", "--format", "freeze", cwd=tmp_path, env=env).lower()
    assert "pytest" not in installed and "crisisplan==" in installed

    repo = tmp_path / "repo"
    repo.mkdir()
    run("git", "init", "--quiet", cwd=repo, env=env)
    crisisplan = venv / "bin" / "crisisplan"
    run(crisisplan, "init", "--organisation", "Acme Coffee", "--language", "id", "--language", "en", cwd=repo, env=env)
    assert run(crisisplan, "check", "--strict", cwd=repo, env=env).endswith("1 plan checked: no problems\n")
    out = run(crisisplan, "build", cwd=repo, env=env)
    assert out.startswith("Built site/ in "), out
    site = repo / "site"
    assert (site / "index.html").is_file()
    pdfs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.pdf"))
    # Each edition has its scenarios' runbooks, the full plan (composed with pypdf)
    # and the call card.
    assert any(p.endswith("-plan.pdf") for p in pdfs) and any(p.endswith("-call-card.pdf") for p in pdfs), pdfs
    assert len(pdfs) >= 6, pdfs
