"""First start, reprint of receipts that were never acknowledged, and the product picker."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.widgets import Input, OptionList

from store import setup
from store.context import StoreContext
from store.kernel.errors import DatabaseUnavailable
from store.models import Sale, Staff
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog
from tests.conftest import TILL, Shop
from tests.console_helpers import crash_on, key_flood, make_app, selling, settle, type_text
from tui.app import ZhangguiApp
from tui.opening import StoreOpening
from tui.screens.first_run import FirstRunScreen
from tui.screens.login import LoginScreen
from tui.screens.pending import PendingReceiptsScreen
from tui.screens.picker import PickerScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen
from tui.screens.unit_picker import UnitPickerScreen


async def test_first_start_sets_up_a_real_store(db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        for value in ("SZ01", "深圳华强北店", "W1", "王经理", "2468", "2460"):
            await type_text(pilot, value)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert "PINs differ" in str(app.screen.query_one("#setup-message").render())
        assert not setup.is_initialised()
        app.screen.query_one("#setup-pin2").value = "2468"  # type: ignore[attr-defined]
        await pilot.press("f2", "f2")  # a second F2 while the first is written sets up once
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.store_name == "深圳华强北店"  # read in the worker that wrote it
    assert setup.get_meta("store_code") == "SZ01"
    assert Staff.get(Staff.code == "W1").role == "admin"


async def test_unacknowledged_sale_is_offered_for_reprint_not_rung_again(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    scan = catalog.lookup_code("6900000000011")
    assert scan is not None
    cart.add_scan(scan)
    cart.add_tender("cash", 3900)
    sale = checkout.commit_sale(cart, TILL)  # the power went before the receipt was shown
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, PendingReceiptsScreen)
        pending = app.screen.query_one("#choices", OptionList)
        assert sale.receipt_no in str(pending.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)  # the receipt is read in a worker
        assert isinstance(app.screen, ReceiptScreen)
        assert "REPRINT" in str(app.screen.query_one("#receipt-text").render())
        await pilot.press("enter")
        await settle(pilot)  # acknowledged in a worker, and the others read again in one
        assert isinstance(app.screen, SaleScreen)
    assert Sale.select().count() == 1
    assert Sale.get_by_id(sale.id).acknowledged_at is not None


async def test_code_and_pin_typed_in_one_burst_from_the_first_frame_log_in(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """Code, Enter, PIN, Enter sent before the login screen handles any of them (as the login
    is first drawn, and again as a lock's login is pushed): no key is lost, no PIN runs into
    the code, and the sale screen follows."""
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        key_flood(pilot, [*"P1", "enter", *"1111", "enter"])
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert app.staff is not None and app.staff.id == shop.promoter.id
        app.lock()  # the login pushed and the keys sent in the same instant
        key_flood(pilot, [*"M1", "enter", *"1234", "enter"])
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert app.staff is not None and app.staff.id == shop.manager.id


async def test_typing_part_of_a_name_opens_pickers_for_model_and_imei(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await type_text(pilot, "iphone 15")  # matches the phone and its case
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")  # the first: Apple iPhone 15
        await pilot.pause()
        assert isinstance(app.screen, UnitPickerScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert [ln.imei for ln in screen.cart.lines] == [shop.imeis[1]]


async def test_an_unforeseen_bug_gives_one_sentence_and_a_log_not_a_traceback(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    await crash_on(app, monkeypatch, "action_hold", "f7", bug="a bug nobody foresaw")
    assert "unexpected error" in app.crash_message and "Traceback" not in app.crash_message
    log = app.config.data_dir() / "crash.log"
    assert "a bug nobody foresaw" in log.read_text(encoding="utf-8")


async def test_first_start_can_open_the_demo_store(db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path)
    app.config.terminal.id = "T7"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        hint = str(app.screen.query_one("#demo-hint").render())
        assert "M1 / 1234" in hint and "P1 / 1111" in hint
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
    assert setup.is_demo()
    assert Sale.select().where(Sale.terminal_id == "T7").count() > 100


async def test_a_failed_background_check_stops_selling(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.db.connection import IntegrityCheck
    from tui.screens.damaged import DamagedDatabaseScreen

    checked: list[Path] = []

    def damaged(path: Path) -> str:
        checked.append(path)
        return "The database is damaged."

    monkeypatch.setattr(IntegrityCheck, "run", lambda self: damaged(self.path))
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.ctx.integrity_checked = False
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DamagedDatabaseScreen)
        await pilot.press(*"6900000000011", "enter", "f2")
        await pilot.pause()
        assert isinstance(app.screen, DamagedDatabaseScreen)
    assert checked == [app.ctx.db_path]
    assert Sale.select().count() == 0


async def test_the_console_builds_the_promoter_day_summary_in_the_background(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from store.models import PromoterDaySales
    from store.models.base import utcnow
    from tests.store_helpers import pay, promoter_cart, scan

    monkeypatch.setattr("tui.app.SUMMARY_DELAY_SECONDS", 0.01)
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku), 2)
    pay(cart)
    sold = checkout.commit_sale(cart, TILL, now=utcnow() - timedelta(days=3))  # a settled day
    checkout.acknowledge(sold.id)
    assert PromoterDaySales.select().count() == 0
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):  # the timer fires, then the worker writes in its thread
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if PromoterDaySales.select().where(PromoterDaySales.promoter_id != "").exists():
                break
    (row,) = PromoterDaySales.select().where(PromoterDaySales.promoter_id != "")
    assert (row.promoter_id, row.qty, row.amount) == (shop.promoter.id, 2, 2 * 3900)


async def test_the_login_is_drawn_before_the_store_opens_and_a_login_waits_for_it(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    ctx = make_app(db, tmp_path).ctx
    opened = threading.Event()

    def opener() -> StoreContext:  # the store opens (tui.opening) when the test says so
        opened.wait(30)
        return ctx

    app = ZhangguiApp(StoreOpening(ctx.config, clock=ctx.clock, opener=opener))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and not app.opening.done
        code = app.screen.query_one("#login-code", Input)
        # Typed in one burst while the store opens: what follows the code's Enter is the PIN.
        key_flood(pilot, ["P", "1", "enter", "1", "1", "1", "1", "enter"])
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)  # the PIN check waits for the store
        assert code.value == "P1"
        opened.set()
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)


async def test_a_store_that_cannot_be_opened_behind_the_login_closes_the_console_saying_why(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    def opener() -> StoreContext:
        raise DatabaseUnavailable("the disk went away")

    app = ZhangguiApp(StoreOpening(make_app(db, tmp_path).config, opener=opener))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
    assert str(app.open_error) == "the disk went away"
    assert app.return_code == 1


async def test_a_store_never_set_up_gets_the_set_up_in_place_of_the_login_once_open(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    ctx = make_app(db, tmp_path).ctx  # an empty store: nobody could log in
    app = ZhangguiApp(StoreOpening(ctx.config, clock=ctx.clock, opener=lambda: ctx))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
