"""bench.soak's measuring code runs on a tiny store: the console rings a few sales, the bare
floor makes the same cycles, and the figures and tables come out. No timing asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from bench import soak
from tests.conftest import Shop
from tests.store_helpers import second_accessory


def test_soak_rings_sales_through_the_console_and_the_floor(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In this process a checkpoint hardly ever sees only the screens on the stack (the last pay
    # screen stays referenced by its finished commit worker; the console's app outlives its
    # run), so each would wait all its 20 rounds, a full collection each: two rounds still run
    # the settling code. The bench itself waits the whole 20, one process a run.
    monkeypatch.setattr(soak, "SETTLE_ROUNDS", 2)
    second_accessory(shop)  # the soak scans accessories from a pool of at least two
    # 4 sales: 2 handsets by IMEI and 2 accessories by barcode, after logging in.
    login = (shop.promoter.code, "1111")
    ours = soak.run_ours(db_path, sales=4, every=2, trace=False, workdir=tmp_path, seed=3, login=login)
    floor = soak.run_floor(sales=4, every=2, trace=False, seed=3)
    for run in (ours, floor):
        assert [c.sales for c in run.checkpoints] == [0, 2, 4]
        assert len(run.scan_s) == len(run.pay_s) == len(run.next_s) == 4
        assert all(s > 0 for s in run.scan_s + run.pay_to_next_s)
        assert all(c.rss > 0 and c.objects > 0 and c.screens >= 1 for c in run.checkpoints)
    assert ours.checkpoints[-1].nodes["SaleScreen"] == 1
    assert soak.parse_result("noise\n" + soak.result_line(ours)) == ours
    figures = soak.figures(ours, floor, window=2)
    assert {f.name for f in figures} >= {"RSS growth a sale after warm-up", "pay → next sale p50, end"}
    assert "FooterKey" in soak.checkpoint_table(ours, floor)
    assert soak.growing_nodes(floor).startswith("floor")


def test_the_soak_traces_the_python_heap_without_its_own_bookkeeping(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    # Each settling round is a full collection, and under tracemalloc in the test process
    # (which holds the whole suite's objects) one costs seconds: two rounds run the code.
    monkeypatch.setattr(soak, "SETTLE_ROUNDS", 2)

    tracemalloc.start()
    try:
        run = soak.run_floor(sales=2, every=1, trace=True, seed=3)
    finally:
        tracemalloc.stop()
    assert all(c.traced > 0 for c in run.checkpoints)
    assert run.trace[0].startswith("net change of the traced Python heap")
    assert not any("bench/soak.py" in line for line in run.trace)  # its samples and checkpoints
    figures = {f.name for f in soak.figures(run, run, window=1)}
    assert "traced Python heap a sale after warm-up" in figures
