"""Pilot tests of 老带新 at the till, at 80×24: a new customer's first sale with the referrer's
code, then the referrer spending the voucher it earned in a later sale."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.crm.records import create_customer
from store.kernel.clock import business_date
from store.models import Customer, Referral, ReferralReward, Sale, Tender
from store.models.base import utcnow
from store.referrals import ledger
from store.selling import checkout
from tests.conftest import Shop
from tests.console_helpers import scanner_burst, selling, type_text, wait_for_commit
from tests.referral_helpers import sell_to
from tui.screens.pay import PayScreen
from tui.screens.prompt import PromptScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen
from tui.widgets.message_bar import MessageBar


@pytest.fixture
def old(shop: Shop) -> Customer:
    """张三 bought a case before: an old customer who can refer."""
    person = create_customer("13800138000", "张三", by=shop.manager.id)
    earlier = sell_to(shop, shop.till, person, shop.case.sku, when=utcnow() - timedelta(days=30))
    checkout.acknowledge(earlier.id)  # its receipt was printed then
    return person


def header(sale: SaleScreen) -> str:
    return str(sale.query_one("#sale-header").render())


async def test_a_referred_first_sale_then_the_voucher_spent(
    shop: Shop, old: Customer, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await scanner_burst(pilot, shop.imeis[0])
        await pilot.press("f9")
        await type_text(pilot, "13900139000 李四")  # a new customer, added at the till
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)  # asked at once who referred them
        await scanner_burst(pilot, str(old.referral_code))  # the QR on 张三's receipt
        await pilot.pause()
        assert app.screen is sale
        assert "Referred by: 张三 138****8000" in header(sale)
        # The longer header takes a second line rather than cutting the referrer off at 80 columns.
        assert sale.query_one("#sale-header").region.height == 2
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        await pilot.press("enter")  # cash, the whole amount
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("enter")
        await pilot.pause()

    new = Customer.get(Customer.phone == "13900139000")
    link = Referral.get(Referral.referee == new.id)
    assert link.referrer_id == old.id
    (reward,) = ReferralReward.select().where(ReferralReward.customer == old.id)
    assert (reward.kind, reward.amount, reward.status) == ("voucher", 5000, "pending")

    # A week on, the handset was kept: moving the holding period into the past stands in for
    # the week; the pay screen settles what is due before it shows the balance.
    today = business_date(utcnow(), shop.till.tz)
    ReferralReward.update(earn_on=today - timedelta(days=1)).execute()
    assert ledger.settle_due(today)

    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await scanner_burst(pilot, shop.case.sku)
        await pilot.press("f9")
        await type_text(pilot, "13800138000")
        await pilot.pause()
        assert app.screen is sale  # an old customer: nobody asks for a referrer
        await pilot.press("f2")
        await pilot.pause()
        pay = app.screen
        assert isinstance(pay, PayScreen)
        assert "Voucher balance (F6): ¥50.00" in str(pay.query_one("#pay-summary").render())
        await pilot.press("f6")
        await type_text(pilot, "20")  # part of the case in voucher
        await pilot.pause()
        assert "Due: ¥19.00" in str(pay.query_one("#pay-summary").render())
        await pilot.press("f1")
        await pilot.press("enter")  # the rest in cash
        await wait_for_commit(pilot)
        assert isinstance(app.screen, ReceiptScreen)

    paid = Sale.select().order_by(Sale.created_at.desc()).first()
    tenders = {t.kind: t.amount for t in Tender.select().where(Tender.sale == paid.id)}
    assert tenders == {"voucher": 2000, "cash": 1900}
    reward = ReferralReward.get_by_id(reward.id)
    assert (reward.used, reward.status) == (2000, "earned")
    assert not ledger.settle_due(today)


async def test_a_wrong_referrer_code_is_refused_and_the_sale_goes_on(
    shop: Shop, old: Customer, db: SqliteDatabase, tmp_path: Path
) -> None:
    async with selling(db, tmp_path, shop.promoter) as (app, pilot, sale):
        await pilot.press("f9")
        await type_text(pilot, "13900139000 李四")
        await pilot.pause()
        await type_text(pilot, "13900139000")  # the new customer's own number
        await pilot.pause()
        assert app.screen is sale and sale.cart.referrer_id is None
        assert "cannot refer themselves" in str(sale.query_one(MessageBar).render())
        await pilot.press("ctrl+r")  # try again
        await pilot.pause()
        await type_text(pilot, "ZZZZZZ")
        await pilot.pause()
        assert "No customer has the referral code" in str(sale.query_one(MessageBar).render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        await type_text(pilot, "138 0013 8000")  # by mobile number
        await pilot.pause()
        assert sale.cart.referrer_id == old.id
