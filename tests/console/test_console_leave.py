"""Leave at the console, at 80x24: a promoter asks for days off of a kind (事假, 病假, 年假, 调休);
a manager approves or refuses; a promoter cannot decide anything."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from store.kernel.errors import ValidationError
from store.models import AuditLog, LeaveRequest
from store.people import desk as promoter_desk
from store.people import leave_list, leave_requests, roster, staff
from store.people import profiles as people
from tests.conftest import TILL, Shop
from tests.console_helpers import make_app, record_threads, settle, type_text
from tests.store_helpers import manager_actor
from tui.screens.choice import ChoiceScreen
from tui.screens.leave import LeaveScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.message_bar import MessageBar


def today() -> date:
    from store.kernel.clock import business_date
    from store.models.base import utcnow

    return business_date(utcnow(), TILL.tz)


def said(app: App[None]) -> str:
    return str(app.screen.query_one(MessageBar).render())


async def open_leave(pilot: Pilot[None], app: App[None]) -> LeaveScreen:
    await pilot.press("f1")
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    for _ in range(ids.index("leave")):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, LeaveScreen)
    return app.screen


async def test_a_promoter_asks_for_leave_and_cannot_approve_it(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_leave(pilot, app)
        assert not screen.check_action("decide", (True,))  # no Approve or Refuse in the footer
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # the kind first: personal leave offered
        kinds = app.screen.query_one(OptionList)
        assert [str(kinds.get_option_at_index(i).prompt) for i in range(kinds.option_count)] == [
            "Personal leave (事假)",
            "Sick leave (病假)",
            "Annual leave (年假)",
            "Time off in lieu (调休)",
        ]
        assert kinds.highlighted == 0
        await pilot.press("down", "enter")  # sick leave
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")  # tomorrow is offered as the first day
        await pilot.press(*["backspace"] * 10)
        last = today() + timedelta(days=3)
        await type_text(pilot, last.isoformat())
        await type_text(pilot, "回老家")
        await settle(pilot)
        request = LeaveRequest.get()
        assert (request.staff_id, request.first_day, request.last_day, request.reason, request.status) == (
            shop.promoter.id,
            today() + timedelta(days=1),
            last,
            "回老家",
            "requested",
        )
        assert (request.created_by, request.kind) == (shop.promoter.id, "sick")
        assert said(app).startswith("Sick leave (病假) from ")
        table = screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)] == [
            "李小红",
            "sick",
            (today() + timedelta(days=1)).isoformat(),
            last.isoformat(),
            "3",
            "waiting",
            "回老家",
        ]
        assert table.virtual_size.width <= 80 and table.region.bottom <= 24

        await pilot.press("f3", "f4")
        await pilot.pause()
        assert LeaveRequest.get().status == "requested"

        await pilot.press("f2", "enter", "enter")  # ends before it starts: refused with the reason
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, today().isoformat())
        await type_text(pilot, "")
        await pilot.pause()
        assert said(app) == "Leave must end on or after its first day."
        assert LeaveRequest.select().count() == 1

        await pilot.press("f2", "enter")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "tomorrow")
        await pilot.pause()
        assert said(app) == "A date is written like 2026-12-01: tomorrow"


async def test_a_manager_approves_and_refuses(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    other = staff.create_staff("P2", "张伟", "promoter", "2222")
    start = today() + timedelta(days=5)
    leave_requests.request_leave(
        shop.promoter.id, start, start + timedelta(days=1), "婚礼", by=shop.promoter.id, kind="annual"
    )
    leave_requests.request_leave(
        other.id, start + timedelta(days=2), start + timedelta(days=2), "", by=other.id, kind="in_lieu"
    )
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_leave(pilot, app)
        assert "2 waiting for a decision" in str(screen.query_one("#leave-header").render())
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(table.get_row_at(i)[1]) for i in range(2)] == ["annual", "in lieu"]  # each kind

        await pilot.press("f3")  # the first: 李小红's
        await settle(pilot)
        first = LeaveRequest.get(LeaveRequest.staff == shop.promoter.id)
        assert (first.status, first.decided_by) == ("approved", shop.manager.id)
        assert said(app) == "Leave for 李小红 approved."
        assert [str(c) for c in table.get_row_at(1)][5] == "approved"  # decided ones go below

        await pilot.press("home", "f4")  # now the pending one is first: 张伟's
        await settle(pilot)
        assert LeaveRequest.get(LeaveRequest.staff == other.id).status == "refused"
        assert said(app) == "Leave for 张伟 refused."

        await pilot.press("f3")  # already decided
        await pilot.pause()
        assert said(app) == "This leave request was already decided."

        await pilot.press("f2", "enter", "enter", "enter")  # the manager's own day off …
        await type_text(pilot, "")
        await settle(pilot)
        mine = LeaveRequest.get(LeaveRequest.staff == shop.manager.id)
        await pilot.press("home", "f3")  # … waits for another manager
        await pilot.pause()
        assert said(app) == "Nobody decides their own leave."
        assert LeaveRequest.get_by_id(mine.id).status == "requested"

        decisions = AuditLog.select().where(AuditLog.action.in_(("leave.approve", "leave.refuse")))
        assert sorted((a.action, a.staff_id) for a in decisions) == [
            ("leave.approve", shop.manager.id),
            ("leave.refuse", shop.manager.id),
        ]
        # Approved leave is what the roster sees.
        grid = roster.load_week(roster.week_of(start), app.config)
        assert (shop.promoter.id, start) in grid.leave


def test_old_decided_leave_drops_off_and_pending_comes_first(shop: Shop) -> None:
    old = date(2020, 1, 6)
    stale = leave_requests.request_leave(shop.promoter.id, old, old, "", by=shop.promoter.id)
    leave_requests.decide_leave(stale.id, True, actor=manager_actor(shop))
    waiting = leave_requests.request_leave(shop.promoter.id, old, old, "", by=shop.promoter.id)
    later = today() + timedelta(days=2)
    decided = leave_requests.request_leave(shop.promoter.id, later, later, "", by=shop.promoter.id)
    leave_requests.decide_leave(decided.id, False, actor=manager_actor(shop))
    soon = leave_requests.request_leave(shop.promoter.id, later, later, "", by=shop.promoter.id)
    shown = [r.id for r in promoter_desk.leave_requests(shop.promoter.id, today())]
    assert shown == [waiting.id, soon.id, decided.id]
    assert promoter_desk.leave_requests(shop.manager.id, today()) == []


async def test_a_promoter_withdraws_a_waiting_request_but_not_a_decided_one(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    start = today() + timedelta(days=10)
    waiting = leave_requests.request_leave(shop.promoter.id, start, start, "家里有事", by=shop.promoter.id)
    decided = leave_requests.request_leave(
        shop.promoter.id, start + timedelta(days=5), start + timedelta(days=5), "看病", by=shop.promoter.id
    )
    leave_requests.decide_leave(decided.id, True, actor=manager_actor(shop))
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_leave(pilot, app)
        rows = [r.id for r in screen.requests]
        assert rows[0] == waiting.id  # the waiting request is listed first
        await pilot.press("f5")
        await settle(pilot)
        assert LeaveRequest.get_by_id(waiting.id).status == "withdrawn"
        assert "withdrawn" in said(app)
        screen.query_one(DataTable).move_cursor(row=[r.id for r in screen.requests].index(decided.id))
        await pilot.press("f5")
        await pilot.pause()
        assert LeaveRequest.get_by_id(decided.id).status == "approved"
        assert "already decided" in said(app)
    row = AuditLog.get(AuditLog.action == "leave.withdraw")
    assert (row.staff_id, row.entity_id) == (shop.promoter.id, waiting.id)


def test_only_the_person_who_asked_can_withdraw(shop: Shop) -> None:
    start = today() + timedelta(days=3)
    request = leave_requests.request_leave(shop.promoter.id, start, start, "", by=shop.promoter.id)
    with pytest.raises(ValidationError, match="Only the person who asked"):
        leave_requests.withdraw_leave(request.id, by=shop.manager.id)
    assert LeaveRequest.get_by_id(request.id).status == "requested"


async def test_a_manager_records_someones_leave_approved_at_once(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    start = today() + timedelta(days=2)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_leave(pilot, app)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "p1")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "enter")  # annual leave
        await pilot.pause()
        for value in (start.isoformat(), start.isoformat()):
            await pilot.press("ctrl+u")  # the prompt offers a day; type over it
            await type_text(pilot, value)
            await pilot.pause()
        await type_text(pilot, "发烧")
        await settle(pilot)
        assert "Annual leave (年假) for 李小红 approved." in said(app)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[1]) == "annual"
    (request,) = LeaveRequest.select()
    assert (request.staff_id, request.status, request.first_day, request.reason, request.kind) == (
        shop.promoter.id,
        "approved",
        start,
        "发烧",
        "annual",
    )
    assert AuditLog.select().where(AuditLog.action == "leave.approve").count() == 1
    with pytest.raises(ValidationError, match="own leave"):
        leave_requests.record_leave(shop.manager.id, start, start, "", actor=manager_actor(shop))


async def test_the_list_and_the_staff_code_are_read_off_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = today() + timedelta(days=4)
    leave_requests.request_leave(shop.promoter.id, start, start, "婚礼", by=shop.promoter.id)
    listed = record_threads(monkeypatch, leave_list, "leave_lines")
    looked_up = record_threads(monkeypatch, people, "by_code")
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_leave(pilot, app)
        assert listed == [False]
        assert "1 waiting for a decision" in str(screen.query_one("#leave-header").render())
        assert str(screen.query_one(DataTable).get_row_at(0)[0]) == "李小红"
        await pilot.press("f6")
        await pilot.pause()
        await type_text(pilot, "p9")  # nobody: the store's refusal, said on the message line
        await settle(pilot)
        assert looked_up == [False] and app.screen is screen
        assert said(app) == "No staff member with code P9."
        await pilot.press("f6")
        await pilot.pause()
        await type_text(pilot, "p1")
        await settle(pilot)
        assert looked_up == [False, False]
        assert isinstance(app.screen, ChoiceScreen)  # the kind of leave, for 李小红


async def test_a_promoter_cannot_record_leave(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_leave(pilot, app)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, LeaveScreen)
    assert LeaveRequest.select().count() == 0
