"""A product's or a handset's whole life from the stock ledger: received from whom (supplier
and invoice), sold to whom (receipt and customer), returned, counted, sent to or received
from another store, each with who did it and when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN

from store.kernel.errors import NotFound
from store.kernel.i18n import N_, _
from store.kernel.phone import mask
from store.models import (
    Customer,
    GoodsReceipt,
    ImeiUnit,
    Product,
    Sale,
    Staff,
    StockCount,
    StockMovement,
    StockTransfer,
    Supplier,
)
from store.stock import imei
from store.stock.catalog import lookup_code

KIND_NAMES = {
    "receive": N_("received"),
    "sale": N_("sold"),
    "return": N_("returned"),
    "void": N_("voided"),
    "adjust": N_("adjusted"),
    "count": N_("counted"),
    "transfer_in": N_("transfer in"),
    "transfer_out": N_("transfer out"),
}


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    qty: int
    imei: str
    document: str  # what a person reads: receipt number, invoice, count or transfer number
    party: str  # supplier, customer or the other store
    staff: str
    reason: str


def _party(customer: Customer | None) -> str:
    return f"{customer.name} {mask(customer.phone)}".strip() if customer is not None else ""


def _documents(ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """movement.document -> (document text, party) for sales, deliveries, counts, transfers."""
    wanted = sorted({d for d in ids if d})
    found: dict[str, tuple[str, str]] = {}
    if not wanted:
        return found
    sales = Sale.select(Sale, Customer).join(Customer, join_type=JOIN.LEFT_OUTER).where(Sale.id.in_(wanted))
    originals: dict[str, str] = {}  # a return without a customer: the original sale's
    for sale in sales:
        party = _party(sale.customer if sale.customer_id else None)
        found[sale.id] = (sale.receipt_no, party)
        if not party and sale.original_id:
            originals[sale.id] = sale.original_id
    if originals:
        bought = (
            Sale.select(Sale, Customer).join(Customer).where(Sale.id.in_(sorted(set(originals.values()))))
        )
        who = {s.id: _party(s.customer) for s in bought}
        for sale_id, original_id in originals.items():
            found[sale_id] = (found[sale_id][0], who.get(original_id, ""))
    receipts = (
        GoodsReceipt.select(GoodsReceipt, Supplier)
        .join(Supplier, join_type=JOIN.LEFT_OUTER)
        .where(GoodsReceipt.id.in_(wanted))
    )
    for receipt in receipts:
        supplier = receipt.supplier.name if receipt.supplier is not None else ""
        found[receipt.id] = (_("invoice {number}").format(number=receipt.invoice_no or "-"), supplier)
    for count in StockCount.select().where(StockCount.id.in_(wanted)):
        found[count.id] = (count.number, "")
    for transfer in StockTransfer.select().where(StockTransfer.id.in_(wanted)):
        other = transfer.to_store if transfer.direction == "out" else transfer.from_store
        found[transfer.id] = (transfer.number, other)
    return found


def _events(query: Sequence[StockMovement]) -> list[Event]:
    rows = list(query)
    docs = _documents([m.document for m in rows])
    staff = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    units = {
        u.id: u.imei
        for u in ImeiUnit.select().where(ImeiUnit.id.in_([m.imei_unit_id for m in rows if m.imei_unit_id]))
    }
    out = []
    for m in rows:
        document, party = docs.get(m.document, (m.document, ""))
        out.append(
            Event(
                at=m.created_at,
                kind=m.kind,
                qty=m.qty,
                imei=units.get(m.imei_unit_id or "", ""),
                document=document,
                party=party,
                staff=staff.get(m.staff_id, "?"),
                reason=m.reason,
            )
        )
    return out


def product_history(product_id: str, limit: int = 1000) -> list[Event]:
    """The newest ``limit`` movements of a product, oldest first."""
    query = (
        StockMovement.select()
        .where(StockMovement.product == product_id)
        .order_by(StockMovement.created_at.desc())
        .limit(limit)
    )
    return list(reversed(_events(list(query))))


def unit_history(unit: ImeiUnit) -> list[Event]:
    query = (
        StockMovement.select().where(StockMovement.imei_unit == unit.id).order_by(StockMovement.created_at)
    )
    return _events(list(query))


@dataclass(frozen=True)
class Found:
    product: Product
    unit: ImeiUnit | None
    events: list[Event]


def history_of(code: str) -> Found:
    """An IMEI's life, or a product's (by barcode or SKU)."""
    text = code.strip()
    if imei.looks_like_imei(text):
        number = imei.normalise(text)
        unit = ImeiUnit.select().where((ImeiUnit.imei == number) | (ImeiUnit.imei2 == number)).first()
        if unit is None:
            raise NotFound(_("IMEI {imei} has never been in this store.").format(imei=number))
        return Found(Product.get_by_id(unit.product_id), unit, unit_history(unit))
    found = lookup_code(text)
    if found is None:
        product = Product.get_or_none(Product.sku == text)
        if product is None:
            raise NotFound(_("Unknown code: {code}").format(code=text[:40]))
        return Found(product, None, product_history(product.id))
    return Found(found.product, None, product_history(found.product.id))
