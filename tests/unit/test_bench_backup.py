"""The backup bench's measuring code runs on a tiny store (no timing thresholds: figures belong
to the bench)."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from bench import backup
from tests.conftest import Shop
from tests.store_helpers import second_accessory


def test_backup_bench_measures_each_phase(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    second_accessory(shop)
    result = backup.measure_backup(db_path, tmp_path / "work", sales=4, batch=2, runs=1, other_process=False)
    assert len(result.quiet) == len(result.beside_thread) == 4 and not result.beside_process
    assert result.size > 0 and result.backups_beside["thread"] >= 1
    names = [figure.name for figure in backup.backup_figures(result)]
    assert names == [
        "backup (VACUUM INTO + checks), best of runs",
        "worst sale commit, backup in a thread of the till",
    ]
