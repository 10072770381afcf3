"""Pilot tests of the customer screens: lookup from the sale screen (as you type, in a
worker, stale results dropped), the customers screen and profile, logging a contact, a
new customer, masking by role, segments, my tasks and care."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList

from store.crm import followup, search, shown
from store.crm.records import create_customer
from store.kernel import FixedClock
from store.kernel.clock import business_date
from store.models import Customer, CustomerContact, CustomerTask
from store.models.base import utcnow
from store.selling import checkout
from tests.conftest import Shop
from tests.console_helpers import make_app, record_threads, scanner_burst, selling, settle, type_text, until
from tests.store_helpers import pay, promoter_cart, scan
from tui.screens.customer_profile import CustomerProfileScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.customer_lookup import CustomerLookup
from tui.widgets.message_bar import MessageBar


@pytest.fixture
def people(shop: Shop) -> dict[str, Customer]:
    return {
        "张三": create_customer("13800138000", "张三", by=shop.manager.id),
        "赵四": create_customer("13912348000", "赵四", by=shop.manager.id),
        "曾静": create_customer(
            "13700000001", "曾静", birthday="02-17", consent_how="paper", by=shop.manager.id
        ),
    }


async def no_referrer(pilot: Pilot[None]) -> None:
    assert isinstance(pilot.app.screen, PromptScreen)
    await pilot.press("escape")
    await pilot.pause()


def rows(lookup: CustomerLookup) -> list[str]:
    options = lookup.query_one("#lookup-results", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_f9_finds_by_initials_as_you_type_and_attaches(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await scanner_burst(pilot, "6900000000011")
        await pilot.press("f9")
        await type_text(pilot, "cj", enter=False)  # 曾 read the everyday way
        await app.workers.wait_for_complete()
        await pilot.pause()
        lookup = app.screen.query_one(CustomerLookup)
        assert lookup.shown_for == "cj" and [h.name for h in lookup.hits] == ["曾静"]
        assert "137****0001" in rows(lookup)[0]  # a promoter sees masked numbers
        await pilot.press("enter")
        await pilot.pause()
        await no_referrer(pilot)  # never bought: the till asks who referred them
        assert app.screen is sale and sale.cart.customer_id == people["曾静"].id
        assert "曾静 137****0001" in str(sale.query_one("#sale-header").render())


async def test_f9_last_four_collision_choose_with_the_arrows(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.manager) as (app, pilot, sale):
        await pilot.press("f9")
        await type_text(pilot, "8000", enter=False)
        await app.workers.wait_for_complete()
        await pilot.pause()
        lookup = app.screen.query_one(CustomerLookup)
        assert sorted(h.name for h in lookup.hits) == ["张三", "赵四"]
        assert any("13912348000" in r for r in rows(lookup))  # a manager sees whole numbers
        second = lookup.hits[1]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await no_referrer(pilot)  # never bought: the till asks who referred them
        assert app.screen is sale and sale.cart.customer_id == second.id


async def test_f9_enter_before_the_worker_answers_still_picks_the_match(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await pilot.press("f9")
        await type_text(pilot, "zhangsan")  # Enter straight after the last key
        await pilot.pause()
        await no_referrer(pilot)  # never bought: the till asks who referred them
        assert app.screen is sale and sale.cart.customer_id == people["张三"].id


async def test_a_stale_search_never_overwrites_a_newer_one(
    shop: Shop,
    people: dict[str, Customer],
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = threading.Event()
    real = search.lookup_off_thread

    def slow_for_z(text: str, limit: int = 20) -> list[search.CustomerHit]:
        hits = real(text, limit)
        if text == "z":
            release.wait(5)  # the first search answers after the second
        return hits

    monkeypatch.setattr(search, "lookup_off_thread", slow_for_z)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.press("z")
        await pilot.pause(0.05)
        await pilot.press("s")
        await pilot.pause(0.2)
        lookup = app.screen.query_one(CustomerLookup)
        assert lookup.shown_for == "zs"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lookup.shown_for == "zs"  # the late answer for "z" was dropped
        assert [h.name for h in lookup.hits] == ["张三", "赵四"]


async def test_f9_existing_phone_with_another_name_attaches_the_existing_customer(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (_app, pilot, sale):
        await pilot.press("f9")
        await type_text(pilot, "138 0013 8000 张叁")
        await pilot.pause()
        assert sale.cart.customer_id == people["张三"].id
        assert Customer.select().count() == 3
        assert "Customer attached." in str(sale.query_one(MessageBar).render())


async def test_customers_screen_profile_and_logging_a_contact(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Each step below is answered by a worker (the search, the profile, the writes) and may
        # take more than one pause on a loaded machine: every step waits for what it shows
        # (the contact was once read before its write was done, in a fresh-clone CI run).
        app.go_to("customers")
        assert await until(pilot, lambda: type(app.screen).__name__ == "CustomersScreen")
        await type_text(pilot, "zengjing")
        assert await until(pilot, lambda: isinstance(app.screen, CustomerProfileScreen))
        profile = app.screen
        assert await until(pilot, lambda: "曾静" in str(profile.query_one("#profile-header").render()))
        header = str(profile.query_one("#profile-header").render())
        assert "曾静" in header and "137****0001" in header
        await pilot.press("f2")  # log a contact
        assert await until(pilot, lambda: app.screen is not profile)
        await pilot.press("down", "down", "enter")  # call, SMS, WeChat
        assert await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await type_text(pilot, "[bold]asked about Mate 70")
        assert await until(pilot, lambda: "Contact logged." in str(profile.query_one(MessageBar).render()))
        contact = CustomerContact.get()
        assert (contact.channel, contact.note, contact.staff_id) == (
            "wechat",
            "[bold]asked about Mate 70",
            shop.promoter.id,
        )
        assert await until(
            pilot, lambda: "asked about Mate 70" in str(profile.query_one("#profile-text").render())
        )
        body = str(app.screen.query_one("#profile-text").render())
        assert "[bold]asked about Mate 70" in body and "WeChat" in body
        await pilot.press("f3")  # a task in 2 days
        assert await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        title_prompt = app.screen
        await type_text(pilot, "bring the charger")
        assert await until(
            pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen is not title_prompt
        )
        await pilot.press("backspace")
        await type_text(pilot, "2")
        assert await until(pilot, lambda: CustomerTask.select().exists())
        task = CustomerTask.get()
        today = business_date(utcnow(), app.config.tz)
        assert (task.title, task.owner_id, (task.due - today).days) == (
            "bring the charger",
            shop.promoter.id,
            2,
        )
        await pilot.press("escape")
        assert await until(pilot, lambda: type(app.screen).__name__ == "CustomersScreen")


async def test_the_profile_reads_the_customer_off_the_event_loop(
    shop: Shop,
    people: dict[str, Customer],
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.screens.customer_profile import CustomerProfileScreen

    on_loop = record_threads(monkeypatch, shown, "profile")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(CustomerProfileScreen(people["曾静"].id))
        await settle(pilot)
        assert on_loop == [False]
        header = str(app.screen.query_one("#profile-header").render())
        assert "曾静" in header and "137****0001" in header
        await pilot.press("f6", "enter")  # consent on paper: written, then read again
        await settle(pilot)
        assert on_loop == [False, False]
        assert "Consent recorded." in str(app.screen.query_one(MessageBar).render())


async def test_new_customer_form_refuses_bad_input_and_offers_a_duplicate(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.go_to("customers")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerFormScreen"
        await type_text(pilot, "+86 159-0000-1111")
        await type_text(pilot, "王五")
        await type_text(pilot, "2023-02-29", enter=False)
        await pilot.press("f2")
        await pilot.pause()
        message = str(app.screen.query_one("#form-message").render())
        assert "2023 was not a leap year" in message
        assert Customer.select().count() == 3
        birthday = app.screen.query_one("#form-birthday")
        birthday.value = "1990-05-01"  # type: ignore[attr-defined]
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerProfileScreen"
        new = Customer.get(Customer.phone == "15900001111")
        assert (new.name, new.birth_year, new.owner_id, new.store_code) == (
            "王五",
            1990,
            shop.promoter.id,
            "S001",
        )
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "13800138000", enter=False)
        await pilot.press("f2")
        await pilot.pause()
        assert "already the customer 张三" in str(app.screen.query_one("#form-message").render())
        await pilot.press("f2")  # again: open the existing customer
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerProfileScreen"
        assert app.screen.customer_id == people["张三"].id  # type: ignore[attr-defined]


async def test_segments_for_managers_only(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    promoter_app = make_app(db, tmp_path, staff=shop.promoter)
    assert "segments" not in [d.id for d in promoter_app.allowed_destinations()]
    assert "care" not in [d.id for d in promoter_app.allowed_destinations()]
    # Real sales, so the scores are real: 张三 buys most, most often and last (tier A); four
    # others bought once, days ago.
    buyers = (
        [people["张三"]] * 3
        + [people["赵四"]]
        + [create_customer(f"1390000000{n}", f"客{n}", by=shop.manager.id) for n in range(3)]
    )
    for n, buyer in enumerate(buyers):
        cart = promoter_cart(shop)
        cart.attach_customer(buyer.id, buyer.name)
        cart.add_scan(scan(shop.case.sku), 3 if buyer is people["张三"] else 1)
        pay(cart)
        checkout.commit_sale(cart, shop.till, now=clock() - timedelta(days=max(0, n - 2) * 10))
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.go_to("segments")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#segments-text").render())
        assert "Tier A" in text and "no purchase yet" in text
        table = app.screen.query_one("#segments-top", DataTable)
        assert [str(column.label) for column in table.columns.values()][:2] == ["Phone", "Value"]
        assert table.row_count >= 1 and app.focused is table
        first = str(table.coordinate_to_cell_key((0, 0)).row_key.value)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CustomerProfileScreen) and app.screen.customer_id == first


async def test_my_tasks_today_and_done(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    today = business_date(utcnow(), ZoneInfo("Asia/Shanghai"))
    followup.add_task(people["张三"].id, "call back", today, owner_id=shop.promoter.id, by=shop.manager.id)
    followup.add_task(people["赵四"].id, "not mine", today, owner_id=shop.manager.id, by=shop.manager.id)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.go_to("tasks")
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one("#tasks-list", OptionList)
        assert options.option_count == 1 and "call back" in str(options.get_option_at_index(0).prompt)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert CustomerTask.get(CustomerTask.title == "call back").status == "done"
        assert options.option_count == 0


async def test_care_screen_exports_csv_and_sms(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.paths.exports = str(tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.go_to("care")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.items = []  # type: ignore[attr-defined]
        await pilot.press("f2")
        assert "Nothing to export." in str(screen.query_one(MessageBar).render())
        from store.crm import care

        screen.items = care.care_list(date(2026, 2, 17), app.config.customers, "店")  # type: ignore[attr-defined]
        await pilot.press("f2")
        await pilot.pause()
        files = sorted(p.name for p in (tmp_path / "exports").iterdir())
        assert len(files) == 2 and files[0].endswith(".csv") and files[1].endswith(".txt")
        sms = (tmp_path / "exports" / files[1]).read_text(encoding="utf-8")
        assert sms.startswith("13700000001\t曾静")


async def test_a_promoter_edits_a_customer_without_seeing_or_losing_the_number(
    shop: Shop, people: dict[str, Customer], db: SqliteDatabase, tmp_path: Path
) -> None:
    from tui.screens.customer_form import CustomerFormScreen

    customer = next(iter(people.values()))
    full = customer.phone
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(CustomerFormScreen(customer.id))
        await pilot.pause()
        phone = app.screen.query_one("#form-phone")
        assert phone.value == f"{full[:3]}****{full[-4:]}"  # type: ignore[attr-defined]
        app.screen.query_one("#form-name").value = "新名字"  # type: ignore[attr-defined]
        await pilot.press("f2")
        await pilot.pause()
    again = Customer.get_by_id(customer.id)
    assert (again.name, again.phone) == ("新名字", full)
