"""The one-line key bar at the foot of every screen: Textual's footer, compact, with the key
that opens the keys overlay (tui/screens/keys.py) kept at the right where it is never cut.
At 80 columns the bar has no room for every key of a busy screen; the overlay lists them all.
A key that would not fit whole is left out rather than cut (``esc Ba``, ``f8 清`` told the
cashier nothing, or worse, half a word).

It is also rebuilt only when what it shows changed, and never holds the keys it threw away.
Workaround for Textual 8.2.8 (Textualize/textual#6666, open): ``Footer.compose`` binds each
``FooterKey`` it makes with ``data_bind(compact=Footer.compact)``, which puts
``(key, setter)`` on the Footer's own watcher list for ``compact``. ``recompose`` removes the
keys from the DOM but not from that list, and Textual prunes the list of closed nodes only
when ``compact`` changes, which it never does here. So a screen that lives all day (the sale
screen) kept every key of every rebuild: about a dozen keys a rebuild, four rebuilds a sale,
each key with its styles and render caches, about 1 MB a sale in all. The screen's bindings
are refreshed on every focus change and every push and pop of a screen above it, while what
the bar shows is almost always the same, so the bar also skips rebuilding an identical row.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer, Static

KEYS_ACTIONS = ("keys", "app.keys")  # the app's binding, or a modal screen's own for it


class KeyBar(Footer):
    def __init__(self, **kwargs: Any) -> None:
        # The command palette's own hint makes room for the overlay's: the overlay lists ctrl+p.
        kwargs.setdefault("compact", True)
        kwargs.setdefault("show_command_palette", False)
        super().__init__(**kwargs)
        self._shown: tuple[object, ...] | None = None
        self._fitted_width: int | None = None
        self._fit_pending = False  # laid out under another screen: fit when it is in front

    def compose(self) -> ComposeResult:
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.action in KEYS_ACTIONS:
                hint = Text.assemble((self.app.get_key_display(binding), "bold"), " ", binding.description)
                yield Static(hint, classes="keys-hint")
                break
        yield from super().compose()

    def _what_it_shows(self) -> tuple[object, ...]:
        """Everything compose reads, so an unchanged value means an unchanged row."""
        app = self.app
        keys = tuple(
            (key, binding, app.get_key_display(binding), enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or binding.action in KEYS_ACTIONS
        )
        return (keys, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    async def recompose(self) -> None:
        if not self.is_attached or not self._bindings_ready:
            await super().recompose()
            self.call_after_refresh(self._leave_out_cut_keys)
            return
        shown = self._what_it_shows()
        if shown == self._shown:
            if self._fit_pending:  # its screen is back in front (a dialog above it closed)
                self.call_after_refresh(self._leave_out_cut_keys)
            return
        self._shown = shown
        await super().recompose()
        self._forget_removed_keys()
        self.call_after_refresh(self._leave_out_cut_keys)

    def _leave_out_cut_keys(self) -> None:
        """Hide each key that reaches past the overlay's hint (or the bar's end), once laid out."""
        if not self.is_attached:
            return
        hints = [child for child in self.children if child.has_class("keys-hint")]
        if not self.region or any(not hint.region for hint in hints):
            self._fit_pending = True  # not laid out yet (its screen went under a dialog at once)
            return
        self._fit_pending = False
        limit = hints[0].region.x if hints else self.region.right
        for child in self.children:
            if child.display and not child.has_class("keys-hint") and child.region.right > limit:
                child.display = False
        self._fitted_width = self.size.width

    def on_resize(self, event: events.Resize) -> None:
        """A wider or narrower bar: show every key again, and leave out what does not fit now."""
        if self._fitted_width is None or event.size.width == self._fitted_width:
            return
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._leave_out_cut_keys)

    def _forget_removed_keys(self) -> None:
        # Textual 8.2.8 keeps the watchers of data_bind in this attribute, a dict of lists of
        # (node, callback); the removed keys are detached by now, the new ones attached.
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [
                (node, callback)
                for node, callback in entries
                if getattr(node, "is_attached", True) and not getattr(node, "_closing", False)
            ]
