"""Running summaries of the ledgers (schema version 12), kept by SQLite triggers in the same
transaction as every write to stock_movement and sale (store/db/migrations/later.py V12), so that
reports read one row a product or a customer instead of the whole history. Nothing in Python
writes them; store.db.summaries rebuilds them from the history (a bulk load, a check)."""

from __future__ import annotations

from peewee import CompositeKey, DateField, DateTimeField, IntegerField

from store.models.base import BaseModel, IdField


class ProductStock(BaseModel):
    """A product's stock ledger in one row: on hand (the sum of its movements), its first
    movement and its last sale. A product without movements has no row."""

    product_id = IdField(primary_key=True)
    on_hand = IntegerField()
    first_movement_at = DateTimeField()
    last_sale_at = DateTimeField(null=True)

    class Meta:
        table_name = "product_stock"
        without_rowid = True


class ProductDayDemand(BaseModel):
    """Units a product's customers took net on one business day: the sum of its sale, return
    and void movements negated (a day of more returns than sales is below 0). The business day
    is the day of the receipt the movement belongs to (sale.business_date, the store's time
    zone when it was rung up; a void is of the same day). Kept in date order: a demand window
    reads only its own days."""

    business_date = DateField()
    product_id = IdField()
    sold = IntegerField()

    class Meta:
        table_name = "product_day_demand"
        primary_key = CompositeKey("business_date", "product_id")
        without_rowid = True


class CustomerTotals(BaseModel):
    """A customer's completed receipts in one row: purchases (sales and exchanges, not returns),
    the first and last purchase's business date, and the net total of every receipt (returns
    negative), fen. A customer with only returns has no purchase dates."""

    customer_id = IdField(primary_key=True)
    purchases = IntegerField()
    first_purchase = DateField(null=True)
    last_purchase = DateField(null=True)
    total = IntegerField()

    class Meta:
        table_name = "customer_totals"
        without_rowid = True


# The reorder panel after a sale plans only the sale's products: their window's days by product.
ProductDayDemand.add_index(
    ProductDayDemand.product_id, ProductDayDemand.business_date, name="product_day_demand_product"
)
