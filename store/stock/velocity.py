"""Velocity classes, safety stock, reorder points and order suggestions: plain arithmetic on
plain numbers, so each rule can be checked by hand (tests/unit/test_reorder_math.py does).

Demand is counted in units a day over a window of whole business days. Quantities are
floats only inside this arithmetic; what comes out is whole units (and money stays in fen,
elsewhere)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from store.kernel.i18n import N_, _

HOT, REGULAR, SLOW = "hot", "regular", "slow"
CLASS_NAMES = {HOT: N_("hot"), REGULAR: N_("regular"), SLOW: N_("slow")}
# Arithmetic on floats leaves 3.0000000000000004 where 3 was meant; rounding up must not turn
# that into 4 units of a phone.
_EPSILON = 1e-9


def class_name(velocity: str) -> str:
    """A velocity class in the user's language (畅销 / 常规 / 滞销)."""
    return _(CLASS_NAMES[velocity]) if velocity in CLASS_NAMES else velocity


def classify(units: int, hot_min_units: int, slow_max_units: int) -> str:
    """Hot from ``hot_min_units`` sold in the window, slow up to ``slow_max_units``."""
    if units >= hot_min_units:
        return HOT
    if units <= slow_max_units:
        return SLOW
    return REGULAR


@dataclass(frozen=True, slots=True)
class Demand:
    """Daily demand over a window: the mean and the population standard deviation, from
    the sum and the sum of squares of the daily units (days without a sale count as 0)."""

    days: int
    units: int
    mean: float
    sigma: float

    @classmethod
    def from_sums(cls, days: int, total: int, sum_of_squares: int) -> Demand:
        if days <= 0:
            raise ValueError("a demand window has at least one day")
        mean = total / days
        variance = max(sum_of_squares / days - mean * mean, 0.0)
        return cls(days=days, units=total, mean=mean, sigma=math.sqrt(variance))

    @classmethod
    def from_daily(cls, daily: list[int]) -> Demand:
        return cls.from_sums(len(daily), sum(daily), sum(d * d for d in daily))


def z_score(service_level_percent: float) -> float:
    """The standard normal quantile: 95 % -> 1.645, 98 % -> 2.054, 50 % -> 0."""
    if not 0 < service_level_percent < 100:
        raise ValueError("a service level is between 0 and 100 percent")
    return NormalDist().inv_cdf(service_level_percent / 100)


def safety_stock(z: float, sigma: float, lead_days: int) -> float:
    """z x sigma of daily demand x sqrt(lead time in days)."""
    return z * sigma * math.sqrt(lead_days)


def round_up(value: float) -> int:
    """Whole units, rounded up (a fraction of a phone on the shelf is a phone)."""
    return max(0, math.ceil(value - _EPSILON))


def reorder_point(demand: Demand, lead_days: int, z: float) -> int:
    """Expected demand over the lead time plus safety stock, in whole units."""
    return round_up(demand.mean * lead_days + safety_stock(z, demand.sigma, lead_days))


def order_up_to(demand: Demand, lead_days: int, cover_days: int, z: float) -> int:
    """The stock an order should bring us to: the lead time's demand, ``cover_days`` more
    days of demand after it arrives, and the safety stock."""
    return round_up(demand.mean * (lead_days + cover_days) + safety_stock(z, demand.sigma, lead_days))


def round_to_pack(qty: int, pack_size: int) -> int:
    """Up to a whole number of packs: 7 in packs of 5 is 10."""
    if qty <= 0:
        return 0
    pack = max(pack_size, 1)
    return -(-qty // pack) * pack


def suggested_order(*, on_hand: int, on_order: int, reorder_at: int, up_to: int, pack_size: int) -> int:
    """Nothing while stock on hand and on order is above the reorder point; otherwise
    enough to reach ``up_to``, in whole packs. A product with no demand (reorder point 0)
    is never ordered automatically."""
    position = on_hand + on_order
    if reorder_at <= 0 or position > reorder_at:
        return 0
    return round_to_pack(up_to - position, pack_size)
