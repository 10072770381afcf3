"""bench.promoters runs on a tiny store (no timing is asserted here)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from bench import promoters
from store.db.connection import open_database
from store.kernel import FixedClock
from store.models.base import utcnow
from store.selling import checkout
from tests.conftest import Shop
from tests.store_helpers import pay, promoter_cart, scan


def test_the_roster_month_has_its_planted_conflicts() -> None:
    shifts, people, days = promoters.month_roster()
    assert len(shifts) > 20 * 20
    assert len(people) == 20 and len(days) == 28
    assert len(promoters.roster_check_ms(2)) == 2


def test_the_bench_runs_on_a_small_store(
    db_path: Path, capsys: pytest.CaptureFixture[str], clock: FixedClock
) -> None:
    database = open_database(db_path)
    shop = Shop()
    # Noon in Shanghai mid-way through the month before today's business month: by the store's
    # dates, not UTC's (on 30 November at 16:30 UTC it is already December in the shop).
    in_last_month = clock.today().replace(day=1) - timedelta(days=15)
    last_month = datetime.combine(in_last_month, time(4, 0))
    for moment in (last_month, utcnow()):
        cart = promoter_cart(shop)
        cart.add_scan(scan(shop.case.sku), 2)
        pay(cart)
        checkout.commit_sale(cart, shop.till, now=moment)
    database.close()
    month = promoters.last_full_month(db_path)
    assert promoters.main(["--db", str(db_path), "--quick"]) == 0
    out = capsys.readouterr().out
    assert f"promoter month report {month}, the large demo as built" in out
    assert f"promoter month report {month}, first run, summary emptied" in out
    assert f"promoter month report {month}, next runs" in out
    assert f"promoter month report {month}, month summarised" in out
    assert "roster check: 20 staff x 28 days" in out
    # Each report figure names the floor it stands beside: the summary's reads or the lines'.
    summarised = next(line for line in out.splitlines() if "month summarised" in line)
    assert "(summary)" in summarised
    emptied = next(line for line in out.splitlines() if "summary emptied" in line)
    assert "(lines)" in emptied
