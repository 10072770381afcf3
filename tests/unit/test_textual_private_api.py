"""The private parts of Textual the console leans on, where Textual 8.2 has no public API for
the job. Each is named here, so a Textual upgrade that renames or reshapes one fails this test
instead of quietly breaking the console (or a workaround turning into a no-op unnoticed)."""

from __future__ import annotations

import inspect

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.screen import Screen
from textual.widgets import Footer

from tui.app import ZhangguiApp


def test_the_crash_hook_is_still_where_the_console_overrides_it() -> None:
    # tui/app.py: ZhangguiApp._fatal_error replaces the traceback with a few sentences and a
    # log file; it reads the exception from App._exception.
    assert callable(App.__dict__.get("_fatal_error"))
    assert "_fatal_error" in ZhangguiApp.__dict__
    handler = inspect.getsource(App._handle_exception)
    assert "self._fatal_error()" in handler
    assert "self._exception = error" in handler
    assert App().__dict__.get("_exception", "missing") is None


def test_a_node_still_has_its_own_copy_of_its_bindings() -> None:
    # tui/i18n_bindings.py translates each node's own copy of its class's bindings.
    class Screenful(Screen[None]):
        BINDINGS = [Binding("f2", "pay", "Pay", id="t.pay")]  # noqa: RUF012 (Textual declares it so)

    first, second = Screenful(), Screenful()
    assert isinstance(first._bindings, BindingsMap)
    table = first._bindings.key_to_bindings
    assert isinstance(table, dict) and [b.description for b in table["f2"]] == ["Pay"]
    table["f2"] = [Binding("f2", "pay", "付款", id="t.pay")]
    assert [b.description for b in second._bindings.key_to_bindings["f2"]] == ["Pay"]


def test_the_key_bar_workaround_still_finds_the_footer_parts_it_reads() -> None:
    # tui/widgets/key_bar.py: Footer._bindings_ready gates its recompose; data_bind's watchers
    # live in the name-mangled "__watchers" attribute of the bound node (Textualize/textual#6666).
    footer = Footer()
    assert isinstance(footer._bindings_ready, bool)
    from textual import reactive

    assert '"__watchers"' in inspect.getsource(reactive)


def test_the_styles_cache_workaround_still_finds_the_cached_method() -> None:
    # tui/textual_fixes.py (Textualize/textual#6665): StylesCache.get_inner_outer is an
    # lru_cache'd method; when an upgrade changes that, the workaround may simply go.
    from textual._styles_cache import StylesCache

    cached = StylesCache.__dict__.get("get_inner_outer")
    assert cached is not None
    assert hasattr(cached, "__wrapped__") or callable(cached)
