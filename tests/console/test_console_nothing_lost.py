"""Nothing lost or changed without a word (issue 12): quitting keeps the sale in progress,
cancelling asks, removing a line says what became of the sale discount, and a message never
outlives the action after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.kernel.errors import DiskFull
from store.selling import holds
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, selling, type_text, until
from tests.store_helpers import promoter_cart, scan, sell
from tui.screens.choice import ChoiceScreen
from tui.screens.held import HeldSalesScreen
from tui.screens.pay import PayScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


def message(screen: SaleScreen) -> str:
    return str(screen.query_one(MessageBar).render())


async def test_quit_with_a_sale_in_progress_keeps_it_for_the_next_start(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "2*6900000000011")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert [h.label for h in holds.held_carts()] == [f"Quit: {shop.promoter.name}"]

    again = make_app(db, tmp_path, staff=shop.promoter)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, SaleScreen)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(again.screen, HeldSalesScreen))  # the list is read in a worker
        assert isinstance(again.screen, HeldSalesScreen)
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.cart.lines))  # and the sale is taken back in one
        assert [(ln.sku, ln.qty) for ln in screen.cart.lines] == [("CASE-IP15", 2)]


async def test_quit_with_an_empty_sale_keeps_nothing(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert holds.held_carts() == []


async def test_quit_stays_open_when_the_sale_cannot_be_suspended(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise DiskFull("The disk is full.")

    app = make_app(db, tmp_path, staff=shop.promoter)
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_kwargs: said.append(str(message)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaleScreen)
        await scanner_burst(pilot, "6900000000011")
        with monkeypatch.context() as full:
            full.setattr(holds, "hold", disk_full)
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert app.return_code is None and app.screen is screen
        assert said == [
            "The sale in progress could not be suspended, so the console stays open: The disk is full."
        ]
        assert [ln.sku for ln in screen.cart.lines] == ["CASE-IP15"]
        await pilot.press("ctrl+q", "ctrl+q")  # space freed; asked twice, kept once
        await pilot.pause()
    assert app.return_code == 0
    assert [h.label for h in holds.held_carts()] == [f"Quit: {shop.promoter.name}"]


async def test_cancel_sale_asks_and_no_keeps_it(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # "No" is highlighted: a stray Enter keeps the sale
        await pilot.pause()
        assert app.screen is screen and len(screen.cart.lines) == 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.cart.lines) == 1
        await pilot.press("ctrl+n", "up", "enter")
        await pilot.pause()
        assert screen.cart.lines == []
        assert "Sale cancelled" in message(screen)


async def test_removing_a_line_says_the_sale_discount_was_taken_off(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.manager) as (_app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f5")
        await type_text(pilot, "78")
        await pilot.pause()
        assert screen.cart.sale_discount == 7800
        assert "78.00" in message(screen)
        await pilot.press("up", "f6")  # the phone: what is left is less than the discount
        await pilot.pause()
        assert [ln.sku for ln in screen.cart.lines] == ["CASE-IP15"]
        assert screen.cart.sale_discount == 0
        said = message(screen)
        assert "Removed" in said and "sale discount of ¥78.00 no longer applies" in said, said


async def test_a_success_replaces_an_earlier_refusal(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    async with selling(db, tmp_path, shop.promoter) as (_app, pilot, screen):
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f3", "backspace")
        await type_text(pilot, "0")
        await pilot.pause()
        refused = message(screen)
        assert refused and screen.cart.lines[0].qty == 1
        await pilot.press("f3", "backspace")
        await type_text(pilot, "5")
        await pilot.pause()
        assert screen.cart.lines[0].qty == 5
        assert refused not in message(screen)
        assert "Quantity of" in message(screen) and "5" in message(screen)


async def test_a_payment_taken_replaces_an_earlier_refusal(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")
        await pilot.pause()
        pay = app.screen
        assert isinstance(pay, PayScreen)
        await type_text(pilot, "abc")
        await pilot.pause()
        bar = pay.query_one(MessageBar)
        assert str(bar.render())
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "10")  # ¥10 of ¥39 taken: the refusal is over
        await pilot.pause()
        assert str(bar.render()) == ""
        assert pay.cart.due == 2900


async def test_resuming_a_sale_whose_imei_was_sold_meanwhile_warns_at_once(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f7")
        await type_text(pilot, "王先生")
        await pilot.pause()
        assert screen.cart.lines == []
        sell(shop, shop.imeis[0])  # another till sells the held handset
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, HeldSalesScreen))  # the list is read in a worker
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.cart.lines))  # and the sale is taken back in one
        assert [ln.imei for ln in screen.cart.lines] == [shop.imeis[0]]
        said = message(screen)
        assert shop.imeis[0] in said and "left stock" in said, said
        assert screen.query_one(MessageBar).has_class("error")


def test_gone_since_held_names_only_units_no_longer_in_stock(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.imeis[1]))
    cart.add_scan(scan(shop.case.sku))
    assert holds.gone_since_held(cart) == []
    sell(shop, shop.imeis[1])
    assert holds.gone_since_held(cart) == [shop.imeis[1]]


async def test_a_stop_signal_waits_for_a_commit_under_way(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM (tui/app.py quit_when_free) quits only once the pay screen is no longer
    committing, as Ctrl+Q does: the cart of a commit under way is never suspended as well."""
    app = make_app(db, tmp_path, staff=shop.promoter)
    asked: list[str] = []

    async def quit_noted() -> None:
        asked.append(type(app.screen).__name__)

    monkeypatch.setattr(app, "action_quit", quit_noted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, PayScreen))
        pay = app.screen
        assert isinstance(pay, PayScreen)
        pay.busy = True  # as while its commit runs in a worker
        app.quit_when_free()
        for _ in range(5):
            await pilot.pause(0.05)
        assert asked == []  # still committing: not yet
        pay.busy = False
        await until(pilot, lambda: bool(asked))
        assert asked == ["PayScreen"]
