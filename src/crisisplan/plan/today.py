"""What day it is, for the checks that depend on it (overdue reviews and drills,
acceptances that expire).

``CRISISPLAN_TODAY=YYYY-MM-DD`` fixes the day, so a run can be reproduced as of another
day and a test suite does not change its verdict as the calendar moves on. The CLI and
the core read the day here, and only here, so both honour the variable.
"""

from __future__ import annotations

import datetime as dt
import os

from crisisplan.errors import EXIT_USAGE, CrisisplanError
from crisisplan.plan.values import FIRST_YEAR, LAST_YEAR

VARIABLE = "CRISISPLAN_TODAY"


class TodayError(CrisisplanError):
    """CRISISPLAN_TODAY is set to something that is not a usable date."""

    exit_code = EXIT_USAGE


def today() -> dt.date:
    """Today, or the day CRISISPLAN_TODAY names."""
    fixed = os.environ.get(VARIABLE)
    if not fixed:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(fixed)
    except ValueError:
        raise TodayError(f"{VARIABLE} must be a date like 2026-11-22, not '{fixed}'") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise TodayError(f"{VARIABLE} must be a date from {FIRST_YEAR} to {LAST_YEAR}, not '{fixed}'")
    return day
