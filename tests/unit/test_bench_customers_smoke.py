"""bench/customers.py runs on a tiny store and its floors return the same rows as the
store's lookup. No timing thresholds: figures belong to the bench."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from bench import customers as bench_customers
from store.crm.records import create_customer
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan


@pytest.fixture
def crowd(shop: Shop) -> None:
    for n in range(40):
        surname = "张曾单赵"[n % 4]
        customer = create_customer(f"13{n % 7}0013{n:04d}", f"{surname}伟{n % 3}", by=shop.manager.id)
        if n < 3:
            cart = promoter_cart(shop)
            cart.add_scan(scan(shop.case.sku))
            cart.customer_id = customer.id
            pay(cart)
            checkout.commit_sale(cart, shop.till)


def test_lookup_figures_compare_the_same_rows(crowd: None, db: SqliteDatabase, db_path: Path) -> None:
    results = bench_customers.measure_lookups(db_path, n=15)  # raises if the floor finds other rows
    assert set(results) == {"last 4 digits", "name", "pinyin initials"}
    for ours, floor in results.values():
        assert len(ours) == len(floor) == 15 and all(s > 0 for s in ours + floor)


def test_rfm_figure_scores_the_buyers(crowd: None, db: SqliteDatabase, db_path: Path) -> None:
    ours, floor, scored = bench_customers.measure_rfm(db_path, runs=1)
    assert scored == 3 and len(ours) == len(floor) == 1


def test_typing_figure_reaches_the_whole_text(
    crowd: None, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    db.close()
    longest, applied, names = bench_customers.measure_typing(db_path, tmp_path)
    assert longest > 0 and applied >= 1
    assert names and all(name.startswith("张伟") for name in names)
