"""What languages and platforms are called: the names readers see for their codes,
and the code for a language an author wrote by name."""

from __future__ import annotations

PLATFORM_NAMES: dict[str, str] = {
    "x": "X",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "whatsapp": "WhatsApp",
    "sms": "SMS",
    "website": "Website",
    "email": "E-mail",
    "press": "Press",
    "intranet": "Intranet",
    "custom": "Custom",
}

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "da": "Dansk",
    "nl": "Nederlands",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "fi": "Suomi",
    "it": "Italiano",
}

# Names an author may write instead of the code: its own name (above), or in English.
_LANGUAGE_WORDS = {
    **{name.lower(): code for code, name in LANGUAGE_NAMES.items()},
    "english": "en",
    "indonesian": "id",
    "bahasa": "id",
    "malay": "ms",
    "danish": "da",
    "dutch": "nl",
    "german": "de",
    "french": "fr",
    "spanish": "es",
}


def language_code(name: str) -> str | None:
    """'English' -> 'en', for authors who write the language instead of its code."""
    return _LANGUAGE_WORDS.get(name.strip().lower())
