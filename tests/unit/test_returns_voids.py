from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.audit import integrity
from store.kernel.errors import NeedsApproval, NotFound, StockError, ValidationError
from store.models import AuditLog, ImeiUnit, Sale, SaleLine, StockMovement, Tender
from store.people import staff
from store.selling import checkout, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import forge_actor, manager_ok, pay, promoter_cart, scan, snapshot

PHONE = 599900
CASE = 3900
DAY = datetime(2026, 11, 27, 4, 0)  # 12:00 in Shanghai


def sold_line(sale: Sale, line_no: int) -> SaleLine:
    return SaleLine.get((SaleLine.sale == sale.id) & (SaleLine.line_no == line_no))


def return_cart(shop: Shop, sale: Sale, wanted: dict[int, int]) -> Cart:
    """A cart returning ``wanted`` = {line_no: qty} of ``sale``, as the returns screen builds it."""
    cart = promoter_cart(shop)
    for line_no, qty in wanted.items():
        line = sold_line(sale, line_no)
        cart.add_return_line(line, qty, sale_lookup.returned_qty(line.id))
    return cart


def commit_return(shop: Shop, sale: Sale, wanted: dict[int, int], now: datetime = DAY) -> Sale:
    cart = return_cart(shop, sale, wanted)
    cart.approve_return(manager_ok(shop))
    pay(cart)
    return checkout.commit_sale(cart, shop.till, now=now)


def sell_on(shop: Shop, now: datetime, *codes: str, case_qty: int = 0) -> Sale:
    cart = promoter_cart(shop)
    for code in codes:
        cart.add_scan(scan(code))
    if case_qty:
        cart.add_scan(scan("CASE-IP15"), case_qty)
    pay(cart)
    return checkout.commit_sale(cart, shop.till, now=now)


# ---- returns -------------------------------------------------------------------------------
def test_return_needs_a_manager(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0], case_qty=2)
    cart = return_cart(shop, sale, {1: 1})
    assert cart.total == -PHONE and cart.original_sale_id == sale.id
    tender = cart.add_tender("cash", PHONE)
    assert (tender.amount, tender.tendered) == (-PHONE, -PHONE)
    before = snapshot()
    with pytest.raises(NeedsApproval) as err:
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert str(err.value) == "A return needs a manager's PIN."
    assert snapshot() == before

    cart.approve_return(staff.approve("M1", "1234"))
    refund = checkout.commit_sale(cart, shop.till, now=DAY)
    fresh = Sale.get_by_id(refund.id)
    assert (fresh.kind, fresh.original_id, fresh.total) == ("return", sale.id, -PHONE)
    assert fresh.receipt_no == "S001-T1-20261127-0002"
    assert [t.amount for t in Tender.select().where(Tender.sale == refund.id)] == [-PHONE]
    line = SaleLine.get(SaleLine.sale == refund.id)
    assert (line.qty, line.total, line.original_line_id) == (-1, -PHONE, sold_line(sale, 1).id)
    row = AuditLog.get(AuditLog.action == "sale.return")
    assert row.approved_by == shop.manager.id
    assert integrity.verify() == []


def test_refund_tender_cannot_exceed_the_refund(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=2)
    cart = return_cart(shop, sale, {1: 1})
    with pytest.raises(ValidationError) as err:
        cart.add_tender("cash", CASE + 1)
    assert str(err.value) == "Refund at most ¥39.00."


def test_returned_imei_goes_back_and_can_be_sold_again(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    assert stock.on_hand(shop.phone.id) == 4
    commit_return(shop, sale, {1: 1})
    unit = ImeiUnit.get(ImeiUnit.imei == shop.imeis[0])
    assert unit.status == "returned"
    assert stock.on_hand(shop.phone.id) == 5
    # In the order written: the fixture receives at the real clock, the sales at a fixed DAY.
    moves = StockMovement.select().where(StockMovement.imei_unit == unit.id).order_by(StockMovement.id)
    assert [(m.kind, m.qty) for m in moves] == [("receive", 1), ("sale", -1), ("return", 1)]

    again = sell_on(shop, DAY + timedelta(hours=1), shop.imeis[0])
    assert ImeiUnit.get_by_id(unit.id).status == "sold"
    assert stock.on_hand(shop.phone.id) == 4
    # The new sale's line can be returned; the old one cannot be returned a second time.
    assert [r.returnable for r in sale_lookup.returnable_lines(again)] == [1]
    assert [r.returnable for r in sale_lookup.returnable_lines(sale)] == [0]


def test_same_imei_line_cannot_be_returned_twice(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    stale = return_cart(shop, sale, {1: 1})  # a second terminal opened the same receipt
    commit_return(shop, sale, {1: 1})
    with pytest.raises(ValidationError) as err:
        return_cart(shop, sale, {1: 1})
    assert str(err.value) == "Only 0 of this line can still be returned."
    cart = promoter_cart(shop)
    cart.add_return_line(sold_line(sale, 1), 1, 0)
    with pytest.raises(ValidationError) as err:
        cart.add_return_line(sold_line(sale, 1), 1, 0)  # twice on one cart
    assert str(err.value) == "Only 0 of this line can still be returned."

    stale.approve_return(manager_ok(shop))
    pay(stale)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(stale, shop.till, now=DAY)
    assert str(err.value) == "Only 0 of this line can still be returned."
    assert snapshot() == before


def test_never_more_than_was_sold(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=4)
    with pytest.raises(ValidationError) as err:
        return_cart(shop, sale, {1: 5})
    assert str(err.value) == "Only 4 of this line can still be returned."
    commit_return(shop, sale, {1: 3})
    assert sale_lookup.returned_qty(sold_line(sale, 1).id) == 3
    assert [r.returnable for r in sale_lookup.returnable_lines(sale)] == [1]
    with pytest.raises(ValidationError) as err:
        return_cart(shop, sale, {1: 2})
    assert str(err.value) == "Only 1 of this line can still be returned."
    commit_return(shop, sale, {1: 1})
    assert [r.returnable for r in sale_lookup.returnable_lines(sale)] == [0]
    assert stock.on_hand(shop.case.id) == 20


def test_partial_returns_refund_exactly_what_was_paid(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 3)
    cart.set_line_discount(1, 101)
    cart.set_sale_discount(9990)
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till, now=DAY)
    paid = sold_line(sale, 2).total
    assert paid % 3 != 0  # the split is uneven, so rounding matters
    refunds = [commit_return(shop, sale, {2: 1}).total for _ in range(3)]
    assert sum(refunds) == -paid
    assert max(refunds) - min(refunds) <= 1
    assert all(r < 0 for r in refunds)
    refund_tenders = Tender.select().join(Sale).where(Sale.original == sale.id)
    assert sum(t.amount for t in refund_tenders) == -paid


def test_two_part_return_of_a_discounted_line_in_one_cart(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"), 7)
    cart.set_line_discount(0, 1001)
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till, now=DAY)
    paid = sold_line(sale, 1).total
    back = promoter_cart(shop)
    back.add_return_line(sold_line(sale, 1), 2, 0)
    back.add_return_line(sold_line(sale, 1), 5, 0)
    assert back.total == -paid


def test_exchange_nets_the_tender(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=2)
    cart = return_cart(shop, sale, {1: 1})
    cart.add_scan(scan(shop.imeis[2]))
    assert cart.total == PHONE - CASE
    with pytest.raises(ValidationError):
        cart.set_line_discount(0, 10)  # a returned line is not discounted
    cart.add_tender("wechat", PHONE - CASE)
    cart.approve_return(manager_ok(shop))
    swap = checkout.commit_sale(cart, shop.till, now=DAY)
    fresh = Sale.get_by_id(swap.id)
    assert (fresh.kind, fresh.total, fresh.original_id) == ("exchange", PHONE - CASE, sale.id)
    assert [t.amount for t in Tender.select().where(Tender.sale == swap.id)] == [PHONE - CASE]
    assert stock.on_hand(shop.case.id) == 19
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[2]).status == "sold"


def test_exchange_for_something_cheaper_refunds_the_difference(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    cart = return_cart(shop, sale, {1: 1})
    cart.add_scan(scan("CASE-IP15"), 2)
    assert cart.total == 2 * CASE - PHONE
    cart.add_tender("alipay", PHONE - 2 * CASE)
    cart.approve_return(manager_ok(shop))
    swap = checkout.commit_sale(cart, shop.till, now=DAY)
    assert Sale.get_by_id(swap.id).total == 2 * CASE - PHONE
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "returned"


def test_even_exchange_needs_no_tender(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=1)
    cart = return_cart(shop, sale, {1: 1})
    cart.add_scan(scan("CASE-IP15"))
    assert cart.total == 0 and cart.is_settled
    cart.approve_return(manager_ok(shop))
    assert checkout.commit_sale(cart, shop.till, now=DAY).kind == "exchange"


# ---- voids ---------------------------------------------------------------------------------
def void(shop: Shop, sale: Sale, now: datetime = DAY) -> Sale:
    return sale_voids.void_sale(
        sale.id,
        actor=forge_actor(shop.promoter),
        approval=manager_ok(shop),
        till=shop.till,
        reason="wrong",
        now=now,
    )


def test_void_puts_everything_back(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0], shop.imeis[1], case_qty=3)
    voided = void(shop, sale, DAY + timedelta(hours=3))
    assert voided.status == "voided" and voided.voided_at == DAY + timedelta(hours=3)
    assert voided.receipt_no == sale.receipt_no  # the receipt stays
    assert stock.on_hand(shop.phone.id) == 5 and stock.on_hand(shop.case.id) == 20
    assert {u.status for u in ImeiUnit.select()} == {"in_stock"}
    voids = StockMovement.select().where((StockMovement.document == sale.id) & (StockMovement.kind == "void"))
    assert sorted(m.qty for m in voids) == [1, 1, 3]
    row = AuditLog.get(AuditLog.action == "sale.void")
    assert (row.entity_id, row.approved_by, row.staff_id) == (sale.id, shop.manager.id, shop.promoter.id)
    assert integrity.verify() == []
    # The handsets can be sold again.
    assert sell_on(shop, DAY + timedelta(hours=4), shop.imeis[0]).total == PHONE


def test_second_void_refused(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=1)
    void(shop, sale)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        void(shop, sale)
    assert str(err.value) == f"Receipt {sale.receipt_no} is already voided."
    assert snapshot() == before


def test_void_of_a_sale_with_returns_refused(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=2)
    commit_return(shop, sale, {1: 1})
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        void(shop, sale)
    assert str(err.value) == f"Receipt {sale.receipt_no} has returns; it cannot be voided."
    assert snapshot() == before


def test_void_of_yesterdays_sale_refused(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        void(shop, sale, DAY + timedelta(days=1))
    assert str(err.value) == "Only today's sales can be voided; use a return."
    assert snapshot() == before
    # "Today" is the store's day: 23:59 in Shanghai is still the same day, 00:00 is not.
    assert void(shop, sale, datetime(2026, 11, 27, 15, 59)).status == "voided"


def test_void_unknown_sale(shop: Shop) -> None:
    with pytest.raises(NotFound) as err:
        sale_voids.void_sale("nope", approval=manager_ok(shop), till=shop.till)
    assert str(err.value) == "No receipt nope."


def test_voided_sale_cannot_be_returned(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    stale = return_cart(shop, sale, {1: 1})  # opened before the void
    void(shop, sale)
    with pytest.raises(ValidationError) as err:
        sale_lookup.returnable_lines(Sale.get_by_id(sale.id))
    assert str(err.value) == f"Receipt {sale.receipt_no} was voided."
    stale.approve_return(manager_ok(shop))
    pay(stale)
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(stale, shop.till, now=DAY)
    assert str(err.value) == "The original sale line cannot be returned."
    assert snapshot() == before


def test_void_of_a_return_sells_the_unit_again(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    refund = commit_return(shop, sale, {1: 1})
    void(shop, refund)
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "sold"
    assert stock.on_hand(shop.phone.id) == 4
    assert [r.returnable for r in sale_lookup.returnable_lines(sale)] == [1]  # the return no longer counts


def test_void_refused_when_an_imei_moved_on(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    refund = commit_return(shop, sale, {1: 1})
    sell_on(shop, DAY, shop.imeis[0])  # the returned handset was sold to someone else
    before = snapshot()
    with pytest.raises(StockError) as err:
        void(shop, refund)
    assert str(err.value) == "An IMEI on this receipt was returned or sold again since; it cannot be voided."
    assert snapshot() == before
