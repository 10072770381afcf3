"""Choose which handset (IMEI) of a model to sell when none was scanned."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store.i18n import N_, _
from store.models import ImeiUnit, Product
from tui.i18n_bindings import translate_bindings


class UnitPickerScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="unit_picker.cancel")]

    def __init__(self, product: Product, units: list[ImeiUnit]) -> None:
        super().__init__()
        translate_bindings(self)
        self._product = product
        self._units = units

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self._product.display_name), classes="dialog-title")
            yield Label(_("Choose the handset by IMEI (or scan it)"))
            yield OptionList(
                *[
                    Option(
                        Text(
                            u.imei
                            + (f" / {u.imei2}" if u.imei2 else "")
                            + ("  " + _("returned") if u.status == "returned" else "")
                        ),
                        id=u.id,
                    )
                    for u in self._units
                ],
                id="unit-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
