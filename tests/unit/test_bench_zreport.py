"""The Z report bench's measuring code runs on a tiny store (no timing thresholds: figures
belong to the bench)."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from bench import run, zreport
from bench.run import Plan
from tests.conftest import Shop
from tests.store_helpers import second_accessory, sell


def test_zreport_bench_closes_a_day_and_times_its_reports(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    second_accessory(shop)
    sell(shop, case_qty=1)
    result = zreport.measure_zreport(db_path, tmp_path / "work", sales=3, runs=2)
    assert result.sales == 3 and len(result.reprint_seconds) == 2
    assert result.busiest is not None and result.busiest[2] == 1
    assert len(result.floor_seconds) == len(result.busiest_floor_seconds) == 2
    names = [figure.name for figure in zreport.zreport_figures(result)]
    assert names[0] == "Z report of a 3-sale day (close + build + render)" and len(names) == 3


def test_the_bench_run_lists_the_z_figures_beside_their_floor(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    second_accessory(shop)
    plan = Plan.for_run(quick=True)
    plan.z_sales, plan.z_runs = 1, 1
    figures = run.z_reports(db_path, plan, tmp_path)
    assert [f.name for f in figures] == [  # no sale before the bench's: no busiest day to report
        "Z report of a 1-sale day (close + build + render)",
        "Z report reprint (build + render), best of runs",
    ]
    assert all(f.floor is not None and f.ratio is not None and f.target == zreport.TARGET_MS for f in figures)
