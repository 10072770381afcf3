"""bench.footprint reads -X importtime's totals and sizes a folder (figure 7)."""

from __future__ import annotations

from pathlib import Path

from bench import footprint
from bench.report import Figure


def test_import_time_sums_the_top_level_imports() -> None:
    seconds = footprint.import_seconds("import json")
    assert 0 < seconds < 5


def test_a_folder_is_sized_by_its_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.bin").write_bytes(b"0" * 3000)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "y.bin").write_bytes(b"0" * 1000)
    assert footprint.tree_bytes(tmp_path) == 4000
    assert footprint.largest(tmp_path) == [("a", 3000), ("b", 1000)]


def test_orm_share_measures_peewee_and_the_models_apart() -> None:
    share = footprint.orm_share(runs=1)
    # Each import adds pages of its own (peewee's module is ~0.5 MiB of bytecode alone).
    assert len(share.peewee_kib) == len(share.models_kib) == 1
    assert share.peewee_kib[0] > 256 and share.models_kib[0] > 64
    assert share.mib == (share.peewee_kib[0] + share.models_kib[0]) / 1024


def test_the_rss_after_the_pin_less_the_orm_keeps_the_bare_app_as_its_floor() -> None:
    share = footprint.OrmShare(peewee_kib=[2048, 3072, 2048], models_kib=[1024])
    after_pin = Figure("RSS after the PIN check, pty (median)", "MiB", 48.0, 36.0, 1.3, "ratio")
    orm, rest = footprint.orm_figures(share, after_pin)
    assert orm.ours == 3.0 and orm.passed is None
    assert rest.ours == 45.0 and rest.floor == 36.0 and rest.passed is None
    assert footprint.orm_figures(share) == [orm]  # without figure 2, the share alone
