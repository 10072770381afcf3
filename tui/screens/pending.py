"""At start-up: sales that were committed but whose receipt was never shown or printed
(power cut, crash). They are never rung again; the cashier may reprint them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.selling import checkout
from tui.screens.choice import ChoiceScreen
from tui.shapes import SaleShown


class PendingReceiptsScreen(ChoiceScreen):
    """Dismisses with a sale id to reprint, or None once all are marked done."""

    BINDINGS = [Binding("escape", "cancel", N_("No reprint"), id="pending.skip")]

    def __init__(self, pending: Sequence[SaleShown]) -> None:
        rows = [
            (
                s.id,
                Text(
                    _("Sale {no} completed — {total} — reprint?").format(
                        no=s.receipt_no, total=format_fen(s.total)
                    )
                ),
            )
            for s in pending
        ]
        super().__init__(
            _("These sales were completed but their receipts were not printed."),
            rows,
            hint=_("Enter reprints the highlighted one; Esc marks them all done."),
        )
        self.pending = pending

    def action_cancel(self) -> None:
        for sale in self.pending:
            self.write_now(checkout.acknowledge, sale.id)
        self.dismiss(None)
