"""Where a sale is rung (the till: store, terminal, time zone, referral policy), and the one
timestamp form sale rows hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.clock import moment, naive_utc
from store.referrals.config import ReferralSection
from store.selling.config import ReturnsSection, TendersSection


@dataclass(frozen=True)
class Till:
    """Where a sale is rung: the store, the terminal, its local time zone and the policies of
    config.toml a commit enforces."""

    store_code: str
    terminal_id: str
    tz: ZoneInfo
    referrals: ReferralSection = field(default_factory=ReferralSection)  # the 老带新 policy in force
    tenders: TendersSection = field(default_factory=TendersSection)  # which payments need a reference
    returns: ReturnsSection = field(default_factory=ReturnsSection)  # the reasons a return may give


def naive_stamp(now: datetime | None) -> datetime:
    """Naive UTC, the form every timestamp column holds (an aware ``now`` is converted)."""
    return naive_utc(moment(now))
