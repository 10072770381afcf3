"""bench.footprint reads -X importtime's totals and sizes a folder (figure 7)."""

from __future__ import annotations

from pathlib import Path

from bench import footprint


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
