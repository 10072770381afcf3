"""The running summaries of schema version 12 (store.models.summary): product_stock,
product_day_demand and customer_totals. Triggers on stock_movement and sale keep them in the
transaction of every write (store/db/migrations/later.py V12), so no write path has to remember
them. Here: rebuilding them from the history, for a bulk load that runs without the
triggers (the demo's million sale lines: one grouped read instead of a trigger a row), and
for checks that compare them with the history."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SUMMARY_TABLES = ("product_stock", "product_day_demand", "customer_totals")
SUMMARISED_TABLES = ("stock_movement", "sale")  # whose triggers keep the summaries

# The summaries as the history gives them: the definitions the triggers keep up to date.
PRODUCT_STOCK = (
    'SELECT "product_id", SUM("qty"), MIN("created_at"), '
    'MAX(CASE WHEN "kind" = \'sale\' THEN "created_at" END) '
    'FROM "stock_movement" GROUP BY "product_id"'
)
PRODUCT_DAY_DEMAND = (
    'SELECT s."business_date", m."product_id", -SUM(m."qty") FROM "stock_movement" m '
    'JOIN "sale" s ON s."id" = m."document" '
    "WHERE m.\"kind\" IN ('sale', 'return', 'void') "
    'GROUP BY s."business_date", m."product_id"'
)
CUSTOMER_TOTALS = (
    'SELECT "customer_id", SUM("kind" != \'return\'), '
    'MIN(CASE WHEN "kind" != \'return\' THEN "business_date" END), '
    'MAX(CASE WHEN "kind" != \'return\' THEN "business_date" END), SUM("total") '
    'FROM "sale" WHERE "customer_id" IS NOT NULL AND "status" = \'completed\' '
    'GROUP BY "customer_id"'
)
_FILL = (
    (
        'INSERT INTO "product_stock" ("product_id", "on_hand", "first_movement_at", "last_sale_at") ',
        PRODUCT_STOCK,
    ),
    ('INSERT INTO "product_day_demand" ("business_date", "product_id", "sold") ', PRODUCT_DAY_DEMAND),
    (
        'INSERT INTO "customer_totals" ("customer_id", "purchases", "first_purchase", "last_purchase", '
        '"total") ',
        CUSTOMER_TOTALS,
    ),
)


def rebuild(conn: Any) -> None:
    """Fill the summaries again from the history (``conn``: a connection or a peewee database,
    inside the caller's transaction)."""
    run = conn.execute if isinstance(conn, sqlite3.Connection) else conn.execute_sql
    for table in SUMMARY_TABLES:
        run(f'DELETE FROM "{table}"')
    for insert, select in _FILL:
        run(insert + select)


@contextmanager
def rebuilt_after(conn: Any) -> Iterator[None]:
    """For a bulk load in one transaction (``conn``: a plain sqlite3 connection): the
    summaries' triggers dropped for the block, then the summaries rebuilt from the history and
    the triggers made again, in the same transaction, so the schema is what it was."""
    marks = ", ".join("?" for _ in SUMMARISED_TABLES)
    saved = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
        SUMMARISED_TABLES,
    ).fetchall()
    for name, _sql in saved:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    rebuild(conn)
    for _name, sql in saved:
        conn.execute(sql)
