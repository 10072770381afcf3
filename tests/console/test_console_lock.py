"""A locked terminal offers the PIN prompt and nothing else (issue 10, item 1), at 80x24."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.command import CommandPalette
from textual.widgets import Input, Label

from store.kernel.errors import DiskFull
from store.models import HeldCart
from store.people import directory
from store.people.directory import Member
from store.selling import holds
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, selling, settle, type_text
from tui.screens.login import LoginScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


def disk_full(*_args: object, **_kwargs: object) -> None:
    raise DiskFull("The disk is full.")


async def test_f1_and_the_palette_lead_nowhere_while_locked(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)

        await pilot.press("f1")  # the menu with "Sale" in it
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+p")  # the command palette with every screen in it
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not CommandPalette.is_open(app)
        app.go_to("sale")  # a menu choice or palette command that outlived the lock
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.staff is None
        assert list(app.get_system_commands(app.screen)) == []

        # The one who locked comes back to their own sale as it was.
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)
        assert app.screen is sale
        assert app.staff is not None and app.staff.id == shop.promoter.id
        assert len(sale.cart.lines) == 1
        assert HeldCart.select().count() == 0


async def test_whoever_unlocks_sells_next_and_the_cart_is_kept_for_who_locked(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.config.ui.idle_lock_minutes = 1
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sale = app.screen
        assert isinstance(sale, SaleScreen)
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")  # on the payment screen, a payment typed, then it locks itself
        await settle(pilot)
        await type_text(pilot, "10")
        await settle(pilot)
        assert sale.cart.tenders
        app._last_input -= 61
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)

        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert app.screen is sale  # the locker's payment screen is gone
        assert app.staff is not None and app.staff.id == shop.manager.id
        assert sale.cart.lines == [] and sale.cart.staff_id == shop.manager.id
        assert "王店长" in str(sale.query_one("#sale-header").render())
        assert "李小红's sale was suspended" in str(sale.query_one(MessageBar).render())
        held = HeldCart.get()
        assert held.staff_id == shop.promoter.id and "李小红" in held.label
        assert '"tenders": []' in held.payload  # a payment never committed is not kept

        await pilot.press("f8")  # the promoter's sale waits in the suspended list
        await pilot.press("enter")
        await settle(pilot)
        assert [line.sku for line in sale.cart.lines] == ["CASE-IP15"]


async def test_a_sale_that_cannot_be_suspended_at_unlock_locks_again_for_who_locked(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")  # on the payment screen when it locks
        await pilot.pause()
        app.lock()
        await pilot.pause()
        with monkeypatch.context() as full:
            full.setattr(holds, "hold", disk_full)
            await type_text(pilot, "M1")
            await type_text(pilot, "1234")
            await pilot.pause()
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert "The disk is full." in str(login.query_one("#login-message", Label).render())
        assert app.staff is None and app.locked_by is not None and app.locked_by.id == shop.promoter.id
        assert [line.sku for line in sale.cart.lines] == ["CASE-IP15"]
        assert sale.cart.staff_id == shop.promoter.id and HeldCart.select().count() == 0

        await type_text(pilot, "P1")  # the one who locked goes on with their sale (F2 pays again)
        await type_text(pilot, "1111")
        await pilot.pause()
        assert app.screen is sale and app.staff is not None and app.staff.id == shop.promoter.id
        assert [line.sku for line in sale.cart.lines] == ["CASE-IP15"]


async def test_the_pin_is_checked_in_a_worker_and_enter_meanwhile_does_not_log_in_twice(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PIN check counts wrong PINs (a write): it runs off the event loop, and an Enter
    pressed while it runs is not a second login; a wrong PIN is said and cleared."""
    started, release = threading.Event(), threading.Event()
    checks: list[tuple[str, str]] = []
    real = directory.log_in

    def slow_log_in(code: str, pin: str, **kwargs: Any) -> Member:
        assert threading.current_thread() is not threading.main_thread()
        checks.append((code, pin))
        started.set()
        release.wait(10)
        return real(code, pin, **kwargs)

    monkeypatch.setattr(directory, "log_in", slow_log_in)
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        login = app.screen
        assert isinstance(login, LoginScreen)
        release.set()
        await type_text(pilot, "P1")
        await type_text(pilot, "9999")  # wrong
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is login and login.query_one("#login-pin", Input).value == ""
        assert "PIN" in str(login.query_one("#login-message", Label).render())
        release.clear()
        started.clear()
        await type_text(pilot, "1111")
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause(0.01)
        await pilot.press("enter", "enter")  # impatient: the check is still running
        await pilot.pause()
        assert app.screen is login  # not logged in before the PIN is checked
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert app.staff is not None and app.staff.id == shop.promoter.id
        assert len([s for s in app.screen_stack if isinstance(s, SaleScreen)]) == 1
    assert checks == [("P1", "9999"), ("P1", "1111")]
