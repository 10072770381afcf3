from __future__ import annotations

from typing import Any

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from store.models.base import BaseModel, IdField, utcnow
from store.models.catalog import ImeiUnit, Product
from store.models.customer import Customer
from store.models.staff import Staff


class Sale(BaseModel):
    """A receipt: a sale, a return or an exchange (return lines have negative quantities)."""

    id = IdField(primary_key=True)  # given when the cart opens, so a retry is idempotent
    receipt_no = CharField(unique=True)
    store_code = CharField()
    terminal_id = CharField()
    business_date = DateField(index=True)
    created_at = DateTimeField(default=utcnow)
    kind = CharField(default="sale")  # sale / return / exchange
    status = CharField(default="completed")  # completed / voided
    staff = ForeignKeyField(Staff, backref="sales", index=False)  # no sale is looked up by its cashier
    # Looked up by customer through sale_customer_value, and by original only where there is one.
    customer = ForeignKeyField(Customer, null=True, backref="sales", index=False)
    original = ForeignKeyField("self", null=True, backref="returns", index=False)
    subtotal = IntegerField()  # sum of unit price (after any override) x qty, fen
    discount = IntegerField(default=0)  # all line and sale discounts, fen
    total = IntegerField()  # what the customer pays (negative: refund)
    note = TextField(default="")
    acknowledged_at = DateTimeField(null=True)  # receipt shown/printed; null -> ask to reprint
    voided_at = DateTimeField(null=True)
    # What the cart said when it was committed (store.selling.cart.Cart.fingerprint): a retry of the
    # same cart id returns this sale only if it says the same; '' on sales older than schema 8.
    fingerprint = CharField(default="")
    # A return's reason: the code of one of config.toml's [returns] reasons (schema 13); '' on
    # a sale, and on returns older than that.
    return_reason = CharField(default="")

    # Made by peewee at run time; declared for the type checker.
    staff_id: str
    customer_id: str | None
    original_id: str | None
    lines: Any
    tenders: Any


# Customer value (store.crm.value) aggregates every customer's receipts from this index alone.
Sale.add_index(
    Sale.customer,
    Sale.status,
    Sale.kind,
    Sale.business_date,
    Sale.total,
    where=Sale.customer.is_null(False),
    name="sale_customer_value",
)

Sale.add_index(Sale.original, where=Sale.original.is_null(False), name="sale_original_id")

# The start-up reprint question reads only the few unacknowledged sales of this terminal.
Sale.add_index(
    Sale.terminal_id,
    Sale.created_at,
    where=Sale.acknowledged_at.is_null(),
    name="sale_unacknowledged",
)


class SaleLine(BaseModel):
    id = IdField(primary_key=True)
    sale = ForeignKeyField(Sale, backref="lines", index=True, on_delete="CASCADE")
    line_no = IntegerField()
    # Lines are read by sale, by date through their sale, by unit or by original line; never by
    # product or promoter alone (a promoter's month reads the month's sales: faster than a
    # promoter's every line), so neither has an index to keep up (schema version 10).
    product = ForeignKeyField(Product, index=False)
    imei_unit = ForeignKeyField(ImeiUnit, null=True, index=False)  # indexed below where set
    qty = IntegerField()  # negative on a return line
    list_price = IntegerField()  # the catalog price at the time, fen
    unit_price = IntegerField()  # after a price override, fen
    discount = IntegerField(default=0)  # line discount plus its share of the sale discount
    total = IntegerField()  # unit_price * qty - discount
    promoter = ForeignKeyField(Staff, index=False)
    original_line = ForeignKeyField("self", null=True, index=False)  # indexed below where set
    override_reason = CharField(default="")

    sale_id: str
    product_id: str
    imei_unit_id: str | None
    promoter_id: str
    original_line_id: str | None


# Schema version 10: a nullable reference is indexed only where it is set (a return's original
# line, a handset's unit): the rows without one, most of them, cost nothing in the index, and
# "= ?" finds the rest as before.
SaleLine.add_index(SaleLine.imei_unit, where=SaleLine.imei_unit.is_null(False), name="sale_line_imei_unit_id")
SaleLine.add_index(
    SaleLine.original_line, where=SaleLine.original_line.is_null(False), name="sale_line_original_line_id"
)


class Tender(BaseModel):
    id = IdField(primary_key=True)
    sale = ForeignKeyField(Sale, backref="tenders", index=True, on_delete="CASCADE")
    kind = CharField()  # cash / wechat / alipay / card
    amount = IntegerField()  # applied to the sale (negative: refunded)
    tendered = IntegerField()  # handed over (cash may exceed amount)
    change = IntegerField(default=0)
    reference = CharField(default="")  # WeChat/Alipay transaction number, a card's last 4 digits
    # A refund's tender: the tender of the original sale it gives back (schema 13); null on a
    # payment, a cash refund (cash is counted by kind) and refunds older than that.
    original = ForeignKeyField("self", null=True, index=False)

    sale_id: str
    original_id: str | None


class HeldCart(BaseModel):
    """A suspended sale, kept in the database so it survives a restart."""

    id = IdField(primary_key=True)
    staff = ForeignKeyField(Staff)
    created_at = DateTimeField(default=utcnow)
    label = CharField(default="")
    payload = TextField()  # JSON of the cart
