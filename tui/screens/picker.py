"""Choose a product when a typed text matches several."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store.i18n import N_, _
from store.models import Product
from store.money import format_fen
from tui.i18n_bindings import translate_bindings


class PickerScreen(ModalScreen[Product | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="picker.cancel")]

    def __init__(self, products: list[Product]) -> None:
        super().__init__()
        translate_bindings(self)
        self._products = {p.id: p for p in products}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Choose a product (Enter)"), classes="dialog-title")
            yield OptionList(
                *[
                    Option(Text(f"{p.display_name}  {p.sku}  {format_fen(p.price)}"), id=p.id)
                    for p in self._products.values()
                ],
                id="picker-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._products.get(event.option.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
