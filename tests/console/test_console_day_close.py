"""The day close at the console (80x24, keyboard only): the day report with its sales by hour,
the close with a count ¥10 short and a reason under a manager's PIN, the Z report and the
backup's sentence, the next sale on the next business day; a promoter's PIN cannot close and a
missing backup folder is said; a day left open is said at the next login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import Input, Label, Sparkline, Static

from store.dayclose import drawer
from store.kernel import FixedClock
from store.kernel.auth import actor_for_login
from store.models import DayClose
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console.screen_text import go, screen_text
from tests.console_helpers import make_app, settle, type_text
from tests.store_helpers import confirm_clock, sell
from tui.screens.day_close import DayCloseScreen
from tui.screens.day_report import DayReportScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.open_days import OpenDaysScreen
from tui.widgets.message_bar import MessageBar


def _open_and_sell(shop: Shop) -> None:
    drawer.open_session(
        TILL.terminal_id, TILL.tz, actor=actor_for_login(shop.promoter), counts={10000: 2, 1000: 5}
    )
    checkout.acknowledge(sell(shop, case_qty=2).id)  # ¥78 cash: ¥328 expected in the drawer


async def _until(pilot: object, done: Callable[[], bool]) -> None:
    """Settle until ``done()`` (bounded): the PIN, the close and the report are workers in turn."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(200):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.02)


def _said(app: object) -> str:
    from tui.app import ZhangguiApp

    assert isinstance(app, ZhangguiApp)
    return str(app.screen.query_one(MessageBar).render())


async def test_report_close_short_with_a_reason_backup_and_the_next_day(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    today = clock.today()  # the business day by the suite's clock: any moment, any month end
    _open_and_sell(shop)
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.backup.folder = str(tmp_path / "usb")
    (tmp_path / "usb").mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "day_close")
        screen = app.screen
        assert isinstance(screen, DayReportScreen)
        text = screen_text(app)
        assert "X report" in text and "¥328.00" in str(screen.query_one("#day-text", Static).render())
        assert max(screen.query_one(Sparkline).data or [0]) == 7800
        assert "Sales by hour" in str(screen.query_one("#day-hours", Label).render())
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DayCloseScreen)
        await type_text(pilot, "100x3 10x1 5x1 1x3")
        await settle(pilot)
        assert "short by ¥10.00" in str(app.screen.query_one("#day-close-diff", Label).render())
        await pilot.press("f2")
        await settle(pilot)
        assert "type a reason" in str(app.screen.query_one("#day-close-message", Label).render())
        await type_text(pilot, "找零错误")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ManagerPinScreen)
        await _until(pilot, lambda: getattr(app.screen.focused, "id", "") == "manager-code")
        await type_text(pilot, "M1")  # and Enter, once: a second one would check an empty PIN
        await _until(pilot, lambda: getattr(app.screen.focused, "id", "") == "manager-pin")
        await type_text(pilot, "1234")
        await _until(pilot, lambda: app.screen is screen and "Backup" in _said(app))
        assert app.screen is screen
        assert "Z report No. 0001" in str(screen.query_one("#day-text", Static).render())
        assert "Backup" in _said(app) and "usb" in _said(app), _said(app)
        await pilot.press("f2")  # the closed day chosen again: its Z report, reprinted
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, today.isoformat())
        await settle(pilot)
        assert "Z report No. 0001" in str(screen.query_one("#day-text", Static).render())
        await pilot.press("f5")
        assert "never redone" in _said(app), _said(app)
        await pilot.press("escape")
        await settle(pilot)
    assert [(z.z_no, z.counted, z.over_short, z.reason) for z in DayClose.select()] == [
        (1, 31800, -1000, "找零错误")
    ]
    tomorrow = today + timedelta(days=1)
    assert f"-{tomorrow:%Y%m%d}-" in sell(shop, case_qty=1).receipt_no  # after the close: tomorrow
    assert list((tmp_path / "usb").iterdir())


async def test_a_promoters_pin_cannot_close_and_a_missing_folder_is_said(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    _open_and_sell(shop)
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.backup.folder = str(tmp_path / "no-stick")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "day_close")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f3")  # not counted
        await type_text(pilot, "停电")
        await pilot.press("f2")
        await settle(pilot)
        pin = app.screen
        assert isinstance(pin, ManagerPinScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await _until(pilot, lambda: "manager" in str(pin.query_one("#manager-message", Label).render()))
        assert app.screen is pin and "manager" in str(pin.query_one("#manager-message", Label).render())
        assert not DayClose.select().exists()
        # Back at an empty code field: somebody else has to approve.
        await _until(pilot, lambda: getattr(app.screen.focused, "id", "") == "manager-code")
        assert pin.query_one("#manager-code", Input).value == ""
        await type_text(pilot, "M1")  # and Enter, once: a second one would check an empty PIN
        await type_text(pilot, "1234")
        await _until(pilot, lambda: isinstance(app.screen, DayReportScreen) and "missing" in _said(app))
        assert isinstance(app.screen, DayReportScreen)
        assert "missing" in _said(app) and "no-stick" in _said(app), _said(app)
    assert [(z.counted, z.reason) for z in DayClose.select()] == [(None, "停电")]


async def test_a_day_left_open_is_said_at_the_next_login(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    today = clock.now()
    clock.set(today - timedelta(days=1))
    _open_and_sell(shop)
    clock.set(today)
    confirm_clock(clock.now(), TILL.tz)
    app = make_app(db, tmp_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await _until(pilot, lambda: isinstance(app.screen, OpenDaysScreen))
        assert isinstance(app.screen, OpenDaysScreen)
        yesterday = (clock.today() - timedelta(days=1)).isoformat()
        assert f"1 day was not closed ({yesterday})" in screen_text(app).replace("\n", " ")
        await pilot.press("f2")  # not a manager: nothing
        await settle(pilot)
        assert isinstance(app.screen, OpenDaysScreen)
        await pilot.press("escape")  # sell on
        await settle(pilot)
        assert not isinstance(app.screen, OpenDaysScreen)
        app.lock()  # the manager logs in next: told again, and goes straight to closing it
        await settle(pilot)
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await _until(pilot, lambda: isinstance(app.screen, OpenDaysScreen))
        assert isinstance(app.screen, OpenDaysScreen)
        await pilot.press("f2")
        await _until(pilot, lambda: isinstance(app.screen, DayCloseScreen))
        assert (
            isinstance(app.screen, DayCloseScreen) and app.screen.made.business_date.isoformat() == yesterday
        )
