"""Pick a suspended sale to resume."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from store.i18n import N_, _
from store.models import HeldCart
from tui.i18n_bindings import translate_bindings


def _describe(row: HeldCart) -> Text:
    lines = json.loads(row.payload).get("lines", [])
    names = ", ".join(line["name"] for line in lines[:3])
    return Text(f"{row.created_at:%H:%M}  {row.label}  {names}")


class HeldSalesScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="held.cancel")]

    def __init__(self, held: list[HeldCart]) -> None:
        super().__init__()
        translate_bindings(self)
        self._held = held

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Suspended sales (Enter resumes)"), classes="dialog-title")
            yield OptionList(*[Option(_describe(h), id=h.id) for h in self._held], id="held-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
