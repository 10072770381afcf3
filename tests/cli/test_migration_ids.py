"""Schema version 10 on a store made by version 9: ids go from 36 characters of text to their
16 bytes, and the store is the same store after it. A small demo store is written out as
version 9 kept it (the frozen migrations 1-9, every id as text), opened (which migrates it),
and compared row by row."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from store import demo
from store.audit import integrity as audit
from store.db import connection, ids, migrations, summaries
from store.db.connection import open_database, schema_version
from store.models import ImeiUnit, Sale, SaleLine, Staff, StockMovement
from store.selling import checkout, sale_lookup
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock
from tests.store_helpers import cheap_pins

NOW = datetime(2026, 3, 14, 6, 30)
TILL = Till(store_code=demo.DEMO_STORE_CODE, terminal_id="T1", tz=ZoneInfo("Asia/Shanghai"))
SEARCH_KEYS = ("py", "py_initials", "py_alt", "py_alt_initials", "phone_last4")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _tables(conn: sqlite3.Connection) -> list[str]:
    found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in found)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    names = ", ".join(f'"{c}"' for c in columns)
    return sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)


def _write_version_9(source: Path, target: Path) -> None:
    """``source``'s rows in a version-9 store: its schema and every id as text."""
    old = sqlite3.connect(target)
    with ids.connect(str(source)) as new:  # reads ids as their text
        for statements in migrations.MIGRATIONS[:9]:
            for statement in statements:
                old.execute(statement)
        old.execute("PRAGMA user_version = 9")
        for table in _tables(new):
            if table in summaries.SUMMARY_TABLES:  # made by version 12
                continue
            columns = _columns(old, table)
            if not columns:  # a table of a later version (V14: the cash drawer)
                continue
            # A later version may add columns (V11: leave_request.kind); version 9 had these.
            assert set(columns) <= set(_columns(new, table)), table
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            old.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _rows(new, table, columns))
        old.commit()
    old.close()


@pytest.fixture(scope="module")
def version_9(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small demo store as version 9 wrote it (built once; each test migrates a copy)."""
    folder = tmp_path_factory.mktemp("v9")
    with pytest.MonkeyPatch.context() as mp:
        cheap_pins(mp)
        db = open_database(folder / "made.db")
        demo.build_demo("small", seed=5, now=NOW)
        db.close()
    _write_version_9(folder / "made.db", folder / "v9.db")
    yield folder / "v9.db"


def test_every_row_is_kept_with_the_same_ids_and_every_id_becomes_16_bytes(
    version_9: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "VACUUM_FREE_PAGES", 0)  # a small store is vacuumed too
    path = tmp_path / "store.db"
    path.write_bytes(version_9.read_bytes())
    size_before = path.stat().st_size
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (9,)
    assert raw.execute("SELECT DISTINCT typeof(id) FROM sale_line").fetchall() == [("text",)]
    tables = _tables(raw)
    columns = {t: _columns(raw, t) for t in tables}
    before = {t: _rows(raw, t, columns[t]) for t in tables}
    raw.close()
    assert sum(len(rows) for rows in before.values()) > 10_000
    assert len(before["sale_line"]) == demo.SIZES["small"].sale_lines

    db = open_database(path)
    try:
        assert schema_version(db) == migrations.LATEST >= 10
        assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)  # back on after the copy
        assert db.execute_sql("PRAGMA cache_size").fetchone() == (connection.PRAGMAS["cache_size"],)
        assert db.execute_sql("PRAGMA freelist_count").fetchone() == (0,)  # vacuumed
    finally:
        db.close()
    assert path.stat().st_size < size_before * 0.7

    conn = ids.connect(str(path))  # ids read back as text
    try:
        # Version 12 adds its running summaries (tests/unit/test_migration_summaries.py), 14 the
        # cash drawer's tables (tests/unit/test_drawer.py).
        drawer = ["cash_movement", "cash_session", "day_close"]
        assert _tables(conn) == sorted([*tables, *summaries.SUMMARY_TABLES, *drawer])
        for table in tables:
            added = {  # by later versions (V11, V13)
                "leave_request": {"kind"},
                "sale": {"return_reason"},
                "tender": {"original_id"},
            }.get(table, set())
            assert set(_columns(conn, table)) == set(columns[table]) | added, table
            after, kept = _rows(conn, table, columns[table]), before[table]
            if table == "customer":  # opening fills the search keys an older version left empty
                keys = {columns[table].index(c) for c in SEARCH_KEYS}
                after, kept = (
                    sorted((tuple(None if i in keys else v for i, v in enumerate(r)) for r in rows), key=repr)
                    for rows in (after, kept)
                )
            assert after == kept, table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    raw = sqlite3.connect(path)  # no id is left as text anywhere in the file
    try:
        for table in tables:
            for column in columns[table]:
                texts = raw.execute(f'SELECT "{column}" FROM "{table}" WHERE typeof("{column}") = \'text\'')
                assert not [v for (v,) in texts if UUID_TEXT.fullmatch(v)], (table, column)
        assert raw.execute("SELECT DISTINCT typeof(id), length(id) FROM sale_line").fetchall() == [
            ("blob", 16)
        ]
    finally:
        raw.close()


def test_the_migrated_store_keeps_its_invariants_and_keeps_trading(
    version_9: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(version_9.read_bytes())
    raw = sqlite3.connect(path)
    ledger_before: dict[str, int] = defaultdict(int)
    for product_id, qty in raw.execute("SELECT product_id, qty FROM stock_movement"):
        ledger_before[product_id] += qty
    raw.close()

    cheap_pins(monkeypatch)
    db = open_database(path)
    try:
        # Stock is the sum of its movements, the same sums as before, and a handset model's
        # stock is its units in stock.
        totals = stock.on_hand_all()
        assert totals == dict(ledger_before)
        assert all(stock.on_hand(pid) == qty for pid, qty in list(totals.items())[:50])
        sellable = Counter(u.product_id for u in ImeiUnit.select().where(ImeiUnit.status.in_(stock.SELLABLE)))
        serialized = {u.product_id for u in ImeiUnit.select()}
        assert all(totals[pid] == sellable[pid] for pid in serialized)
        # Each IMEI is sold at most once: net quantity 1 exactly for the units marked sold.
        net: dict[str, int] = defaultdict(int)
        for line in SaleLine.select().join(Sale).where(Sale.status == "completed"):
            if line.imei_unit_id:
                net[line.imei_unit_id] += line.qty
        units = list(ImeiUnit.select())
        assert all(net.get(u.id, 0) == (1 if u.status == "sold" else 0) for u in units)
        assert sum(1 for u in units if u.status == "sold") > 100
        # The audit chain still verifies: its hashes cover the ids' text, which is unchanged.
        assert audit.verify() == []

        # A sale of a handset, then its return, on the migrated store.
        staff_id = Staff.get(Staff.role.in_(("manager", "admin"))).id
        unit = ImeiUnit.select().where(ImeiUnit.status == "in_stock").first()
        before_qty = stock.on_hand(unit.product_id)
        found = catalog.lookup_code(unit.imei)
        assert found is not None and found.unit is not None and found.unit.id == unit.id
        cart = Cart(staff_id=staff_id, staff_role="admin", discount_limit_percent=100)
        cart.add_scan(found, 1)
        cart.add_tender("cash", cart.total)
        sale = checkout.commit_sale(cart, TILL, now=NOW)
        assert stock.on_hand(unit.product_id) == before_qty - 1
        assert ImeiUnit.get_by_id(unit.id).status == "sold"
        assert sale_lookup.find_sale(sale.receipt_no).id == sale.id == cart.id
        moved = StockMovement.select().where(StockMovement.imei_unit == unit.id).order_by(StockMovement.id)
        assert [(m.kind, m.qty, m.document) for m in moved][-1] == ("sale", -1, sale.id)
        assert audit.verify() == []
    finally:
        db.close()


def test_a_command_says_it_is_upgrading_before_it_does_and_only_once(version_9: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tui.cli import main

    copy = tmp_path / "store.db"
    shutil.copyfile(version_9, copy)
    notice = "Upgrading the store database to this version of zhanggui."
    first = CliRunner().invoke(main, ["staff", "list", "--db", str(copy)])
    assert first.exit_code == 0, first.output
    assert notice in first.stderr and "M1" in first.stdout, (first.stdout, first.stderr)
    again = CliRunner().invoke(main, ["staff", "list", "--db", str(copy)])
    assert again.exit_code == 0 and notice not in again.stderr
