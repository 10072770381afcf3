"""The text snapshots' own bookkeeping (tests/console/screen_text.py): a changed or missing
screen fails with a diff that says which, and the update switch writes instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.console import screen_text
from tests.console.screen_text import Snapshots


def test_a_changed_or_missing_screen_fails_with_a_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHANGGUI_UPDATE_SCREENS", raising=False)
    monkeypatch.setattr(screen_text, "AT_THE_FILES_MOMENT", True)
    (tmp_path / "sale.txt").write_text("f2 Pay\n", encoding="utf-8")
    snaps = Snapshots("en", folder=tmp_path)
    snaps.compare("sale", "f2 Pay\n")  # unchanged: nothing to say
    snaps.compare("sale", "f2 Pa\n")
    snaps.compare("pay", "f1 Cash\n")
    with pytest.raises(AssertionError) as failed:
        snaps.finish()
    said = str(failed.value)
    assert "2 screen(s) differ" in said
    assert "-f2 Pay\n+f2 Pa" in said
    assert "pay.txt (missing)" in said and "+f1 Cash" in said
    assert not (tmp_path / "pay.txt").exists()


def test_the_update_switch_writes_the_screens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHANGGUI_UPDATE_SCREENS", "1")
    monkeypatch.setattr(screen_text, "AT_THE_FILES_MOMENT", True)
    snaps = Snapshots("en", folder=tmp_path / "en")
    snaps.compare("pay", "f1 Cash\n")
    snaps.finish()
    assert (tmp_path / "en" / "pay.txt").read_text(encoding="utf-8") == "f1 Cash\n"
