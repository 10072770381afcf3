"""Suppliers, purchase orders, deliveries received and transfers between stores (schema
version 6). Stock itself is only ever changed by StockMovement rows; these are the documents
the movements belong to."""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.catalog import Product


class Supplier(BaseModel):
    """A regional distributor (地包商) or a maker's direct supply (直供)."""

    id = IdField(primary_key=True, default=new_id)
    code = CharField(unique=True)
    name = CharField()
    channel = CharField(default="distributor")  # distributor / direct
    lead_time_days = IntegerField(default=7)
    phone = CharField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    items: Any


class SupplierItem(BaseModel):
    """Who supplies a product (one supplier a product) and in what pack it comes."""

    id = IdField(primary_key=True, default=new_id)
    product = ForeignKeyField(Product, unique=True)
    supplier = ForeignKeyField(Supplier, index=True, backref="items")
    pack_size = IntegerField(default=1)

    product_id: str
    supplier_id: str


class PurchaseOrder(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    number = CharField(unique=True)
    supplier = ForeignKeyField(Supplier, index=True)
    status = CharField(default="open")  # open / partial / received / cancelled
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")
    note = CharField(default="")

    supplier_id: str
    lines: Any


class PurchaseOrderLine(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    order = ForeignKeyField(PurchaseOrder, index=True, backref="lines")
    product = ForeignKeyField(Product, index=True)
    qty = IntegerField()
    received = IntegerField(default=0)
    cost = IntegerField(default=0)  # fen a unit

    order_id: str
    product_id: str


class GoodsReceipt(BaseModel):
    """One delivery received: the supplier's invoice (or delivery note) and, when it answers a
    purchase order, that order. Its movements carry its id as their document."""

    id = IdField(primary_key=True, default=new_id)
    supplier = ForeignKeyField(Supplier, null=True, index=True)
    invoice_no = CharField(default="")
    order = ForeignKeyField(PurchaseOrder, null=True, index=True)
    created_at = DateTimeField(default=utcnow)
    created_by = IdField()

    supplier_id: str | None
    order_id: str | None
    lines: Any


class GoodsReceiptLine(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    receipt = ForeignKeyField(GoodsReceipt, index=True, backref="lines")
    product = ForeignKeyField(Product, index=True)
    qty = IntegerField()
    cost = IntegerField(default=0)  # fen a unit

    receipt_id: str
    product_id: str


class StockTransfer(BaseModel):
    """Stock sent to, or received from, another store of the chain. The id travels in the
    transfer file, so the receiving store can never take the same file in twice."""

    id = IdField(primary_key=True)
    number = CharField()
    direction = CharField()  # out / in
    from_store = CharField()
    to_store = CharField()
    status = CharField()  # sent / received
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")
    received_at = DateTimeField(null=True)
    note = CharField(default="")
