"""At start-up: sales that were committed but whose receipt was never shown or printed
(power cut, crash). They are never rung again; the cashier may reprint them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.binding import Binding

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.selling import checkout
from tui.screens.choice import ChoiceScreen
from tui.shapes import SaleShown

ACKNOWLEDGE = "acknowledge"


def acknowledge_all(sale_ids: list[str], *, now: datetime | None = None) -> None:
    """Mark the receipts of these sales done (each sale's own write, as before)."""
    for sale_id in sale_ids:
        checkout.acknowledge(sale_id, now=now)


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
        if self.writing(ACKNOWLEDGE):
            return  # marking them done already
        ids = [sale.id for sale in self.pending]

        def refused(error: ZhangguiError) -> None:
            self.fail(str(error))  # a busy database: they are offered again at the next start-up
            self.dismiss(None)

        self.run_write(
            acknowledge_all, ids, then=lambda _done: self.dismiss(None), failed=refused, key=ACKNOWLEDGE
        )
