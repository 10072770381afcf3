"""Text snapshots of the stock screens at 80x24 in both languages: a manager's walk from the
menu through products, a product's form, an IMEI's history, reorder, receiving a delivery and
a stock count up to its review. How to update them: tests/console/test_screens_selling.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.kernel.i18n import set_language
from tests.conftest import Shop
from tests.console.screen_text import Snapshots, go, screen_text, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tests.store_helpers import reorder_history
from tui.screens.choice import ChoiceScreen
from tui.screens.count_review import CountReviewScreen
from tui.screens.product_form import ProductFormScreen
from tui.screens.products import ProductsScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receiving import ReceivingScreen
from tui.screens.reorder import ReorderScreen
from tui.screens.stock_count import StockCountScreen
from tui.screens.stock_history import StockHistoryScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_stock_screens(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    reorder_history(shop)
    set_language(language)
    steady(monkeypatch, tmp_path)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "products")
        assert isinstance(app.screen, ProductsScreen)
        await snaps.check(pilot, "products")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProductFormScreen)
        await snaps.check(pilot, "product-form")
        await pilot.press("escape")
        await settle(pilot)

        await go(pilot, "history")
        assert isinstance(app.screen, StockHistoryScreen)
        await type_text(pilot, shop.imeis[0])
        await settle(pilot)
        await snaps.check(pilot, "stock-history")

        await go(pilot, "reorder")
        assert isinstance(app.screen, ReorderScreen)
        await snaps.check(pilot, "reorder")
        await pilot.press("f3")  # placing orders asks first
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await snaps.check(pilot, "reorder-confirm")
        await pilot.press("escape")
        await settle(pilot)

        await go(pilot, "receive")
        assert isinstance(app.screen, ChoiceScreen)
        await snaps.check(pilot, "receive-supplier")
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(3):  # a purchase order, if the supplier has one
            if not isinstance(app.screen, ChoiceScreen):
                break
            await pilot.press("enter")
            await settle(pilot)
        assert not isinstance(app.screen, ChoiceScreen), screen_text(app)
        assert isinstance(app.screen, PromptScreen)
        await snaps.check(pilot, "receive-invoice")
        await type_text(pilot, "INV-2026-1207")
        await settle(pilot)
        assert isinstance(app.screen, ReceivingScreen)
        await type_text(pilot, shop.case.barcode)
        await settle(pilot)
        await snaps.check(pilot, "receiving")
        await pilot.press("escape")
        await settle(pilot)
        for _ in range(3):  # leaving a delivery not booked in asks
            if not isinstance(app.screen, ChoiceScreen):
                break
            await pilot.press("up", "enter")
            await settle(pilot)
        assert not isinstance(app.screen, ChoiceScreen), screen_text(app)

        await go(pilot, "stock_count")
        assert isinstance(app.screen, ChoiceScreen)
        await snaps.check(pilot, "count-scope")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StockCountScreen)
        await type_text(pilot, shop.case.barcode)
        await type_text(pilot, shop.imeis[0])
        await settle(pilot)
        await snaps.check(pilot, "count")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await snaps.check(pilot, "count-close")
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CountReviewScreen)
        await snaps.check(pilot, "count-review")
    snaps.finish()
