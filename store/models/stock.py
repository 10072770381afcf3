from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from store.ids import new_id
from store.models.base import BaseModel, utcnow
from store.models.catalog import ImeiUnit, Product
from store.models.staff import Staff


class StockMovement(BaseModel):
    """The truth about stock: on-hand is the sum of these quantities."""

    id = CharField(primary_key=True, default=new_id)
    product = ForeignKeyField(Product, index=True)
    imei_unit = ForeignKeyField(ImeiUnit, null=True, index=True)
    kind = CharField()  # receive / sale / return / void / adjust / count / transfer_in / ...
    qty = IntegerField()
    staff = ForeignKeyField(Staff)
    created_at = DateTimeField(default=utcnow)
    document = CharField(default="", index=True)  # sale id, delivery note, count id
    reason = CharField(default="")
