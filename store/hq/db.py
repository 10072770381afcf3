"""A connection to head office's database: a SQLite file, or PostgreSQL by its URL.

Plain DB-API on both (sqlite3, psycopg 3), with the SQL written once: ``%s`` placeholders,
turned into ``?`` for SQLite. psycopg is imported only here, only for a ``postgresql://`` URL,
and only when head office's extra is installed (``pip install 'zhanggui[hq]'``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.hq.schema import ADD_PROMOTER, statements
from store.kernel.errors import ValidationError
from store.kernel.i18n import _

PG_PREFIXES = ("postgresql://", "postgres://")


@dataclass
class HqDb:
    """An open head-office database; ``dialect`` is "sqlite" or "postgresql"."""

    raw: Any
    dialect: str

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What the driver raises when the database fails (a lost connection, a full disk, a
        lock): the command says so in a sentence; the transaction has been rolled back."""
        if self.dialect == "sqlite":
            return (sqlite3.Error,)
        import psycopg

        return (psycopg.Error,)

    def _sql(self, sql: str) -> str:
        return sql.replace("%s", "?") if self.dialect == "sqlite" else sql

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(sql), tuple(params))
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        cursor = self.raw.cursor()
        try:
            cursor.executemany(self._sql(sql), [tuple(r) for r in rows])
        finally:
            cursor.close()

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """New rows into ``table``: COPY on PostgreSQL (an executemany of INSERTs there costs a
        statement a row, 20× COPY for a day file's 10,000 records), executemany on SQLite
        (in-process: as fast as it gets). A duplicate key fails the statement, as an INSERT."""
        if not rows:
            return
        if self.dialect == "sqlite":
            marks = ", ".join(["?"] * len(columns))
            self.raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return
        with (
            self.raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of it or nothing: committed at the end, rolled back on any error."""
        if self.dialect == "sqlite":
            self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.raw.rollback()
            raise
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, create: bool = False) -> HqDb:
    """Head office's database at ``url`` (a file path, ``sqlite:///path`` or a PostgreSQL URL,
    which may name a schema: ``?options=-csearch_path%3Dhq``). Its tables are made if
    missing; a SQLite file is made only with ``create`` (registering a store), so a mistyped
    path is refused instead of becoming an empty head office, and a file that holds something
    else (a store's own database) is refused untouched."""
    if url.startswith(PG_PREFIXES):
        hq = HqDb(_pg(url), "postgresql")
    else:
        hq = HqDb(_sqlite(Path(url.removeprefix("sqlite:///")), create), "sqlite")
    with hq.transaction():
        for statement in statements(hq.dialect):
            hq.execute(statement)
        _upgrade(hq)
    return hq


def _upgrade(hq: HqDb) -> None:
    """Bring a head office made before the promoter and stock reports up to date, once: its
    sale lines get their promoter from the record, its stock movements and levels (kept among
    the other records then) move to tables of their own."""
    cursor = hq.raw.cursor()
    try:
        cursor.execute("SELECT * FROM hq_sale_lines WHERE 1 = 0")
        columns = {str(d[0]).lower() for d in cursor.description}
    finally:
        cursor.close()
    if "promoter_id" in columns:
        return
    hq.execute(ADD_PROMOTER)
    lines = hq.execute("SELECT store_code, id, body FROM hq_sale_lines")
    hq.executemany(
        "UPDATE hq_sale_lines SET promoter_id = %s WHERE store_code = %s AND id = %s",
        [(str(json.loads(body).get("promoter_id") or ""), store, rid) for store, rid, body in lines],
    )
    moves = hq.execute(
        "SELECT store_code, id, business_date, body FROM hq_records WHERE family = 'stock_movements'"
    )
    rows = []
    for store, rid, day, body in moves:
        move = json.loads(body)
        rows.append((store, rid, day, str(move["product_id"]), str(move["kind"]), int(move["qty"]), body))
    hq.executemany(
        "INSERT INTO hq_stock_movements (store_code, id, business_date, product_id, kind, qty, body)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        rows,
    )
    levels = hq.execute(
        "SELECT store_code, id, business_date, body FROM hq_records WHERE family = 'stock_levels'"
    )
    hq.executemany(
        "INSERT INTO hq_stock_levels (store_code, id, business_date, product_id, on_hand, body)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (store, rid, day, str(json.loads(body)["product_id"]), int(json.loads(body)["on_hand"]), body)
            for store, rid, day, body in levels
        ],
    )
    hq.execute("DELETE FROM hq_records WHERE family IN ('stock_movements', 'stock_levels')")


def _sqlite(path: Path, create: bool) -> sqlite3.Connection:
    if not create and not path.is_file():
        raise ValidationError(
            _(
                "No head-office database at {path}: it is made when the first store is"
                " registered (zhanggui hq store add)."
            ).format(path=path)
        )
    try:
        raw = sqlite3.connect(path, isolation_level=None)
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "hq_stores" not in tables:
            raw.close()
            raise ValidationError(
                _("{path} holds no head-office database (is it a store's?); nothing was changed.").format(
                    path=path
                )
            )
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise ValidationError(
            _("Cannot open head office's database {path}: {error}").format(path=path, error=exc)
        ) from exc
    return raw


def _pg(url: str) -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise ValidationError(
            _("PostgreSQL needs head office's driver: pip install -c constraints.txt -e '.[hq]' (psycopg).")
        ) from exc
    try:
        raw = psycopg.connect(url)
    except psycopg.Error as exc:
        raise ValidationError(
            _("Cannot open head office's database {path}: {error}").format(
                path=re.sub(r"(//[^:@/]*):[^@/]*@", r"\1:***@", url), error=exc
            )
        ) from exc
    return raw
