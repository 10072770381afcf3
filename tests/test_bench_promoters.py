"""bench.promoters runs on a tiny store (no timing is asserted here)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bench import promoters
from store.db.connection import open_database
from store.models.base import utcnow
from store.selling import sales
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan


def test_the_roster_month_has_its_planted_conflicts() -> None:
    shifts, people, days = promoters.month_roster()
    assert len(shifts) > 20 * 20
    assert len(people) == 20 and len(days) == 28
    assert len(promoters.roster_check_ms(2)) == 2


def test_the_bench_runs_on_a_small_store(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = open_database(db_path)
    shop = Shop()
    last_month = utcnow().replace(day=1) - timedelta(days=10)  # always in the month before
    for moment in (last_month, utcnow()):
        cart = promoter_cart(shop)
        cart.add_scan(scan(shop.case.sku), 2)
        pay(cart)
        sales.commit_sale(cart, shop.till, now=moment)
    database.close()
    month = promoters.last_full_month(db_path)
    assert promoters.main(["--db", str(db_path), "--quick"]) == 0
    out = capsys.readouterr().out
    assert f"promoter month report {month}, the large demo as built" in out
    assert f"promoter month report {month}, first run, summary emptied" in out
    assert f"promoter month report {month}, next runs" in out
    assert f"promoter month report {month}, month summarised" in out
    assert "roster check: 20 staff x 28 days" in out
