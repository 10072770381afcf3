"""The referrals board at 80x24, keyboard only: everyone sees this month's top referrers and
the referral share of new customers; only a manager sees the flags (F4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from store.models import Sale
from store.models.base import utcnow
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.console_helpers import make_app
from tests.referral_helpers import customer, policy, sell_to, till_with
from tui.screens.referral_board import ReferralBoardScreen
from tui.widgets.message_bar import MessageBar


@pytest.fixture
def referred(shop: Shop) -> Shop:
    """张老客 (a customer for weeks) brought 张小 and 李新客 today; 王二 came alone."""
    now = utcnow()
    till = till_with(shop, policy())
    old = customer("13800138000", "张老客")
    sell_to(shop, till, old, shop.case.sku, when=now - timedelta(days=40))
    sell_to(shop, till, customer("13800131234", "张小"), shop.imeis[0], referrer=old, when=now)
    sell_to(shop, till, customer("13900139000", "李新客"), shop.imeis[1], referrer=old, when=now)
    sell_to(shop, till, customer("13700137000", "王二"), shop.case.sku, when=now)
    acknowledge_receipts()
    return shop


def acknowledge_receipts() -> None:
    """The receipts were printed: the console does not offer to reprint them at start."""
    Sale.update(acknowledged_at=utcnow()).execute()


def menu_ids(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def open_board(pilot: Pilot[None], app: App[None]) -> ReferralBoardScreen:
    await pilot.press("f1")
    await pilot.pause()
    for _ in range(menu_ids(app).index("referrals")):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReferralBoardScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


def summary(screen: ReferralBoardScreen) -> str:
    return str(screen.query_one("#referral-board-summary", Static).render())


def fits(screen: ReferralBoardScreen) -> None:
    table = screen.query_one(DataTable)
    assert table.virtual_size.width <= 80
    assert screen.query_one(MessageBar).region.bottom <= 23  # the keys line stays below it


async def test_a_promoter_sees_the_leaderboard_and_the_share(
    referred: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=referred.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot, app)
        assert "2 of 3 new customers came by referral (66.7%)" in summary(screen)
        assert "look at" not in summary(screen) and "warning" not in summary(screen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][:4] == ["1", "张老客", "138****8000", "2"]
        fits(screen)
        await pilot.press("f4")  # not theirs: nothing changes
        await pilot.pause()
        assert not screen.showing_flags and table.row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReferralBoardScreen)


async def test_a_manager_sees_the_flags_and_why(referred: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=referred.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot, app)
        assert "Referrals to look at: 1 (F4)." in summary(screen)
        await pilot.press("f4")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert screen.showing_flags and table.row_count == 1
        row = [str(c) for c in table.get_row_at(0)]
        assert row == ["same prefix, surname", "张老客 138****8000", "张小 138****1234"]
        assert "same first 7 phone digits and surname (张)" in summary(screen)
        fits(screen)
        await pilot.press("f4")
        await pilot.pause()
        assert not screen.showing_flags and [str(c) for c in table.get_row_at(0)][1] == "张老客"
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1


async def test_many_referrers_still_fit_80x24(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    now = utcnow()
    till = till_with(shop, policy())
    stock.receive(shop.case, staff_id=shop.manager.id, qty=20)
    for n in range(15):
        old = customer(f"1360013{n:04d}", f"老{n}")
        sell_to(shop, till, old, shop.case.sku, when=now - timedelta(days=40))
        sell_to(shop, till, customer(f"1350013{n:04d}", f"新{n}"), shop.case.sku, referrer=old, when=now)
    acknowledge_receipts()
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot, app)
        assert screen.query_one(DataTable).row_count == 12
        assert "15 of 15 new customers came by referral (100.0%)" in summary(screen)
        fits(screen)
