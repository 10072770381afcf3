"""The days a shop sends greetings on, for any year: fixed solar dates, Sundays in May and
June, and the lunar festivals converted by a lunar calendar (lunar_python computes the new
moons and solar terms astronomically, so there is no table that ends in some year)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar

from store.kernel.i18n import N_, _

# (key, msgid, month, day)
SOLAR = (
    ("new_year", N_("New Year's Day"), 1, 1),
    ("womens_day", N_("Women's Day"), 3, 8),
    ("labour_day", N_("Labour Day"), 5, 1),
    ("national_day", N_("National Day"), 10, 1),
)
# (key, msgid, lunar month, lunar day) — never a leap month
LUNAR = (
    ("spring_festival", N_("Spring Festival"), 1, 1),
    ("lantern", N_("Lantern Festival"), 1, 15),
    ("dragon_boat", N_("Dragon Boat Festival"), 5, 5),
    ("qixi", N_("Qixi Festival"), 7, 7),
    ("mid_autumn", N_("Mid-Autumn Festival"), 8, 15),
    ("double_ninth", N_("Double Ninth Festival"), 9, 9),
)
# (key, msgid, month, nth Sunday)
SUNDAYS = (
    ("mothers_day", N_("Mother's Day"), 5, 2),
    ("fathers_day", N_("Father's Day"), 6, 3),
)


@dataclass(frozen=True)
class Holiday:
    key: str
    title: str  # msgid
    day: date

    @property
    def name(self) -> str:
        return _(self.title)


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``month``/``day`` in the lunar year starting in ``year``."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(int(solar.getYear()), int(solar.getMonth()), int(solar.getDay()))


def _nth_sunday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    offset = (calendar.SUNDAY - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (nth - 1))


@lru_cache(maxsize=64)
def holidays_in(year: int) -> tuple[Holiday, ...]:
    days = [Holiday(k, t, date(year, m, d)) for k, t, m, d in SOLAR]
    days += [Holiday(k, t, lunar_to_solar(year, m, d)) for k, t, m, d in LUNAR]
    days += [Holiday(k, t, _nth_sunday(year, m, n)) for k, t, m, n in SUNDAYS]
    return tuple(sorted(days, key=lambda h: (h.day, h.key)))


def holidays_between(first: date, last: date) -> list[Holiday]:
    """Every holiday from ``first`` to ``last`` inclusive."""
    found: list[Holiday] = []
    for year in range(first.year, last.year + 1):
        found += [h for h in holidays_in(year) if first <= h.day <= last]
    return found
