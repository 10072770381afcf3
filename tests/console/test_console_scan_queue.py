"""Scans that arrive back to back are each taken whole, in order (issue 12)."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import Input

from tests.conftest import Shop
from tests.console_helpers import scanner_flood, selling
from tui.widgets.message_bar import MessageBar


async def test_ten_scans_with_no_gap_are_ten_scans(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    async with selling(db, tmp_path, shop.promoter) as (_app, pilot, screen):
        codes = ["6900000000011", shop.imeis[0], "6900000000011", shop.imeis[1]] + ["6900000000011"] * 6
        await scanner_flood(pilot, codes)
        lines = [(ln.sku, ln.qty) for ln in screen.cart.lines]
        assert sorted(lines) == [("CASE-IP15", 8), ("IP15-128-BK", 1), ("IP15-128-BK", 1)], lines
        assert [ln.imei for ln in screen.cart.lines if ln.imei] == shop.imeis[:2]
        message = str(screen.query_one(MessageBar).render())
        assert "Unknown code" not in message
        assert screen.query_one("#scan", Input).value == ""
