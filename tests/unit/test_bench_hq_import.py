"""bench.hq_import runs at a tiny size through bench.run's figure 10: its files import, and its
floor leaves the very rows the import leaves (measure() refuses otherwise). No timing is
asserted here; PostgreSQL is measured too when ZHANGGUI_TEST_PG is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import hq_import, run
from bench.run import Plan


def test_a_tiny_chain_imports_beside_its_floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # measure() sets it: undone after
    monkeypatch.delenv("ZHANGGUI_BENCH_PG", raising=False)
    plan = Plan.for_run(quick=True)
    plan.hq_stores, plan.hq_days, plan.hq_sales = 2, 3, 4
    figures = run.hq_imports(plan, tmp_path)
    backends = ["SQLite", "PostgreSQL"] if os.environ.get("ZHANGGUI_TEST_PG") else ["SQLite"]
    assert [f.name for f in figures] == [
        name
        for backend in backends
        for name in (
            f"hq import of 6 store-days (24 sales) into {backend}",
            f"hq import of 6 store-days (24 sales) into {backend}, wall time",
        )
    ]
    for figure in figures[::2]:
        rows = figure.detail["rows"]
        assert rows["hq_sales"] == 24 and rows["hq_sale_lines"] == 48 and rows["hq_files"] == 6
        assert rows["hq_products"] == 20 and rows["hq_store_products"] == 40
        assert figure.floor is not None and figure.target == hq_import.TARGET_RATIO
    assert not (tmp_path / "hq").exists()
