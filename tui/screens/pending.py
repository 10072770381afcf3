"""At start-up: sales that were committed but whose receipt was never shown or printed
(power cut, crash). They are never rung again; the cashier may reprint them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from store import sales
from store.i18n import N_, _
from store.models import Sale
from store.money import format_fen
from tui.i18n_bindings import translate_bindings


class PendingReceiptsScreen(ModalScreen[str | None]):
    """Dismisses with a sale id to reprint, or None when the cashier is done."""

    BINDINGS = [
        Binding("escape", "skip", N_("No reprint"), id="pending.skip"),
    ]

    def __init__(self, pending: list[Sale]) -> None:
        super().__init__()
        translate_bindings(self)
        self.pending = pending

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                _("These sales were completed but their receipts were not printed."), classes="dialog-title"
            )
            yield Label(_("Enter reprints the highlighted one; Esc marks them all done."))
            yield OptionList(
                *[
                    Option(
                        Text(
                            _("Sale {no} completed — {total} — reprint?").format(
                                no=s.receipt_no, total=format_fen(s.total)
                            )
                        ),
                        id=s.id,
                    )
                    for s in self.pending
                ],
                id="pending-list",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_skip(self) -> None:
        for sale in self.pending:
            sales.acknowledge(sale.id)
        self.dismiss(None)
