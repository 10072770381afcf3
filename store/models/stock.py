from __future__ import annotations

from peewee import CharField, CompositeKey, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.catalog import ImeiUnit, Product
from store.models.staff import Staff


class StockMovement(BaseModel):
    """The truth about stock: on-hand is the sum of these quantities.

    Schema version 10: the table is kept in the order of its ledger (product, kind, time), so
    on-hand, the last sale and a window of daily demand of every product are read from the
    table itself (5,000 SKUs, a million movements) with no index beside it, and one sale
    writes one b-tree row a line. A movement has no rowid: the order movements were made in
    is the order of their ids (store.kernel.ids.new_id)."""

    id = IdField(default=new_id)  # unique: the last column of the key, made by new_id
    product = ForeignKeyField(Product, index=False)  # leads the primary key
    imei_unit = ForeignKeyField(ImeiUnit, null=True, index=False)  # indexed below where set
    kind = CharField()  # receive / sale / return / void / adjust / count / transfer_in / ...
    qty = IntegerField()
    staff = ForeignKeyField(Staff, index=False)  # never looked up by; staff are never deleted
    created_at = DateTimeField(default=utcnow)
    document = IdField(default="")  # sale id, delivery note, count id
    reason = CharField(default="")

    # Made by peewee at run time; declared for the type checker.
    product_id: str
    imei_unit_id: str | None
    staff_id: str

    class Meta:
        primary_key = CompositeKey("product", "kind", "created_at", "id")
        without_rowid = True


# A handset's history; only the few movements that name a unit are in it.
StockMovement.add_index(
    StockMovement.imei_unit, where=StockMovement.imei_unit.is_null(False), name="stock_movement_imei_unit_id"
)
# A transfer's file is made again from its movements (store.stock.transfers).
StockMovement.add_index(
    StockMovement.document, where=StockMovement.kind == "transfer_out", name="stock_movement_transfer_out"
)
