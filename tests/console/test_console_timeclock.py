"""Clocking in and out at the terminal, a manager's correction and a missed spell added, at 80x24."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from store.kernel import FixedClock
from store.models import AuditLog, TimeEntry
from store.people import directory, timeclock
from tests.conftest import TEST_NOW, TILL, Shop
from tests.console_helpers import key_flood, make_app, record_threads, settle, type_text, until
from tui.screens.choice import ChoiceScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.prompt import PromptScreen
from tui.screens.timeclock import TimeClockScreen
from tui.widgets.message_bar import MessageBar


async def open_clock(pilot: object, app: object) -> TimeClockScreen:
    from textual.app import App
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot) and isinstance(app, App)
    await pilot.press("f1")
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    for _ in range(ids.index("clock")):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, TimeClockScreen)
    return app.screen


def said(screen: TimeClockScreen) -> str:
    return str(screen.query_one(MessageBar).render())


async def test_clock_in_and_out_with_code_and_pin(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_clock(pilot, app)
        key_flood(pilot, [*"P1", "enter", *"1111", "f2"])  # in one burst: no key is lost
        # Each answer comes from a store call in a worker, after the keys of the flood are
        # handled: on a loaded machine one settle (or a pause) could look before it came.
        await until(pilot, lambda: said(screen).startswith("李小红 clocked in at "))
        assert said(screen).startswith("李小红 clocked in at ")
        entry = TimeEntry.get()
        assert entry.staff_id == shop.promoter.id and entry.clock_out is None
        assert "李小红" in str(screen.query_one("#clock-today").render())

        await type_text(pilot, "P1")
        await type_text(pilot, "1111", enter=False)
        await pilot.press("f2")  # a second clock-in
        await until(pilot, lambda: "already clocked in" in said(screen))
        assert said(screen).startswith("李小红 is already clocked in since ")
        assert TimeEntry.select().count() == 1

        await pilot.press("f3")  # the PIN was cleared: wrong PIN, nothing happens
        await until(pilot, lambda: "Wrong staff code or PIN" in said(screen))
        assert "Wrong staff code or PIN" in said(screen)
        await type_text(pilot, "1111", enter=False)
        await pilot.press("f3")
        await until(pilot, lambda: "clocked out at" in said(screen))
        assert said(screen).startswith("李小红 clocked out at ")
        assert TimeEntry.get().clock_out is not None

        await type_text(pilot, "M1")
        await type_text(pilot, "1234", enter=False)
        await pilot.press("f3")
        await until(pilot, lambda: said(screen).startswith("王店长"))
        assert said(screen) == "王店长 has not clocked in today, so cannot clock out."


async def test_a_manager_corrects_a_promoters_times(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from store.models.base import utcnow

    yesterday = timeclock.local(utcnow(), TILL.tz).date() - timedelta(days=1)
    timeclock.clock_in(
        "P1",
        "1111",
        TILL.tz,
        now=timeclock.to_utc(
            datetime.combine(yesterday, datetime.min.time()).replace(hour=9, minute=20), TILL.tz
        ),
    )
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_clock(pilot, app)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "09:00")
        await pilot.pause()
        await type_text(pilot, "15:30")
        await pilot.pause()
        await type_text(pilot, "忘记打卡")
        await settle(pilot)
        assert said(screen) == "Times corrected by 王店长."
        entry = TimeEntry.get()
        assert timeclock.local(entry.clock_in, TILL.tz) == datetime.combine(
            yesterday, datetime.min.time()
        ).replace(hour=9)
        assert entry.corrected_by == shop.manager.id and entry.note == "忘记打卡"
        assert timeclock.hours_text(int((entry.clock_out - entry.clock_in).total_seconds() // 60)) == "6:30"
        assert AuditLog.select().where(AuditLog.action == "time.correct").count() == 1


async def test_todays_list_and_the_week_to_correct_are_read_off_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeclock.clock_in("P1", "1111", TILL.tz)
    attendance = record_threads(monkeypatch, timeclock, "attendance")
    entries = record_threads(monkeypatch, timeclock, "entries_between")
    names = record_threads(monkeypatch, directory, "staff_names")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_clock(pilot, app)
        assert attendance == [False] and names == [False]
        assert entries and not any(entries)  # attendance reads entries too
        read = len(entries)
        today = str(screen.query_one("#clock-today").render())
        assert "李小红" in today and "…" in today  # clocked in, not out yet
        await pilot.press("f5")
        await pilot.pause()
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert len(entries) > read and not any(entries) and names == [False, False]
        assert isinstance(app.screen, ChoiceScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1 and "李小红" in str(options.get_option_at_index(0).prompt)


async def add_missed(pilot: Pilot[None], approver: str, pin: str, answers: list[str]) -> None:
    """F6, a manager's code and PIN typed in one burst, then each prompt's answer with Enter."""
    app = pilot.app
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(app.screen, ManagerPinScreen)
    key_flood(pilot, [*approver, "enter", *pin, "enter"])  # in one burst: no key is lost
    await settle(pilot)
    await answer(pilot, answers)


async def answer(pilot: Pilot[None], answers: list[str]) -> None:
    """Each prompt's answer (over what it offers; "=": take what it offers), with Enter."""
    answered: list[object] = []

    def a_new_prompt() -> bool:
        return isinstance(pilot.app.screen, PromptScreen) and pilot.app.screen not in answered

    for value in answers:
        # A prompt may come after a worker's answer (the staff code is read before the day is
        # asked): on a loaded machine one pause is not always enough for it to be in front.
        await until(pilot, a_new_prompt)
        prompt = pilot.app.screen
        assert isinstance(prompt, PromptScreen), value
        answered.append(prompt)
        if value != "=":
            prompt.query_one(Input).value = value
        await pilot.press("enter")
        await pilot.pause()
    await settle(pilot)  # the staff code is read, the spell written, in a worker


def prompt_text(pilot: Pilot[None]) -> str:
    return " ".join(str(label.render()) for label in pilot.app.screen.query(Label))


async def test_a_manager_adds_a_missed_spell_for_a_promoter(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    """F6: a manager's PIN (not the promoter's own), whose spell, the day, the times and a
    reason. Times the store refuses are asked again under its sentence, the reason kept (a
    manager's own times: tests/unit/test_timeclock.py)."""
    day = timeclock.local(TEST_NOW, TILL.tz).date() + timedelta(days=1)
    clock.set(timeclock.to_utc(datetime.combine(day, time(15, 0)), TILL.tz))  # 15:00 at the shop
    today = day.isoformat()
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_clock(pilot, app)
        await add_missed(pilot, "P1", "1111", [])  # the promoter approving their own
        assert isinstance(app.screen, ManagerPinScreen)
        assert str(app.screen.query_one("#manager-message").render()) == "李小红 is not a manager."
        await pilot.press("escape")
        await pilot.pause()

        await add_missed(pilot, "M1", "1234", ["p1", "=", "12:00", "09:00", "忘记打卡"])
        assert isinstance(app.screen, PromptScreen)  # the times again, under the store's sentence
        assert "The clock-out must be after the clock-in." in prompt_text(pilot)
        await answer(pilot, ["14:00", "16:00", "="])  # the reason typed before is offered
        assert "Times cannot be in the future." in prompt_text(pilot)
        assert TimeEntry.select().count() == 0

        await answer(pilot, ["09:00", "12:30", "="])
        assert app.screen is screen
        assert said(screen) == f"李小红 worked {today} 09:00-12:30: added by 王店长."
        shown = str(screen.query_one("#clock-today").render())
        assert "李小红" in shown and "09:00-12:30" in shown
    entry = TimeEntry.get()
    assert (entry.staff_id, entry.corrected_by, entry.note) == (shop.promoter.id, shop.manager.id, "忘记打卡")
    assert timeclock.local(entry.clock_in, TILL.tz) == datetime.combine(day, time(9, 0))
    audit = AuditLog.get(AuditLog.action == "time.add")
    assert (audit.staff_id, audit.entity_id) == (shop.manager.id, entry.id)
