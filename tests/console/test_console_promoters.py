"""The promoters list and a promoter's profile, driven by keyboard alone at 80x24: a month's
target, training records, level, brand, home store and status reach the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from store.kernel.auth import manager_authority
from store.kernel.errors import PermissionDenied
from store.models import AuditLog, SalesTarget, Staff, TrainingRecord
from store.people import desk as promoter_desk
from store.people import profiles as people
from store.people import staff, targets
from tests.conftest import Shop
from tests.console_helpers import make_app, record_threads, type_text
from tests.store_helpers import forge_actor
from tui.screens.choice import ChoiceScreen
from tui.screens.promoter_profile import PromoterProfileScreen
from tui.screens.promoters import PromotersScreen
from tui.screens.prompt import PromptScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


def menu_ids(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


def said(app: App[None]) -> str:
    return str(app.screen.query_one(MessageBar).render())


async def open_promoters(pilot: Pilot[None], app: App[None]) -> PromotersScreen:
    await pilot.press("f1")
    await pilot.pause()
    ids = menu_ids(app)
    for _ in range(ids.index("promoters")):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PromotersScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


async def settle(pilot: Pilot[None], app: App[None]) -> None:
    """Wait for the workers, and for the reads a write's answer starts in new ones."""
    await pilot.pause()
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def this_month() -> str:
    from store.kernel.clock import business_date
    from store.models.base import utcnow
    from tests.conftest import TILL

    return targets.month_of(business_date(utcnow(), TILL.tz))


async def test_the_list_sets_a_months_target(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    staff.create_staff("P2", "张伟", "promoter", "2222")
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_promoters(pilot, app)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][:4] == ["P1", "李小红", "-", "0"]
        assert table.virtual_size.width <= 80
        assert table.region.bottom <= 24

        await pilot.press("down", "f3")  # 张伟's target: this month, 20 handsets, ¥80,000
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")  # the month offered is this month
        await type_text(pilot, "20")
        await type_text(pilot, "80000")
        await pilot.press("enter")  # all brands
        await settle(pilot, app)
        p2 = people.by_code("P2")
        target = SalesTarget.get(SalesTarget.staff == p2.id)
        assert (target.month, target.units, target.amount, target.brand) == (this_month(), 20, 8_000_000, "")
        assert target.created_by == shop.manager.id
        assert said(app) == f"Target for {this_month()}: 20 handsets, ¥80,000.00."
        assert [str(c) for c in table.get_row_at(1)][5:7] == ["80,000.00", "0"]

        await pilot.press("f3", "enter")  # a bad amount: nothing saved, the reason shown
        await type_text(pilot, "")
        await type_text(pilot, "lots")
        await pilot.pause()
        assert said(app) == "Not an amount: lots"
        assert SalesTarget.select().count() == 1

        await pilot.press("f3", "enter")  # a Huawei target beside the all-brands one
        await type_text(pilot, "5")
        await type_text(pilot, "30000")
        await type_text(pilot, "Huawei")
        await settle(pilot, app)
        brand = SalesTarget.get((SalesTarget.staff == p2.id) & (SalesTarget.brand == "Huawei"))
        assert (brand.units, brand.amount) == (5, 3_000_000)
        assert said(app).endswith("Brand: Huawei.")
        assert SalesTarget.select().count() == 2

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)


async def test_the_profile_records_training_and_edits_the_profile(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_promoters(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        profile = app.screen
        assert isinstance(profile, PromoterProfileScreen)
        assert profile.query_one("#promoter-training").region.bottom <= 24
        panel = str(profile.query_one("#promoter-panel").render())
        assert "Eligible for L1 见习促销员 now" in panel  # not on the ladder yet: the first rung is free

        await pilot.press("f8")  # promote: '' -> L1
        await settle(pilot, app)
        assert Staff.get_by_id(shop.promoter.id).level == "L1"
        assert "Next: L2 促销员; missing" in str(profile.query_one("#promoter-panel").render())

        await pilot.press("f2")  # training: the ladder's first course, today, passed, a note
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("enter")  # today's date is offered
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # passed
        await settle(pilot, app)
        await type_text(pilot, "满分")
        await settle(pilot, app)
        record = TrainingRecord.get()
        assert (record.staff_id, record.course, record.result, record.note) == (
            shop.promoter.id,
            "产品知识",
            "passed",
            "满分",
        )
        assert record.created_by == shop.manager.id
        assert said(app) == "Training recorded: 产品知识, passed."
        assert profile.query_one(DataTable).row_count == 1
        assert "course 产品知识" not in str(profile.query_one("#promoter-panel").render())

        await pilot.press("f2")  # another course, typed; a date in the future is refused
        await settle(pilot, app)
        await pilot.press("end", "enter")  # "Another course…" is last
        await type_text(pilot, "销售技巧")
        await settle(pilot, app)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "2999-01-01")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)  # the date reads well; the store judges it
        await pilot.press("enter")
        await type_text(pilot, "")
        await settle(pilot, app)
        assert said(app) == "A training record cannot be dated in the future."
        assert TrainingRecord.select().count() == 1

        await pilot.press("f4")  # level: L3, picked from the ladder
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "enter")  # the list opens on the current level, L1
        await settle(pilot, app)
        assert Staff.get_by_id(shop.promoter.id).level == "L3"

        await pilot.press("f5")
        await type_text(pilot, "Huawei")
        await pilot.press("f6")
        await type_text(pilot, "S002")
        await settle(pilot, app)
        member = Staff.get_by_id(shop.promoter.id)
        assert (member.brand, member.home_store) == ("Huawei", "S002")

        await pilot.press("f6")
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "S-2")
        await settle(pilot, app)
        assert said(app) == "A store code is letters and digits only."
        assert Staff.get_by_id(shop.promoter.id).home_store == "S002"

        await pilot.press("f7", "down", "enter")  # status: on leave
        await settle(pilot, app)
        assert Staff.get_by_id(shop.promoter.id).status == "on_leave"
        assert "on leave" in str(profile.query_one("#promoter-header").render())

        await pilot.press("f3", "enter")  # the month's target from the profile too
        await type_text(pilot, "")
        await type_text(pilot, "¥12,000.50")
        await pilot.press("enter")
        await settle(pilot, app)
        target = SalesTarget.get()
        assert (target.units, target.amount) == (0, 1_200_050)
        assert "target ¥12,000.50 (0%)" in str(profile.query_one("#promoter-panel").render())

        actions = [a.action for a in AuditLog.select().where(AuditLog.entity_id == shop.promoter.id)]
        assert actions.count("staff.profile") == 4  # promote, level, brand, home store
        assert "staff.training" in actions and "staff.status" in actions

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, PromotersScreen)
        assert [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)][2] == "高级促销员"


async def test_a_promoter_cannot_reach_the_promoters_screen(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        ids = menu_ids(app)
        assert "promoters" not in ids and "leave" in ids
        await pilot.press("escape")
        await pilot.pause()
        app.go_to("promoters")  # the command palette goes the same way: refused
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)

        # Even a profile screen opened some other way cannot change anything.
        await app.push_screen(PromoterProfileScreen(shop.promoter.id))
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert said(app) == "李小红 is not a manager; ask a manager to approve it."
        await pilot.press("f3")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        assert Staff.get_by_id(shop.promoter.id).level == ""
        assert SalesTarget.select().count() == 0


async def test_the_profile_is_read_off_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop = record_threads(monkeypatch, promoter_desk, "profile")
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        profile = PromoterProfileScreen(shop.promoter.id)
        await app.push_screen(profile)
        await settle(pilot, app)
        assert on_loop == [False]
        assert "李小红 (P1)" in str(profile.query_one("#promoter-header").render())
        assert "Eligible for L1 见习促销员 now" in str(profile.query_one("#promoter-panel").render())
        await pilot.press("f8")  # promoted, then read again in a worker
        await settle(pilot, app)
        assert on_loop == [False, False]
        assert "Next: L2 促销员; missing" in str(profile.query_one("#promoter-panel").render())


def test_only_a_manager_approves_on_the_console(shop: Shop) -> None:
    assert manager_authority(forge_actor(shop.manager)) == (shop.manager.id, shop.manager.id)
    with pytest.raises(PermissionDenied):
        manager_authority(forge_actor(shop.promoter))


def test_courses_come_from_the_ladder_once_each(shop: Shop) -> None:
    from store.config.loader import Config

    assert promoter_desk.ladder_courses(Config().ladder) == ["产品知识", "销售技巧", "门店管理"]


def test_typed_handsets_and_days() -> None:
    from datetime import date

    from store.kernel.errors import ValidationError

    assert targets.parse_units(" ２０ ") == 20 and targets.parse_units("") == 0
    with pytest.raises(ValidationError):
        targets.parse_units("-3")
    assert promoter_desk.parse_day("２０２６-１２-０１") == date(2026, 12, 1)
    with pytest.raises(ValidationError):
        promoter_desk.parse_day("12/01")
