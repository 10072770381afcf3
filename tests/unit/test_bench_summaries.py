"""bench/summaries.py (figure 6: reorder and RFM at 1x and 2x history) runs on a tiny store,
and bench/history.py scales the demo's history for the block only. No timing is asserted."""

from __future__ import annotations

from pathlib import Path

from bench import history
from bench import summaries as bench_summaries
from store.db.connection import open_database
from store.demo import SIZES, build, catalog, clock
from store.selling import checkout
from store.stock import catalog as store_catalog
from store.stock import ledger as store_stock
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan


def test_the_history_figures_run_on_a_tiny_store(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path)
    shop = Shop()
    cable = store_catalog.create_product(
        sku="CABLE", brand="G", model="Cable", category="accessory", price=900
    )
    store_stock.receive(cable, staff_id=shop.manager.id, qty=9)
    cart = promoter_cart(shop)
    cart.add_scan(scan("CABLE"), 2)
    pay(cart)
    checkout.commit_sale(cart, shop.till)
    database.close()

    figures = bench_summaries.measure_sizes({"1×": db_path, "2×": db_path}, tmp_path, runs=2)
    names = [f.name for f in figures]
    assert sum(n.startswith("reorder suggestions") for n in names) == 2
    assert sum(n.startswith("RFM scores,") for n in names) == 2
    judged = [f for f in figures if f.kind == "absolute"]
    assert len(judged) == 4 and all(f.floor is not None and f.floor > 0 for f in judged)
    assert all(len(f.detail["runs"]) == 2 for f in judged)
    assert db_path.exists() and not list(tmp_path.glob("history-*.db"))  # the copies are gone


def test_scaled_history_holds_only_inside_the_block() -> None:
    days, large = clock.DAYS, SIZES["large"]
    with history.scaled_history(2) as size:
        assert clock.DAYS == build.DAYS == catalog.DAYS == 2 * days
        assert SIZES[size].sale_lines == 2 * large.sale_lines
        assert SIZES[size].customers == large.customers and SIZES[size].products == large.products
    assert clock.DAYS == build.DAYS == catalog.DAYS == days and size not in SIZES
