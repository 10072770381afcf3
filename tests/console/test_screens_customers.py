"""Text snapshots of the customer screens at 80x24 in both languages: a manager's walk from the
menu through the list, a profile, its form and referrals, tasks, segments and care. How to
update them: tests/console/test_screens_selling.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.crm.followup import add_task
from store.crm.records import create_customer
from store.kernel import FixedClock
from store.kernel.i18n import set_language
from tests.conftest import Shop
from tests.console.screen_text import Snapshots, go, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tui.screens.care import CareScreen
from tui.screens.customer_form import CustomerFormScreen
from tui.screens.customer_profile import CustomerProfileScreen
from tui.screens.customer_referrals import CustomerReferralsScreen
from tui.screens.customers import CustomersScreen
from tui.screens.segments import SegmentsScreen
from tui.screens.tasks import TasksScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_customer_screens(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    clock: FixedClock,
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    # A birthday tomorrow and a call-back due today, by the suite's clock.
    today = clock.today()
    birthday = f"1990-{today + timedelta(days=1):%m-%d}"
    customer = create_customer(
        "13800138000", "张三", birthday=birthday, owner_id=shop.manager.id, by=shop.manager.id
    )
    add_task(customer.id, "回访 iPhone 15", today, owner_id=shop.manager.id, by=shop.manager.id)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        await snaps.check(pilot, "menu")
        await pilot.press("escape")

        await go(pilot, "customers")
        assert isinstance(app.screen, CustomersScreen)
        await snaps.check(pilot, "customers")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        await snaps.check(pilot, "customer-form")
        await pilot.press("escape")
        await settle(pilot)
        await type_text(pilot, "13800138000")
        await settle(pilot)
        assert isinstance(app.screen, CustomerProfileScreen)
        await snaps.check(pilot, "customer-profile")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, CustomerReferralsScreen)
        await snaps.check(pilot, "customer-referrals")

        await go(pilot, "tasks")
        assert isinstance(app.screen, TasksScreen)
        await snaps.check(pilot, "tasks")
        await go(pilot, "segments")
        assert isinstance(app.screen, SegmentsScreen)
        await snaps.check(pilot, "segments")
        await go(pilot, "care")
        assert isinstance(app.screen, CareScreen)
        await snaps.check(pilot, "care")
    snaps.finish()
