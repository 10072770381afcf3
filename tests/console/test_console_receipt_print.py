"""Messages that quote config keys show them as typed, not eaten as Rich markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.widgets import Label

from tests.conftest import Shop
from tests.console_helpers import (
    key_flood,
    make_app,
    record_threads,
    scanner_burst,
    settle,
    type_text,
    wait_for_commit,
)
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


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


async def test_the_receipt_is_read_and_acknowledged_in_workers_once_for_two_enters(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The receipt is built in a worker; Enter pressed twice before the acknowledgement is
    written writes it once, in a worker, and the sale screen says the receipt is done."""
    from store.selling import checkout, receipt

    built = record_threads(monkeypatch, receipt, "build_receipt")
    acknowledged = record_threads(monkeypatch, checkout, "acknowledge")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")  # cash, the amount due
        await wait_for_commit(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        assert "Saved" in str(app.screen.query_one("#receipt-status", Label).render())
        key_flood(pilot, ["enter", "enter"])
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert "done. Next sale." in str(app.screen.query_one(MessageBar).render())
    assert built == [False]
    assert acknowledged == [False]
