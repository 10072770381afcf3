"""Choose one of a list with the arrow keys and Enter; Esc cancels. The pickers, the
suspended-sale list and the reprint offer are all this screen with other rows."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store.kernel.i18n import N_
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar


class ChoiceScreen(ConsoleModalScreen[str | None]):
    """Dismisses with the chosen row's id, or None."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="choice.cancel")]

    def __init__(
        self,
        title: str,
        rows: list[tuple[str, Text]],
        *,
        hint: str = "",
        highlighted: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._rows = rows
        self._hint = hint
        self._highlighted = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self._title), classes="dialog-title")
            if self._hint:
                yield Label(Text(self._hint))
            yield OptionList(*[Option(text, id=row_id) for row_id, text in self._rows], id="choices")
        yield KeyBar()  # Esc, and any other key, in sight

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [row_id for row_id, _text in self._rows]
        if self._highlighted in ids:
            options.highlighted = ids.index(self._highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
