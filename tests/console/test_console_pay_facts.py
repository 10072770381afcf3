"""The payment dialog off the event loop, and the change shown large, at 80x24.

The dialog settles the customer's rewards and reads what it shows (the voucher balance, how the
original receipt of a refund was paid, what goes back onto the voucher) once, in a worker; every
amount after that is worked out without the database. ``sql_threads`` records the thread of
every statement while the dialog is up: none may run on the event loop's thread. The change
has a large line of its own the moment cash covers the total."""

from __future__ import annotations

import functools
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label

from store.crm.records import create_customer
from store.kernel.clock import business_date
from store.kernel.errors import DatabaseBusy
from store.kernel.i18n import set_language
from store.models import Customer, ReferralReward, Sale, Tender
from store.models.base import utcnow
from store.referrals import till as at_till
from store.selling import checkout
from tests.conftest import Shop
from tests.console.test_console_tenders import PHONE, WX, choose_return, split_sale, text_of
from tests.console_helpers import (
    SqlThreads,
    make_app,
    scanner_burst,
    selling,
    settle,
    sql_threads,
    type_text,
    wait_for_commit,
)
from tests.referral_helpers import sell_to
from tui.screens.pay import PayScreen
from tui.screens.receipt import ReceiptScreen
from tui.widgets.message_bar import MessageBar


def watch_until_paid(monkeypatch: pytest.MonkeyPatch, sql: SqlThreads) -> None:
    """Stop watching when the commit has ended, before the receipt screen (not this test's
    subject) opens: what is recorded is the payment dialog's own."""
    real = PayScreen.committed

    def committed(self: PayScreen, sale: Any) -> None:
        sql.watching = False
        real(self, sale)

    monkeypatch.setattr(PayScreen, "committed", committed)


@pytest.fixture
def referrer(shop: Shop) -> Customer:
    """张三, whose referral of 李四 earned a ¥50.00 voucher whose holding period is over but
    that nobody has settled yet: the pay screen's worker settles it (a write) and reads it."""
    old = create_customer("13800138000", "张三", by=shop.manager.id)
    earlier = sell_to(shop, shop.till, old, shop.case.sku, when=utcnow() - timedelta(days=30))
    checkout.acknowledge(earlier.id)
    new = create_customer("13900139000", "李四", by=shop.manager.id)
    first = sell_to(shop, shop.till, new, shop.imeis[0], referrer=old, when=utcnow() - timedelta(days=10))
    checkout.acknowledge(first.id)
    today = business_date(utcnow(), shop.till.tz)
    ReferralReward.update(earn_on=today - timedelta(days=1)).execute()
    return old


async def test_paying_with_vouchers_runs_no_statement_on_the_event_loop(
    shop: Shop, referrer: Customer, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sql_threads(db) as sql:
        watch_until_paid(monkeypatch, sql)
        async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
            await scanner_burst(pilot, shop.case.sku)
            await pilot.press("f9")
            await type_text(pilot, "13800138000")
            await pilot.pause()
            assert app.screen is sale
            sql.watching = True
            await pilot.press("f2")
            await app.workers.wait_for_complete()
            await pilot.pause()
            pay = app.screen
            assert isinstance(pay, PayScreen)
            assert "Voucher balance (F6): ¥50.00" in str(pay.query_one("#pay-summary").render())
            await pilot.press("f6")
            await type_text(pilot, "20")  # part of the case in voucher
            await pilot.pause()
            assert "Due: ¥19.00" in str(pay.query_one("#pay-summary").render())
            await pilot.press("f6")
            await type_text(pilot, "31")  # more than the ¥30.00 left: refused, from the facts
            await pilot.pause()
            assert "¥30.00" in str(pay.query_one(MessageBar).render())
            assert sum(t.amount for t in pay.cart.tenders) == 2000
            await pilot.press("f1")
            await pilot.press("enter")  # the rest in cash
            await wait_for_commit(pilot)
            assert isinstance(app.screen, ReceiptScreen)
            assert not sql.watching  # the commit ended while watched
            assert sql.on_loop == []
            assert sql.off_loop > 0  # the watch saw the dialog's statements, in workers
    paid = Sale.select().order_by(Sale.created_at.desc()).first()
    tenders = sorted((t.kind, t.amount) for t in Tender.select().where(Tender.sale == paid.id))
    assert tenders == [("cash", 1900), ("voucher", 2000)]


async def test_a_split_wechat_and_cash_refund_runs_no_statement_on_the_event_loop(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sale = split_sale(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    with sql_threads(db) as sql:
        watch_until_paid(monkeypatch, sql)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await choose_return(pilot, app, sale.receipt_no, reason_downs=2)
            sql.watching = True
            await pilot.press("f2")
            await pilot.press("enter")  # before the facts are read: it waits for them
            await app.workers.wait_for_complete()
            await pilot.pause()
            pay = app.screen
            assert isinstance(pay, PayScreen)
            assert pay.method == "cash"  # WeChat's share was taken by the Enter that waited
            assert WX in text_of(pay.query_one("#pay-summary"))
            await pilot.press("enter")  # cash's share: no PIN
            await wait_for_commit(pilot)
            assert isinstance(app.screen, ReceiptScreen)
            assert not sql.watching  # the commit ended while watched
            assert sql.on_loop == []
            assert sql.off_loop > 0
    refund = Sale.get(Sale.kind == "return")
    kinds = {t.kind: t for t in Tender.select().where(Tender.sale == refund.id)}
    assert kinds["wechat"].reference == WX and kinds["wechat"].original_id is not None
    assert kinds["wechat"].amount + kinds["cash"].amount == -PHONE


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_change_shows_large_on_the_pay_screen_at_80x24(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language(language)
    release = threading.Event()
    real = checkout.commit_sale_off_thread

    @functools.wraps(real)
    def held(*args: Any, **kwargs: Any) -> Sale:  # the commit waits: the dialog stays up
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(checkout, "commit_sale_off_thread", held)
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, _sale):
        await scanner_burst(pilot, shop.case.sku)  # ¥39.00
        await pilot.press("f2")
        await pilot.pause()
        pay = app.screen
        assert isinstance(pay, PayScreen)
        change = pay.query_one("#pay-change", Horizontal)
        assert not change.display  # nothing to give back yet
        await type_text(pilot, "100")
        await pilot.pause()
        word = "找零" if language == "zh_CN" else "Change"
        assert change.display
        assert text_of(pay.query_one("#pay-change-label", Label)) == f"{word}: ¥"
        digits = pay.query_one("#pay-change-digits", Digits)
        assert digits.value == "61.00"
        assert digits.region.height == 3 and digits.region.width >= 3 * 4  # large: 3x3 digits
        dialog = pay.query_one(Vertical).region
        assert dialog.contains_region(change.region) and change.region.contains_region(digits.region)
        assert change.region.bottom <= 23 and change.region.right <= 80  # above the key bar
        release.set()
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)


async def test_an_enter_before_the_facts_waits_for_them_and_a_failed_read_is_tried_again(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sale = split_sale(shop)
    release = threading.Event()
    real = at_till.pay_facts
    calls: list[int] = []

    @functools.wraps(real)
    def slow(*args: Any, **kwargs: Any) -> at_till.PayFacts:
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseBusy("The database is busy.")
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(at_till, "pay_facts", slow)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await choose_return(pilot, app, sale.receipt_no)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pay = app.screen
        assert isinstance(pay, PayScreen) and pay.facts is None
        assert "The database is busy." in text_of(pay.query_one(MessageBar))
        await pilot.press("enter")  # reads them again, and waits for them
        await pilot.pause()
        assert len(calls) == 2 and pay.cart.tenders == []
        assert "Reading" in text_of(pay.query_one(MessageBar))
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.kind for t in pay.cart.tenders] == ["wechat"]  # the Enter that waited: WeChat's share
        assert pay.method == "cash"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_change_stays_large_above_the_receipt(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    """The pay dialog closes the moment the sale is saved: the receipt says the change, large."""
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scanner_burst(pilot, "6900000000011")  # a ¥39.00 case
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "100")
        await wait_for_commit(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReceiptScreen)
        band = screen.query_one("#receipt-change")
        assert band.display and band.region.height == 3 and band.region.right <= 80
        assert "61.00" in str(screen.query_one("#receipt-change-digits", Digits).value)
