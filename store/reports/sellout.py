"""A brand's sell-out feed (串号上报): the day's handsets of the brand sold and returned, by
IMEI, with the brand's own codes for the store and the product, then the day's receipts and
the stock on hand of the brand's handsets per store and product (its accessories are not
reported: a brand's sell-out system counts handsets).

Head office makes it from the stores' day files (store.hq.sellout), a store from its own
database for the brand's promoters (store.stock.sellout); both build the same Feed, so the
columns are the same wherever the file comes from. A brand code nobody mapped is an empty
cell and a note, never a row left out: the brand must hear of every handset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from store.kernel.i18n import _
from store.reports.table import Column, Kind, Table


@dataclass(frozen=True)
class Handset:
    """One sale or return line of a handset (qty below zero: a return)."""

    day: date
    store: str
    brand_store: str  # the brand's code for the store; "" when not mapped
    receipt: str
    imei: str  # "" when the line names no unit (or the file held none)
    imei2: str
    sku: str
    brand_product: str  # the brand's code for the SKU; "" when not mapped
    model: str
    qty: int
    price: int  # fen a unit, after any override
    total: int  # fen, the line's total after discounts


@dataclass(frozen=True)
class Stock:
    """A store's figures of one SKU of the brand: received that day, on hand at its end."""

    store: str
    brand_store: str
    sku: str
    brand_product: str
    model: str
    received: int
    on_hand: int


@dataclass(frozen=True)
class Note:
    """Something the brand's file lacks: a store or SKU without the brand's code, a store
    whose day head office has not received."""

    kind: str  # "store" or "product"
    code: str
    text: str


@dataclass
class Feed:
    brand: str
    day: date
    handsets: list[Handset] = field(default_factory=list)
    stock: list[Stock] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """The handsets, then receipts and stock, then the notes when there are any."""
        sold = Table(
            [
                Column(_("Day"), Kind.DATE),
                Column(_("Store")),
                Column(_("Brand store code")),
                Column(_("Receipt")),
                Column(_("Type")),
                Column(_("IMEI")),
                Column(_("IMEI 2")),
                Column(_("SKU")),
                Column(_("Brand product code")),
                Column(_("Model")),
                Column(_("Qty"), Kind.INT),
                Column(_("Price"), Kind.YUAN),
                Column(_("Amount"), Kind.YUAN),
            ],
            title=_("Sell-out"),
        )
        for h in self.handsets:
            kind = _("Sold") if h.qty > 0 else _("Returned")
            sold.add(
                h.day,
                h.store,
                h.brand_store,
                h.receipt,
                kind,
                h.imei,
                h.imei2,
                h.sku,
                h.brand_product,
                h.model,
                h.qty,
                h.price,
                h.total,
            )
        stock = Table(
            [
                Column(_("Store")),
                Column(_("Brand store code")),
                Column(_("SKU")),
                Column(_("Brand product code")),
                Column(_("Model")),
                Column(_("Received"), Kind.INT),
                Column(_("On hand"), Kind.INT),
            ],
            title=_("Receipts and stock"),
        )
        for s in self.stock:
            stock.add(s.store, s.brand_store, s.sku, s.brand_product, s.model, s.received, s.on_hand)
        tables = [sold, stock]
        if self.notes:
            notes = Table([Column(_("Kind")), Column(_("Our code")), Column(_("Note"))], title=_("Notes"))
            for n in self.notes:
                notes.add(_("Store") if n.kind == "store" else _("Product"), n.code, n.text)
            tables.append(notes)
        return tables


def pick_brand(wanted: str, known: list[str], refusal: str) -> str:
    """The brand as the catalog spells it, matched without regard to case (Apple, apple,
    APPLE); ``refusal`` (with {brand} and {known}) says whose catalog lacks it."""
    from store.kernel.errors import ValidationError

    name = wanted.strip()
    if not name:
        raise ValidationError(_("Give a brand, e.g. --brand Apple."))
    for brand in known:
        if brand.casefold() == name.casefold():
            return brand
    raise ValidationError(refusal.format(brand=name, known=", ".join(sorted(known, key=str.casefold)) or "-"))
