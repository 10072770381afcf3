"""The [stock] section of config.toml: how velocity classes, dead stock, safety stock and
reorder suggestions are worked out. Read by store.config.loader through store.config.schema."""

from __future__ import annotations

from dataclasses import dataclass

from store.config.schema import Int, config_error, setting
from store.kernel.i18n import _

CLASSES = ("hot", "regular", "slow")


@dataclass
class StockSection:
    velocity_days: int = setting(30, Int(7, 365))
    hot_min_units: int = setting(20, Int())
    slow_max_units: int = setting(2, Int(0))
    dead_days: int = setting(60, Int(1))
    service_level_hot: int = setting(98, Int(50, 99))
    service_level_regular: int = setting(95, Int(50, 99))
    service_level_slow: int = setting(90, Int(50, 99))
    default_lead_days: int = setting(7, Int(1, 180))
    cover_days: int = setting(14, Int(0, 365))
    panel_items: int = setting(3, Int(0, 10))

    def service_level(self, velocity: str) -> int:
        """The service level in percent for a velocity class (hot / regular / slow)."""
        return int(getattr(self, f"service_level_{velocity}"))

    def check_config(self, path: str) -> None:
        if self.hot_min_units <= self.slow_max_units:
            raise config_error(f"{path}.hot_min_units", _("more than stock.slow_max_units"))
