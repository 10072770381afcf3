from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from store.models import AuditLog, ImeiUnit, Sale, SaleLine, Tender
from store.selling import checkout
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, selling, settle, type_text, until, wait_for_commit
from tests.store_helpers import sell
from tui.screens.choice import ChoiceScreen
from tui.screens.login import LoginScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.pay import PayScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.returns import ReturnsScreen
from tui.screens.sale import SaleScreen
from tui.widgets.cart_table import CartTable
from tui.widgets.message_bar import MessageBar


async def test_login_refuses_wrong_pin_then_accepts(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "9999")
        # The PIN is checked in a worker, and the sale screen comes from its answer: on a
        # loaded machine a pause (or a settle) could look before either came.
        await until(
            pilot, lambda: "Wrong staff code or PIN" in str(app.screen.query_one("#login-message").render())
        )
        assert isinstance(app.screen, LoginScreen)
        assert "Wrong staff code or PIN" in str(app.screen.query_one("#login-message").render())
        await type_text(pilot, "1111")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))
        assert isinstance(app.screen, SaleScreen)
        assert app.staff is not None and app.staff.code == "P1"


async def test_whole_checkout_with_scanner_burst_and_split_tender(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await scanner_burst(pilot, "6900000000011")
        await scanner_burst(pilot, "6900000000011")  # a second scan adds to the same line
        await pilot.pause()
        assert [(ln.sku, ln.qty) for ln in screen.cart.lines] == [("IP15-128-BK", 1), ("CASE-IP15", 2)]
        assert screen.query_one(CartTable).row_count == 2
        total = screen.cart.total
        assert total == 599900 + 2 * 3900

        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        await pilot.press("f2")  # WeChat Pay
        await type_text(pilot, "5000")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)  # its transaction number, from the customer's phone
        await type_text(pilot, "4200001234202612070000000042")
        await pilot.pause()
        await pilot.press("f1")  # the rest in cash, with a 100-yuan note on top
        await type_text(pilot, str((total - 500000) // 100 + 100))
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        sale = Sale.get()
        tenders = {t.kind: t for t in Tender.select().where(Tender.sale == sale.id)}
        assert tenders["wechat"].amount == 500000
        assert tenders["wechat"].reference == "4200001234202612070000000042"
        assert tenders["cash"].amount == total - 500000
        assert tenders["cash"].change == 10000
        assert sale.acknowledged_at is None
        receipt_text = str(app.screen.query_one("#receipt-text").render())
        assert sale.receipt_no in receipt_text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))  # once marked done, in a worker
        assert isinstance(app.screen, SaleScreen)
        assert app.screen.cart.lines == []
        assert Sale.get_by_id(sale.id).acknowledged_at is not None
        assert (tmp_path / "receipts" / f"{sale.receipt_no}.txt").exists()
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "sold"
    assert stock.on_hand(shop.case.id) == 18


async def test_bad_scans_show_a_message_and_change_nothing(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (_app, pilot, screen):
        bar = screen.query_one(MessageBar)
        wrong_check = shop.imeis[0][:-1] + str((int(shop.imeis[0][-1]) + 1) % 10)
        for code, expected in [
            (wrong_check, "wrong check digit"),
            ("12345678901234", "15 digits"),
            ("9999999999999", "Unknown code"),
            ("0*6900000000011", "at least 1"),
            ("1.5*6900000000011", "whole number"),
            ("99*6900000000011", "in stock"),
            ("[bold]nothing[/bold]", "Unknown code"),
        ]:
            await type_text(pilot, code)
            await pilot.pause()
            assert expected in str(bar.render()), code
            assert bar.has_class("error")
        assert screen.cart.lines == []


async def test_return_against_the_original_receipt(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, shop.imeis[1])
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # cash, exact
        await wait_for_commit(pilot)
        await pilot.press("enter")  # receipt done
        await pilot.pause()
        sale = Sale.get()

        await pilot.press("f11")
        await pilot.pause()
        assert isinstance(app.screen, ReturnsScreen)
        await type_text(pilot, sale.receipt_no)  # as the QR scanner would type it
        await pilot.pause()
        await pilot.press("enter")  # choose the highlighted (only) line
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # why it comes back
        await pilot.press("down", "enter")  # 不想要了 changed mind
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaleScreen)
        assert screen.cart.total == -599900
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # refund in cash
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("enter")
    refund = Sale.get(Sale.kind == "return")
    assert refund.total == -599900 and refund.original_id == sale.id
    assert refund.return_reason == "changed_mind"
    assert SaleLine.get(SaleLine.sale == refund.id).qty == -1
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[1]).status == "returned"


async def test_a_manager_rings_a_return_and_voids_without_a_pin_of_their_own(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    first, second = sell(shop, shop.imeis[0]), sell(shop, case_qty=1)
    for done in (first, second):
        checkout.acknowledge(done.id)  # receipts handed over: no reprint offer at start
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f11")
        await pilot.pause()
        await type_text(pilot, first.receipt_no)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # the first reason
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaleScreen)  # the manager's own role: no PIN dialog
        assert screen.cart.total == -599900 and screen.cart.return_approved_by == shop.manager.id

        await pilot.press("ctrl+n", "up", "enter")  # asked, yes: not this one; void the other receipt instead
        await pilot.press("f11")
        await pilot.pause()
        await type_text(pilot, second.receipt_no)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # a confirmation, not a PIN
        await pilot.press("enter")  # Cancel is highlighted: nothing happens
        await pilot.pause()
        assert Sale.get_by_id(second.id).status == "completed"
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReturnsScreen)
    assert Sale.get_by_id(second.id).status == "voided"
    row = AuditLog.get(AuditLog.action == "sale.void")
    assert (row.staff_id, row.approved_by) == (shop.manager.id, shop.manager.id)


async def test_a_promoter_voids_only_with_another_persons_pin(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    sale = sell(shop, case_qty=1)
    checkout.acknowledge(sale.id)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f11")
        await pilot.pause()
        await type_text(pilot, sale.receipt_no)
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")  # the promoter's own PIN approves nothing
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        assert Sale.get_by_id(sale.id).status == "completed"
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, ReturnsScreen)
    assert Sale.get_by_id(sale.id).status == "voided"
    row = AuditLog.get(AuditLog.action == "sale.void")
    assert (row.staff_id, row.approved_by) == (shop.promoter.id, shop.manager.id)
