"""bench.export runs on a tiny day (no timing is asserted here)."""

from __future__ import annotations

from pathlib import Path

from bench import export as bench_export
from store.db.connection import open_database


def test_a_small_day_is_built_closed_and_exported(db_path: Path, tmp_path: Path) -> None:
    database = open_database(db_path)
    try:
        day = bench_export.build_day(10)
        result = bench_export.measure(day, tmp_path, runs=2)
    finally:
        database.close()
    assert (result.sales, len(result.seconds)) == (10, 2)
    assert result.counts["sale_lines"] == 20 and result.counts["customers"] == 1 and result.size > 0
