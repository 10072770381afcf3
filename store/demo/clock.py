"""The demo store's calendar: 90 trading days in the shop's time zone, ending at ``now``.

Times are microseconds since the epoch (naive UTC) while generating, and become the text
peewee stores only as a row is written.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from store.demo.sampling import _pick, _share
from store.demo.state import _State
from store.kernel.clock import moment, naive_utc

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
DAYS = 90

_EPOCH = datetime(1970, 1, 1)
_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000

# Trading from 09:30 to 21:30 local time: relative footfall per hour, busiest after work.
OPEN_MINUTES = 9 * 60 + 30
HOUR_WEIGHTS = (0.4, 0.7, 0.9, 1.0, 0.8, 0.7, 0.8, 0.9, 1.0, 1.3, 1.5, 1.2)
WEEKDAY_WEIGHTS = (1.0, 0.9, 0.9, 0.95, 1.05, 1.25, 1.2)  # Monday first


def _us(moment: datetime) -> int:
    """Naive UTC datetime -> microseconds since the epoch (integers keep the maths exact)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_DATES: dict[int, str] = {}


def _stamp(us: int) -> str:
    """The text peewee stores for a naive UTC datetime (str(datetime) is too slow here)."""
    seconds, micro = divmod(us, 1_000_000)
    days, rest = divmod(seconds, 86_400)
    day = _DATES.get(days)
    if day is None:
        day = _DATES[days] = (_EPOCH + timedelta(days=days)).date().isoformat()
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{day} {hours:02d}:{minutes:02d}:{secs:02d}.{micro:06d}"


def _naive_utc(at: datetime | None) -> datetime:
    return naive_utc(moment(at))


def _local_midnight_us(day: date, tz: ZoneInfo) -> int:
    return _us(datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC).replace(tzinfo=None))


class _Calendar(_State):
    """Which days the history covers, how busy each is, and when in a day things happen."""

    def _plan_days(self) -> None:
        end_us = _us(self.end)
        today = (self.end.replace(tzinfo=UTC)).astimezone(self.tz).date()
        self.days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
        self.midnights = [_local_midnight_us(d, self.tz) for d in self.days]
        self.end_us = end_us
        open_us = OPEN_MINUTES * 60_000_000
        self.hour_cum = list(accumulate(HOUR_WEIGHTS))
        full = self.hour_cum[-1]
        limits: list[float] = []
        for midnight in self.midnights:
            elapsed = (end_us - midnight - open_us) / _HOUR_US  # trading hours gone by at `end`
            if elapsed >= len(HOUR_WEIGHTS):
                limits.append(full)
            elif elapsed <= 0:
                limits.append(0.0)
            else:
                hour = int(elapsed)
                before = self.hour_cum[hour - 1] if hour else 0.0
                limits.append(before + HOUR_WEIGHTS[hour] * (elapsed - hour))
        self.limits = limits
        weights = [
            WEEKDAY_WEIGHTS[d.weekday()] * lim / full for d, lim in zip(self.days, limits, strict=True)
        ]
        self.quota = _share(self.spec.sale_lines, weights)
        # Returns come within seven days of the sale, so none on the first day; the days are
        # drawn (not shared out) so that a handful of returns does not bunch up in one month.
        self.return_quota = [0] * DAYS
        later = list(range(1, DAYS))
        later_cum = list(accumulate(weights[1:]))
        for _n in range(self.spec.returns if later_cum[-1] > 0 else 0):
            self.return_quota[_pick(self.rng, later, later_cum)] += 1
        self.start_us = self.midnights[0]

    def _time_in_day(self, d: int) -> int:
        """A moment of trading on day ``d``, never later than ``end``."""
        u = self.rng.random() * self.limits[d]
        hour = bisect_right(self.hour_cum, u)
        hour = min(hour, len(HOUR_WEIGHTS) - 1)
        before = self.hour_cum[hour - 1] if hour else 0.0
        within = (u - before) / HOUR_WEIGHTS[hour]
        moment = self.midnights[d] + OPEN_MINUTES * 60_000_000 + int((hour + within) * _HOUR_US)
        return min(moment, self.end_us - 1)

    def _at_local(self, d: int, minutes: int) -> int:
        return self.midnights[d] + minutes * 60_000_000

    def _delivery_us(self, day: int) -> int:
        if day < 0:
            return self.start_us - _DAY_US + 18 * _HOUR_US  # the evening before the first day
        return self._at_local(day, 9 * 60)
