"""Values as plans write them: dates, durations, cadences, phone numbers, language
codes, and placeholders in statement text.

Parsing is lenient, as the model is: a value that is not one (already reported by
the schema) comes back as None, so the checks and the incident tools keep going.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Protocol

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

# What authors write where they have nothing to write yet, or where the source they
# copy from says nothing, in the languages plans are written in. None of it is a worst
# case or a way to reach someone. Matched against the whole value.
_FILLER = re.compile(
    r"""^(?:
        tbd|tba|tbc|todo|to\ do|n/?a|none|nil|unknown|placeholder|xxx+|-+|\?+|\.+|…
      | not\ (?:stated|given|known|specified|provided|available|applicable|listed|mentioned)
        (?:\ (?:in|by)\ (?:the\ )?(?:source|original|brief)(?:\ (?:plan|document|text))?)?
      | (?:see|per)\ (?:the\ )?source
      | (?:tidak|belum)\ (?:ada|diketahui|ditentukan|dinyatakan|disebutkan)|tiada|entah   # id, ms
      | ikke\ (?:angivet|oplyst|kendt|nævnt)|ukendt|mangler|ingen|kommer\ senere        # da
      | ej\ angivet|inte\ angivet|okänt|saknas                                         # sv
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_filler(text: Any) -> bool:
    """Whether a value says nothing: TBD, "n/a", "not given in source", "tidak ada"..."""
    if not isinstance(text, str):
        return False
    said = " ".join(text.split()).strip(" .:;!()[]\"'").casefold()
    return not said or bool(_FILLER.match(said))

# The digits per unit are capped as in the schema, so a duration always fits in date
# arithmetic: at most about 48 years.
_DURATION = re.compile(r"(?=\d)(?:(\d{1,3})w)?(?:(\d{1,4})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?", re.ASCII)
# Dates outside these years are refused by the schema; code reading plans that failed
# the check (the incident tools do) treats them as missing instead of overflowing.
FIRST_YEAR, LAST_YEAR = 1970, 2199


class StandIn(Protocol):
    """What measure() needs of a placeholder (crisisplan.plan.model.Placeholder)."""

    @property
    def stand_in_length(self) -> int: ...


def parse_date(text: Any) -> dt.date | None:
    """A YYYY-MM-DD date within the years plans may use; None otherwise."""
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def parse_duration(text: Any) -> int | None:
    """Minutes in a duration like '1h30m'; None when it is not one."""
    if not isinstance(text, str):
        return None
    match = _DURATION.fullmatch(text.strip())
    if not match:
        return None
    weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return ((weeks * 7 + days) * 24 + hours) * 60 + minutes


def format_minutes(minutes: int) -> str:
    """Minutes back into the plan's own notation, largest unit first: 90 -> '1h30m'."""
    if minutes == 0:
        return "0m"
    parts = []
    for unit, size in (("d", 1440), ("h", 60), ("m", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def fill(text: str, values: dict[str, str]) -> str:
    """A statement with its placeholders replaced; unknown ones are left as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def measure(text: str, placeholders: Mapping[str, StandIn]) -> int:
    """A statement's length as published: placeholders at their longest (or example) value.

    Trailing white space is not counted: YAML block text ends with a newline that
    nobody publishes.
    """

    # Counted, not built: a max_length the check refuses must not cost its size in memory.
    stripped = text.strip()
    total, last = 0, 0
    for match in PLACEHOLDER.finditer(stripped):
        spec = placeholders.get(match.group(1))
        total += match.start() - last
        total += spec.stand_in_length if spec else len(match.group(0))
        last = match.end()
    return total + len(stripped) - last


def tel_number(phone: str) -> str:
    """A phone number as a tel: link wants it: E.164 (+ and digits only), with an
    extension after ;ext= (RFC 3966) rather than run into the number."""
    if not phone:
        return ""
    import phonenumbers  # here, not at the top: only pages and PDFs need it

    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        # Not an international number (CP404 reports it): digits, as written.
        return "+" + re.sub(r"\D", "", phone)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


# Letters on a phone keypad (ITU E.161), for vanity numbers like 328-COPS.
_KEYPAD = {letter: str(digit) for digit, letters in
           ((2, "ABC"), (3, "DEF"), (4, "GHI"), (5, "JKL"), (6, "MNO"), (7, "PQRS"), (8, "TUV"), (9, "WXYZ"))
           for letter in letters}


def dial_digits(number: str) -> str:
    """What to dial for an emergency line written as people say it: a short code
    ("112"), a local or international number, or a vanity number ("328-COPS (2677)"):
    letters become keypad digits and a bracketed repeat of the letters is dropped.
    "" when nothing in it can be dialled."""
    text = number.strip()
    if not re.fullmatch(r"[+\d\sA-Za-z().*#-]+", text) or len(re.findall(r"\d", text)) < 2:
        return ""  # words, or marks no phone number is written with
    repeat = re.search(r"\(([\d\s-]+)\)\s*$", text)
    if repeat and re.search(r"[A-Za-z]", text[: repeat.start()]):
        text = text[: repeat.start()]
    dialled = "".join(_KEYPAD.get(c.upper(), c) for c in text if c.isascii() and (c.isalnum() or c in "+*#"))
    dialled = (dialled[:1] + dialled[1:].replace("+", "")) if dialled else ""
    return dialled if re.fullmatch(r"\+?[\d*#]{2,20}", dialled) else ""


# Units a cadence may be written in; "m" is not one: in a duration it means minutes.
_CADENCE = re.compile(r"(\d{1,4})\s*(days?|d|weeks?|w|months?|years?|y)", re.ASCII | re.IGNORECASE)


def parse_cadence(text: Any) -> tuple[int, str] | None:
    """'6 months' -> (6, 'month'); '26w' -> (26, 'week'); None when it is not a cadence."""
    if not isinstance(text, str):
        return None
    match = _CADENCE.fullmatch(text.strip())
    if not match or int(match.group(1)) == 0:
        return None
    unit = match.group(2).lower()
    name = {"d": "day", "w": "week", "y": "year"}.get(unit, unit.rstrip("s"))
    return int(match.group(1)), name


def add_cadence(day: dt.date, cadence: tuple[int, str]) -> dt.date:
    """A date plus a cadence; a month later than 31 January is the last day of February."""
    count, unit = cadence
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > LAST_YEAR:
        return dt.date(LAST_YEAR, 12, 31)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
