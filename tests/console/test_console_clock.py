"""At login, at 80×24: a clock a year ahead of the store's last event is shown to a manager with
both times and a key to confirm the date; anyone else is told to call the manager."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from store.kernel import FixedClock, clock_guard
from store.models import AuditLog, ReferralReward
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console_helpers import make_app, scanner_burst, settle, type_text
from tests.referral_helpers import customer, policy, sell_to, till_with
from tests.store_helpers import confirm_clock
from tui.app import ZhangguiApp
from tui.screens.clock_check import ClockCheckScreen
from tui.screens.pay import PayScreen
from tui.screens.sale import SaleScreen

LAST = datetime(2026, 11, 27, 4, 0)  # 12:00 in Shanghai
AHEAD = LAST + timedelta(days=365, hours=2)


def app_at(shop: Shop, db: SqliteDatabase, tmp_path: Path, now: datetime) -> ZhangguiApp:
    confirm_clock(LAST, TILL.tz)  # the store's time, whatever the test machine's clock said at setup
    # The console's clock is given at its making: it reads it from before the store is open.
    return make_app(db, tmp_path, clock=FixedClock(now, TILL.tz))


def message(app: ZhangguiApp) -> str:
    screen = app.screen
    assert isinstance(screen, SaleScreen)
    return str(screen.query_one("#message").render())


async def test_a_manager_is_warned_at_login_and_confirms_the_date(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = app_at(shop, db, tmp_path, AHEAD)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClockCheckScreen)
        text = " ".join(str(label.render()) for label in screen.query("Label, Static"))
        assert "This computer's clock: 2027-11-27 14:00" in text
        assert "The store's last recorded event: 2026-11-27 12:00" in text
        assert "The clock is 365 days later" in text
        assert "F2: today is 2027-11-27" in text
        keys = screen.query_one("#clock-check-keys")
        assert keys.region.bottom <= 24 and keys.region.right <= 80  # all of it on an 80×24 screen
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert "Date confirmed" in message(app)
    row = AuditLog.select().where(AuditLog.action == "clock.confirm_date").order_by(AuditLog.seq.desc()).get()
    assert (row.staff_id, row.entity_id) == (shop.manager.id, "2027-11-27")
    assert not clock_guard.check(AHEAD).suspicious


async def test_not_now_leaves_the_date_unconfirmed(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = app_at(shop, db, tmp_path, AHEAD)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert isinstance(app.screen, ClockCheckScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert "The date is not confirmed" in message(app)
    assert clock_guard.check(AHEAD).suspicious


async def test_anyone_else_is_told_to_call_the_manager(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = app_at(shop, db, tmp_path, LAST - timedelta(days=1))  # a clock set back a day
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        text = message(app)
        assert text == "Call the manager: the computer's clock is 1 day off from the store's records."
    assert clock_guard.check(LAST - timedelta(days=1)).suspicious


async def test_a_right_clock_asks_nothing(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = app_at(shop, db, tmp_path, LAST + timedelta(hours=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert "clock" not in message(app)


async def test_the_pay_screen_leaves_rewards_pending_while_the_clock_is_unconfirmed(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    old = customer("13800138000", "张老客")
    new = customer("13900139000", "李新客")
    confirm_clock(LAST, TILL.tz)
    for sale in (
        sell_to(shop, till_with(shop, policy()), old, shop.case.sku, when=LAST),
        sell_to(
            shop, till_with(shop, policy()), new, shop.imeis[0], referrer=old, when=LAST
        ),  # due in a week
    ):
        checkout.acknowledge(sale.id)  # their receipts were printed then
    app = make_app(db, tmp_path, staff=shop.promoter, clock=FixedClock(AHEAD, TILL.tz))
    app.config.referrals = policy()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scanner_burst(pilot, shop.case.sku)
        await pilot.press("f9")
        await type_text(pilot, "13800138000")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        pay = app.screen
        assert isinstance(pay, PayScreen)
        assert "Referral rewards wait until a manager confirms the date." in str(
            pay.query_one("#pay-message").render()
        )
    assert {r.status for r in ReferralReward.select()} == {"pending"}


async def test_the_date_is_confirmed_in_a_worker_and_a_second_f2_meanwhile_does_not_confirm_twice(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []
    real = clock_guard.confirm_date

    def slow_confirm(*args: Any, **kwargs: Any) -> clock_guard.ClockState:
        assert threading.current_thread() is not threading.main_thread()
        calls.append("confirm")
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    app = app_at(shop, db, tmp_path, AHEAD)
    monkeypatch.setattr(clock_guard, "confirm_date", slow_confirm)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClockCheckScreen)
        await pilot.press("f2")
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause(0.01)
        await pilot.press("f2")  # impatient: still confirming
        await pilot.pause()
        assert app.screen is screen
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert "Date confirmed" in message(app)
    assert calls == ["confirm"]
