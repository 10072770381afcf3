"""What a returned line refunds: the original line's paid amount pro rata, never more than is
left of it, the last unit back refunding exactly the rest."""

from __future__ import annotations

from collections.abc import Sequence

from peewee import fn

from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import Sale, SaleLine
from store.selling.cart_lines import CartLine
from store.stock import ledger as stock


def _refunded(line_id: str) -> int:
    """What completed returns have already refunded for an original sale line, in fen."""
    paid_back = (
        SaleLine.select(fn.COALESCE(fn.SUM(SaleLine.total), 0))
        .join(Sale)
        .where((SaleLine.original_line == line_id) & (Sale.status == "completed"))
        .scalar()
    )
    return -int(paid_back or 0)  # return lines carry negative totals


def return_line(lines: Sequence[CartLine], original: SaleLine, qty: int, already_returned: int) -> CartLine:
    """Return ``qty`` of an original line; the refund is that line's paid amount pro rata,
    so returning every unit in several goes refunds exactly what was paid."""
    qty = stock.validate_qty(qty)
    sold = original.qty
    pending = sum(-ln.qty for ln in lines if ln.original_line_id == original.id)
    if qty + already_returned + pending > sold:
        raise ValidationError(
            _("Only {n} of this line can still be returned.").format(
                n=max(sold - already_returned - pending, 0)
            )
        )
    done = already_returned + pending
    refund = (original.total * (done + qty)) // sold - (original.total * done) // sold
    # A voided return in between shifts the pro-rata schedule by a fen: never refund more
    # than is left of what was paid, and the last unit back refunds exactly the rest.
    left = original.total - _refunded(original.id)
    left -= sum(-ln.net for ln in lines if ln.original_line_id == original.id)
    refund = left if done + qty == sold else min(refund, left)
    product = original.product
    line = CartLine(
        product_id=product.id,
        sku=product.sku,
        name=product.display_name,
        serialized=bool(product.serialized),
        qty=-qty,
        list_price=original.list_price,
        unit_price=original.unit_price,
        promoter_id=original.promoter_id,
        line_discount=refund - original.unit_price * qty,
        imei_unit_id=original.imei_unit_id,
        imei=original.imei_unit.imei if original.imei_unit is not None else None,
        original_line_id=original.id,
    )
    return line
