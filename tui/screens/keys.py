"""Every key of the screen underneath, with what it does: the key bar has room for a few at
80 columns, this overlay for all of them, those the bar hides (show=False) included."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen

COLUMN_CELLS = 35  # two columns in a wide dialog (76 wide, 72 inside)
KEY_CELLS = 7


def key_rows(pairs: list[tuple[str, str]]) -> Text:
    """Key and description pairs in two columns, down the first column, then the second."""
    half = (len(pairs) + 1) // 2
    text = Text()
    for row in range(half):
        for column, index in enumerate((row, row + half)):
            if index >= len(pairs):
                continue
            key, description = pairs[index]
            if column:
                text.append(" ")
            cell = f"{key}{' ' * max(1, KEY_CELLS - cell_len(key))}"
            text.append(cell, "bold")
            text.append(description)
            used = cell_len(cell) + cell_len(description)
            if column == 0 and index + half < len(pairs):
                text.append(" " * max(1, COLUMN_CELLS - used))
        text.append("\n")
    text.rstrip()
    return text


Pairs = list[tuple[str, str]]


def keys_of(app: App[None]) -> tuple[Pairs, Pairs]:
    """(key, what it does) of the screen in front, and of the console, from the screen's active
    bindings; a key of the screen that a focused widget shadows (the scan field's up and down
    scroll it, when they cannot, the keys go on to the screen) comes from the screen's BINDINGS."""
    screen_keys: Pairs = []
    app_keys: Pairs = []
    listed: set[str] = set()
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.key == app.COMMAND_PALETTE_BINDING:
            description = _("Command palette")
        elif binding.id is None or not binding.description:
            continue  # Textual's own editing and scrolling keys of the focused widget
        else:
            description = binding.description
            listed.add(binding.id)
        pair = (app.get_key_display(binding), description)
        (app_keys if active.node is app else screen_keys).append(pair)
    for declared in type(app.screen).BINDINGS:
        if isinstance(declared, Binding) and declared.id and declared.id not in listed:
            screen_keys.append((app.get_key_display(declared), _(declared.description)))
    return screen_keys, app_keys


class KeysScreen(ConsoleModalScreen[None]):
    """Built from the screen's active bindings (``Screen.active_bindings``) as they were when
    the overlay was asked for: the screen's own keys first, then those of the whole console."""

    BINDINGS = [Binding("escape", "close", N_("Back"), id="keys.close")]

    def __init__(self, screen_keys: Iterable[tuple[str, str]], app_keys: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.screen_keys = list(screen_keys)
        self.app_keys = list(app_keys)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Keys"), classes="dialog-title")
            with VerticalScroll(id="keys-list"):
                if self.screen_keys:
                    yield Label(_("On this screen"), classes="keys-group")
                    yield Static(key_rows(self.screen_keys), id="keys-screen")
                yield Label(_("Everywhere"), classes="keys-group")
                yield Static(key_rows(self.app_keys), id="keys-app")
            yield Label(_("Esc closes this list."))

    def listed_text(self) -> str:
        """What the overlay lists, as plain text (for tests and screen readers)."""
        rows = [key_rows(self.screen_keys).plain, key_rows(self.app_keys).plain]
        return "\n".join(rows)

    def action_close(self) -> None:
        self.dismiss(None)
