"""Whether this machine can render PDFs: WeasyPrint needs system libraries (Pango,
HarfBuzz, fontconfig) and at least one font, which pip cannot install.

Without them ``import weasyprint`` raises OSError (after printing a banner on
standard output), and without fonts every PDF comes out with no readable text. Both
become one error saying what to install, checked once before any PDF is rendered, so
that the failure never surfaces as a traceback from a worker process.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings

from crisisplan.errors import CrisisplanError

INSTALL = (
    "install them with your system's package manager: on Debian or Ubuntu "
    "'apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core', "
    "on Fedora 'dnf install pango dejavu-sans-fonts', on macOS 'brew install pango'"
)
WITHOUT_PDF = "or build without PDFs: crisisplan build --no-pdf"


class PdfLibrariesMissing(CrisisplanError):
    """PDFs cannot be rendered on this machine; the hint says what to install."""

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}"


# cffi's message: "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open
# shared object file: ...". The name is the part worth showing.
_LIBRARY = re.compile(r"cannot load library '([^']+)'")


def require_weasyprint(instead: str = WITHOUT_PDF) -> None:
    """Import WeasyPrint and check that it has a font to render with; raises
    PdfLibrariesMissing, naming what is missing, when it cannot work here. ``instead``
    ends the hint: how to do without PDFs."""
    hint = f"{INSTALL}; {instead}"
    banner = io.StringIO()
    try:
        # WeasyPrint prints its own troubleshooting banner on standard output before
        # raising: it must not land in the middle of `build --format json`.
        with contextlib.redirect_stdout(banner), warnings.catch_warnings():
            # Said below, as an error with what to install, rather than as a Python warning.
            warnings.filterwarnings("ignore", message="No fonts configured")
            import weasyprint  # noqa: F401
    except OSError as exc:
        found = _LIBRARY.search(str(exc))
        library = f" ({found.group(1)})" if found else ""
        raise PdfLibrariesMissing(
            f"PDFs cannot be rendered: a system library WeasyPrint needs is missing{library}", hint
        ) from None
    if _font_count() == 0:
        raise PdfLibrariesMissing("PDFs cannot be rendered: no fonts are installed (fontconfig finds none)", hint)


def _font_count() -> int | None:
    """How many fonts fontconfig finds, as WeasyPrint will; None if it cannot tell."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, AttributeError):  # WeasyPrint's internals moved: do not guess
        return None
    try:
        config = fontconfig.FcInitLoadConfigAndFonts()
        if config == ffi.NULL:
            return None
        try:
            fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
            return 0 if fonts == ffi.NULL else int(fonts.nfont)
        finally:
            fontconfig.FcConfigDestroy(config)
    except (AttributeError, TypeError):
        return None
