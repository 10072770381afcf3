"""The guard of the "one boundary" issue: once the console is up and someone is logged in, no
store call runs on the event loop, so a database another till holds never freezes the till.
Every SQL statement is recorded with its thread (tests/console_helpers.sql_threads) while the
screens are driven at 80x24 with the keyboard; none may have run on the event loop's thread.

Screens still being converted (customer profile and referrals, leave, time clock, promoter
profile) are not driven here yet: add them to SCREENS (or a test of their own) with
``sql_threads`` once they load in workers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from peewee import SqliteDatabase
from textual.pilot import Pilot

from store.kernel import clock_guard
from store.models import HeldCart, RosterEntry, Sale, Staff, StockCountEntry
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog
from tests.conftest import Shop
from tests.console_helpers import (
    SqlThreads,
    key_flood,
    make_app,
    scanner_burst,
    sql_threads,
    type_text,
    wait_for_commit,
)
from tests.console_helpers import settle as settle_workers
from tui.app import ZhangguiApp
from tui.screens.choice import ChoiceScreen
from tui.screens.clock_check import ClockCheckScreen, check_at_login
from tui.screens.login import LoginScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.pay import PayScreen
from tui.screens.pending import PendingReceiptsScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.roster import RosterScreen
from tui.screens.sale import SaleScreen
from tui.screens.staff_admin import StaffAdminScreen
from tui.screens.stock_count import StockCountScreen

Drive = Callable[[Pilot[None], ZhangguiApp, Shop, SqlThreads], Awaitable[None]]


async def settle(pilot: Pilot[None], app: ZhangguiApp) -> None:
    await settle_workers(pilot)


async def back_to_sale(pilot: Pilot[None], app: ZhangguiApp) -> None:
    for _ in range(5):
        if isinstance(app.screen, SaleScreen):
            return
        await pilot.press("escape")
        await settle(pilot, app)
    assert isinstance(app.screen, SaleScreen), app.screen


async def sell(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    await scanner_burst(pilot, "6900000000011")
    await scanner_burst(pilot, shop.imeis[0])
    await settle(pilot, app)
    await pilot.press("f2")
    await settle(pilot, app)
    assert isinstance(app.screen, PayScreen)
    await pilot.press("enter")  # cash, the amount due
    await wait_for_commit(pilot)
    await settle(pilot, app)
    assert isinstance(app.screen, ReceiptScreen)
    with sql.aside():
        assert Sale.select().count() == 1
    await back_to_sale(pilot, app)


async def sale_keys(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The sale screen's keys that read or write the store: a quantity (stock on hand), a name
    searched (the picker), suspend and resume, a customer attached, another promoter credited."""
    screen = app.screen
    assert isinstance(screen, SaleScreen)
    await scanner_burst(pilot, "3*6900000000011")
    await pilot.press("f3")
    await type_text(pilot, "2")
    await settle(pilot, app)
    assert [(ln.sku, ln.qty) for ln in screen.cart.lines] == [("CASE-IP15", 2)]
    await pilot.press("f7")
    await type_text(pilot, "王先生")
    await settle(pilot, app)
    assert screen.cart.lines == []
    await pilot.press("f8")
    await settle(pilot, app)
    await pilot.press("enter")
    await settle(pilot, app)
    assert [(ln.sku, ln.qty) for ln in screen.cart.lines] == [("CASE-IP15", 2)]
    await scanner_burst(pilot, "iphone")  # a name: the matches are picked from
    await settle(pilot, app)
    if app.screen is not screen:
        await pilot.press("escape")
        await settle(pilot, app)
    await pilot.press("f9")
    await settle(pilot, app)
    await type_text(pilot, "+86 138 0013 8000 张三")
    await settle(pilot, app)
    assert screen.cart.customer_id is not None
    if app.screen is not screen:  # a new customer: who referred them? nobody
        await pilot.press("escape")
        await settle(pilot, app)
    await pilot.press("f10")
    await settle(pilot, app)
    await pilot.press("down", "enter")
    await settle(pilot, app)
    assert screen.cart.promoter_id == shop.promoter.id
    assert "李小红" in str(screen.query_one("#sale-header").render())  # read in a worker
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    await pilot.press("up", "enter")  # yes, cancel the sale
    await settle(pilot, app)
    assert screen.cart.lines == []
    await back_to_sale(pilot, app)


async def reprints(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The start-up offer of receipts never shown (read in a worker), one reprinted."""
    with sql.aside():  # a sale whose receipt was never shown
        cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
        found = catalog.lookup_code("6900000000011")
        assert found is not None
        cart.add_scan(found)
        cart.add_tender("cash", cart.due)
        checkout.commit_sale_off_thread(cart, shop.till)
    app.offer_reprints()
    await settle(pilot, app)
    assert isinstance(app.screen, PendingReceiptsScreen)
    await pilot.press("enter")  # reprint it
    await settle(pilot, app)
    assert isinstance(app.screen, ReceiptScreen)
    assert "REPRINT" in str(app.screen.query_one("#receipt-text").render())
    await pilot.press("enter")  # acknowledged; none left to offer
    await settle(pilot, app)
    with sql.aside():
        assert all(s.acknowledged_at is not None for s in Sale.select())
    await back_to_sale(pilot, app)


async def roster(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    app.go_to("roster")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, RosterScreen) and screen.grid is not None
    await pilot.press("right", "space", "space", "f5", "f4", "down", "f4", "right_square_bracket")
    await settle(pilot, app)
    await pilot.press("left_square_bracket", "f7")
    await settle(pilot, app)
    if isinstance(app.screen, ChoiceScreen):
        await pilot.press("enter")
        await settle(pilot, app)
    await pilot.press("f2", "f3")
    await settle(pilot, app)
    with sql.aside():
        assert RosterEntry.select().count() > 0  # the keys were edits, made in workers
    await back_to_sale(pilot, app)


async def staff(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    app.go_to("staff")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, StaffAdminScreen) and screen.lines
    await pilot.press("f7")
    await settle(pilot, app)
    await pilot.press("f7", "down", "f4")  # unlock the promoter
    await settle(pilot, app)
    await pilot.press("f6")  # deactivate: asks who takes over their customers, or to confirm
    await settle(pilot, app)
    await back_to_sale(pilot, app)


async def count(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    app.go_to("stock_count")
    await settle(pilot, app)
    assert isinstance(app.screen, ChoiceScreen)  # what to count
    await pilot.press("down", "enter")  # a brand
    await settle(pilot, app)
    assert isinstance(app.screen, ChoiceScreen)
    await pilot.press("enter")
    await settle(pilot, app)
    assert isinstance(app.screen, StockCountScreen)
    for code in [shop.imeis[1], shop.imeis[2], "6900000000011"]:
        await scanner_burst(pilot, code)
    await settle(pilot, app)
    await pilot.press("f5")  # pause
    await settle(pilot, app)
    app.go_to("stock_count")  # and resume
    await settle(pilot, app)
    assert isinstance(app.screen, StockCountScreen)
    await pilot.press("f3", "up", "enter")  # recount the highlighted line
    await settle(pilot, app)
    await scanner_burst(pilot, shop.imeis[3])
    await pilot.press("f6", "up", "enter")  # close
    await settle(pilot, app)
    with sql.aside():
        assert StockCountEntry.select().count() >= 1  # the IMEI scanned after the recount
    await back_to_sale(pilot, app)


async def approvals(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The manager PIN dialog, the clock check and its confirmation, the reprint offer, and the
    PIN prompt of a locked till."""
    with sql.aside():  # a sale whose receipt was never shown, for the reprint offer
        cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
        found = catalog.lookup_code("6900000000011")
        assert found is not None
        cart.add_scan(found)
        cart.add_tender("cash", cart.due)
        checkout.commit_sale_off_thread(cart, shop.till)
    answers: list[object] = []
    app.push_screen(ManagerPinScreen("A test approval"), answers.append)
    await settle(pilot, app)
    await type_text(pilot, "M1")
    await type_text(pilot, "9999")  # wrong: counted, said
    await settle(pilot, app)
    assert isinstance(app.screen, ManagerPinScreen)
    await type_text(pilot, "1234")
    await settle(pilot, app)
    assert len(answers) == 1 and answers[0] is not None
    with sql.aside():
        assert Staff.get_by_id(shop.manager.id).failed_approvals == 0  # counted, then cleared

    check_at_login(app)
    await settle(pilot, app)
    now = app.ctx.clock()
    state = clock_guard.ClockState(clock_guard.AHEAD, now, now - timedelta(days=3), timedelta(days=3))
    app.push_screen(ClockCheckScreen(state, app.config.tz))
    await settle(pilot, app)
    await pilot.press("f2")
    await settle(pilot, app)
    if isinstance(app.screen, ClockCheckScreen):
        await pilot.press("escape")
        await settle(pilot, app)

    with sql.aside():
        pending = list(Sale.select())
        assert pending
    app.push_screen(PendingReceiptsScreen(pending))
    await settle(pilot, app)
    await pilot.press("escape")  # all marked done
    await settle(pilot, app)
    with sql.aside():
        assert all(s.acknowledged_at is not None for s in Sale.select())


async def unlock(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The PIN prompt of a locked till (the PIN is checked in a worker)."""
    await pilot.press("f12")  # lock, and the manager logs in again
    await settle(pilot, app)
    assert isinstance(app.screen, LoginScreen)
    await type_text(pilot, "M1")
    await type_text(pilot, "1234")
    await settle(pilot, app)
    await back_to_sale(pilot, app)


async def unlock_as_another(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """Someone else unlocks a till with a sale in progress: it is suspended (in a worker) under
    the name of who locked, and they sell on a new cart; the manager then takes the till back."""
    await scanner_burst(pilot, "6900000000011")
    await settle(pilot, app)
    await pilot.press("f12")
    await settle(pilot, app)
    assert isinstance(app.screen, LoginScreen)
    await type_text(pilot, "P1")
    await type_text(pilot, "1111")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, SaleScreen) and screen.cart.lines == []
    assert "sale was suspended" in str(screen.query_one("#message").render())
    with sql.aside():
        assert HeldCart.select().count() == 1
    await pilot.press("f12")
    await settle(pilot, app)
    await type_text(pilot, "M1")
    await type_text(pilot, "1234")
    await settle(pilot, app)
    await back_to_sale(pilot, app)


async def drive_watched(shop: Shop, db: SqliteDatabase, tmp_path: Path, drives: list[Drive]) -> None:
    """Log the manager in, then drive each screen watching every statement; none on the loop."""
    with sql_threads(db) as sql:
        app = make_app(db, tmp_path, staff=shop.manager)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert isinstance(app.screen, SaleScreen)
            sql.watching = True
            try:
                for drive in drives:
                    await drive(pilot, app, shop, sql)
                    await settle(pilot, app)
                    assert sql.on_loop == [], (drive.__name__, *sql.on_loop[:8])
            finally:
                sql.watching = False  # quitting writes nothing of the screens'
    assert sql.off_loop > 0  # the hook saw the workers' statements: it was listening


async def lookup(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The customer lookup: typing searches in a worker, and so does an Enter that comes before
    the matches for what is typed (no profile is opened: that screen is converted elsewhere)."""
    app.go_to("customers")
    await settle(pilot, app)
    key_flood(pilot, [*"nobodyxyz", "enter"])  # Enter before any search has answered
    for _ in range(100):
        if "No customer matches" in str(app.screen.query_one("#message").render()):
            break
        await pilot.pause(0.02)
    await settle(pilot, app)
    assert "No customer matches" in str(app.screen.query_one("#message").render())
    await back_to_sale(pilot, app)


async def day_close(pilot: Pilot[None], app: ZhangguiApp, shop: Shop, sql: SqlThreads) -> None:
    """The day report, and the close (not counted) with the manager's PIN, then the backup."""
    app.go_to("day_close")
    await settle(pilot, app)
    await pilot.press("f5")
    await settle(pilot, app)
    await pilot.press("f3")
    await type_text(pilot, "停电")
    await pilot.press("f2")
    await settle(pilot, app)
    for field in ("manager-code", "manager-pin"):  # each field has the focus before it is typed into
        for _ in range(200):
            if getattr(app.screen.focused, "id", "") == field:
                break
            await pilot.pause(0.02)
        await type_text(pilot, "M1" if field == "manager-code" else "1234")  # and Enter, once
    for _ in range(200):  # the PIN, the close, the report read again: one worker after another
        await settle(pilot, app)
        texts = app.screen.query("#day-text")
        if texts and "Z report No. 0001" in str(texts.first().render()):
            break
        await pilot.pause(0.02)
    assert "Z report No. 0001" in str(app.screen.query_one("#day-text").render())
    await back_to_sale(pilot, app)


# Converted to workers (tui/screens/base.py ConsoleScreen.load / run_write / in_turn).
SCREENS: list[Drive] = [roster, staff, count, approvals, lookup, day_close]


async def test_no_store_call_runs_on_the_event_loop_once_logged_in(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    await drive_watched(shop, db, tmp_path, SCREENS)


async def test_selling_runs_no_store_call_on_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    await drive_watched(shop, db, tmp_path, [sell, sale_keys, reprints, unlock, unlock_as_another])
