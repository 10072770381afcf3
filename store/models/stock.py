from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, utcnow
from store.models.catalog import ImeiUnit, Product
from store.models.staff import Staff


class StockMovement(BaseModel):
    """The truth about stock: on-hand is the sum of these quantities."""

    id = CharField(primary_key=True, default=new_id)
    product = ForeignKeyField(Product, index=False)  # led by stock_movement_product_ledger
    imei_unit = ForeignKeyField(ImeiUnit, null=True, index=True)
    kind = CharField()  # receive / sale / return / void / adjust / count / transfer_in / ...
    qty = IntegerField()
    staff = ForeignKeyField(Staff)
    created_at = DateTimeField(default=utcnow)
    document = CharField(default="", index=True)  # sale id, delivery note, count id
    reason = CharField(default="")

    # Made by peewee at run time; declared for the type checker.
    product_id: str
    imei_unit_id: str | None
    staff_id: str


# Schema version 6: one covering index answers on-hand, the last sale and a window of daily
# demand for every product without touching the table (5,000 SKUs, a million movements).
StockMovement.add_index(
    StockMovement.product,
    StockMovement.kind,
    StockMovement.created_at,
    StockMovement.qty,
    name="stock_movement_product_ledger",
)
