"""Building and publishing a week's roster with the keyboard alone, at 80x24."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from rich.cells import cell_len
from textual.widgets import DataTable, OptionList

from store.kernel.clock import business_date
from store.kernel.i18n import set_language
from store.models import AuditLog, RosterEntry, RosterWeek
from store.models.base import utcnow
from store.people import roster
from tests.conftest import TILL, Shop
from tests.console_helpers import key_flood, make_app, settle
from tui.screens.choice import ChoiceScreen
from tui.screens.roster import RosterScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


def this_week() -> str:
    return roster.week_of(business_date(utcnow(), TILL.tz))


def cells(week: str) -> dict[tuple[str, int], list[str]]:
    days = roster.week_days(week)
    found: dict[tuple[str, int], list[str]] = {}
    for entry in RosterEntry.select().where(RosterEntry.day.in_(days)).order_by(RosterEntry.start_minute):
        found.setdefault((entry.staff.code, days.index(entry.day)), []).append(entry.shift_code)
    return found


def message(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return str(app.screen.query_one(MessageBar).render())


async def open_roster(pilot: object, app: object) -> RosterScreen:
    from textual.app import App
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot) and isinstance(app, App)
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, ChoiceScreen)
    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert "roster" in ids
    for _ in range(ids.index("roster")):
        await pilot.press("down")
    await pilot.press("enter")
    await app.workers.wait_for_complete()  # the week is read in a worker
    await pilot.pause()
    assert isinstance(app.screen, RosterScreen)
    return app.screen


async def test_build_and_publish_a_week_with_the_keyboard(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    week = this_week()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_roster(pilot, app)
        table = screen.query_one(DataTable)
        assert table.virtual_size.width <= 80  # the whole week fits the terminal
        assert screen.query_one("#roster-conflicts").region.bottom <= 24

        await pilot.press("space")  # M1 (first row), Monday: early
        await pilot.press("down", "space", "space")  # P1 Monday: early, then late
        await settle(pilot)
        assert cells(week) == {("M1", 0): ["E"], ("P1", 0): ["L"]}

        await pilot.press("f4", "up", "f4")  # swap the two Monday cells
        await settle(pilot)
        assert cells(week) == {("M1", 0): ["L"], ("P1", 0): ["E"]}

        await pilot.press("right", "f5", "enter")  # M1 Tuesday: a day off, then rostered anyway
        await settle(pilot)
        assert ("M1", 1) in cells(week)
        conflicts = str(screen.query_one("#roster-conflicts").render())
        assert "王店长 is on leave on Tue" in conflicts

        await pilot.press("f2")
        await settle(pilot)
        assert message(app).startswith("Cannot publish: 王店长 is on leave on Tue")
        assert RosterWeek.get_or_none(RosterWeek.week == week) is None or (
            RosterWeek.get_by_id(week).status == "draft"
        )

        await pilot.press("f5")  # take the day off back
        await pilot.press("down", "f7")  # P1 Tuesday: add a shift from the list
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # the late shift
        await settle(pilot)
        assert cells(week)[("P1", 1)] == ["L"]

        await pilot.press("f2")
        await settle(pilot)
        assert RosterWeek.get_by_id(week).status == "published"
        assert message(app).startswith(f"Roster {week} published")
        assert AuditLog.select().where(AuditLog.action == "roster.publish").count() == 1
        assert "published" in str(screen.query_one("#roster-header").render())

        await pilot.press("f6")  # an edit after publishing: back to draft
        await settle(pilot)
        assert ("P1", 1) not in cells(week)
        assert RosterWeek.get_by_id(week).status == "draft"

        await pilot.press("right_square_bracket")  # next week: empty, then copy last week
        await settle(pilot)
        assert screen.week == roster.shift_week(week, 1)
        await pilot.press("f3")
        await settle(pilot)
        assert message(app) == "Copied 3 shifts from last week."
        assert cells(screen.week) == cells(week) == {("M1", 0): ["L"], ("P1", 0): ["E"], ("M1", 1): ["E"]}

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
    edits = AuditLog.select().where(
        AuditLog.action.in_(("roster.assign", "roster.clear", "roster.swap", "roster.copy"))
    )
    assert edits.count() >= 8 and {row.staff_id for row in edits} == {shop.manager.id}  # who made each edit


async def test_exports_land_in_the_exports_folder(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.paths.exports = str(tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_roster(pilot, app)
        await pilot.press("space", "f8")
        await settle(pilot)
        week = this_week()
        assert (tmp_path / "exports" / f"roster-{week}.csv").read_text(encoding="utf-8").count("\n") == 2
        assert (tmp_path / "exports" / f"roster-{week}.xlsx").exists()


async def test_a_promoter_has_no_roster_in_the_menu(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "roster" not in ids and "sale" in ids


async def test_space_cycles_every_shift_and_back_to_empty(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    week = this_week()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_roster(pilot, app)
        seen = []
        for _ in range(4):
            await pilot.press("space")
            await settle(pilot)
            seen.append(cells(week).get(("M1", 0), []))
        assert seen == [["E"], ["L"], ["F"], []]
        header = str(
            screen.query_one(DataTable).columns[screen.query_one(DataTable).ordered_columns[1].key].label
        )
        assert header.endswith("!")  # nobody on Monday: short of the grade's minimum


async def test_cells_typed_faster_than_the_store_answers_are_edited_in_order(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """Each edit is written in a worker and builds on the grid the one before left: six Spaces
    sent at once cycle the cell six times, in order (early, late, full day, empty, early, late)."""
    app = make_app(db, tmp_path, staff=shop.manager)
    week = this_week()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_roster(pilot, app)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert [s.code for s in app.config.roster.shifts] == ["E", "L", "F"]
        key_flood(pilot, ["space"] * 6 + ["down", "space"])
        for _ in range(200):
            if not screen.waiting_turns("roster") and ("P1", 0) in cells(week):
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert cells(week) == {("M1", 0): ["L"], ("P1", 0): ["E"]}
        assert AuditLog.select().where(AuditLog.action.startswith("roster.")).count() >= 7


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_short_day_keeps_its_mark_on_two_digit_days_in_both_languages(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    week = roster.week_of(date(2026, 12, 14))  # 14 to 20 December: every day has two digits
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = RosterScreen(week)
        app.push_screen(screen)
        await settle(pilot)
        table = screen.query_one(DataTable)
        days = [table.columns[column.key] for column in table.ordered_columns[1:8]]
        labels = [str(column.label) for column in days]
        # Nobody is on: every day is short, and each header shows it within its column.
        assert all(label.endswith("!") for label in labels), labels
        assert all(cell_len(label) <= column.width for label, column in zip(labels, days, strict=True))
        assert table.region.right <= 80
