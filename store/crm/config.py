"""The [customers] section of config.toml: value tiers, states, follow-up rules, care
messages and who sees full phone numbers. Read by store.config.loader through store.config.schema."""

from __future__ import annotations

from dataclasses import dataclass

from store.config.schema import Int, Text, config_error, fills_only, setting
from store.kernel.i18n import _

TIERS = ("A", "B", "C")
ROLES = ("promoter", "cashier", "manager", "admin")


def _roles_only(text: str) -> bool:
    return {r.strip() for r in text.split(",") if r.strip()} <= set(ROLES)


def _message(default: str) -> str:
    return setting(  # type: ignore[no-any-return]
        default,
        Text(
            accept=fills_only("name", "store", "holiday"),
            problem=lambda: _("only {name}, {store} and {holiday} may be filled in"),
        ),
    )


@dataclass
class CustomersSection:
    active_days: int = setting(180, Int(1))
    lost_days: int = setting(540, Int())
    tier_a_min_score: int = setting(12, Int(3, 15))
    tier_b_min_score: int = setting(8, Int(3, 15))
    score_window_days: int = setting(0, Int(0))
    warranty_days: int = setting(365, Int(0))
    call_after_handset_days: int = setting(3, Int(0))
    accessories_after_days: int = setting(30, Int(0))
    winback_tier: str = setting("A", Text(choices=("", *TIERS)))
    full_phone_roles: str = setting(
        "manager,admin",
        Text(accept=_roles_only, problem=lambda: _("one of {kinds}").format(kinds=", ".join(ROLES))),
    )
    birthday_message: str = _message("{name}您好！{store}祝您生日快乐，凭此短信到店可领小礼品一份。")
    holiday_message: str = _message("{name}您好！{store}祝您{holiday}快乐！")

    def phone_roles(self) -> set[str]:
        return {r.strip() for r in self.full_phone_roles.split(",") if r.strip()}

    def check_config(self, path: str) -> None:
        if self.lost_days <= self.active_days:
            raise config_error(f"{path}.lost_days", _("more than customers.active_days"))
        if not self.tier_b_min_score < self.tier_a_min_score:
            raise config_error(
                f"{path}.tier_a_min_score", _("3 <= tier_b_min_score < tier_a_min_score <= 15")
            )
