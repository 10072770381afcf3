"""老带新: the link at a first sale, the rules by date, the ledger and its guards."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from store.crm import records
from store.kernel.errors import NotFound, ValidationError
from store.models import AuditLog, Customer, Referral, ReferralReward, Sale, VoucherUse
from store.referrals import codes, ledger, link, vouchers
from store.referrals.config import ReferralRule, Reward
from store.selling import checkout, sale_voids
from tests.conftest import Shop
from tests.referral_helpers import (
    DAY,
    RULE,
    TODAY,
    at,
    customer,
    later,
    policy,
    refund,
    return_cart,
    sell_to,
    settle,
    till_with,
)
from tests.store_helpers import manager_ok, pay, promoter_cart, scan, snapshot

PHONE = 599900
CASE = 3900


def old_and_new(shop: Shop) -> tuple[Customer, Customer]:
    """张老客 bought a case last month; 李新客 has never bought."""
    old = customer("13800138000", "张老客")
    new = customer("13900139000", "李新客")
    sell_to(shop, shop.till, old, shop.case.sku, when=at(date(2026, 10, 20)))
    return old, new


def rewards(customer_id: str) -> list[ReferralReward]:
    return list(
        ReferralReward.select().where(ReferralReward.customer == customer_id).order_by(ReferralReward.kind)
    )


# ---- codes ---------------------------------------------------------------------------------
def test_every_customer_gets_a_distinct_readable_code(db: object) -> None:
    made = [customer(f"1380013{n:04d}") for n in range(30)]
    found = {c.referral_code for c in made}
    assert len(found) == 30
    assert all(codes.looks_like_code(str(code)) for code in found)
    assert not any(ch in str(code) for code in found for ch in "01ILO")


def test_referrer_found_by_code_as_typed_or_by_phone(db: object) -> None:
    person = customer("13800138000", "张三")
    code = str(person.referral_code)
    assert link.find_referrer(code.lower()).id == person.id
    assert link.find_referrer(f"{code[:3]}-{code[3:]}").id == person.id
    assert link.find_referrer("138 0013 8000").id == person.id
    with pytest.raises(NotFound, match="not a referral code"):
        link.find_referrer("hello!")
    with pytest.raises(NotFound, match="No customer"):
        link.find_referrer("13700137000")


def test_rows_of_older_versions_get_codes_at_open(db: object) -> None:
    person = customer("13800138000")
    Customer.update(referral_code=None).where(Customer.id == person.id).execute()
    assert codes.missing_codes()
    assert codes.code_of(person.id) and not codes.missing_codes()


# ---- the link ------------------------------------------------------------------------------
def test_a_referred_first_sale_links_once_and_makes_pending_rewards(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sale = sell_to(shop, till, new, shop.imeis[0], referrer=old)
    referral = Referral.get(Referral.referee == new.id)
    assert (referral.referrer_id, referral.sale_id, referral.status) == (old.id, sale.id, "active")
    mine = rewards(old.id)
    theirs = rewards(new.id)
    assert [(r.kind, r.amount, r.status, r.earn_on) for r in mine] == [("voucher", 5000, "pending", later(7))]
    assert [(r.kind, r.amount, r.gift) for r in theirs] == [("gift", 1, "钢化膜"), ("voucher", 2000, "")]
    assert all(r.sale_id == sale.id for r in mine + theirs)
    (row,) = AuditLog.select().where((AuditLog.action == "sale.sale") & (AuditLog.entity_id == sale.id))
    assert json.loads(row.after)["referrer"] == old.id  # the sale's audit row names the referrer
    assert vouchers.balance(old.id, TODAY).vouchers == 0
    assert vouchers.balance(old.id, TODAY).pending == 5000


def test_self_referral_and_repeat_buyers_are_refused(shop: Shop) -> None:
    old, new = old_and_new(shop)
    cart = promoter_cart(shop)
    cart.attach_customer(old.id, old.name)
    with pytest.raises(ValidationError, match="themselves"):
        cart.set_referrer(link.find_referrer(old.phone))
    other = customer("13700137000", "王二")
    sell_to(shop, shop.till, other, shop.case.sku, when=at(date(2026, 11, 1)))
    with pytest.raises(ValidationError, match="bought here before"):
        link.check_link(other.id, old.id)
    third = customer("13600136000", "赵四")
    with pytest.raises(ValidationError, match="has not bought"):
        link.check_link(third.id, new.id)
    with pytest.raises(ValidationError, match="Attach the new customer"):
        promoter_cart(shop).set_referrer(link.find_referrer(old.phone))


def test_a_customer_is_referred_at_most_once(shop: Shop) -> None:
    old, new = old_and_new(shop)
    second = customer("13700137000", "王二")
    sell_to(shop, shop.till, second, shop.case.sku, when=at(date(2026, 10, 21)))
    cart = promoter_cart(shop)
    cart.attach_customer(new.id, new.name)
    cart.add_scan(scan(shop.imeis[0]))
    cart.set_referrer(link.find_referrer(old.phone))
    pay(cart)
    checkout.commit_sale(cart, shop.till, now=DAY)
    with pytest.raises(ValidationError, match="already referred"):
        link.check_link(new.id, second.id)


def test_cycles_are_refused(shop: Shop) -> None:
    a, b = old_and_new(shop)
    c = customer("13700137000", "王二")
    sell_to(shop, shop.till, c, shop.case.sku, when=at(date(2026, 10, 21)))
    # Links as an imported history could hold them: c brought b, b brought a.
    sale = Sale.select().first()
    for referrer, referee in ((c, b), (b, a)):
        Referral.create(
            referrer=referrer.id, referee=referee.id, sale=sale.id, staff=shop.manager.id, business_date=TODAY
        )
    d = customer("13600136000", "赵四")
    with pytest.raises(ValidationError, match="circle"):
        link.check_link(c.id, a.id)  # a would bring c: c -> b -> a -> c
    Referral.delete().where(Referral.referee == a.id).execute()
    link.check_link(d.id, a.id)  # the d end of a chain is fine


def test_the_link_is_checked_again_inside_the_commit(shop: Shop) -> None:
    """Another till sold to the new customer meanwhile: the referred sale is refused whole."""
    old, new = old_and_new(shop)
    cart = promoter_cart(shop)
    cart.attach_customer(new.id, new.name)
    cart.add_scan(scan(shop.imeis[0]))
    cart.set_referrer(link.find_referrer(old.phone))
    pay(cart)
    sell_to(shop, shop.till, new, shop.case.sku, when=DAY)
    before = snapshot()
    with pytest.raises(ValidationError, match="bought here before"):
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert snapshot() == before


def test_changing_the_customer_drops_the_referrer(shop: Shop) -> None:
    old, new = old_and_new(shop)
    cart = promoter_cart(shop)
    cart.attach_customer(new.id, new.name)
    cart.set_referrer(link.find_referrer(old.phone))
    cart.attach_customer(old.id, old.name)
    assert cart.referrer_id is None and cart.referrer_label == ""


# ---- rules ---------------------------------------------------------------------------------
def test_no_rule_met_links_without_rewards(shop: Shop) -> None:
    old, new = old_and_new(shop)
    sell_to(shop, till_with(shop, policy()), new, shop.case.sku, referrer=old)
    assert Referral.get(Referral.referee == new.id).rule == ""
    assert ReferralReward.select().count() == 0


def test_rules_apply_by_the_sale_date_and_the_most_specific_wins(shop: Shop) -> None:
    november = ReferralRule(date(2026, 11, 1), date(2026, 11, 30), category="handset", referrer=Reward(10000))
    apple = ReferralRule(date(2026, 11, 1), brand="Apple", model="iPhone 15", referrer=Reward(20000))
    december = ReferralRule(date(2026, 12, 1), category="handset", referrer=Reward(3000))
    till = till_with(shop, policy(november, december))
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    late = customer("13700137000", "王二")
    sell_to(shop, till, late, shop.imeis[1], referrer=old, when=at(date(2026, 12, 2)))
    assert sorted(r.amount for r in rewards(old.id)) == [3000, 10000]
    specific = till_with(shop, policy(november, apple))
    third = customer("13600136000", "赵四")
    sell_to(shop, specific, third, shop.imeis[2], referrer=old)
    assert max(r.amount for r in rewards(old.id)) == 20000


def test_the_monthly_cap_stops_the_referrer_reward_not_the_new_customers(shop: Shop) -> None:
    till = till_with(shop, policy(cap=2))
    old, _new = old_and_new(shop)
    for n in range(3):
        buyer = customer(f"1370013700{n}", f"新{n}")
        sell_to(shop, till, buyer, shop.imeis[n], referrer=old)
    assert len([r for r in rewards(old.id) if r.side == "referrer"]) == 2
    capped = Referral.select().where(Referral.capped == 1)
    assert capped.count() == 1
    assert (
        ReferralReward.select().where(ReferralReward.referral == capped.get().id).count() == 2
    )  # the new customer's
    buyer = customer("13700137009", "新9")
    sell_to(shop, till, buyer, shop.imeis[3], referrer=old, when=at(date(2026, 12, 1)))
    assert len([r for r in rewards(old.id) if r.side == "referrer"]) == 3


# ---- holding period, returns and voids -----------------------------------------------------
def test_rewards_are_earned_after_the_holding_period(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    assert settle(till, later(6)) == ledger.Settled(0, 0, 0)
    assert not ledger.settle_due(later(6)) and ledger.settle_due(later(7))
    assert settle(till, later(7)) == ledger.Settled(3, 0, 0)
    assert settle(till, later(7)) == ledger.Settled(0, 0, 0)
    (voucher,) = rewards(old.id)
    assert (voucher.status, voucher.expires_on) == ("earned", later(7 + 30))
    assert vouchers.balance(old.id, later(7)).vouchers == 5000
    assert vouchers.balance(new.id, later(7)).gifts_to_hand_over == 1


def test_a_return_inside_the_holding_period_cancels_the_rewards(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sale = sell_to(shop, till, new, shop.imeis[0], referrer=old, case_qty=1)
    refund(shop, till, sale, 2, at(later(2)))  # the case back: the handset rule is still met
    assert {r.status for r in ReferralReward.select()} == {"pending"}
    refund(shop, till, sale, 1, at(later(3)))  # the handset back
    assert {r.status for r in ReferralReward.select()} == {"cancelled"}
    assert settle(till, later(7)).earned == 0
    assert vouchers.balance(old.id, later(8)).vouchers == 0


def test_a_return_after_the_holding_period_keeps_the_reward(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sale = sell_to(shop, till, new, shop.imeis[0], referrer=old)
    settle(till, later(7))
    refund(shop, till, sale, 1, at(later(9)))
    assert {r.status for r in rewards(old.id)} == {"earned"}


def test_a_voided_first_sale_undoes_the_link(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sale = sell_to(shop, till, new, shop.imeis[0], referrer=old)
    sale_voids.void_sale(sale.id, approval=manager_ok(shop), till=till, now=DAY)
    assert Referral.get(Referral.sale == sale.id).status == "void"
    assert {r.status for r in ReferralReward.select()} == {"cancelled"}
    sell_to(shop, till, new, shop.imeis[0], referrer=old)  # the real first sale is referred anew
    assert Referral.select().where(Referral.status == "active").count() == 1


# ---- vouchers ------------------------------------------------------------------------------
def earned_voucher(shop: Shop) -> tuple[Customer, Customer]:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    settle(till, later(7))
    return old, new


def test_a_voucher_pays_part_of_a_sale_exactly_to_the_fen(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    till = till_with(shop, policy())
    sale = sell_to(shop, till, old, shop.case.sku, when=at(later(8)), voucher=1234)
    assert [(t.kind, t.amount) for t in sale.tenders.order_by(sale.tenders.model.kind)] == [
        ("cash", CASE - 1234),
        ("voucher", 1234),
    ]
    (voucher,) = rewards(old.id)
    assert (voucher.used, voucher.status) == (1234, "earned")
    assert VoucherUse.get().sale_id == sale.id
    assert vouchers.balance(old.id, later(8)).vouchers == 5000 - 1234


def test_a_voucher_never_pays_more_than_the_balance_or_the_amount_due(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    cart = promoter_cart(shop)
    cart.attach_customer(old.id, old.name)
    cart.add_scan(scan(shop.imeis[1]))
    with pytest.raises(ValidationError, match=r"only ¥50\.00"):
        vouchers.add_voucher_tender(cart, 5001, later(8))
    vouchers.add_voucher_tender(cart, 3000, later(8))
    with pytest.raises(ValidationError, match=r"only ¥20\.00"):
        vouchers.add_voucher_tender(cart, 2001, later(8))
    small = promoter_cart(shop)
    small.attach_customer(old.id, old.name)
    small.add_scan(scan(shop.case.sku))
    with pytest.raises(ValidationError, match="at most what is due"):
        vouchers.add_voucher_tender(small, CASE + 1, later(8))
    nobody = promoter_cart(shop)
    nobody.add_scan(scan(shop.case.sku))
    with pytest.raises(ValidationError, match="Attach the customer"):
        vouchers.add_voucher_tender(nobody, 100, later(8))
    stranger = customer("13600136000", "赵四")
    with pytest.raises(ValidationError, match="no voucher balance"):
        other = promoter_cart(shop)
        other.attach_customer(stranger.id, stranger.name)
        other.add_scan(scan(shop.case.sku))
        vouchers.add_voucher_tender(other, 100, TODAY)


def test_the_balance_is_checked_again_inside_the_commit(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    till = till_with(shop, policy())
    first = promoter_cart(shop)
    first.attach_customer(old.id, old.name)
    first.add_scan(scan(shop.imeis[1]))
    vouchers.add_voucher_tender(first, 5000, later(8))
    pay(first)
    sell_to(shop, till, old, shop.case.sku, when=at(later(8)), voucher=CASE)  # another till spends some
    before = snapshot()
    with pytest.raises(ValidationError, match="only"):
        checkout.commit_sale(first, till, now=at(later(8)))
    assert snapshot() == before


def test_a_refund_gives_the_voucher_back_first(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    till = till_with(shop, policy())
    sale = sell_to(shop, till, old, shop.case.sku, when=at(later(8)), case_qty=2, voucher=5000)
    assert rewards(old.id)[0].status == "redeemed"
    cart = return_cart(shop, sale, 1)
    assert vouchers.give_back_due(cart) == CASE
    pay(cart)  # all in cash: refused, the voucher must come back first
    with pytest.raises(ValidationError, match="goes back onto the voucher"):
        checkout.commit_sale(cart, till, now=at(later(9)))
    refund(shop, till, sale, 1, at(later(9)))
    (voucher,) = rewards(old.id)
    assert (voucher.used, voucher.status) == (5000 - CASE, "earned")
    assert sum(u.amount for u in VoucherUse.select()) == voucher.used


def test_a_void_gives_the_spent_voucher_back(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    till = till_with(shop, policy())
    when = at(later(8))
    sale = sell_to(shop, till, old, shop.case.sku, when=when, voucher=2000)
    sale_voids.void_sale(sale.id, approval=manager_ok(shop), till=till, now=when)
    (voucher,) = rewards(old.id)
    assert (voucher.used, voucher.status) == (0, "earned")
    assert vouchers.balance(old.id, later(8)).vouchers == 5000


def test_unused_vouchers_expire_and_a_late_refund_gives_a_fresh_one(shop: Shop) -> None:
    old, _new = earned_voucher(shop)
    till = till_with(shop, policy())
    sale = sell_to(shop, till, old, shop.case.sku, when=at(later(8)), voucher=CASE)
    assert settle(till, later(7 + 31)).expired == 3  # his voucher; the new customer's voucher and gift
    assert vouchers.balance(old.id, later(38)).vouchers == 0
    refund(shop, till, sale, 1, at(later(40)))
    fresh = [r for r in rewards(old.id) if r.status == "earned"]
    assert [(r.amount, r.expires_on) for r in fresh] == [(CASE, later(40 + vouchers.GIVE_BACK_GRACE_DAYS))]
    assert vouchers.balance(old.id, later(40)).vouchers == CASE  # not the forfeited rest


def test_gifts_are_handed_over_once_earned(shop: Shop) -> None:
    till = till_with(shop, policy())
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    gift = next(r for r in rewards(new.id) if r.kind == "gift")
    with pytest.raises(ValidationError, match="earned on 2026-12-04"):
        ledger.hand_over_gift(gift.id, shop.promoter.id, TODAY)
    settle(till, later(7))
    handed = ledger.hand_over_gift(gift.id, shop.promoter.id, later(7))
    assert (handed.status, handed.handed_by_id) == ("redeemed", shop.promoter.id)
    with pytest.raises(ValidationError, match="cannot be handed over"):
        ledger.hand_over_gift(gift.id, shop.promoter.id, later(7))


def test_a_rule_with_no_holding_period_is_earned_at_once(shop: Shop) -> None:
    instant = ReferralRule(
        date(2026, 1, 1), category="handset", referee=Reward(voucher_fen=1000), holding_days=0
    )
    till = till_with(shop, policy(instant))
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    assert vouchers.balance(new.id, TODAY).vouchers == 1000
    assert RULE.holding_days == 7


# ---- telling old customers -----------------------------------------------------------------
def test_invites_go_to_consenting_buyers_with_their_own_code(shop: Shop, tmp_path: Path) -> None:
    from store.referrals import invite

    old, new = old_and_new(shop)  # 张老客 bought; 李新客 never did
    records.set_consent(old.id, "paper", by=shop.manager.id)
    records.set_consent(new.id, "paper", by=shop.manager.id)
    quiet = customer("13700137000", "王二")  # bought, but no consent
    sell_to(shop, shop.till, quiet, shop.case.sku, when=at(date(2026, 11, 1)))
    section = policy()
    items = invite.invites(section, "测试店", TODAY)
    assert [i.phone for i in items] == [old.phone]
    assert (
        items[0].message == f"张老客您好！介绍亲友到测试店购机，报您的推荐码{old.referral_code}，双方有礼。"
    )
    assert invite.invites(section, "测试店", TODAY, within_days=30) == []  # bought 38 days ago
    csv_path, sms_path = invite.export(items, tmp_path, TODAY)
    assert sms_path.read_text(encoding="utf-8") == f"{old.phone}\t{items[0].message}\n"
    assert str(old.referral_code) in csv_path.read_text(encoding="utf-8-sig")


def test_the_invite_message_may_only_name_known_fields() -> None:
    from store.kernel.errors import ConfigError
    from store.referrals.config import parse_referrals

    assert parse_referrals({"invite_message": "{code} {name} {store}"}).invite_message
    with pytest.raises(ConfigError, match="invite_message"):
        parse_referrals({"invite_message": "{phone}"})


def test_a_gift_that_is_a_product_leaves_stock_when_handed_over(shop: Shop) -> None:
    from dataclasses import replace as with_

    from store.models import StockMovement
    from store.stock import ledger as stock

    case_gift = with_(RULE, referee=Reward(gift=shop.case.sku))
    till = till_with(shop, policy(case_gift))
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    before = stock.on_hand(shop.case.id)
    gift = next(r for r in rewards(new.id) if r.kind == "gift")
    settle(till, later(7))
    ledger.hand_over_gift(gift.id, shop.promoter.id, later(7))
    assert stock.on_hand(shop.case.id) == before - 1
    movement = StockMovement.get(StockMovement.document == gift.id)
    assert (movement.kind, movement.qty, movement.staff_id) == ("gift", -1, shop.promoter.id)


def test_a_gift_that_is_not_a_product_moves_no_stock(shop: Shop) -> None:
    from store.models import StockMovement

    till = till_with(shop, policy())  # "钢化膜": free text
    old, new = old_and_new(shop)
    sell_to(shop, till, new, shop.imeis[0], referrer=old)
    gift = next(r for r in rewards(new.id) if r.kind == "gift")
    settle(till, later(7))
    ledger.hand_over_gift(gift.id, shop.promoter.id, later(7))
    assert StockMovement.select().where(StockMovement.document == gift.id).count() == 0
