"""A cache of rendered PDFs, so a rebuild renders only the PDFs whose content changed.

PDFs are most of a build's time, and a PDF is a pure function of its HTML and of
the software and fonts that render it. So each rendered PDF is kept under a key
made of exactly those: the HTML (which already holds the plan's text, language,
audience and paper size), crisisplan's, WeasyPrint's, pydyf's and pypdf's (which composes full plans) versions, the
installed fonts, and SOURCE_DATE_EPOCH (the PDF's metadata date). Same key, same
bytes: a build is byte-identical with and without the cache.

The cache lives in ``.crisisplan-cache/`` beside the site, ignored by git through
its own ``.gitignore`` so CI can keep it between runs. An entry is used only if
its recorded checksum matches its bytes, so a corrupt or truncated entry is
rendered again, never published. A cache folder that git tracks was planted (a
pull request can commit one full of forged PDFs) and is not used at all, nor is one
git cannot vouch for (git refuses a checkout owned by another user, "dubious
ownership", as in many CI containers): ``refusal`` says why. Keep the cache between
CI runs with the CI's own cache, scoped to the branch. Nothing is read or written
through a symbolic link.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from crisisplan import __version__
from crisisplan.files import git_tracking_doubt
from crisisplan.publish.sitefolder import CACHE_DIR

FORMAT = "crisisplan-pdf-cache-1"


@cache
def _fonts() -> str:
    """What fontconfig would render with; a font installed or removed changes PDFs."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return "no fc-list"
    try:
        listing = subprocess.run(  # noqa: S603  (a fixed command, no plan input)
            [fc_list, "--format", "%{file}|%{fontversion}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listing = "no fc-list"
    return hashlib.sha256("".join(sorted(listing.splitlines(keepends=True))).encode()).hexdigest()


@cache
def _software() -> str:
    # Read from the installed packages' metadata: importing WeasyPrint takes a second,
    # which a build with nothing to render should not spend.
    found = [FORMAT, f"crisisplan {__version__}"]
    for name in ("weasyprint", "pydyf", "pypdf"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return "|".join(found)


def cache_key(html: str, tagged: bool = True) -> str:
    digest = hashlib.sha256()
    variant = "pdf/ua-1" if tagged else "plain"
    for part in (_software(), _fonts(), os.environ.get("SOURCE_DATE_EPOCH", ""), variant, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def unusable(site_dir: Path) -> str | None:
    """Why the PDF cache beside a site folder cannot be used, in words; None when it can."""
    root = site_dir.parent / CACHE_DIR
    if root.is_symlink() or (root / "pdf").is_symlink():
        return f"{root} is a symbolic link; remove the link"
    # A cache committed to the repository (or one git cannot vouch for) could hold forged PDFs.
    return git_tracking_doubt(root)


def refusal(site_dir: Path) -> str | None:
    """Why a build renders every PDF again instead of using the cache, as a warning for
    its report; None when the cache can be used."""
    reason = unusable(site_dir)
    if reason is None:
        return None
    return (
        f"every PDF is rendered again instead of being taken from {site_dir.parent / CACHE_DIR}: {reason}. "
        "Only a cache git vouches for is used (a committed one could hold forged PDFs); "
        "keep it out of git, between CI runs with the CI's own cache"
    )


@dataclass
class PdfCache:
    """Rendered PDFs by key, in one folder."""

    folder: Path

    @classmethod
    def beside(cls, site_dir: Path) -> PdfCache | None:
        """The cache next to a site folder; None (no caching) where it would be unsafe
        (``unusable`` says why)."""
        return cls.open_beside(site_dir)[0]

    @classmethod
    def open_beside(cls, site_dir: Path) -> tuple[PdfCache | None, str | None]:
        """The cache next to a site folder, or None and the warning that says why not
        (``refusal``; None too when the cache folder cannot be made: nothing to say)."""
        warning = refusal(site_dir)
        if warning is not None:
            return None, warning
        return cls._made(site_dir), None

    @classmethod
    def _made(cls, site_dir: Path) -> PdfCache | None:
        root = site_dir.parent / CACHE_DIR
        try:
            (root / "pdf").mkdir(parents=True, exist_ok=True)
            ignore = root / ".gitignore"
            if not ignore.exists() and not ignore.is_symlink():
                ignore.write_text("# Rendered PDFs kept by crisisplan build; safe to delete.\n*\n", encoding="utf-8")
        except OSError:
            return None
        return cls(root / "pdf")

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"

    def fetch(self, key: str, target: Path) -> int | None:
        """Copy the cached PDF for ``key`` to ``target``; its page count, or None on a miss."""
        pdf, meta = self._paths(key)
        if pdf.is_symlink() or meta.is_symlink() or not pdf.is_file() or not meta.is_file():
            return None
        try:
            record = json.loads(meta.read_text("utf-8"))
            data = pdf.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key or record.get("format") != FORMAT:
            return None
        pages = record.get("pages")
        if not isinstance(pages, int) or hashlib.sha256(data).hexdigest() != record.get("sha256"):
            return None  # truncated, corrupt or foreign: render again
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return pages

    def store(self, key: str, rendered: Path, pages: int) -> None:
        """Keep a rendered PDF; a failure to cache never fails the build."""
        pdf, meta = self._paths(key)
        try:
            data = rendered.read_bytes()
            record = {"format": FORMAT, "key": key, "pages": pages, "sha256": hashlib.sha256(data).hexdigest()}
            # Written beside the final name, then renamed: a reader never sees half a file.
            for final, content in ((pdf, data), (meta, json.dumps(record).encode("utf-8"))):
                handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
                with os.fdopen(handle, "wb") as stream:
                    stream.write(content)
                os.replace(temporary, final)
        except OSError:
            return


def clear(site_dir: Path) -> None:
    """Remove the PDF cache beside a site folder (never through a link)."""
    root = site_dir.parent / CACHE_DIR
    if root.is_dir() and not root.is_symlink():
        shutil.rmtree(root / "pdf", ignore_errors=True)
