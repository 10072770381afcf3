"""Subtotal, discount, total and what is still due, big enough to read across the counter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling.cart import Cart


class Totals(Static):
    def show(self, cart: Cart) -> None:
        text = Text()
        text.append(_("Items") + f" {sum(ln.qty for ln in cart.lines if not ln.is_return)}  ")
        text.append(_("Subtotal") + f" {format_fen(cart.subtotal)}  ")
        if cart.discount_total:
            text.append(_("Discount") + f" -{format_fen(cart.discount_total)}  ")
        text.append(_("Total") + " ", style="bold")
        text.append(format_fen(cart.total), style="bold reverse")
        self.update(text)
