"""Schema version 12 on a store made by version 11: the running summaries are made and filled
from the history by the migration, and every one of them equals the history recomputed here
in Python; stock is still the sum of its movements, and reorder and RFM read the same figures
as the whole-history queries of version 11. A small demo store is written out as version 11
kept it (the same file without what version 12 adds), opened (which migrates it), and checked."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store import demo
from store.crm import value
from store.crm.config import CustomersSection
from store.db import migrations, summaries
from store.db.connection import open_database, schema_version
from store.models import Sale, StockMovement
from store.stock import ledger as stock
from store.stock import reorder
from store.stock.config import StockSection
from tests.store_helpers import cheap_pins, with_text_ids
from tests.unit.test_summary_properties import (
    old_demand,
    old_ledger,
    old_rfm,
    recomputed_customers,
    recomputed_demand,
    recomputed_stock,
    stored_customers,
    stored_demand,
    stored_stock,
)

NOW = datetime(2026, 3, 14, 6, 30)
TZ = ZoneInfo("Asia/Shanghai")


def _as_version_11(path: Path) -> None:
    """Take out what versions 12 to 14 added: 12's triggers and tables, 13's two columns,
    14's drawer tables (and its day-lock triggers), and the version number."""
    raw = sqlite3.connect(path)
    try:
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            raw.execute(f'DROP TRIGGER "{name}"')
        for table in summaries.SUMMARY_TABLES:
            raw.execute(f'DROP TABLE "{table}"')
        for table in ("cash_movement", "cash_session", "day_close"):
            raw.execute(f'DROP TABLE "{table}"')
        _without_version_13(raw)
        raw.execute("PRAGMA user_version = 11")
        raw.commit()
    finally:
        raw.close()


def _without_version_13(raw: sqlite3.Connection) -> None:
    """sale.return_reason goes with DROP COLUMN; tender.original_id is in a foreign key, which
    SQLite cannot drop, so the table is made again without it (SQLite's own recipe)."""
    raw.execute('ALTER TABLE "sale" DROP COLUMN "return_reason"')
    made = raw.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tender'").fetchone()[0]
    added = ', "original_id" BLOB REFERENCES "tender" ("id")'
    assert added in made
    indexes = [
        sql
        for (sql,) in raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tender' AND sql IS NOT NULL"
        )
    ]
    columns = ", ".join(
        f'"{row[1]}"' for row in raw.execute('PRAGMA table_info("tender")') if row[1] != "original_id"
    )
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute(made.replace(added, "").replace('CREATE TABLE "tender"', 'CREATE TABLE "tender_v11"', 1))
    raw.execute(f'INSERT INTO "tender_v11" ({columns}) SELECT {columns} FROM "tender"')
    raw.execute('DROP TABLE "tender"')
    raw.execute('ALTER TABLE "tender_v11" RENAME TO "tender"')
    for sql in indexes:
        raw.execute(sql)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small demo store of this version (built once; each test uses a copy)."""
    path = tmp_path_factory.mktemp("v12") / "made.db"
    with pytest.MonkeyPatch.context() as mp:
        cheap_pins(mp)
        db = open_database(path)
        demo.build_demo("small", seed=7, now=NOW, tz=TZ)
        db.close()
    yield path


@pytest.fixture(scope="module")
def version_11(made: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("v11") / "v11.db"
    path.write_bytes(made.read_bytes())
    _as_version_11(path)
    yield path


def test_a_demo_loaded_without_the_triggers_has_its_summaries_and_triggers(
    made: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(made.read_bytes())
    db = open_database(path)
    try:
        assert stored_stock() == recomputed_stock()
        assert stored_demand() == recomputed_demand()
        assert stored_customers() == recomputed_customers()
        triggers = db.execute_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
        summary_triggers = sum(s.startswith("CREATE TRIGGER") for s in migrations.V12)
        lock_triggers = sum(s.startswith("CREATE TRIGGER") for s in migrations.V14)
        assert (summary_triggers, triggers) == (6, 6 + lock_triggers)
    finally:
        db.close()


def test_version_12_fills_every_summary_from_the_history(version_11: Path, tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(version_11.read_bytes())
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (11,)
    names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert not names & set(summaries.SUMMARY_TABLES)
    ledger_before: dict[bytes, int] = defaultdict(int)
    for product_id, qty in raw.execute("SELECT product_id, qty FROM stock_movement"):
        ledger_before[product_id] += qty
    raw.close()

    db = open_database(path)
    try:
        assert schema_version(db) == migrations.LATEST >= 12
        assert StockMovement.select().count() > 3000 and Sale.select().count() > 1000
        # Every summary equals the history, recomputed in Python.
        assert stored_stock() == recomputed_stock()
        assert stored_demand() == recomputed_demand()
        assert stored_customers() == recomputed_customers()
        assert len(stored_stock()) > 100 and len(stored_demand()) > 1000 and len(stored_customers()) > 200
        # Stock is the sum of its movements, as before the upgrade.
        assert sorted(stock.on_hand_all().values()) == sorted(ledger_before.values())
        assert stock.on_hand_all() == {pid: row[0] for pid, row in old_ledger().items()}
        # Reorder and RFM read what the whole history says.
        for days in (1, 28, 120):
            window = reorder.demand_window(NOW, TZ, days)
            assert reorder._demand(window, None) == old_demand(window)
        assert reorder._ledger(None) == old_ledger()
        today = NOW.date()
        for window_days in (0, 30):
            since = today - timedelta(days=window_days) if window_days else date.min
            assert with_text_ids(value._aggregate(today, since)) == old_rfm(today, since)
            assert value.compute(today, CustomersSection(score_window_days=window_days))
        plans = reorder.plans(StockSection(), TZ, now=NOW)
        assert sum(p.demand.units for p in plans) > 0 and any(p.suggested for p in plans)
        # The upgraded store keeps its summaries as it trades: a rebuild changes nothing.
        before = (stored_stock(), stored_demand(), stored_customers())
        db.execute_sql("BEGIN")
        summaries.rebuild(db)
        assert (stored_stock(), stored_demand(), stored_customers()) == before
        db.execute_sql("ROLLBACK")
    finally:
        db.close()
