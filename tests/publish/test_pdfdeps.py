"""Missing system libraries for PDFs: one clear error naming what to install.

Pango is taken away for real in a subprocess: cffi's dlopen, which WeasyPrint loads
its libraries with, fails for Pango exactly as it does on a machine without it. For
fonts, fontconfig is given a configuration with no font folder at all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from crisisplan.publish.pdf.deps import require_weasyprint
from tests.conftest import ROOT

WITHOUT_PANGO = """
import sys
import cffi

real_dlopen = cffi.FFI.dlopen


def dlopen(self, name, flags=0):
    if "pango" in str(name):
        # cffi's own words when the library is not installed.
        raise OSError(
            f"cannot load library '{name}': {name}: cannot open shared object file: "
            "No such file or directory"
        )
    return real_dlopen(self, name, flags)


cffi.FFI.dlopen = dlopen
sys.argv[0] = "crisisplan"
from crisisplan.cli import main

main()
"""

INSTALL = (
    "  hint: install them with your system's package manager: on Debian or Ubuntu "
    "'apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core', "
    "on Fedora 'dnf install pango dejavu-sans-fonts', on macOS 'brew install pango'; "
)
NO_PANGO = "PDFs cannot be rendered: a system library WeasyPrint needs is missing (libpango-1.0-0)\n"
NO_FONTS = "PDFs cannot be rendered: no fonts are installed (fontconfig finds none)\n"


def project(folder: Path) -> Path:
    shutil.copy(ROOT / "plans" / "segarkita.yaml", folder)
    (folder / "mkdocs.yml").write_text("site_url: https://example.org/runbook/\ntheme: {name: material, font: false}\n")
    return folder


def crisisplan(*args: str, cwd: Path, without_pango: bool = False, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", WITHOUT_PANGO, *args] if without_pango else [sys.executable, "-m", "crisisplan", *args]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr
    return result


def test_pdfs_work_here() -> None:
    require_weasyprint()


def test_build_without_pango(tmp_path: Path) -> None:
    result = crisisplan("build", "segarkita.yaml", cwd=project(tmp_path), without_pango=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {NO_PANGO}{INSTALL}or build without PDFs: crisisplan build --no-pdf\nsite/ was left as it was.\n"
    )
    assert not (tmp_path / "site").exists()
    # --no-pdf, as suggested, builds.
    assert crisisplan("build", "-q", "segarkita.yaml", "--no-pdf", cwd=tmp_path, without_pango=True).returncode == 0


def test_build_format_json_without_pango_is_still_one_document(tmp_path: Path) -> None:
    result = crisisplan("build", "segarkita.yaml", "--format", "json", cwd=project(tmp_path), without_pango=True)
    assert result.returncode == 1
    # WeasyPrint's own banner (printed on standard output) is kept out of the JSON.
    build = json.loads(result.stdout)["build"]
    assert (build["built"], build["error"]) == (
        False,
        f"{NO_PANGO}{INSTALL}or build without PDFs: crisisplan build --no-pdf",
    )


def test_drill_pdf_without_pango(tmp_path: Path) -> None:
    project(tmp_path)
    result = crisisplan(
        "drill", "kebocoran-data", "--plan", "segarkita.yaml", "--pdf", "drill.pdf", cwd=tmp_path, without_pango=True
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: {NO_PANGO}{INSTALL}or write the drill as text: leave out --pdf\n"
    assert not (tmp_path / "drill.pdf").exists()


def test_build_without_fonts(tmp_path: Path) -> None:
    project(tmp_path)
    no_fonts = tmp_path / "fonts.conf"
    no_fonts.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    result = crisisplan("build", "segarkita.yaml", cwd=tmp_path, env={"FONTCONFIG_FILE": str(no_fonts)})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {NO_FONTS}{INSTALL}or build without PDFs: crisisplan build --no-pdf\nsite/ was left as it was.\n"
    )
