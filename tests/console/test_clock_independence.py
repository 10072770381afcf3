"""The store's day is Shanghai's, whatever the UTC date: a minute before and after midnight in
Shanghai (15:59 and 16:01 UTC), the first minutes of a month there (16:30 UTC on the last day
of the UTC month) and of an ISO week (16:01 UTC on a Sunday). Time comes in only through the
clock handed to the console and the store; nothing here reads the wall clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.kernel import FixedClock, business_date, set_process_clock
from store.models import Sale
from store.people import roster
from store.selling.held_list import held_lines
from store.stock import transfer_send
from store.stock.transfer_send import TransferLine
from tests.conftest import TILL, Shop
from tests.console.test_console_pay import ring_up_a_case
from tests.console.test_console_roster import open_roster
from tests.console_helpers import make_app, type_text, wait_for_commit
from tests.referral_helpers import customer
from tui.screens.customer_profile import CustomerProfileScreen
from tui.screens.held import _describe
from tui.screens.receipt import ReceiptScreen

# (the moment in naive UTC, the business date in Shanghai, the shop's clock there)
MOMENTS = [
    pytest.param((datetime(2026, 12, 7, 15, 59), date(2026, 12, 7), "23:59"), id="15:59-utc"),
    pytest.param((datetime(2026, 12, 7, 16, 1), date(2026, 12, 8), "00:01"), id="16:01-utc"),
    pytest.param((datetime(2026, 11, 30, 16, 30), date(2026, 12, 1), "00:30"), id="month-end"),
    pytest.param((datetime(2026, 12, 6, 16, 1), date(2026, 12, 7), "00:01"), id="week-end"),
]


@pytest.fixture(params=MOMENTS)
def moment(request: pytest.FixtureRequest, clock: FixedClock) -> Iterator[tuple[FixedClock, date, str]]:
    """The console's clock at the moment. Every time not handed in (the set-up, a default)
    reads the process clock, two hours earlier: a reading that skipped the console's clock
    would land on the wrong side of midnight."""
    at, day, local = request.param
    set_process_clock(FixedClock(at - timedelta(hours=2), TILL.tz, tick=timedelta(microseconds=10)))
    yield FixedClock(at, TILL.tz, tick=timedelta(microseconds=10)), day, local
    set_process_clock(clock)


def test_the_clock_gives_the_shanghai_date(moment: tuple[FixedClock, date, str]) -> None:
    fixed, day, local = moment
    assert fixed.today() == day == business_date(fixed.now(), TILL.tz)
    assert f"{fixed.local_now():%H:%M}" == local


async def test_a_console_sale_and_its_receipt_take_the_shops_date(
    moment: tuple[FixedClock, date, str], shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    fixed, day, _local = moment
    app = make_app(db, tmp_path, staff=shop.promoter, clock=fixed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await ring_up_a_case(pilot, app)
        await pilot.press("enter")  # cash, the whole amount
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    sale = Sale.get()
    assert sale.business_date == day
    assert sale.receipt_no == f"S001-T1-{day:%Y%m%d}-0001"


async def test_the_customer_profile_and_the_roster_open_on_the_shops_today(
    moment: tuple[FixedClock, date, str], shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    fixed, day, _local = moment
    person = customer("13800138000", "张三")
    app = make_app(db, tmp_path, staff=shop.manager, clock=fixed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        week = await open_roster(pilot, app)
        assert week._week == roster.week_of(day)
        await pilot.press("escape")
        await pilot.pause()
        profile = CustomerProfileScreen(person.id)
        await app.push_screen(profile)
        await pilot.pause()
        assert profile.today() == day


async def test_a_suspended_sale_is_listed_at_the_shops_time(
    moment: tuple[FixedClock, date, str], shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    fixed, _day, local = moment
    app = make_app(db, tmp_path, staff=shop.promoter, clock=fixed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "6900000000011")
        await pilot.press("f7")
        await pilot.pause()
        await type_text(pilot, "王先生")
        await pilot.pause()
    (row,) = held_lines()
    assert _describe(row, TILL.tz).plain.startswith(f"{local}  王先生")


def test_a_transfer_number_carries_the_shops_time(moment: tuple[FixedClock, date, str], shop: Shop) -> None:
    fixed, day, local = moment
    transfer, _text = transfer_send.send(
        tz=TILL.tz,
        to_store="S002",
        lines=[TransferLine(shop.case, qty=1)],
        staff_id=shop.manager.id,
        now=fixed(),
    )
    assert transfer.number.startswith(f"TR{day:%Y%m%d}{local.replace(':', '')}")
