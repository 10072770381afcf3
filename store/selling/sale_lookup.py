"""Finding a committed sale by its receipt, and what of it can still be returned."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from store.kernel.clock import business_date as business_date  # re-exported: callers import it here
from store.kernel.errors import (
    NotFound,
    ValidationError,
)
from store.kernel.i18n import _
from store.models import (
    Product,
    Sale,
    SaleLine,
)


def returned_qty(line_id: str) -> int:
    total = (
        SaleLine.select(fn.COALESCE(fn.SUM(SaleLine.qty), 0))
        .join(Sale)
        .where((SaleLine.original_line == line_id) & (Sale.status == "completed"))
        .scalar()
    )
    return -int(total or 0)  # return lines carry negative quantities


def find_sale(text: str) -> Sale:
    """A sale by receipt number (typed or from the receipt's QR) or by id."""
    code = text.strip()
    sale = Sale.get_or_none((Sale.receipt_no == code) | (Sale.id == code))
    if sale is None:
        raise NotFound(_("No receipt {code}.").format(code=code[:40]))
    return sale


@dataclass(frozen=True)
class ReturnableLine:
    line: SaleLine
    returnable: int


def returnable_lines(sale: Sale) -> list[ReturnableLine]:
    if sale.status != "completed":
        raise ValidationError(_("Receipt {no} was voided.").format(no=sale.receipt_no))
    lines = (
        SaleLine.select(SaleLine, Product)
        .join(Product)
        .where((SaleLine.sale == sale.id) & (SaleLine.qty > 0))
        .order_by(SaleLine.line_no)
    )
    return [ReturnableLine(ln, ln.qty - returned_qty(ln.id)) for ln in lines]
