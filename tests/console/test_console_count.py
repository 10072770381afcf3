"""A stock count at the console, at 80x24 with the keyboard alone: IMEI scanning, a variance,
its review and the manager's approval; pausing and resuming; quantities of accessories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from store.models import AuditLog, ImeiUnit, StockCount, StockCountEntry
from store.people.directory import member_of
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, type_text
from tests.console_helpers import settle as shared_settle
from tui.screens.choice import ChoiceScreen
from tui.screens.count_review import CountReviewScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.sale import SaleScreen
from tui.screens.stock_count import StockCountScreen
from tui.widgets.message_bar import MessageBar


def message(app: App[None]) -> str:
    return str(app.screen.query_one(MessageBar).render())


async def choose(pilot: Pilot[None], app: App[None], row_id: str) -> None:
    """Pick the row ``row_id`` of the ChoiceScreen on top with the arrow keys and Enter."""
    assert isinstance(app.screen, ChoiceScreen)
    options = app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert row_id in ids, ids
    options.highlighted = 0
    for _ in range(ids.index(row_id)):
        await pilot.press("down")
    await pilot.press("enter")
    await app.workers.wait_for_complete()  # what comes next is read in a worker
    await pilot.pause()


async def open_count(pilot: Pilot[None], app: App[None]) -> None:
    await pilot.press("f1")
    await pilot.pause()
    await choose(pilot, app, "stock_count")
    await app.workers.wait_for_complete()  # the unfinished count, read before asking what to count
    await pilot.pause()


def table_rows(app: App[None]) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(pilot: Pilot[None], app: App[None]) -> None:
    """The shared wait (tests/console_helpers.settle): a worker cancelled with the screen its
    answer closed is not waited for (seen in a full run: WorkerCancelled once Esc left)."""
    await shared_settle(pilot)


async def test_count_a_brand_by_imei_review_the_variance_and_approve_it(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await choose(pilot, app, "brand")
        await choose(pilot, app, "Apple")
        assert isinstance(app.screen, StockCountScreen)
        assert "started" in message(app)

        for number in shop.imeis[:4]:  # the fifth phone is not on the shelf
            await scanner_burst(pilot, number)
        await settle(pilot, app)
        assert table_rows(app) == [["Apple iPhone 15 128GB Black", "4"]]
        assert message(app) == "Apple iPhone 15 128GB Black: 4 counted."
        # Blind: the counter's table has no column for what the book expects.
        assert [str(c.label) for c in app.screen.query_one(DataTable).columns.values()] == [
            "Counted item",
            "Counted",
        ]

        await scanner_burst(pilot, shop.imeis[1])
        await settle(pilot, app)
        assert message(app) == f"IMEI {shop.imeis[1]} is counted already."
        await scanner_burst(pilot, "6900000000011")
        await settle(pilot, app)
        assert message(app) == "Generic iPhone 15 Case is not part of this count (brand Apple)."
        assert StockCountEntry.select().count() == 4

        await pilot.press("f6")  # close asks first; Esc (or Enter on "No") keeps counting
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, StockCountScreen)
        assert StockCount.get().status == "open"
        await pilot.press("f6", "up", "enter")  # close (asked, yes): the manager goes straight to the review
        await settle(pilot, app)
        assert isinstance(app.screen, CountReviewScreen)
        await settle(pilot, app)
        rows = table_rows(app)
        assert rows[0] == ["Apple iPhone 15 128GB Black", "5", "4", "-1", "-¥5,200.00"]
        assert rows[1][0] == f"  IMEI {shop.imeis[4]} missing"
        assert app.screen.query_one(DataTable).virtual_size.width <= 80
        assert "Short 1 (¥5,200.00)" in str(app.screen.query_one("#review-totals").render())

        await pilot.press("f2")
        await settle(pilot, app)
        # The manager logged in approves in their own role: they confirm, no PIN of their own.
        assert isinstance(app.screen, ChoiceScreen)
        assert not isinstance(app.screen, ManagerPinScreen)
        await pilot.press("up", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CountReviewScreen)
        assert message(app).startswith("Count PD") and "approved by 王店长: 1 product adjusted." in message(
            app
        )

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, SaleScreen)

    assert stock.on_hand(shop.phone.id) == 4
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[4]).status == "missing"
    assert StockCount.get().status == "approved"
    row = AuditLog.get(AuditLog.action == "stock_count.approve")
    assert row.approved_by == shop.manager.id


async def test_a_promoter_counts_pauses_resumes_and_hands_over(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await choose(pilot, app, "all")
        await scanner_burst(pilot, "6900000000011")  # one case scanned...
        await pilot.press("f2")  # ...and F2 for the rest of the shelf
        await settle(pilot, app)
        await type_text(pilot, "-4")
        await settle(pilot, app)
        assert message(app) == "A counted quantity cannot be negative: -4"
        await pilot.press("f2")
        await settle(pilot, app)
        await type_text(pilot, "18")
        await settle(pilot, app)
        assert table_rows(app) == [["Generic iPhone 15 Case", "19"]]

        await pilot.press("f5")  # pause: back to selling
        await settle(pilot, app)
        assert isinstance(app.screen, SaleScreen)
        assert StockCount.get().status == "paused"

        await open_count(pilot, app)  # resumes the same count
        assert isinstance(app.screen, StockCountScreen)
        assert "resumed" in message(app)
        assert table_rows(app) == [["Generic iPhone 15 Case", "19"]]
        await scanner_burst(pilot, shop.imeis[0])
        await settle(pilot, app)
        await pilot.press("f6", "up", "enter")  # close, asked: yes
        await settle(pilot, app)
        assert isinstance(app.screen, StockCountScreen)  # a promoter does not see the variances
        assert "a manager reviews and approves it" in message(app)
    assert StockCount.get().status == "review"
    assert stock.on_hand(shop.case.id) == 20  # nothing moves before approval


async def test_a_closed_count_opens_on_its_review_for_a_manager(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    from store.stock import count_entry, count_sessions

    count = count_sessions.start_count(scope_kind="all", staff_id=shop.promoter.id)
    count_entry.enter(count.id, "20*CASE-IP15", staff_id=shop.promoter.id)
    count_sessions.close(count.id, staff_id=shop.promoter.id)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await settle(pilot, app)
        assert isinstance(app.screen, CountReviewScreen)
        rows = table_rows(app)
        assert rows[0] == ["Apple iPhone 15 128GB Black", "5", "0", "-5", "-¥26,000.00"]
        assert len(rows) == 1 + 5  # the phone and its five missing IMEIs; the cases agree
        await pilot.press("f3")  # count more: back to counting
        await settle(pilot, app)
        assert isinstance(app.screen, StockCountScreen)
        assert table_rows(app) == [["Generic iPhone 15 Case", "20"]]
    assert StockCount.get().status == "open"


async def test_bad_input_at_the_count_screen(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    """Closing an empty count, an IMEI of another model than the one chosen by its barcode,
    a product the store does not carry, and an approval without the manager's PIN: each a
    message, nothing lost."""
    from store.stock import catalog
    from store.stock.imei import with_check_digit
    from store.stock.ledger import ReceivedUnit

    other = catalog.create_product(
        sku="IP15P-256",
        brand="Apple",
        model="iPhone 15 Pro",
        category="handset",
        price=1,
        barcode="0194253000028",
    )
    pro_imei = with_check_digit("35000000000011")
    stock.receive(other, staff_id=shop.manager.id, units=[ReceivedUnit(pro_imei)])
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await choose(pilot, app, "all")
        await pilot.press("f6", "up", "enter")  # close, asked: yes
        await settle(pilot, app)
        assert message(app).endswith("an empty count cannot be closed.")
        await scanner_burst(pilot, "0194253000011")  # the iPhone 15's barcode: its IMEIs follow
        await settle(pilot, app)
        assert "Counting: Apple iPhone 15 128GB Black" in str(app.screen.query_one("#count-model").render())
        await scanner_burst(pilot, pro_imei)
        await settle(pilot, app)
        assert message(app) == f"IMEI {pro_imei} is a Apple iPhone 15 Pro, not a Apple iPhone 15 128GB Black."
        await scanner_burst(pilot, "6999999999999")
        await settle(pilot, app)
        assert message(app) == "6999999999999 is not a product this store carries."
        await scanner_burst(pilot, shop.imeis[0])
        await settle(pilot, app)
        await pilot.press("f6", "up", "enter")  # close, asked: yes
        await settle(pilot, app)
        assert isinstance(app.screen, CountReviewScreen)
        await pilot.press("f2")
        await settle(pilot, app)
        await pilot.press("escape")  # not confirmed
        await settle(pilot, app)
        assert message(app) == "Not approved."
        app.staff = member_of(shop.promoter)  # a promoter at the terminal: another person's PIN is asked
        await pilot.press("f2")
        await settle(pilot, app)
        await pilot.press("escape")  # no PIN
        await settle(pilot, app)
        assert message(app) == "Not approved."
        await pilot.press("f2")
        await settle(pilot, app)
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")  # a promoter is not a manager
        await settle(pilot, app)
        assert isinstance(app.screen, ManagerPinScreen)
        assert "is not a manager" in str(app.screen.query_one("#manager-message").render())
        await pilot.press("escape")
        await settle(pilot, app)
    assert StockCount.get().status == "review"
    assert StockCountEntry.select().count() == 1
    assert stock.on_hand(shop.phone.id) == 5


async def test_a_burst_of_scans_is_written_once_each_in_order_and_esc_waits_for_them(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scans written in workers (never on the event loop) still build on each other: a scanner
    emptying its buffer, then Esc, all before the console handles any of it. Each scan is
    written once, in the order scanned, one at a time, with the model the scan before chose;
    the screen is left only once they are all written."""
    import threading

    from textual import events

    from store.stock import catalog, count_entry
    from store.stock.imei import with_check_digit
    from store.stock.ledger import ReceivedUnit

    other = catalog.create_product(
        sku="IP15P-256",
        brand="Apple",
        model="iPhone 15 Pro",
        category="handset",
        price=1,
        barcode="0194253000028",
    )
    pro_imei = with_check_digit("35000000000011")
    stock.receive(other, staff_id=shop.manager.id, units=[ReceivedUnit(pro_imei)])
    calls: list[tuple[str, str | None]] = []
    at_once: list[int] = []
    inside = [0]
    real_enter = count_entry.enter

    def enter(count_id: str, text: str, **kwargs: Any) -> count_entry.Entered:
        inside[0] += 1
        at_once.append(inside[0])
        assert threading.current_thread() is not threading.main_thread()
        try:
            calls.append((text, kwargs.get("model_id")))
            return real_enter(count_id, text, **kwargs)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(count_entry, "enter", enter)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await choose(pilot, app, "all")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, StockCountScreen)
        codes = ["0194253000011", pro_imei, shop.imeis[0], shop.imeis[1], "6900000000011", "6900000000011"]
        driver = app._driver
        assert driver is not None
        for key in [*[k for code in codes for k in [*code, "enter"]], "escape"]:
            event = events.Key(
                key, key if key not in ("enter", "escape") else ("\r" if key == "enter" else "\x1b")
            )
            event.set_sender(app)
            driver.send_message(event)
        for _ in range(100):
            if isinstance(app.screen, SaleScreen):
                break
            await pilot.pause(0.02)
        await settle(pilot, app)
        assert isinstance(app.screen, SaleScreen)  # left, once every scan was written
        assert not screen.waiting_turns("scan")
    phone = shop.phone.id
    assert calls == [
        ("0194253000011", None),
        (pro_imei, phone),  # refused: not the model the barcode before chose
        (shop.imeis[0], phone),
        (shop.imeis[1], phone),
        ("6900000000011", phone),
        ("6900000000011", None),  # an accessory ends the model's IMEIs
    ]
    assert set(at_once) == {1}  # never two scans at once
    entries = list(StockCountEntry.select())
    assert sorted(e.imei for e in entries if e.imei) == sorted(shop.imeis[:2])
    assert sum(e.qty for e in entries if e.product_id == shop.case.id) == 2


async def test_f2_straight_after_a_scan_asks_how_many_of_that_accessory(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """F2 sent with the scan before it (before its worker answered) waits for that scan, so it
    adds to the accessory just scanned instead of saying none was scanned."""
    from tests.console_helpers import key_flood
    from tui.screens.prompt import PromptScreen

    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_count(pilot, app)
        await choose(pilot, app, "all")
        await settle(pilot, app)
        key_flood(pilot, [*"6900000000011", "enter", "f2"])
        for _ in range(100):
            if isinstance(app.screen, PromptScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "5")
        await settle(pilot, app)
        assert table_rows(app) == [["Generic iPhone 15 Case", "6"]]
