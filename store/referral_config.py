"""The [referrals] section of config.toml: the 老带新 reward rules, dated like commission
rules because head office sends them with the monthly policy. Kept apart from store.config,
which reads it with parse_referrals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.i18n import _
from store.promoter_config import _date, _int, _list, _only, _table, _text, config_error

CATEGORIES = ("", "handset", "accessory", "service")
MAX_REWARD_FEN = 10**7  # ¥100,000: a typo guard, far above any real referral reward


@dataclass(frozen=True)
class Reward:
    """What one side gets; any mix of a voucher, points and a gift, or nothing."""

    voucher_fen: int = 0
    points: int = 0
    gift: str = ""

    @property
    def empty(self) -> bool:
        return not (self.voucher_fen or self.points or self.gift)


@dataclass(frozen=True)
class ReferralRule:
    """A dated reward for a referred first sale. An empty category, brand or model matches
    anything; ``min_fen`` is what the matching lines of the first sale must come to."""

    valid_from: date
    valid_to: date | None = None  # inclusive; None: open-ended
    category: str = ""
    brand: str = ""
    model: str = ""
    min_fen: int = 0
    referrer: Reward = field(default_factory=Reward)
    referee: Reward = field(default_factory=Reward)
    holding_days: int = 7  # the sale must be kept this long before the reward is earned
    order: int = 0  # its place in the file: a later rule wins a tie

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

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
    enabled: bool = True
    monthly_cap: int = 10  # rewarded referrals per referrer per calendar month; 0: no cap
    voucher_valid_days: int = 180  # from the day the reward is earned
    # Flags for the manager: a referrer whose referees mostly never came back.
    flag_min_referrals: int = 5
    flag_repeat_percent: int = 20
    flag_window_days: int = 90
    receipt_note: str = "推荐好友来店购机，双方有礼"
    # The SMS inviting old customers to refer (zhanggui referrals invite).
    invite_message: str = "{name}您好！介绍亲友到{store}购机，报您的推荐码{code}，双方有礼。"
    rules: list[ReferralRule] = field(default_factory=default_rules)

    def rules_on(self, day: date) -> Iterable[ReferralRule]:
        return (r for r in self.rules if r.in_force(day))


_SECTION_KEYS = {
    "enabled",
    "monthly_cap",
    "voucher_valid_days",
    "flag_min_referrals",
    "flag_repeat_percent",
    "flag_window_days",
    "receipt_note",
    "invite_message",
    "rules",
}
INVITE_FIELDS = {"name": "x", "store": "x", "code": "x"}
_RULE_KEYS = {
    "from",
    "to",
    "category",
    "brand",
    "model",
    "min_fen",
    "holding_days",
    "referrer_voucher_fen",
    "referrer_points",
    "referrer_gift",
    "referee_voucher_fen",
    "referee_points",
    "referee_gift",
}


def _reward(table: dict[str, Any], side: str, key: str) -> Reward:
    return Reward(
        voucher_fen=_int(table.get(f"{side}_voucher_fen", 0), f"{key}.{side}_voucher_fen", 0, MAX_REWARD_FEN),
        points=_int(table.get(f"{side}_points", 0), f"{key}.{side}_points", 0, 10**6),
        gift=_text(table.get(f"{side}_gift", ""), f"{key}.{side}_gift"),
    )


def _rule(item: Any, key: str, order: int) -> ReferralRule:
    table = _table(item, key)
    _only(table, _RULE_KEYS, key)
    if "from" not in table:
        raise config_error(f"{key}.from", _("missing"))
    start = _date(table["from"], f"{key}.from")
    end = _date(table["to"], f"{key}.to") if table.get("to", "") != "" else None
    if end is not None and end < start:
        raise config_error(f"{key}.to", _("before the rule's 'from' date"))
    category = _text(table.get("category", ""), f"{key}.category")
    if category not in CATEGORIES:
        raise config_error(f"{key}.category", _("one of handset, accessory, service or empty"))
    rule = ReferralRule(
        valid_from=start,
        valid_to=end,
        category=category,
        brand=_text(table.get("brand", ""), f"{key}.brand"),
        model=_text(table.get("model", ""), f"{key}.model", limit=80),
        min_fen=_int(table.get("min_fen", 0), f"{key}.min_fen", 0, MAX_REWARD_FEN * 100),
        referrer=_reward(table, "referrer", key),
        referee=_reward(table, "referee", key),
        holding_days=_int(table.get("holding_days", 7), f"{key}.holding_days", 0, 365),
        order=order,
    )
    if rule.referrer.empty and rule.referee.empty:
        raise config_error(key, _("a rule gives the referrer or the new customer something"))
    return rule


def parse_referrals(raw: Any) -> ReferralSection:
    values = _table(raw, "referrals")
    _only(values, _SECTION_KEYS, "referrals")
    section = ReferralSection()
    if "enabled" in values:
        if not isinstance(values["enabled"], bool):
            raise config_error("referrals.enabled", _("expected true or false"))
        section.enabled = values["enabled"]
    section.monthly_cap = _int(
        values.get("monthly_cap", section.monthly_cap), "referrals.monthly_cap", 0, 1000
    )
    section.voucher_valid_days = _int(
        values.get("voucher_valid_days", section.voucher_valid_days), "referrals.voucher_valid_days", 1, 3650
    )
    section.flag_min_referrals = _int(
        values.get("flag_min_referrals", section.flag_min_referrals), "referrals.flag_min_referrals", 2, 1000
    )
    section.flag_repeat_percent = _int(
        values.get("flag_repeat_percent", section.flag_repeat_percent),
        "referrals.flag_repeat_percent",
        0,
        100,
    )
    section.flag_window_days = _int(
        values.get("flag_window_days", section.flag_window_days), "referrals.flag_window_days", 1, 3650
    )
    section.receipt_note = _text(
        values.get("receipt_note", section.receipt_note), "referrals.receipt_note", limit=60
    )
    section.invite_message = _text(
        values.get("invite_message", section.invite_message), "referrals.invite_message", limit=200
    )
    try:
        section.invite_message.format(**INVITE_FIELDS)
    except (KeyError, IndexError, ValueError) as exc:
        raise config_error(
            "referrals.invite_message", _("only {name}, {store} and {code} may be filled in")
        ) from exc
    if "rules" in values:
        section.rules = [
            _rule(item, f"referrals.rules[{i}]", i)
            for i, item in enumerate(_list(values["rules"], "referrals.rules"))
        ]
    return section
