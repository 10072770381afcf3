"""The money side of a cart: its totals, each line's share of the sale discount, and the
payments taken or refunds given. A mixin of store.selling.cart.Cart, which holds the fields."""

from __future__ import annotations

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.money import format_fen, require_fen
from store.selling import tender_refs
from store.selling.cart_lines import TENDER_KINDS, CartLine, CartTender


class CartMoney:
    """Totals and payments of a cart; ``Cart`` declares the fields they read."""

    lines: list[CartLine]
    tenders: list[CartTender]
    sale_discount: int

    # ---- totals ------------------------------------------------------------
    def allocations(self) -> list[int]:
        """Each line's share of the sale discount, proportional to its net, exact to the fen."""
        shares = [0] * len(self.lines)
        eligible = [i for i, ln in enumerate(self.lines) if not ln.is_return and ln.net > 0]
        base = sum(self.lines[i].net for i in eligible)
        if not self.sale_discount or not base:
            return shares
        remainders: dict[int, int] = {}
        for i in eligible:
            shares[i], remainders[i] = divmod(self.sale_discount * self.lines[i].net, base)
        # Largest remainder: the fen left over go one each to the lines whose exact share was
        # cut most, so no line gets more than its exact share rounded up (never above its net).
        left = self.sale_discount - sum(shares)
        order = sorted(eligible, key=lambda i: (-remainders[i], -self.lines[i].net, i))
        for i in order[:left]:
            shares[i] += 1
        return shares

    @property
    def subtotal(self) -> int:
        return sum(ln.gross for ln in self.lines)

    @property
    def discount_total(self) -> int:
        return sum(ln.line_discount for ln in self.lines) + self.sale_discount

    @property
    def total(self) -> int:
        return self.subtotal - self.discount_total

    @property
    def paid(self) -> int:
        return sum(t.amount for t in self.tenders)

    @property
    def due(self) -> int:
        return self.total - self.paid

    @property
    def change(self) -> int:
        return sum(t.change for t in self.tenders)

    @property
    def is_settled(self) -> bool:
        return bool(self.lines) and self.due == 0

    # ---- tenders -----------------------------------------------------------
    def add_tender(
        self, kind: str, amount: int, reference: str = "", *, original_id: str | None = None
    ) -> CartTender:
        """Take a payment (or give a refund when the total is negative). Only cash may exceed
        what is due; the rest is change. A payment's ``reference`` is checked and kept as
        digits (store.selling.tender_refs); a refund's is its original's, given with
        ``original_id`` by store.selling.refunds."""
        if kind not in TENDER_KINDS:
            raise ValidationError(_("Unknown payment method: {kind}").format(kind=kind))
        if original_id is None:
            reference = tender_refs.normalise(kind, reference)
        if not self.lines:
            raise ValidationError(_("The sale is empty."))
        amount = require_fen(amount)
        if amount <= 0:
            raise ValidationError(_("An amount must be more than zero."))
        due = self.due
        if due == 0:
            raise ValidationError(_("Nothing is left to pay."))
        if due < 0:
            if amount > -due:
                raise ValidationError(_("Refund at most {amount}.").format(amount=format_fen(-due)))
            tender = CartTender(kind, -amount, -amount, 0, reference, original_id)
        elif amount > due:
            if kind != "cash":
                raise ValidationError(
                    _("Only cash can be more than what is due ({due}).").format(due=format_fen(due))
                )
            tender = CartTender(kind, due, amount, amount - due, reference)
        else:
            tender = CartTender(kind, amount, amount, 0, reference)
        self.tenders.append(tender)
        return tender

    def set_reference(self, tender: CartTender, text: str) -> None:
        """Give a payment taken a moment ago its reference (the payment screen asks after the
        amount), checked as add_tender checks it."""
        if tender not in self.tenders or tender.amount <= 0:
            raise ValidationError(_("No such payment."))
        tender.reference = tender_refs.normalise(tender.kind, text)

    def remove_tender(self, tender: CartTender) -> None:
        """Take back a payment not yet committed (its reference was not given)."""
        if tender in self.tenders:
            self.tenders.remove(tender)

    def clear_tenders(self) -> None:
        self.tenders.clear()

    def _require_open(self) -> None:
        if self.tenders:
            raise ValidationError(_("Payment has started: clear the payments to change the sale."))
