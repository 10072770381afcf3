"""Stock counts (schema version 6): the count, what the book said when it began, and every
entry the counters made."""

from __future__ import annotations

from typing import Any

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.catalog import ImeiUnit, Product
from store.models.staff import Staff


class StockCount(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    number = CharField(unique=True)
    scope_kind = CharField()  # all / brand / category / shelf
    scope_value = CharField(default="")
    status = CharField(default="open", index=True)  # open / paused / review / approved / cancelled
    created_at = DateTimeField(default=utcnow)
    created_by = IdField()
    snapshot_at = DateTimeField()
    closed_at = DateTimeField(null=True)
    closed_by = IdField(default="")
    approved_at = DateTimeField(null=True)
    approved_by = IdField(default="")
    note = CharField(default="")

    items: Any
    entries: Any


class StockCountItem(BaseModel):
    """A product in the count's scope and its on-hand at the snapshot (never shown to the
    counter: entry is blind)."""

    id = IdField(primary_key=True, default=new_id)
    count = ForeignKeyField(StockCount, backref="items", index=False)  # the unique index leads with it
    product = ForeignKeyField(Product, index=True)
    snapshot_qty = IntegerField()
    # Filled in when the count is approved, so a report shows what was approved:
    expected_qty = IntegerField(null=True)  # the snapshot plus movements up to the product's count
    counted_qty = IntegerField(null=True)
    adjusted_qty = IntegerField(null=True)  # what the approval moved (counted - expected, or less)

    count_id: str
    product_id: str


StockCountItem.add_index(
    StockCountItem.count, StockCountItem.product, unique=True, name="stock_count_item_count_product"
)


class StockCountEntry(BaseModel):
    """One thing a counter did: a scanned handset (qty 1, its IMEI) or a quantity of an
    accessory. A counted IMEI the store does not know yet has no unit until approval."""

    id = IdField(primary_key=True, default=new_id)
    count = ForeignKeyField(StockCount, backref="entries", index=False)  # the unique index leads with it
    product = ForeignKeyField(Product, index=True)
    imei_unit = ForeignKeyField(ImeiUnit, null=True)
    imei = CharField(null=True)
    qty = IntegerField()
    staff = ForeignKeyField(Staff)
    created_at = DateTimeField(default=utcnow)

    count_id: str
    product_id: str
    imei_unit_id: str | None
    staff_id: str


StockCountEntry.add_index(
    StockCountEntry.count, StockCountEntry.imei, unique=True, name="stock_count_entry_count_imei"
)
