"""The pay screen while it commits (issue 10, items 17 and 12): Enter pressed again and again
makes one sale and no crash, keys pressed while the database is busy reach a screen that
ignores them, the crash text says truthfully whether the sale in progress was saved, and a
full disk keeps the sale on screen with a message that says what to do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from store.kernel.errors import DatabaseUnavailable
from store.models import HeldCart, Sale
from store.selling import checkout
from store.selling.cart import Cart
from store.selling.till import Till
from tests.conftest import Shop
from tests.console_helpers import crash_on, make_app, scanner_burst, selling, settle, until, wait_for_commit
from tests.unit.test_disk_full import fill_disk, lift_limit
from tui.app import ZhangguiApp
from tui.screens.pay import PayScreen
from tui.screens.pending import PendingReceiptsScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


def message(screen: PayScreen | SaleScreen) -> str:
    return str(screen.query_one(MessageBar).render())


async def ring_up_a_case(pilot: Pilot[None], app: ZhangguiApp) -> PayScreen:
    await scanner_burst(pilot, "6900000000011")
    await pilot.press("f2")  # after the scan, looked up in a worker
    await settle(pilot)
    pay = app.screen
    assert isinstance(pay, PayScreen)
    return pay


def queue_keys(app: ZhangguiApp, *keys: str) -> None:
    """Keys that arrive together, as those typed while the console waited on a busy database
    are all delivered afterwards (the Pilot's press waits for each key to be handled)."""
    for key in keys:
        event = events.Key(key, "\r" if key == "enter" else None)
        event.set_sender(app)
        app.post_message(event)


@pytest.fixture
def held_commit(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[str]]]:
    """The commit waits (as on a busy database) until the test lets it go."""
    go = threading.Event()
    calls: list[str] = []
    real = checkout.commit_sale_off_thread

    def waiting(
        cart: Cart, till: Till, now: datetime | None = None, *, on_wait: Callable[[float], None] | None = None
    ) -> Sale:
        calls.append(cart.id)
        assert go.wait(10), "the test never let the commit go"
        return real(cart, till, now, on_wait=on_wait)

    monkeypatch.setattr(checkout, "commit_sale_off_thread", waiting)
    try:
        yield go, calls
    finally:
        go.set()


@pytest.mark.parametrize("presses", [2, 3, 5])
async def test_enter_pressed_again_and_again_makes_one_sale_and_no_crash(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, presses: int
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale_screen):
        await ring_up_a_case(pilot, app)
        queue_keys(app, *["enter"] * presses)  # cash, the whole amount; then Enter again
        await wait_for_commit(pilot)
        if isinstance(app.screen, ReceiptScreen):  # the extra Enters may have closed it already
            await pilot.press("enter")
        await until(pilot, lambda: app.screen is sale_screen)  # the receipt marked done in a worker
        assert app.screen is sale_screen
        assert sale_screen.cart.lines == []
        assert len(app.screen_stack) == 2  # the default screen and the sale screen: nothing popped twice
    assert Sale.select().count() == 1


async def test_keys_pressed_while_the_commit_waits_reach_a_screen_that_ignores_them(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, held_commit: tuple[threading.Event, list[str]]
) -> None:
    go, calls = held_commit
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pay = await ring_up_a_case(pilot, app)
        await pilot.press("enter")  # the commit starts and waits on the database
        await pilot.pause()
        assert pay.busy and pay.query_one("#pay-amount", Input).disabled
        assert message(pay) == "Saving the sale…"
        tenders = list(pay.cart.tenders)
        await pilot.press("enter", "enter", "f5", "f2", "escape", "ctrl+p", "f1", "enter")
        await pilot.pause()
        assert app.screen is pay  # no palette, no going back, no second commit
        assert pay.cart.tenders == tenders and pay.method == "cash"
        assert calls == [pay.cart.id]
        assert pay.check_action("back", ()) is False and app.check_action("command_palette", ()) is False

        go.set()
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))  # once marked done, in a worker
        assert isinstance(app.screen, SaleScreen) and app.screen.cart.lines == []
    assert Sale.select().count() == 1


async def test_a_commit_that_ends_under_another_screen_waits_for_it_before_closing(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, held_commit: tuple[threading.Event, list[str]]
) -> None:
    go, _calls = held_commit
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pay = await ring_up_a_case(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        over = PromptScreen("Locked", "a screen on top, as the idle lock puts one")
        await app.push_screen(over)
        go.set()
        await wait_for_commit(pilot)
        assert app.screen is over  # dismissing now would have closed this screen instead
        assert pay in app.screen_stack and Sale.select().count() == 1
        app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)  # the pay screen closed itself, once
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))  # once marked done, in a worker
        assert isinstance(app.screen, SaleScreen) and len(app.screen_stack) == 2


async def test_the_crash_text_says_a_committed_sale_was_saved(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ReceiptScreen) -> None:
        raise RuntimeError("a bug after the commit")

    monkeypatch.setattr(ReceiptScreen, "action_done", broken)
    app = make_app(db, tmp_path, staff=shop.promoter)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await ring_up_a_case(pilot, app)
            await pilot.press("enter")
            await wait_for_commit(pilot)
            await pilot.press("enter")  # the receipt's Enter hits the bug
            await pilot.pause()
    sale = Sale.get()
    assert f"The sale in progress was saved as receipt {sale.receipt_no}" in app.crash_message
    assert "do not charge the customer again" in app.crash_message
    assert "not saved" not in app.crash_message


async def test_the_crash_text_never_says_not_saved_while_the_commit_is_under_way(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, held_commit: tuple[threading.Event, list[str]]
) -> None:
    go, _calls = held_commit

    def boom() -> None:
        raise RuntimeError("a bug while the database was busy")

    app = make_app(db, tmp_path, staff=shop.promoter)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await ring_up_a_case(pilot, app)
            await pilot.press("enter")  # the commit waits on the database
            await pilot.pause()
            app.call_later(boom)
            await pilot.pause()
    go.set()
    assert "The sale in progress was being saved at that moment: look for its receipt" in app.crash_message
    assert "not saved" not in app.crash_message


async def test_the_crash_text_says_an_unpaid_sale_was_not_saved(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    await crash_on(app, monkeypatch, "action_hold", "f7", scan="6900000000011")
    assert "The sale in progress (¥39.00) was not saved: ring it up again." in app.crash_message
    assert Sale.select().count() == 0


async def test_the_crash_text_says_so_when_it_cannot_check(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(cart_id: str) -> str | None:
        raise DatabaseUnavailable("The database is busy (another program holds it). Try again in a moment.")

    monkeypatch.setattr(checkout, "saved_receipt_no", unreadable)
    app = make_app(db, tmp_path, staff=shop.promoter)
    await crash_on(app, monkeypatch, "action_hold", "f7", scan="6900000000011")
    assert "Whether the sale in progress was saved could not be checked" in app.crash_message
    assert "not saved" not in app.crash_message


async def test_the_crash_text_with_no_sale_in_progress_names_none(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    await crash_on(app, monkeypatch, "action_resume", "f8")
    assert app.crash_message.startswith(
        "zhanggui stopped after an unexpected error. Completed sales are saved. Details for support: "
    )


async def test_a_full_disk_keeps_the_sale_on_screen_and_says_what_to_do(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    fill_disk(shop)
    sales_before = Sale.select().count()
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # they are read in a worker
        assert isinstance(app.screen, PendingReceiptsScreen)  # the sales that filled the disk
        await pilot.press("escape")
        await settle(pilot)  # they are marked done in a worker, then the dialog closes
        sale_screen = app.screen
        assert isinstance(sale_screen, SaleScreen)
        pay = await ring_up_a_case(pilot, app)
        await pilot.press("enter")
        await wait_for_commit(pilot)
        assert app.screen is pay and not pay.busy
        assert message(pay) == (
            "The disk is full, so this sale was not saved. It is still here, and a copy is among the "
            "suspended sales (F8). Free some disk space or call the manager, then take the payment again."
        )
        assert "rollback" not in message(pay)
        assert [(ln.sku, ln.qty) for ln in sale_screen.cart.lines] == [("CASE-IP15", 1)]
        assert sale_screen.cart.tenders == []
        assert Sale.select().count() == sales_before
        assert HeldCart.get_by_id(sale_screen.cart.id)

        lift_limit()  # the manager freed some space
        await pilot.press("enter")  # take the payment again
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("enter")
        await settle(pilot)  # the receipt is marked done in a worker, then it closes
        assert app.screen is sale_screen and sale_screen.cart.lines == []
    assert Sale.select().count() == sales_before + 1
    assert HeldCart.select().count() == 0  # the copy went when the sale was saved
