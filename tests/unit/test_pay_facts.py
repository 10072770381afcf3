"""The payment screen's facts (store.referrals.till.pay_facts): read once, they give the same
amounts as the database-reading functions, and working with them runs no SQL."""

from __future__ import annotations

import pytest
from peewee import SqliteDatabase

from store.kernel.errors import DatabaseBusy
from store.referrals import ledger, vouchers
from store.referrals import till as at_till
from store.selling import refunds
from tests.conftest import Shop
from tests.console_helpers import sql_threads
from tests.referral_helpers import at, customer, later, policy, return_cart, sell_to, settle, till_with
from tests.store_helpers import confirm_clock, promoter_cart, scan

CASE = 3900


def test_the_facts_settle_what_is_due_and_give_the_voucher_balance(shop: Shop, db: SqliteDatabase) -> None:
    till = till_with(shop, policy())
    old, new = customer("13800138000", "张老客"), customer("13900139000", "李新客")
    sell_to(shop, till, old, shop.case.sku, when=at(later(-30)))
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    cart = promoter_cart(shop)
    cart.attach_customer(old.id, old.name)
    cart.add_scan(scan(shop.case.sku))
    assert at_till.needs_facts(cart)
    confirm_clock(at(later(8)), till.tz)
    facts = at_till.pay_facts(cart, till, None, at(later(8)))
    assert (facts.spendable, facts.held, facts.problem) == (5000, False, "")  # settled, then read
    assert vouchers.balance(old.id, later(8)).vouchers == 5000
    with sql_threads(db) as sql:
        sql.watching = True
        assert at_till.room(cart, facts) == 5000
        assert at_till.offered(cart, vouchers.KIND, facts) == CASE
        at_till.add_voucher(cart, 2000, later(8), facts)
        assert at_till.room(cart, facts) == 3000
        assert at_till.offered(cart, "cash", facts) == CASE - 2000
        sql.watching = False
        assert sql.on_loop == []


def test_a_refund_from_the_facts_is_the_refund_from_the_database(shop: Shop, db: SqliteDatabase) -> None:
    till = till_with(shop, policy())
    old, new = customer("13800138000", "张老客"), customer("13900139000", "李新客")
    sell_to(shop, till, old, shop.case.sku, when=at(later(-30)))
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    settle(till, later(8))
    bought = sell_to(shop, till, old, shop.case.sku, when=at(later(8)), voucher=1000)
    cart = return_cart(shop, bought, 1)
    assert not cart.customer_id and at_till.needs_facts(cart)
    facts = at_till.pay_facts(cart, till, None, at(later(9)))
    assert facts.refund.receipt_no == bought.receipt_no
    want_left = refunds.still_due(cart)
    want_back = vouchers.give_back_due(cart)
    with sql_threads(db) as sql:
        sql.watching = True
        assert at_till.refund_left(cart, facts) == want_left
        assert at_till.due_back(cart, facts) == want_back == 1000
        assert at_till.room(cart, facts) == 1000
        assert at_till.offered(cart, vouchers.KIND, facts) == 1000
        at_till.add_voucher(cart, 1000, later(9), facts)
        refunds.add_refund(cart, "cash", -cart.due, known=facts.refund)
        assert cart.due == 0
        sql.watching = False
        assert sql.on_loop == []


def test_a_settlement_that_fails_is_said_and_the_balance_is_still_read(
    shop: Shop, db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    till = till_with(shop, policy())
    old, new = customer("13800138000", "张老客"), customer("13900139000", "李新客")
    sell_to(shop, till, old, shop.case.sku, when=at(later(-30)))
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    settle(till, later(8))

    def busy(*args: object, **kwargs: object) -> object:
        raise DatabaseBusy("Another till kept the database busy.")

    monkeypatch.setattr(ledger, "settle_if_due", busy)
    cart = promoter_cart(shop)
    cart.attach_customer(old.id, old.name)
    cart.add_scan(scan(shop.case.sku))
    facts = at_till.pay_facts(cart, till, None, at(later(8)))
    assert (facts.spendable, facts.problem) == (5000, "Another till kept the database busy.")
