"""Commission maths: which dated rule pays a sale line, and how much.

Money is integer fen and rates are basis points (1/100 of a percent); nothing here uses
floats.

Choosing the rule: of the rules in force on the day of the sale (for a return, the day of
the original sale, so a return takes back what the sale paid), those whose category, brand
and model match (an empty one matches anything) compete; the most specific wins — a
special-price model first, then a model, a brand, a category. A tie goes to the later
``from`` date, then to the rule later in the list. No rule: the default rate.

Rounding: commission = rate x amount / 10000 rounded half up to the fen, away from zero
for a negative amount (a return), plus the fixed per-unit amount x units. It is worked out
once per promoter, product and rule over the figures being reported (the month), with
returns summed apart from sales, so a return of everything reverses the commission exactly,
to the fen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from store.people.config import CommissionRule


@dataclass(frozen=True)
class Item:
    """What the rules look at on a sale line."""

    category: str
    brand: str
    model: str


def _same(rule_value: str, value: str) -> bool:
    return not rule_value or rule_value.casefold() == value.casefold()


def pick_rule(rules: Sequence[CommissionRule], item: Item, day: date) -> CommissionRule | None:
    best: CommissionRule | None = None
    best_key: tuple[int, int, int, int, date, int] | None = None
    for index, rule in enumerate(rules):
        if not rule.in_force(day):
            continue
        if not (
            _same(rule.category, item.category)
            and _same(rule.brand, item.brand)
            and _same(rule.model, item.model)
        ):
            continue
        key = (
            int(rule.special),
            int(bool(rule.model)),
            int(bool(rule.brand)),
            int(bool(rule.category)),
            rule.valid_from,
            index,
        )
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


def rate_part(amount: int, rate_bp: int) -> int:
    """``rate_bp`` of ``amount`` fen, half up, symmetric about zero: -x pays back what x paid."""
    magnitude = (abs(amount) * rate_bp + 5000) // 10000
    return magnitude if amount >= 0 else -magnitude


def commission(amount: int, units: int, rule: CommissionRule | None, default_rate_bp: int = 0) -> int:
    """Commission in fen on ``amount`` fen for ``units`` units (both negative on a return)."""
    if rule is None:
        return rate_part(amount, default_rate_bp)
    return rate_part(amount, rule.rate_bp) + rule.per_unit_fen * units


def boundaries(rules: Sequence[CommissionRule]) -> list[date]:
    """The days on which the set of rules in force changes, in order. Between two of them
    (and after the last) every day picks the same rule for the same item."""
    days: set[date] = set()
    for rule in rules:
        days.add(rule.valid_from)
        if rule.valid_to is not None:
            days.add(date.fromordinal(rule.valid_to.toordinal() + 1))
    return sorted(days)
