"""The [customers] section: every wrong value is one message naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.config.loader import load_config
from store.kernel.errors import ConfigError


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("active_days = 0", "customers.active_days"),
        ("lost_days = 100", "customers.lost_days"),
        ("tier_a_min_score = 16", "customers.tier_a_min_score"),
        ("tier_b_min_score = 12", "customers.tier_a_min_score"),
        ("warranty_days = -1", "customers.warranty_days"),
        ('winback_tier = "D"', "customers.winback_tier"),
        ('full_phone_roles = "manager,boss"', "customers.full_phone_roles"),
        ('birthday_message = "{name} {age}"', "customers.birthday_message"),
        ('holiday_message = "{"', "customers.holiday_message"),
        ('active_days = "many"', "customers.active_days"),
        ("colour = 1", "customers.colour"),
    ],
)
def test_bad_customer_settings(tmp_path: Path, body: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[customers]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"'{key}'" in str(caught.value)


def test_good_customer_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[customers]\ntier_a_min_score = 13\nwinback_tier = ""\nholiday_message = "{store}: {holiday}"\n',
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert (cfg.customers.tier_a_min_score, cfg.customers.winback_tier) == (13, "")
