"""The sale screen's other keys: discount with a manager's PIN, hold and resume, customer,
promoter, remapped keys and the idle lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from rich.cells import cell_len
from textual.widgets import OptionList

from store.models import AuditLog, Customer, HeldCart, Sale, SaleLine
from store.people import staff
from store.people.directory import member_of
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, selling, settle, type_text, until, wait_for_commit
from tui.screens.held import HeldSalesScreen
from tui.screens.login import LoginScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


async def test_discount_over_the_limit_needs_a_manager(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f4")
        await type_text(pilot, "100")  # 100 yuan off 5,999 is within 5 %
        await pilot.pause()
        assert screen.cart.lines[0].line_discount == 10000
        await pilot.press("f4")
        await type_text(pilot, "1000")  # 1,000 yuan is not
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")  # a promoter cannot approve
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        assert "not a manager" in str(app.screen.query_one("#manager-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert screen.cart.lines[0].line_discount == 10000
        await pilot.press("f4")
        await type_text(pilot, "1000")
        await pilot.pause()
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert screen.cart.lines[0].line_discount == 100000
        assert screen.cart.lines[0].approved_by == shop.manager.id
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_commit(pilot)
        await pilot.press("enter")
        await pilot.pause()
    line = SaleLine.get()
    assert line.discount == 100000 and line.total == 499900
    approved = AuditLog.get(AuditLog.action == "sale.discount_approved")
    assert approved.approved_by == shop.manager.id


async def test_a_manager_at_the_till_needs_no_pin_within_their_limit_and_cannot_approve_themselves(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    boss = staff.create_staff("M2", "赵经理", "manager", "2222")  # the manager role: 30 %
    async with selling(db, tmp_path, boss) as (app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f4")
        await type_text(pilot, "1000")  # 1,000 off 5,999: within the manager's own 30 %
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)  # no PIN asked
        assert (screen.cart.lines[0].line_discount, screen.cart.lines[0].approved_by) == (100000, boss.id)
        await pilot.press("f4")
        await type_text(pilot, "2000")  # 33 %: over the manager's limit, another person approves
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        await type_text(pilot, "M2")
        await type_text(pilot, "2222")  # their own PIN: refused at once, in the dialog
        await pilot.pause()
        assert isinstance(app.screen, ManagerPinScreen)
        message = str(app.screen.query_one("#manager-message").render())
        assert message == "An approval must come from another person, not from yourself."
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert (screen.cart.lines[0].line_discount, screen.cart.lines[0].approved_by) == (
            200000,
            shop.manager.id,
        )
        await pilot.press("ctrl+o")
        await type_text(pilot, "5000")
        await type_text(pilot, "老客户")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)  # a price change is the manager's own to make
        assert (screen.cart.lines[0].unit_price, screen.cart.lines[0].approved_by) == (500000, boss.id)


async def test_hold_and_resume_a_sale(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, "3*6900000000011")
        await pilot.press("f7")
        await type_text(pilot, "王先生")
        await pilot.pause()
        assert screen.cart.lines == []
        assert HeldCart.select().count() == 1
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f8")
        await pilot.pause()
        assert "Finish or suspend" in str(screen.query_one(MessageBar).render())
        await pilot.press("ctrl+n", "up", "enter")
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, HeldSalesScreen))  # the list is read in a worker
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.cart.lines))  # and the sale is taken back in one
        assert [(ln.sku, ln.qty) for ln in screen.cart.lines] == [("CASE-IP15", 3)]
        assert HeldCart.select().count() == 0


async def test_attach_customer_and_credit_another_promoter(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, screen):
        await scanner_burst(pilot, "6900000000011")
        # Every answer below comes from a store call in a worker (the search, the new customer,
        # the staff list, the commit): on a loaded machine a pause could look before it came.
        await pilot.press("f9")
        await type_text(pilot, "138-abc")
        await settle(pilot)
        # F9 is the as-you-type customer search: a bad number is explained in the dialog
        assert type(app.screen).__name__ == "CustomerPickScreen"
        await until(pilot, lambda: "mobile number" in str(app.screen.query_one("#pick-message").render()))
        assert "mobile number" in str(app.screen.query_one("#pick-message").render())
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and screen.cart.customer_id is None
        await pilot.press("f9")
        await type_text(pilot, "+86 138 0013 8000 张三")
        await until(pilot, lambda: type(app.screen).__name__ == "PromptScreen")
        assert "138****8000" in str(screen.query_one("#sale-header").render())
        assert "New customer added and attached." in str(screen.query_one(MessageBar).render())
        assert type(app.screen).__name__ == "PromptScreen"  # a new customer: who referred them?
        await pilot.press("escape")  # nobody
        await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and screen.cart.referrer_id is None
        await pilot.press("f10")
        await until(pilot, lambda: app.screen is not screen)
        await settle(pilot)  # the staff list is read in a worker
        await pilot.press("up", "enter")  # staff are listed by code: M1 comes before P1
        await until(pilot, lambda: app.screen is screen)
        assert screen.cart.promoter_id == shop.manager.id
        await pilot.press("f2")
        await until(pilot, lambda: type(app.screen).__name__ == "PayScreen")
        await pilot.press("enter")
        await wait_for_commit(pilot)
        await until(pilot, lambda: type(app.screen).__name__ == "ReceiptScreen")
        assert type(app.screen).__name__ == "ReceiptScreen"
        await pilot.press("enter")
    sale = Sale.get()
    customer = Customer.get(Customer.phone == "13800138000")
    assert customer.name == "张三" and sale.customer_id == customer.id
    assert SaleLine.get().promoter_id == shop.manager.id


async def test_keymap_from_config_moves_pay_to_another_key(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.config.keymap = {"sale.pay": "f1"}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "PayScreen"


async def test_idle_terminal_locks_and_the_next_pin_unlocks(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.config.ui.idle_lock_minutes = 1
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await scanner_burst(pilot, "6900000000011")
        app._last_input -= 61  # a minute without a key
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaleScreen)
        assert len(screen.cart.lines) == 1  # the sale in progress survived the lock


async def test_f1_menu_goes_back_to_the_sale_screen_and_lists_manager_screens_only_for_managers(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.screen import Screen
    from textual.widgets import OptionList

    import tui.menu
    from tui.screens.choice import ChoiceScreen

    class Back(Screen[None]):
        pass

    monkeypatch.setattr(
        tui.menu,
        "DESTINATIONS",
        [*tui.menu.DESTINATIONS, tui.menu.Destination("books", "Books", Back, manager_only=True)],
    )
    monkeypatch.setattr("tui.app.DESTINATIONS", tui.menu.DESTINATIONS)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        everyone = [d for d in tui.menu.DESTINATIONS if not d.manager_only]
        assert app.screen.query_one(OptionList).option_count == len(everyone)  # a promoter sees no books
        await pilot.press("escape")
        app.staff = member_of(shop.manager)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query_one(OptionList).option_count == len(tui.menu.DESTINATIONS)
        await pilot.press(*["down"] * (len(tui.menu.DESTINATIONS) - 1), "enter")  # books is the last
        await pilot.pause()
        assert isinstance(app.screen, Back)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("enter")  # "Sale"
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)


async def test_a_discount_can_be_typed_as_a_percentage_or_zhe(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    boss = staff.create_staff("M2", "赵经理", "manager", "2222")  # within the manager's own 30 %
    async with selling(db, tmp_path, boss) as (_app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])  # ¥5,999.00
        await pilot.press("f4")
        await type_text(pilot, "10%")
        await pilot.pause()
        assert screen.cart.lines[0].line_discount == 59990
        await pilot.press("f5")
        await type_text(pilot, "95折")  # 5 % off what is left (¥5,399.10)
        await pilot.pause()
        # pays ¥5,129.145 rounded half up to ¥5,129.15: ¥269.95 off
        assert screen.cart.sale_discount == 26995 and screen.cart.total == 512915


async def test_setting_the_sale_discount_says_it_once(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    boss = staff.create_staff("M2", "赵经理", "manager", "2222")
    async with selling(db, tmp_path, boss) as (_app, pilot, screen):
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f5")
        await type_text(pilot, "100")
        await pilot.pause()
        assert str(screen.query_one(MessageBar).render()) == "Sale discount: ¥100.00."


async def test_the_promoter_list_is_read_off_the_event_loop_and_lines_up_in_cells(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff.create_staff("P2", "欧阳娜娜", "promoter", "8642", by=shop.manager.id)
    on_main: list[bool] = []
    real = staff.list_staff

    def listing(active_only: bool = True) -> list[object]:
        on_main.append(threading.current_thread() is threading.main_thread())
        return list(real(active_only))

    monkeypatch.setattr(staff, "list_staff", listing)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert on_main == [False]
        assert len(rows) == 3 and any("欧阳娜娜" in row for row in rows)
        roles = [row.rsplit(" ", 1)[1] for row in rows]
        # The role starts at the same terminal cell on every row, Chinese names or not.
        assert {cell_len(row) - cell_len(role) for row, role in zip(rows, roles, strict=True)} == {20}
        assert str(options.get_option_at_index(options.highlighted or 0).id) == shop.promoter.id
