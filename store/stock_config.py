"""The [stock] section of config.toml: how velocity classes, dead stock, safety stock and
reorder suggestions are worked out. Kept apart from store.config, which reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.errors import ConfigError
from store.i18n import _

CLASSES = ("hot", "regular", "slow")


@dataclass
class StockSection:
    velocity_days: int = 30
    hot_min_units: int = 20
    slow_max_units: int = 2
    dead_days: int = 60
    service_level_hot: int = 98
    service_level_regular: int = 95
    service_level_slow: int = 90
    default_lead_days: int = 7
    cover_days: int = 14
    panel_items: int = 3

    def service_level(self, velocity: str) -> int:
        """The service level in percent for a velocity class (hot / regular / slow)."""
        return int(getattr(self, f"service_level_{velocity}"))


def validate_stock(section: StockSection, fail: Callable[[str, str], ConfigError]) -> None:
    """Raise ``fail(key, problem)`` for the first wrong value."""
    s = section
    if not 7 <= s.velocity_days <= 365:
        raise fail("stock.velocity_days", _("between 7 and 365"))
    if s.slow_max_units < 0:
        raise fail("stock.slow_max_units", _("must not be negative"))
    if s.hot_min_units <= s.slow_max_units:
        raise fail("stock.hot_min_units", _("more than stock.slow_max_units"))
    if s.dead_days < 1:
        raise fail("stock.dead_days", _("at least 1"))
    for velocity in CLASSES:
        if not 50 <= s.service_level(velocity) <= 99:
            raise fail(f"stock.service_level_{velocity}", _("between 50 and 99"))
    if not 1 <= s.default_lead_days <= 180:
        raise fail("stock.default_lead_days", _("between 1 and 180"))
    if not 0 <= s.cover_days <= 365:
        raise fail("stock.cover_days", _("between 0 and 365"))
    if not 0 <= s.panel_items <= 10:
        raise fail("stock.panel_items", _("between 0 and 10"))
