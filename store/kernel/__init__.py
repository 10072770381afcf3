"""The store's kernel: what every other module builds on. Time enters here (kernel.clock)."""

from store.kernel.clock import (
    Clock,
    FixedClock,
    SystemClock,
    business_date,
    moment,
    set_process_clock,
    utcnow,
)

__all__ = [
    "Clock",
    "FixedClock",
    "SystemClock",
    "business_date",
    "moment",
    "set_process_clock",
    "utcnow",
]
