"""The voucher at the till, as the payment screen needs it: how much a voucher can take now,
and the amount a tender method offers when Enter is pressed on an empty field (issue 11: the
arithmetic lives here, not in the screen).

The screen reads what it needs from the database once, off its event loop (``pay_facts``: the
customer's rewards settled, their voucher balance, and for a refund what the original receipt
was paid with), and works out everything it shows from those facts and the cart's tenders
(``room``, ``offered``, ``refund_left``) without the database. The commit checks it all again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from store.kernel.clock import business_date
from store.kernel.errors import ZhangguiError
from store.referrals import ledger, vouchers
from store.selling import refunds
from store.selling.cart import Cart
from store.selling.refunds import RefundFacts, Share
from store.selling.till import Till

if TYPE_CHECKING:
    from store.config.loader import ClockSection


@dataclass(frozen=True)
class PayFacts:
    """What the payment screen knows from the database, read when it opened."""

    spendable: int = 0  # fen of the customer's vouchers they can spend today (0: no customer)
    refund: RefundFacts = field(default_factory=RefundFacts)  # the original receipt, for a refund
    held: bool = False  # the clock looked wrong: rewards wait until a manager confirms the date
    problem: str = ""  # settling the rewards failed, in words (the payment goes on)


NO_FACTS = PayFacts()  # a sale without customer that gives nothing back needs none


def needs_facts(cart: Cart) -> bool:
    """Whether the payment screen must read from the database before it can take payment."""
    return bool(cart.customer_id) or bool(cart.original_sale_id and cart.total < 0)


def pay_facts(cart: Cart, till: Till, clock: ClockSection | None, now: datetime) -> PayFacts:
    """Settle the customer's rewards that are due (a write: rewards whose holding period ended
    become spendable) and read what the payment screen needs (see PayFacts)."""
    today = business_date(now, till.tz)
    spendable = 0
    held = False
    problem = ""
    if cart.customer_id:
        try:
            held = ledger.settle_if_due(today, till.referrals, clock, now).held is not None
        except ZhangguiError as exc:  # another till busy, say: the payment goes on, settled next time
            problem = str(exc)
        spendable = vouchers.balance(cart.customer_id, today).vouchers
    refund = RefundFacts()
    if cart.original_sale_id and cart.total < 0:
        refund = refunds.refund_facts(cart.original_sale_id)
    return PayFacts(spendable, refund, held, problem)


def _on_cart(cart: Cart) -> int:
    return sum(t.amount for t in cart.tenders if t.kind == vouchers.KIND)


def due_back(cart: Cart, facts: PayFacts) -> int:
    """vouchers.give_back_due from the facts: what of this refund goes back onto the voucher."""
    if not cart.original_sale_id or cart.total >= 0:
        return 0
    return min(-cart.total, facts.refund.voucher_used)


def room(cart: Cart, facts: PayFacts) -> int:
    """voucher_room from the facts, without the database."""
    if cart.due < 0:
        return max(due_back(cart, facts) + _on_cart(cart), 0)
    if not cart.customer_id:
        return 0
    return max(facts.spendable - _on_cart(cart), 0)


def refund_left(cart: Cart, facts: PayFacts) -> list[Share]:
    """refunds.still_due from the facts: what of the refund's plan is still to give back."""
    return refunds.still_due(cart, facts.refund)


def offered(cart: Cart, method: str, facts: PayFacts) -> int:
    """What Enter takes with nothing typed, from the facts: on a refund, what the plan gives
    back to that payment (cash: all that is still due); else all that is due, or as much as
    the voucher can."""
    if cart.due < 0 and method in refunds.ELECTRONIC:
        share = next((s for s in refund_left(cart, facts) if s.kind == method), None)
        if share is not None:
            return share.amount
    due = abs(cart.due)
    return min(due, room(cart, facts)) if method == vouchers.KIND else due


def add_voucher(cart: Cart, amount: int, today: date, facts: PayFacts) -> None:
    """vouchers.add_voucher_tender from the facts, without the database."""
    back = due_back(cart, facts)
    vouchers.add_voucher_tender(cart, amount, today, spendable=facts.spendable, due_back=back)
