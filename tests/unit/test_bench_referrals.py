"""bench.referrals runs on a tiny store (no timing is asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import referrals as bench_referrals
from store.db.connection import open_database
from store.models import Referral, ReferralReward
from store.stock import catalog
from store.stock import ledger as store_stock
from tests.conftest import Shop


@pytest.fixture
def tiny(db_path: Path) -> Path:
    database = open_database(db_path)
    shop = Shop()
    cable = catalog.create_product(sku="CABLE", brand="G", model="Cable", category="accessory", price=900)
    store_stock.receive(cable, staff_id=shop.manager.id, qty=9)
    database.close()
    return db_path


def test_the_day_is_measured_on_a_copy(tiny: Path, tmp_path: Path) -> None:
    day = bench_referrals.measure_day(tiny, tmp_path, n=4, report_runs=2)
    assert len(day.referred) == len(day.plain) == len(day.attribute) == 4
    assert day.earned == 4 * 3  # a voucher for the referrer, a voucher and a gift for the new customer
    assert day.referred_customers == 4 and day.new_customers >= 8
    assert len(day.report) == 2
    copy = open_database(tmp_path / "referrals.db")
    try:
        assert Referral.select().count() == 4
        assert {r.status for r in ReferralReward.select()} == {"earned"}
    finally:
        copy.close()
    database = open_database(tiny)
    try:
        assert Referral.select().count() == 0  # the source is never written
    finally:
        database.close()


def test_the_bench_prints_its_figures(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_referrals.main(["--db", str(tiny), "--quick", "--sales", "3"]) == 0
    out = capsys.readouterr().out
    assert "attributing and settling a day of 1,000 sales" in out
    assert "≤ 500 ms" in out and "referral month report" in out
