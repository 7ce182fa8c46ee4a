"""'Did you mean ...?' for misspelt keys, ids and values."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Names people use for a choice that the format spells otherwise.
ALIASES = {
    "twitter": "x",
    "tweet": "x",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "wa": "whatsapp",
    "web": "website",
    "blog": "website",
    "newsroom": "website",
    "complaint": "complaints",
    "hate": "hate-speech",
    # Country codes written where a language code belongs.
    "dk": "da",
    "my": "ms",
    "in": "id",
    "se": "sv",
    "gb": "en",
    "uk": "en",
    "us": "en",
}


def closest(word: str, choices: Iterable[str]) -> str | None:
    options = [c for c in choices if c]
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    alias = ALIASES.get(word.lower())
    if alias in lowered:
        return lowered[alias]
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str], listing: str = "choose one of") -> str:
    """A hint naming the closest choice, or listing the choices when none is close."""
    options = sorted({c for c in choices if c})
    best = closest(word, options)
    if best is not None:
        return f"did you mean '{best}'?"
    if not options:
        return ""
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"{listing}: {shown}"


def slug(text: str) -> str:
    """What an id written with capitals, spaces or accents most likely meant."""
    lowered = text.strip().lower()
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")
