"""The [referrals] section of config.toml: the 老带新 reward rules, dated like commission
rules because head office sends them with the monthly policy. Read by store.config.loader through
store.config.schema."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from store.config.schema import (
    Bool,
    Date,
    Flat,
    Int,
    ListOf,
    Section,
    Text,
    config_error,
    fills_only,
    parse,
    setting,
)
from store.kernel.i18n import _

CATEGORIES = ("", "handset", "accessory", "service")
MAX_REWARD_FEN = 10**7  # ¥100,000: a typo guard, far above any real referral reward


@dataclass(frozen=True)
class Reward:
    """What one side gets; any mix of a voucher, points and a gift, or nothing."""

    voucher_fen: int = setting(0, Int(0, MAX_REWARD_FEN))
    points: int = setting(0, Int(0, 10**6))
    gift: str = setting("", Text(40, strip=True))

    @property
    def empty(self) -> bool:
        return not (self.voucher_fen or self.points or self.gift)


@dataclass(frozen=True)
class ReferralRule:
    """A dated reward for a referred first sale. An empty category, brand or model matches
    anything; ``min_fen`` is what the matching lines of the first sale must come to."""

    valid_from: date = setting(spec=Date(), key="from")
    valid_to: date | None = setting(None, Date(optional=True), key="to")  # inclusive; None: open-ended
    category: str = setting("", Text(40, strip=True, choices=CATEGORIES))
    brand: str = setting("", Text(40, strip=True))
    model: str = setting("", Text(80, strip=True))
    min_fen: int = setting(0, Int(0, MAX_REWARD_FEN * 100))
    referrer: Reward = setting(factory=Reward, spec=Flat(Reward, "referrer_"))
    referee: Reward = setting(factory=Reward, spec=Flat(Reward, "referee_"))
    # the sale must be kept this long before the reward is earned
    holding_days: int = setting(7, Int(0, 365))
    order: int = 0  # its place in the file: a later rule wins a tie

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def check_config(self, path: str) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise config_error(f"{path}.to", _("before the rule's 'from' date"))
        if self.referrer.empty and self.referee.empty:
            raise config_error(path, _("a rule gives the referrer or the new customer something"))

    @property
    def specificity(self) -> tuple[int, int, int, int]:
        return (bool(self.model), bool(self.brand), bool(self.category), self.min_fen)

    @property
    def label(self) -> str:
        parts = [p for p in (self.category, self.brand, self.model) if p]
        scope = "/".join(parts) if parts else "*"
        return f"{self.valid_from.isoformat()} {scope} >= {self.min_fen}"


def default_rules() -> list[ReferralRule]:
    start = date(2020, 1, 1)
    return [
        ReferralRule(
            start,
            category="handset",
            min_fen=100000,
            referrer=Reward(voucher_fen=5000),
            referee=Reward(gift="钢化膜"),
            holding_days=7,
        ),
    ]


@dataclass
class ReferralSection:
    enabled: bool = setting(True, Bool())
    # rewarded referrals per referrer per calendar month; 0: no cap
    monthly_cap: int = setting(10, Int(0, 1000))
    voucher_valid_days: int = setting(180, Int(1, 3650))  # from the day the reward is earned
    # Flags for the manager: a referrer whose referees mostly never came back.
    flag_min_referrals: int = setting(5, Int(2, 1000))
    flag_repeat_percent: int = setting(20, Int(0, 100))
    flag_window_days: int = setting(90, Int(1, 3650))
    receipt_note: str = setting("推荐好友来店购机，双方有礼", Text(60, strip=True))
    # The SMS inviting old customers to refer (zhanggui referrals invite).
    invite_message: str = setting(
        "{name}您好！介绍亲友到{store}购机，报您的推荐码{code}，双方有礼。",
        Text(
            200,
            strip=True,
            accept=fills_only("name", "store", "code"),
            problem=lambda: _("only {name}, {store} and {code} may be filled in"),
        ),
    )
    rules: list[ReferralRule] = setting(
        factory=default_rules, spec=ListOf(Section(ReferralRule), number="order")
    )

    def rules_on(self, day: date) -> Iterable[ReferralRule]:
        return (r for r in self.rules if r.in_force(day))


def parse_referrals(raw: Any) -> ReferralSection:
    """The [referrals] table as store.config.loader reads it."""
    return parse(ReferralSection, raw, "referrals")
