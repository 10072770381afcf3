"""Choose the promoter credited with the sale."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store import staff
from store.i18n import N_, _
from tui.i18n_bindings import translate_bindings

ROLE_NAMES = {
    "promoter": N_("promoter"),
    "cashier": N_("cashier"),
    "manager": N_("manager"),
    "admin": N_("admin"),
}


class PromoterScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="promoter.cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        translate_bindings(self)
        self._current = current

    def compose(self) -> ComposeResult:
        members = staff.list_staff()
        with Vertical(classes="dialog wide"):
            yield Label(_("Credit this sale to (Enter)"), classes="dialog-title")
            yield OptionList(
                *[
                    Option(Text(f"{m.code:<6} {m.name}  {_(ROLE_NAMES.get(m.role, m.role))}"), id=m.id)
                    for m in members
                ],
                id="promoter-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == self._current:
                options.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
