"""Ask for one value (a quantity, an amount, a phone number)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from store.kernel.i18n import N_
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar


class PromptScreen(ConsoleModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel")]

    def __init__(self, title: str, label: str, value: str = "", password: bool = False) -> None:
        super().__init__()
        self._title = title
        self._label = label
        self._value = value
        self._password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Never markup: a label may carry what someone typed ("[b", a name) or a store sentence.
            yield Label(Text(self._title), classes="dialog-title")
            yield Label(Text(self._label))
            yield Input(value=self._value, password=self._password, id="prompt-input")
        yield KeyBar()  # Esc, and any other key, in sight

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
