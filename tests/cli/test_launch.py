"""The bare `zhanggui` command opens the console without click (tui.launch); every other
command line goes to click, which says what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.context import at_current_version
from tui.launch import console_options


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ([], {}),
        (["--db", "shop.db"], {"--db": "shop.db"}),
        (["--db=shop.db", "--config", "c.toml"], {"--db": "shop.db", "--config": "c.toml"}),
        (["--db", "a.db", "--db", "b.db"], {"--db": "b.db"}),  # the last one counts, as in click
        (["--help"], None),
        (["-h"], None),
        (["customers", "find", "zs"], None),
        (["--db", "shop.db", "check"], None),
        (["--db"], None),  # click says the value is missing
        (["--db", "--config"], None),
        (["--db", ""], None),
        (["--db", "\udce5\udcbc\udca0.db"], None),  # bytes that are not UTF-8: click decodes or refuses them
    ],
)
def test_only_a_console_command_line_skips_click(args: list[str], options: dict[str, str] | None) -> None:
    assert console_options(args) == options


def test_a_store_at_this_version_is_told_by_its_header(db_path: Path, db: object, tmp_path: Path) -> None:
    assert at_current_version(db_path)
    assert not at_current_version(tmp_path / "missing.db")
    other = tmp_path / "photo.db"
    other.write_bytes(b"\x89PNG" + b"\x00" * 200)
    assert not at_current_version(other)
    older = tmp_path / "older.db"
    header = bytearray(db_path.read_bytes()[:100])
    header[60:64] = (1).to_bytes(4, "big")
    older.write_bytes(bytes(header))
    assert not at_current_version(older)
