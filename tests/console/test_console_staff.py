"""Nobody is locked out for good, at the console (issue 10, item 2), at 80x24."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from store.crm.records import create_customer
from store.kernel.errors import PermissionDenied
from store.models import AuditLog, Customer, Staff
from store.people import staff
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, settle, type_text, until
from tui.app import ZhangguiApp
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.prompt import PromptScreen
from tui.screens.sale import SaleScreen
from tui.screens.staff_admin import StaffAdminScreen
from tui.widgets.message_bar import MessageBar


def pin_message(app: ZhangguiApp) -> str:
    return str(app.screen.query_one("#manager-message").render())


async def test_the_only_manager_fumbled_in_approvals_is_not_locked_out_for_good(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sale = app.screen
        assert isinstance(sale, SaleScreen)
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f4")
        await type_text(pilot, "1000")  # beyond a promoter's limit: the manager's PIN
        await settle(pilot)
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "M1")
        for _ in range(5):  # the cashier fumbles the manager's PIN five times
            await type_text(pilot, "0000")
            await settle(pilot)
        assert pin_message(app) == "Wrong staff code or PIN (5 tries left)."
        assert not Staff.get_by_id(shop.manager.id).locked
        for _ in range(5):
            await type_text(pilot, "0000")
            await settle(pilot)
        assert pin_message(app) == "Too many wrong PINs: this account opens again in 15 minutes."
        await type_text(pilot, "1234")
        await settle(pilot)
        assert isinstance(app.screen, ManagerPinScreen)  # still locked: nothing approved

        # The cooling-off period passes (the lock is moved back instead of waiting).
        locked_at = Staff.get_by_id(shop.manager.id).locked_at
        Staff.update(locked_at=locked_at - timedelta(minutes=15)).where(Staff.id == shop.manager.id).execute()
        await type_text(pilot, "1234")
        await settle(pilot)
        assert app.screen is sale
        assert sale.cart.lines[0].line_discount == 100000
        assert AuditLog.select().where(AuditLog.action == "staff.unlock_cooled").count() == 1


async def open_staff(pilot: Pilot[None], app: ZhangguiApp) -> StaffAdminScreen:
    await pilot.press("f1")
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    for _ in range(ids.index("staff")):
        await pilot.press("down")
    await pilot.press("enter")
    await app.workers.wait_for_complete()  # the list is read in a worker
    await pilot.pause()
    assert isinstance(app.screen, StaffAdminScreen)
    return app.screen


def row_of(screen: StaffAdminScreen, code: str) -> list[str]:
    table = screen.query_one(DataTable)
    index = [line.code for line in screen.lines].index(code)
    return [str(cell) for cell in table.get_row_at(index)]


async def go_to_row(pilot: Pilot[None], screen: StaffAdminScreen, code: str) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=[line.code for line in screen.lines].index(code))
    await pilot.pause()


def said(screen: StaffAdminScreen) -> str:
    return str(screen.query_one(MessageBar).render())


async def test_a_manager_unlocks_a_locked_promoter_at_the_console(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            staff.login("P1", "0000")
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_staff(pilot, app)
        assert row_of(screen, "P1")[4] == "locked"
        await go_to_row(pilot, screen, "P1")
        await pilot.press("f4")
        await settle(pilot)
        assert said(screen) == "李小红 can log in again."
        assert row_of(screen, "P1")[4] == "can log in"
        row = AuditLog.get(AuditLog.action == "staff.unlock")
        assert (row.staff_id, row.entity_id) == (shop.manager.id, shop.promoter.id)
    assert staff.login("P1", "1111").id == shop.promoter.id


async def test_add_new_pin_role_and_deactivate_at_the_console(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    create_customer("13600000000", "王五", owner_id=shop.promoter.id, by=shop.manager.id)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await open_staff(pilot, app)

        await pilot.press("f2")
        await type_text(pilot, "C1")
        await type_text(pilot, "陈芳")
        await pilot.press("down", "enter")  # promoter is highlighted; down: cashier
        await type_text(pilot, "4444")
        await type_text(pilot, "4444")
        await settle(pilot)
        assert said(screen) == "Added 陈芳 (C1)."
        assert Staff.get(Staff.code == "C1").role == "cashier"

        await go_to_row(pilot, screen, "C1")
        await pilot.press("f3")
        await type_text(pilot, "5555")
        await type_text(pilot, "5556")  # a slip: nothing changes
        await settle(pilot)
        assert said(screen) == "The two PINs differ; nothing was changed."
        await pilot.press("f3")
        await type_text(pilot, "5555")
        await type_text(pilot, "5555")
        await settle(pilot)
        assert said(screen) == "陈芳 has a new PIN."

        await pilot.press("f5")
        await pilot.press("enter")  # keeps cashier
        await type_text(pilot, "abc")
        await settle(pilot)
        assert said(screen) == "A discount limit is 0 to 100 percent."
        await pilot.press("f5")
        await pilot.press("enter")
        await type_text(pilot, "8")
        await settle(pilot)
        assert said(screen) == "陈芳 is now cashier, discount limit 8%."
        assert row_of(screen, "C1")[3] == "8%*"

        await go_to_row(pilot, screen, "P1")
        await pilot.press("f6")
        # F6 reads what P1 owns in a worker before it asks: a code typed before the question
        # is up went to the list (seen in a full run on a loaded machine: only "1" reached it).
        assert await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await type_text(pilot, "C1")  # who takes over 李小红's customer
        await settle(pilot)
        assert said(screen) == "P1 is deactivated; 1 customers and 0 open tasks moved."
        assert "P1" not in [line.code for line in screen.lines]
        await pilot.press("f7")
        await settle(pilot)
        assert row_of(screen, "P1")[4] == "left"
    assert Customer.get(Customer.phone == "13600000000").owner_id == Staff.get(Staff.code == "C1").id
    assert staff.login("C1", "5555").role == "cashier"


async def test_a_discount_limit_of_ones_own_is_what_the_till_allows(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    from store.config.loader import DiscountSection
    from store.kernel import auth
    from store.people import staff_admin

    staff_admin.set_role(
        "P1", "promoter", DiscountSection(), discount=12, actor=auth.actor_for_login(shop.manager)
    )
    app = make_app(db, tmp_path, staff=Staff.get(Staff.code == "P1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sale = app.screen
        assert isinstance(sale, SaleScreen)
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f4")
        await type_text(pilot, "600")  # 10 % of 5,999: over the role's 5 %, within P1's own 12 %
        await settle(pilot)
        assert app.screen is sale
        assert sale.cart.lines[0].line_discount == 60000


async def test_the_list_read_again_and_a_deactivation_asked_at_once_both_arrive(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staff list and what a leaver owns are read in workers of their own: asking for one
    does not drop the other (F6 while the list asked for by F7 is still being read)."""
    import threading

    from store.kernel.auth import actor_for_login
    from store.people import staff_admin
    from tui.screens.choice import ChoiceScreen

    staff_admin.deactivate("P1", actor=actor_for_login(shop.manager))
    started, release = threading.Event(), threading.Event()
    real = staff_admin.staff_lines

    def slow_lines(*args: Any, **kwargs: Any) -> list[staff_admin.StaffLine]:
        if kwargs.get("include_inactive"):
            started.set()
            release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(staff_admin, "staff_lines", slow_lines)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_staff(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [line.code for line in screen.lines] == ["M1"]
        await pilot.press("f7")  # leavers too: read in a worker...
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause(0.01)
        await pilot.press("f6")  # ...while F6 asks what the highlighted one owns
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(line.code for line in screen.lines) == ["M1", "P1"]
        assert isinstance(app.screen, ChoiceScreen)  # deactivate M1? (asked)


async def test_the_manager_pin_is_checked_in_a_worker_and_enter_meanwhile_does_not_ask_twice(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from store.kernel.auth import Approval

    started, release = threading.Event(), threading.Event()
    checks: list[str] = []
    real = staff.approve

    def slow_approve(code: str, pin: str, **kwargs: Any) -> Approval:
        assert threading.current_thread() is not threading.main_thread()
        checks.append(pin)
        started.set()
        release.wait(10)
        return real(code, pin, **kwargs)

    monkeypatch.setattr(staff, "approve", slow_approve)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        answers: list[Approval | None] = []
        dialog = ManagerPinScreen("A test approval")
        app.push_screen(dialog, answers.append)
        await pilot.pause()
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause(0.01)
        await pilot.press("enter", "enter")  # impatient
        await pilot.pause()
        assert app.screen is dialog and answers == []
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert len(answers) == 1 and answers[0] is not None and answers[0].manager_id == shop.manager.id
    assert checks == ["1234"]
