"""Scans that arrive back to back are each taken whole, in order (issue 12)."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import Input

from tests.conftest import Shop
from tests.console_helpers import key_flood, scanner_flood, selling, settle
from tui.widgets.message_bar import MessageBar


async def test_ten_scans_with_no_gap_are_ten_scans(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    async with selling(db, tmp_path, shop.promoter) as (_app, pilot, screen):
        codes = ["6900000000011", shop.imeis[0], "6900000000011", shop.imeis[1]] + ["6900000000011"] * 6
        await scanner_flood(pilot, codes)
        await settle(pilot)  # each is looked up in a worker, after the one before
        lines = [(ln.sku, ln.qty) for ln in screen.cart.lines]
        assert lines == [("CASE-IP15", 8), ("IP15-128-BK", 1), ("IP15-128-BK", 1)], lines
        assert [ln.imei for ln in screen.cart.lines if ln.imei] == shop.imeis[:2]
        message = str(screen.query_one(MessageBar).render())
        assert "Unknown code" not in message
        assert screen.query_one("#scan", Input).value == ""


async def test_f2_at_once_after_a_scan_pays_for_the_scanned_line(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """F2 waits its turn behind the scans typed before it (they are looked up in workers): the
    payment screen opens on the cart with the scanned line, never on an empty sale."""
    from tui.screens.pay import PayScreen

    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        key_flood(pilot, [*"6900000000011", "enter", *shop.imeis[0], "enter", "f2"])
        await settle(pilot)
        assert isinstance(app.screen, PayScreen)
        assert [ln.sku for ln in screen.cart.lines] == ["CASE-IP15", "IP15-128-BK"]
        assert "The sale is empty" not in str(screen.query_one(MessageBar).render())
