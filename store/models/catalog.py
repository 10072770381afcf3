from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow


class Product(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    sku = CharField(unique=True)
    barcode = CharField(null=True, unique=True)
    brand = CharField()
    model = CharField()
    colour = CharField(default="")
    storage = CharField(default="")
    category = CharField()  # handset / accessory / service
    price = IntegerField()  # fen
    cost = IntegerField(default=0)  # fen
    serialized = BooleanField(default=False)
    search_text = CharField(default="", index=True)  # lower-cased brand model colour storage sku
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    shelf = CharField(default="")  # schema version 6: where it stands, for counting a shelf

    @property
    def display_name(self) -> str:
        parts = [self.brand, self.model, self.storage, self.colour]
        return " ".join(p for p in parts if p)


class ImeiUnit(BaseModel):
    """One handset; a dual-SIM handset has a second IMEI on the same unit."""

    id = IdField(primary_key=True, default=new_id)
    product = ForeignKeyField(Product, backref="units", index=True)
    imei = CharField(unique=True)
    imei2 = CharField(null=True, unique=True)
    # in_stock / sold / returned; missing (not found at a stock count); transferred (sent to
    # another store of the chain)
    status = CharField(default="in_stock", index=True)
    cost = IntegerField(default=0)
    received_at = DateTimeField(default=utcnow)

    product_id: str  # made by peewee at run time; declared for the type checker
