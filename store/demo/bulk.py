"""The fast bulk load: raw sqlite3 executemany of prepared rows, ids made in bulk, and the
pragmas that hold only while the demo store is written."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from peewee import Database, OperationalError

from store.demo.clock import _stamp
from store.demo.state import _State

SQL_PRODUCT = (
    'INSERT INTO "product" ("id", "sku", "barcode", "brand", "model", "colour", "storage", "category", '
    '"price", "cost", "serialized", "search_text", "active", "created_at") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
)
SQL_UNIT = (
    'INSERT INTO "imei_unit" ("id", "product_id", "imei", "imei2", "status", "cost", "received_at") '
    "VALUES (?, ?, ?, ?, 'in_stock', ?, ?)"
)
SQL_CUSTOMER = (
    'INSERT INTO "customer" ("id", "phone", "name", "created_at", "referral_code", "birth_year", '
    '"birth_month", "birth_day", "gender", "consent_at", "consent_how", "owner_id", "store_code", '
    '"py", "py_initials", "py_alt", "py_alt_initials", "phone_last4") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SQL_SALE = (
    'INSERT INTO "sale" ("id", "receipt_no", "store_code", "terminal_id", "business_date", "created_at", '
    '"kind", "status", "staff_id", "customer_id", "original_id", "subtotal", "discount", "total", "note", '
    '"acknowledged_at", "voided_at", "return_reason") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)"
)
SQL_LINE = (
    'INSERT INTO "sale_line" ("id", "sale_id", "line_no", "product_id", "imei_unit_id", "qty", "list_price", '
    '"unit_price", "discount", "total", "promoter_id", "original_line_id", "override_reason") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')"
)
SQL_TENDER = (
    'INSERT INTO "tender" ("id", "sale_id", "kind", "amount", "tendered", "change", "reference") '
    "VALUES (?, ?, ?, ?, ?, ?, '')"
)
SQL_MOVEMENT = (
    'INSERT INTO "stock_movement" ("id", "product_id", "imei_unit_id", "kind", "qty", "staff_id", '
    '"created_at", "document", "reason") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
)

FLUSH_ROWS = 50_000

# Only for the bulk load, restored afterwards. synchronous: nothing is durable before the one
# commit anyway, so fsyncs in between only cost time. foreign_keys: every key is made here and
# points at a row written before it (the tests run foreign_key_check); the look-ups would
# double the insert time. cache_size: a million-line transaction that spills its dirty pages
# to the WAL before commit writes them twice.
LOAD_PRAGMAS = {"synchronous": 0, "foreign_keys": 0, "cache_size": -262_144}


@contextmanager
def load_pragmas(db: Database) -> Iterator[None]:
    """LOAD_PRAGMAS while the block runs; the database's own settings are put back after."""
    saved = {name: int(db.execute_sql(f"PRAGMA {name}").fetchone()[0]) for name in LOAD_PRAGMAS}
    for name, value in LOAD_PRAGMAS.items():
        db.execute_sql(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        for name, value in saved.items():
            db.execute_sql(f"PRAGMA {name} = {value}")


# The tables a demo's history fills with a million rows: their secondary indexes are built once
# after the load (a sort) instead of row by row as random b-tree inserts.
BULK_TABLES = ("sale", "sale_line", "tender", "stock_movement")


@contextmanager
def indexes_built_after(conn: Any, tables: tuple[str, ...] = BULK_TABLES) -> Iterator[None]:
    """Drop the tables' secondary indexes for the block and create them again after it, in the
    same transaction: the schema is exactly what it was, whatever the block did."""
    marks = ", ".join("?" for _ in tables)
    saved = conn.execute(
        "SELECT name, sql FROM sqlite_master "
        f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _sql in saved:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in saved:
        conn.execute(sql)


@contextmanager
def written_once(db: Database) -> Iterator[None]:
    """In WAL mode a gigabyte of history is written twice: to the WAL, then again by the
    checkpoint. A new, empty database with no other connection can take the load in rollback
    journal mode, which writes each page once, and go back to WAL after. If another
    connection is open the mode cannot change, and the load simply runs in WAL."""
    try:
        cursor = db.execute_sql("PRAGMA journal_mode = DELETE")
        mode = str(cursor.fetchall()[0][0]).lower()
        cursor.close()
    except OperationalError:
        mode = "wal"
    try:
        yield
    finally:
        if mode != "wal":
            db.execute_sql("PRAGMA journal_mode = WAL").close()
    if mode == "wal":  # the load went through the WAL: move it into the file now, not at first use
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").close()


class _Ids:
    """UUIDv7 strings made in bulk (new_id's os.urandom per call is too slow for millions).

    The top 48 bits are the record's own time, so each table's primary-key b-tree grows at
    its end as the history is written in time order; a counter keeps ids made in the same
    millisecond ordered, and 62 random bits per id (seeded from the OS, not from the demo
    seed) keep two demo stores' ids apart at head office."""

    def __init__(self) -> None:
        self._rand = random.Random(os.urandom(16))
        self._ms = -1
        self._seq = 0
        self._head = ""

    def _set_ms(self, ms: int) -> None:
        self._ms = ms
        text = f"{ms & 0xFFFFFFFFFFFF:012x}"
        self._head = f"{text[:8]}-{text[8:]}-7"

    def make(self, ms: int) -> str:
        if ms > self._ms:
            self._set_ms(ms)
            self._seq = self._rand.getrandbits(9)
        else:
            self._seq += 1
            if self._seq > 0xFFF:
                self._set_ms(self._ms + 1)
                self._seq = 0
        tail = self._rand.getrandbits(62)
        return f"{self._head}{self._seq:03x}-{0x8000 | (tail >> 48):04x}-{tail & 0xFFFFFFFFFFFF:012x}"


class _BulkWriter(_State):
    """Rows wait in per-statement buffers and go to the database in large batches."""

    def _move(
        self,
        product: int,
        unit: str | None,
        kind: str,
        qty: int,
        staff: str,
        us: int,
        doc: str,
        stamp: str = "",
    ) -> None:
        self.buffers[SQL_MOVEMENT].append(
            (
                self.ids.make(us // 1000),
                self.items[product].id,
                unit,
                kind,
                qty,
                staff,
                stamp or _stamp(us),
                doc,
                "",
            )
        )

    def _flush(self, force: bool = False) -> None:
        if not force and sum(len(rows) for rows in self.buffers.values()) < FLUSH_ROWS:
            return
        for sql, rows in self.buffers.items():  # parents first: sales, then lines and tenders
            if rows:
                self.conn.executemany(sql, rows)
                if sql == SQL_MOVEMENT:
                    self.counts.movements += len(rows)
                rows.clear()
