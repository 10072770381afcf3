"""Shared steps of the referral tests: customers, a referred first sale, settling by date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from store.crm import records
from store.models import Customer, Sale
from store.referrals import ledger, link, vouchers
from store.referrals.config import ReferralRule, ReferralSection, Reward
from store.selling import checkout, sale_lookup
from store.selling.cart import Cart
from store.selling.till import Till
from tests.conftest import Shop
from tests.store_helpers import confirm_clock, manager_ok, pay, promoter_cart, scan

DAY = datetime(2026, 11, 27, 4, 0)  # 12:00 in Shanghai
TODAY = date(2026, 11, 27)
RULE = ReferralRule(
    date(2026, 1, 1),
    category="handset",
    min_fen=100000,
    referrer=Reward(voucher_fen=5000),
    referee=Reward(voucher_fen=2000, gift="钢化膜"),
    holding_days=7,
)


def policy(*rules: ReferralRule, cap: int = 10, valid_days: int = 30) -> ReferralSection:
    return ReferralSection(monthly_cap=cap, voucher_valid_days=valid_days, rules=list(rules or [RULE]))


def till_with(shop: Shop, section: ReferralSection) -> Till:
    return replace(shop.till, referrals=section)


def customer(phone: str, name: str = "") -> Customer:
    return records.create_customer(phone, name)


def at(day: date, hour: int = 4) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0)


def sell_to(
    shop: Shop,
    till: Till,
    buyer: Customer | None,
    *codes: str,
    referrer: Customer | None = None,
    when: datetime = DAY,
    case_qty: int = 0,
    voucher: int = 0,
) -> Sale:
    cart = promoter_cart(shop)
    if buyer is not None:
        cart.attach_customer(buyer.id, buyer.name)
    for code in codes:
        cart.add_scan(scan(code))
    if case_qty:
        cart.add_scan(scan(shop.case.sku), case_qty)
    if referrer is not None:
        cart.set_referrer(link.find_referrer(referrer.phone))
    if voucher:
        vouchers.add_voucher_tender(cart, voucher, when.date())
    pay(cart)
    return checkout.commit_sale(cart, till, now=when)


def return_cart(shop: Shop, sale: Sale, line_no: int, qty: int = 1) -> Cart:
    cart = promoter_cart(shop)
    line = next(ln for ln in sale.lines if ln.line_no == line_no)
    cart.add_return_line(line, qty, sale_lookup.returned_qty(line.id))
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
    return cart


def refund(shop: Shop, till: Till, sale: Sale, line_no: int, when: datetime, qty: int = 1) -> Sale:
    """Return a line; the part a voucher paid goes back onto it, the rest in cash."""
    cart = return_cart(shop, sale, line_no, qty)
    owed = vouchers.give_back_due(cart)
    if owed:
        vouchers.add_voucher_tender(cart, owed, when.date())
    pay(cart)
    return checkout.commit_sale(cart, till, now=when)


def settle(till: Till, day: date) -> ledger.Settled:
    """Settle at noon of ``day``, the manager having confirmed that date (the test's days pass
    without events, which the clock guard would otherwise hold as a clock set ahead)."""
    confirm_clock(at(day), till.tz)
    return ledger.settle(day, till.referrals, now=at(day))


def later(days: int) -> date:
    return TODAY + timedelta(days=days)
