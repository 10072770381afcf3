"""Dates, weeks and months a person types: the years a shop can mean, and one sentence for
anything else (never an OverflowError from a year like 9999 or a ValueError from year 0)."""

from __future__ import annotations

import unicodedata
from datetime import date

from store.kernel.errors import ValidationError
from store.kernel.i18n import _

# The wall clock is read in one place (store.kernel.clock), so a test's fixed clock reaches
# everything that asks this module for the time.

FIRST_YEAR = 2000
LAST_YEAR = 2100


def check_year(year: int, text: str) -> int:
    """``year`` when a shop can mean it; ``text`` is what was typed, for the message."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("{text}: the year must be from {first} to {last}.").format(
                text=text.strip()[:20], first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return year


def parse_day(text: str) -> date:
    """'2026-11-30' (full-width digits too) -> a date in FIRST_YEAR..LAST_YEAR."""
    folded = unicodedata.normalize("NFKC", text).strip()
    try:
        day = date.fromisoformat(folded) if len(folded) == 10 and folded.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("Not a date: {text} (write YYYY-MM-DD)").format(text=text.strip()[:40]))
    check_year(day.year, folded)
    return day
