"""The documented config.toml is valid, and every key it documents has a default in code."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from store.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_documented_config_loads_and_equals_the_defaults() -> None:
    loaded = load_config(ROOT / "config.toml")
    defaults = Config()
    for section in ("store", "terminal", "ui", "receipt", "printer", "discounts", "paths"):
        assert getattr(loaded, section) == getattr(defaults, section), section


def test_every_key_in_code_is_documented() -> None:
    documented = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    defaults = Config()
    for section in ("store", "terminal", "ui", "receipt", "printer", "discounts", "paths"):
        keys = {f.name for f in fields(getattr(defaults, section))}
        assert set(documented[section]) == keys, section
    assert "keymap" in documented


def test_every_binding_id_is_documented_in_the_keymap_section() -> None:
    import tui.app
    from tui.screens import pay, receipt, returns, sale

    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for cls in (
        sale.SaleScreen,
        pay.PayScreen,
        receipt.ReceiptScreen,
        returns.ReturnsScreen,
        tui.app.ZhangguiApp,
    ):
        for binding in cls.BINDINGS:
            assert binding.id, f"{cls.__name__} {binding.key} has no id"
            if binding.id.split(".")[1] not in ("up", "down", "close"):
                assert binding.id in text, binding.id
