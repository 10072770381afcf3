"""The voucher at the till, as the payment screen needs it: how much a voucher can take now,
and the amount a tender method offers when Enter is pressed on an empty field (issue 11: the
arithmetic lives here, not in the screen)."""

from __future__ import annotations

from datetime import date

from store.referrals import vouchers
from store.selling.cart import Cart


def voucher_room(cart: Cart, today: date) -> int:
    """What the voucher can take now: the customer's balance less what is on this sale, or
    on a refund, what still has to go back onto the voucher. Fen, never below 0."""
    on_cart = sum(t.amount for t in cart.tenders if t.kind == vouchers.KIND)
    if cart.due < 0:
        return max(vouchers.give_back_due(cart) + on_cart, 0)
    if not cart.customer_id:
        return 0
    return max(vouchers.balance(cart.customer_id, today).vouchers - on_cart, 0)


def default_amount(cart: Cart, method: str, today: date) -> int:
    """What Enter takes with nothing typed: all that is due, or as much as the voucher can."""
    due = abs(cart.due)
    return min(due, voucher_room(cart, today)) if method == vouchers.KIND else due
