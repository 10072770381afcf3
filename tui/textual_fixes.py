"""Workarounds for bugs in Textual 8.2.8 that made a till keep memory for every sale. Each one
checks that the bug is still there, so a Textual that fixes it makes the workaround a no-op;
``apply()`` is called once, when the console starts. (The other one, the Footer's watcher
list, is worked around in tui/widgets/key_bar.py, the key bar of the sale, pay and receipt
screens.)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _inner_outer_without_instances()


def _inner_outer_without_instances() -> None:
    """Textual 8.2.8 (Textualize/textual#6665): ``StylesCache.get_inner_outer`` is an
    instance method under ``@lru_cache(1024)``, so the cache's keys hold up to 1,024
    ``StylesCache`` objects of widgets long gone, each with its rendered lines. Every sale
    removes dozens of widgets (the pay and receipt screens, key bars), so a till kept
    thousands of rendered lines of screens nobody sees. The result depends only on the two
    colours: the same function, cached on them alone."""
    from textual._styles_cache import StylesCache

    cached: Any = StylesCache.__dict__.get("get_inner_outer")
    original = getattr(cached, "__wrapped__", None)
    if original is None or not hasattr(cached, "cache_clear"):
        return  # not the 8.2.8 shape: nothing to work around

    @lru_cache(1024)
    def by_colours(base_background: Any, background: Any) -> Any:
        return original(None, base_background, background)

    def get_inner_outer(self: object, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    cached.cache_clear()
    setattr(StylesCache, "get_inner_outer", get_inner_outer)  # noqa: B010 (mypy: assigning a method)
