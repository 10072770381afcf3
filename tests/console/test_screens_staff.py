"""Text snapshots of the staff screens at 80x24 in both languages: a manager's walk from the
menu through promoters, a promoter's profile, the roster, the time clock, leave, staff, sales
and targets and the referral board. How to update them: tests/console/test_screens_selling.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.kernel.i18n import set_language
from tests.conftest import Shop
from tests.console.screen_text import Snapshots, go, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tui.screens.leave import LeaveScreen
from tui.screens.progress import ProgressScreen
from tui.screens.promoter_profile import PromoterProfileScreen
from tui.screens.promoters import PromotersScreen
from tui.screens.referral_board import ReferralBoardScreen
from tui.screens.roster import RosterScreen
from tui.screens.staff_admin import StaffAdminScreen
from tui.screens.timeclock import TimeClockScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_staff_screens(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "promoters")
        assert isinstance(app.screen, PromotersScreen)
        await snaps.check(pilot, "promoters")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromoterProfileScreen)
        await snaps.check(pilot, "promoter-profile")

        await go(pilot, "roster")
        assert isinstance(app.screen, RosterScreen)
        await snaps.check(pilot, "roster")
        await go(pilot, "clock")
        assert isinstance(app.screen, TimeClockScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111", enter=False)
        await pilot.press("f2")  # clocked in: today's line shows
        await settle(pilot)
        await snaps.check(pilot, "timeclock")
        await go(pilot, "leave")
        assert isinstance(app.screen, LeaveScreen)
        await snaps.check(pilot, "leave")
        await go(pilot, "staff")
        assert isinstance(app.screen, StaffAdminScreen)
        await snaps.check(pilot, "staff")
        await go(pilot, "progress")
        assert isinstance(app.screen, ProgressScreen)
        await snaps.check(pilot, "progress")
        await go(pilot, "referrals")
        assert isinstance(app.screen, ReferralBoardScreen)
        await snaps.check(pilot, "referral-board")
    snaps.finish()
