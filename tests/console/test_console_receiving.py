"""Receiving a delivery and looking up a handset's history at the console (80x24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.kernel.i18n import _, set_language
from store.models import GoodsReceipt, GoodsReceiptLine, ImeiUnit, PurchaseOrder, PurchaseOrderLine, Supplier
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from tests.conftest import Shop
from tests.console.test_console_count import choose, message, table_rows
from tests.console_helpers import make_app, scanner_burst, type_text
from tui.screens.choice import ChoiceScreen
from tui.screens.receiving import ReceivingScreen
from tui.screens.sale import SaleScreen
from tui.screens.stock_history import StockHistoryScreen


async def test_receive_a_delivery_against_an_order(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    supplier = Supplier.create(code="HN01", name="华南地包", channel="distributor", lead_time_days=3)
    order = PurchaseOrder.create(number="PO-7", supplier=supplier.id, status="open")
    PurchaseOrderLine.create(order=order.id, product=shop.case.id, qty=10, cost=800)
    PurchaseOrderLine.create(order=order.id, product=shop.phone.id, qty=3, cost=520000)
    new = [with_check_digit(f"35328111009{n:03d}") for n in range(2)]
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await choose(pilot, app, "receive")
        await choose(pilot, app, supplier.id)
        await choose(pilot, app, order.id)
        await type_text(pilot, "INV-88")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)

        await scanner_burst(pilot, shop.imeis[0])  # already in stock
        await pilot.pause()
        assert message(app) == f"IMEI {shop.imeis[0]} is already known (status: in stock)."
        await scanner_burst(pilot, new[0])  # no model chosen: the TAC suggests the iPhone 15
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await pilot.pause()
        await scanner_burst(pilot, new[1])  # the model stays chosen
        await scanner_burst(pilot, new[1])
        await pilot.pause()
        assert message(app) == f"IMEI {new[1]} is scanned twice."
        await scanner_burst(pilot, "6*6900000000011")
        await pilot.pause()
        assert table_rows(app) == [
            ["Apple iPhone 15 128GB Black", "2", "¥5,200.00", new[1]],
            ["Generic iPhone 15 Case", "6", "¥8.00", ""],
        ]
        await pilot.press("f10")
        await pilot.pause()
        assert message(app) == "Delivery INV-88 booked in: 8 items. Scan the next one or Esc."
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)

    assert stock.on_hand(shop.phone.id) == 7 and stock.on_hand(shop.case.id) == 26
    receipt = GoodsReceipt.get()
    assert (receipt.invoice_no, receipt.supplier_id, receipt.order_id) == ("INV-88", supplier.id, order.id)
    assert PurchaseOrder.get().status == "partial"
    assert ImeiUnit.select().where(ImeiUnit.imei.in_(new)).count() == 2


async def test_leaving_a_delivery_half_scanned_books_nothing(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ReceivingScreen())
        await pilot.pause()
        await choose(pilot, app, "-")  # no supplier
        await type_text(pilot, "")  # no invoice number
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await choose(pilot, app, "yes")
        assert isinstance(app.screen, SaleScreen)
    assert stock.on_hand(shop.case.id) == 20
    assert GoodsReceipt.select().count() == 0


async def test_the_history_of_a_handset(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await choose(pilot, app, "history")
        assert isinstance(app.screen, StockHistoryScreen)
        await scanner_burst(pilot, shop.imeis[2])
        await pilot.pause()
        rows = table_rows(app)
        assert len(rows) == 1 and rows[0][1:3] == ["received", "+1"]
        header = str(app.screen.query_one("#history-header").render())
        assert f"IMEI {shop.imeis[2]}" in header and "(in stock)" in header
        await scanner_burst(pilot, "NOPE")
        await pilot.pause()
        assert message(app) == "Unknown code: NOPE"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_unit_cost_of_a_line_defaults_to_the_products_and_can_be_typed(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ReceivingScreen())
        await pilot.pause()
        await choose(pilot, app, "-")  # no supplier
        await type_text(pilot, "")  # no invoice number
        await pilot.press("f3")
        await pilot.pause()
        assert message(app) == _("Scan what came first, then F3 for what one cost.")
        await scanner_burst(pilot, "4*6900000000011")
        await pilot.pause()
        assert table_rows(app) == [["Generic iPhone 15 Case", "4", "¥8.00", ""]]
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "-1")
        await pilot.pause()
        assert message(app) == _("Not an amount: {text}").format(text="-1")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "7.5")
        await pilot.pause()
        assert table_rows(app) == [["Generic iPhone 15 Case", "4", "¥7.50", ""]]
        assert message(app) == _("{name}: {cost} a unit in this delivery.").format(
            name="Generic iPhone 15 Case", cost="¥7.50"
        )
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [(ln.product_id, ln.qty, ln.cost) for ln in GoodsReceiptLine.select()] == [(shop.case.id, 4, 750)]
