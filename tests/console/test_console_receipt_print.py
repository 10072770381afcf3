"""Messages that quote config keys show them as typed, not eaten as Rich markup."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import Label

from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, type_text
from tui.screens.receipt import ReceiptScreen


async def test_print_without_a_printer_names_the_config_section(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f1")
        await type_text(pilot, "39")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("p")
        await pilot.pause()
        status = str(app.screen.query_one("#receipt-status", Label).render())
        assert "[printer]" in status, status
