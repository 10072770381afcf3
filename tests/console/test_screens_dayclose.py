"""Text snapshots at 80x24 in both languages of the day close: the day report (the X report, the
sales by hour), the close dialog with a count ¥10 short, and the reminder of a day left open.
How to update: tests/console/test_screens_selling.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.dayclose import days, drawer
from store.kernel import FixedClock
from store.kernel.auth import actor_for_login
from store.kernel.i18n import _, set_language
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console.screen_text import Snapshots, go, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tests.store_helpers import sell
from tui.screens.day_close import DayCloseScreen
from tui.screens.day_report import DayReportScreen
from tui.screens.open_days import OpenDaysScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_day_close_screens(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    clock: FixedClock,
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    # The hours shown are the store's (09:00-22:00), widened to a sale outside them (a run of the
    # suite a minute before midnight sells at 23:59).
    hour = clock.local_now().hour
    span = f"{min(hour, 9):02}:00-{max(hour, 21):02}:59"
    drawer.open_session(
        TILL.terminal_id, TILL.tz, actor=actor_for_login(shop.promoter), counts={10000: 2, 1000: 5}
    )
    checkout.acknowledge(sell(shop, case_qty=2).id)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "day_close")
        assert isinstance(app.screen, DayReportScreen)
        await snaps.check(pilot, "day-report", shows=_("Sales by hour {span}").format(span=span))
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DayCloseScreen)
        await type_text(pilot, "100x3 10x1 5x1 1x3")
        await snaps.check(
            pilot,
            "day-close",
            shows=_("Counted {amount}: short by {gap}.").format(amount="¥318.00", gap="¥10.00"),
        )
        await pilot.press("escape")
        await settle(pilot)
        # Tomorrow by the suite's clock, with today's drawer still open: one day left open.
        notice = days.open_days_notice(TILL.terminal_id, clock.today() + timedelta(days=1))
        assert notice
        for manager, name in ((True, "open-days-manager"), (False, "open-days")):
            app.push_screen(OpenDaysScreen(notice, manager))
            await snaps.check(pilot, name, shows=notice)
            await pilot.press("escape")
            await settle(pilot)
    snaps.finish()
