"""bench/stock.py runs end to end on a tiny store (no timing is asserted: that is the bench's
job on the large demo)."""

from __future__ import annotations

from pathlib import Path

from bench import stock as bench_stock
from store.db.connection import open_database
from store.models import StockCount
from store.stock import catalog
from store.stock import ledger as store_stock
from tests.conftest import Shop


def test_the_stock_bench_runs_on_a_tiny_store(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path)
    shop = Shop()
    cable = catalog.create_product(sku="CABLE", brand="G", model="Cable", category="accessory", price=900)
    store_stock.receive(cable, staff_id=shop.manager.id, qty=9)
    database.close()

    ours, floor, products, _wanted = bench_stock.measure_plans(db_path, runs=2)
    assert len(ours) == len(floor) == 2 and products == 3
    counted = bench_stock.measure_count(db_path, 3, tmp_path)
    assert len(counted["latencies"]) == 3
    assert counted["products"] == 3 and counted["missing"] == 2  # 3 of the 5 phones scanned
    refresh, on_loop = bench_stock.measure_panel(db_path, 1, tmp_path)
    assert len(refresh) == len(on_loop) == 1
    database = open_database(db_path)
    try:
        assert StockCount.get().status == "review"
    finally:
        database.close()
