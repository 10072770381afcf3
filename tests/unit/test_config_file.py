"""The documented config.toml is valid, and every key it documents has a default in code."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

from store.config.loader import Config, load_config

ROOT = Path(__file__).resolve().parents[2]
# Every section Config has, so a new section is checked without editing this file.
SECTIONS = tuple(f.name for f in fields(Config) if f.name not in ("keymap", "source"))


def test_documented_config_loads_and_equals_the_defaults() -> None:
    loaded = load_config(ROOT / "config.toml")
    defaults = Config()
    for section in SECTIONS:
        assert getattr(loaded, section) == getattr(defaults, section), section


def test_every_key_in_code_is_documented() -> None:
    documented = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    defaults = Config()
    for section in SECTIONS:
        keys = {f.name for f in fields(getattr(defaults, section))}
        assert set(documented[section]) == keys, section
    assert "keymap" in documented


def all_binding_classes() -> list[type]:
    """The app and every screen class in tui/screens/."""
    import importlib
    import inspect
    import pkgutil

    from textual.screen import Screen

    import tui.app
    import tui.screens

    found: list[type] = [tui.app.ZhangguiApp]
    for info in pkgutil.iter_modules(tui.screens.__path__):
        module = importlib.import_module(f"tui.screens.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_binding_has_an_id_and_is_documented_in_the_keymap_section() -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    classes = all_binding_classes()
    assert len(classes) > 10
    for cls in classes:
        for binding in cls.BINDINGS:
            assert binding.id, f"{cls.__name__} {binding.key} has no id"
            assert binding.id in text, binding.id
