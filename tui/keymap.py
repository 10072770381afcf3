"""[keymap] in config.toml names bindings by id; an id no binding has stops the start.

store/ reads the file but cannot know the console's bindings (it never imports tui), so the
console checks the ids here, before it starts."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

from store.config.schema import config_error
from store.kernel.i18n import _

PACKAGES = ("tui.screens", "tui.widgets")


def binding_classes() -> list[type[DOMNode]]:
    """The app and every screen and widget class of the console."""
    import pkgutil  # only with a [keymap]: not before every login

    from tui.app import ZhangguiApp  # the app imports this module's callers, not this module

    found: list[type[DOMNode]] = [ZhangguiApp]
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package_name}.{info.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                    found.append(cls)
    return found


def binding_ids(classes: Iterable[type[DOMNode]]) -> set[str]:
    return {b.id for cls in classes for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def check_keymap(keymap: Mapping[str, str]) -> None:
    """One ConfigError naming the first id in ``keymap`` that no binding has."""
    if not keymap:
        return  # the usual case: no need to import every screen at start-up
    known = binding_ids(binding_classes())
    for binding_id in keymap:
        if binding_id not in known:
            raise config_error(
                f"keymap.{binding_id}", _("no key binding has this id (config.toml lists them)")
            )
