"""Where the store reads the time: the only module that looks at the machine's clock.

Timestamps are naive UTC (the form every column holds); a business date is the calendar day
in the store's time zone, never the machine's. The interfaces read the time from the
context's ``Clock``; tests hand in a ``FixedClock`` so that nothing depends on the wall clock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, date, datetime, timedelta
from threading import Lock
from zoneinfo import ZoneInfo

_process_clock: Clock | None = None


def utcnow() -> datetime:
    """Naive UTC, the form stored in every timestamp column: the machine's clock, or the
    process clock a test suite or a replay set with ``set_process_clock``."""
    if _process_clock is not None:
        return _process_clock.now()
    return datetime.now(UTC).replace(tzinfo=None)


def set_process_clock(clock: Clock | None) -> None:
    """Make every default time (column defaults, ``moment(None)``, ``SystemClock``) read
    ``clock``; None goes back to the machine's clock. For tests and replays, never a shop."""
    global _process_clock
    _process_clock = clock


def naive_utc(when: datetime) -> datetime:
    """An aware moment converted to naive UTC; a naive one is UTC already."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def moment(now: datetime | None) -> datetime:
    """``now`` as given, or the machine's clock for a caller that passed none (jobs, scripts)."""
    return utcnow() if now is None else now


def business_date(now_utc: datetime, tz: ZoneInfo) -> date:
    """The store's calendar day of a moment: naive means UTC; an aware time is converted."""
    aware = now_utc if now_utc.tzinfo is not None else now_utc.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


class Clock(ABC):
    """The time in one store: ``now()`` naive UTC, ``today()`` the store's business date."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    @abstractmethod
    def now(self) -> datetime:
        """Naive UTC."""

    def __call__(self) -> datetime:
        return self.now()

    def local_now(self) -> datetime:
        """The moment in the store's time zone (aware)."""
        return self.now().replace(tzinfo=UTC).astimezone(self.tz)

    def today(self) -> date:
        """The store's business date: the calendar day in the store's zone."""
        return business_date(self.now(), self.tz)


class SystemClock(Clock):
    """The machine's clock, read in the store's time zone."""

    def now(self) -> datetime:
        return utcnow()


class FixedClock(Clock):
    """A clock that stands still until told to move: tests and replays."""

    def __init__(self, at: datetime, tz: ZoneInfo, *, tick: timedelta = timedelta(0)) -> None:
        """``tick``: how far each reading moves the clock on (a test suite's clock ticks a
        millisecond a read so that rows written one after another keep their order)."""
        super().__init__(tz)
        self._at = naive_utc(at)
        self._tick = tick
        self._lock = Lock()

    def now(self) -> datetime:
        with self._lock:
            at = self._at
            self._at += self._tick
        return at

    def set(self, at: datetime) -> None:
        self._at = naive_utc(at)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move on by ``delta`` (or ``timedelta(**parts)``) and return the new moment."""
        with self._lock:
            self._at += delta if delta is not None else timedelta(**parts)
            return self._at
