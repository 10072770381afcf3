"""The one-line key bar at the foot of every screen: Textual's footer, compact, with the key
that opens the keys overlay (tui/screens/keys.py) kept at the right where it is never cut.
At 80 columns the bar has no room for every key of a busy screen; the overlay lists them all.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Static

KEYS_ACTIONS = ("keys", "app.keys")  # the app's binding, or a modal screen's own for it


class KeyBar(Footer):
    def __init__(self) -> None:
        # The command palette's own hint makes room for the overlay's: the overlay lists ctrl+p.
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.action in KEYS_ACTIONS:
                hint = Text.assemble((self.app.get_key_display(binding), "bold"), " ", binding.description)
                yield Static(hint, classes="keys-hint")
                break
        yield from super().compose()
