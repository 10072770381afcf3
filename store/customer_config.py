"""The [customers] section of config.toml: value tiers, states, follow-up rules, care
messages and who sees full phone numbers. Kept apart from store.config, which reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.errors import ConfigError
from store.i18n import _

TIERS = ("A", "B", "C")
MESSAGE_FIELDS = {"name": "x", "store": "x", "holiday": "x"}


@dataclass
class CustomersSection:
    active_days: int = 180
    lost_days: int = 540
    tier_a_min_score: int = 12
    tier_b_min_score: int = 8
    score_window_days: int = 0
    warranty_days: int = 365
    call_after_handset_days: int = 3
    accessories_after_days: int = 30
    winback_tier: str = "A"
    full_phone_roles: str = "manager,admin"
    birthday_message: str = "{name}您好！{store}祝您生日快乐，凭此短信到店可领小礼品一份。"
    holiday_message: str = "{name}您好！{store}祝您{holiday}快乐！"

    def phone_roles(self) -> set[str]:
        return {r.strip() for r in self.full_phone_roles.split(",") if r.strip()}


def validate_customers(
    section: CustomersSection, roles: tuple[str, ...], fail: Callable[[str, str], ConfigError]
) -> None:
    """Raise ``fail(key, problem)`` for the first wrong value."""
    c = section
    if c.active_days < 1:
        raise fail("customers.active_days", _("at least 1"))
    if c.lost_days <= c.active_days:
        raise fail("customers.lost_days", _("more than customers.active_days"))
    if not 3 <= c.tier_b_min_score < c.tier_a_min_score <= 15:
        raise fail("customers.tier_a_min_score", _("3 <= tier_b_min_score < tier_a_min_score <= 15"))
    for key in ("score_window_days", "warranty_days", "call_after_handset_days", "accessories_after_days"):
        if getattr(c, key) < 0:
            raise fail(f"customers.{key}", _("must not be negative"))
    if c.winback_tier not in ("", *TIERS):
        raise fail("customers.winback_tier", _("one of A, B, C or empty"))
    unknown = c.phone_roles() - set(roles)
    if unknown:
        raise fail("customers.full_phone_roles", _("one of {kinds}").format(kinds=", ".join(roles)))
    for key in ("birthday_message", "holiday_message"):
        try:
            getattr(c, key).format(**MESSAGE_FIELDS)
        except (KeyError, IndexError, ValueError) as exc:
            raise fail(f"customers.{key}", _("only {name}, {store} and {holiday} may be filled in")) from exc
