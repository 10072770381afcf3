"""Stock counts: blind entry, sales during the count, variance, approval, and every bad input
refused with a clear message and nothing written."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from store.audit import integrity
from store.kernel.errors import NeedsApproval, NotFound, PermissionDenied, ValidationError
from store.models import AuditLog, ImeiUnit, Product, StockCountEntry, StockCountItem, StockMovement
from store.models.base import utcnow
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog, count_approval, count_entry, count_review, count_sessions
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from tests.conftest import TILL, Shop
from tests.store_helpers import forge_actor, forge_approval, manager_ok, pay, scan, snapshot

# Tomorrow 10:00 in Shanghai: after the shop fixture received its stock (at the real now).
T0 = (utcnow() + timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def sell(shop: Shop, when: datetime, *imeis: str, cases: int = 0) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    for number in imeis:
        cart.add_scan(scan(number))
    if cases:
        cart.add_scan(scan(shop.case.sku), cases)
    pay(cart)
    checkout.commit_sale(cart, TILL, now=when)


def start(shop: Shop, kind: str = "all", value: str = "", minute: int = 0) -> str:
    return count_sessions.start_count(
        scope_kind=kind, scope_value=value, staff_id=shop.promoter.id, now=at(minute)
    ).id


def test_a_count_with_sales_during_it_and_its_approval(shop: Shop) -> None:
    count_id = start(shop)
    items = {i.product_id: i.snapshot_qty for i in StockCountItem.select()}
    assert items == {shop.phone.id: 5, shop.case.id: 20}
    p = shop.promoter.id

    sell(shop, at(1), shop.imeis[4], cases=1)  # before anything is counted: 19 cases, 4 phones
    for minute, number in enumerate(shop.imeis[:3], start=2):  # imeis[3] is not on the shelf
        entered = count_entry.enter(count_id, number, staff_id=p, now=at(minute))
        assert entered.product_id == shop.phone.id and entered.counted == minute - 1
    count_entry.enter(count_id, "10*6900000000011", staff_id=p, now=at(6))  # two shelves of cases
    entered = count_entry.enter(count_id, "8*CASE-IP15", staff_id=p, now=at(7))
    assert entered.counted == 18 and entered.message == "Generic iPhone 15 Case: 18 counted."
    sell(shop, at(8), cases=1)  # after the cases were counted: not a variance

    count_sessions.close(count_id, staff_id=p, now=at(9))
    sell(shop, at(10), cases=1)  # waiting for approval: still not a variance
    result = count_review.review(count_id, now=at(11))
    by_product = {ln.product_id: ln for ln in result.lines}
    case, phone = by_product[shop.case.id], by_product[shop.phone.id]
    # Cases: 20 at the snapshot - 1 sold before counting = 19 expected; 18 counted.
    assert (case.expected, case.counted, case.variance, case.value) == (19, 18, -1, -800)
    # Phones: 5 - 1 sold = 4 expected; 3 scanned; the 4th is missing.
    assert (phone.expected, phone.counted, phone.variance, phone.value) == (4, 3, -1, -520000)
    assert [(u.kind, u.imei, u.applies) for u in result.units] == [("missing", shop.imeis[3], True)]
    assert (result.short_qty, result.over_qty, result.short_value) == (2, 0, 520800)
    assert stock.on_hand(shop.case.id) == 17  # the book, before approval

    before = snapshot()
    with pytest.raises(NeedsApproval) as refused:
        count_approval.approve(count_id, actor=forge_actor(shop.promoter), approval=None, now=at(12))
    assert str(refused.value) == "Approving a count needs a manager's PIN."
    with pytest.raises(PermissionDenied):
        count_approval.approve(
            count_id, actor=forge_actor(shop.promoter), approval=forge_approval(p, "李小红"), now=at(12)
        )
    assert snapshot() == before

    count_approval.approve(count_id, actor=forge_actor(shop.promoter), approval=manager_ok(shop), now=at(12))
    # The shelf had 18, then one sold (minute 8) and one more (minute 10): 16.
    assert stock.on_hand(shop.case.id) == 16
    assert stock.on_hand(shop.phone.id) == 3
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[3]).status == "missing"
    moves = list(StockMovement.select().where(StockMovement.kind == "count"))
    assert sorted((m.product_id, m.qty, m.document) for m in moves) == sorted(
        [(shop.case.id, -1, count_id), (shop.phone.id, -1, count_id)]
    )
    assert all(m.staff_id == shop.manager.id for m in moves)
    row = AuditLog.get(AuditLog.action == "stock_count.approve")
    assert (row.staff_id, row.approved_by) == (p, shop.manager.id)
    assert integrity.verify() == []
    report = count_approval.approved_lines(count_sessions.find_count(count_sessions.counts()[0].number))
    assert sorted((ln.sku, ln.expected, ln.counted, ln.adjusted, ln.value) for ln in report) == [
        ("CASE-IP15", 19, 18, -1, -800),
        ("IP15-128-BK", 4, 3, -1, -520000),
    ]
    # Approved is final: the report stays, nothing more can be done to it.
    with pytest.raises(ValidationError):
        count_approval.approve(
            count_id, actor=forge_actor(shop.promoter), approval=manager_ok(shop), now=at(13)
        )
    with pytest.raises(ValidationError):
        count_entry.enter(count_id, shop.imeis[3], staff_id=p, now=at(13))


def test_a_sold_unit_found_on_the_shelf_and_an_unknown_imei_of_a_known_tac(shop: Shop) -> None:
    sell(shop, at(-10), shop.imeis[0])
    count_id = start(shop, "category", "handset")
    p = shop.promoter.id
    for minute, number in enumerate(shop.imeis, start=1):  # all five, one of them sold
        count_entry.enter(count_id, number, staff_id=p, now=at(minute))
    stranger = with_check_digit("35328111009999")  # same TAC (35328111) as the shop's phones
    entered = count_entry.enter(count_id, stranger, staff_id=p, now=at(7))
    assert entered.product_id == shop.phone.id
    assert entered.message == f"IMEI {stranger} is not in the books; counted as Apple iPhone 15 128GB Black."
    count_sessions.close(count_id, staff_id=p, now=at(8))
    result = count_review.review(count_id)
    assert sorted((u.kind, u.imei) for u in result.units) == [
        ("new", stranger),
        ("unexpected", shop.imeis[0]),
    ]
    count_approval.approve(count_id, actor=forge_actor(shop.promoter), approval=manager_ok(shop), now=at(9))
    assert stock.on_hand(shop.phone.id) == 6
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "in_stock"
    assert ImeiUnit.get(ImeiUnit.imei == stranger).status == "in_stock"
    assert len(stock.units_in_stock(shop.phone.id)) == 6


def test_pause_resume_and_entries_survive(shop: Shop) -> None:
    count_id = start(shop)
    p = shop.promoter.id
    count_entry.enter(count_id, shop.imeis[0], staff_id=p, now=at(1))
    count_sessions.pause(count_id, staff_id=p, now=at(2))
    with pytest.raises(ValidationError) as refused:
        count_entry.enter(count_id, shop.imeis[1], staff_id=p, now=at(3))
    assert "is paused; resume it to go on" in str(refused.value)
    assert [c.id for c in count_sessions.unfinished()] == [count_id]
    count_sessions.resume(count_id, staff_id=p, now=at(4))
    count_entry.enter(count_id, shop.imeis[1], staff_id=p, now=at(5))
    assert [(ln.name, ln.counted) for ln in count_entry.counted_so_far(count_id)] == [
        ("Apple iPhone 15 128GB Black", 2)
    ]
    assert count_entry.recount(count_id, shop.phone.id, staff_id=p, now=at(6)) == 2
    assert count_entry.counted_so_far(count_id) == []
    assert AuditLog.select().where(AuditLog.action == "stock_count.recount").count() == 1
    # Only one count at a time.
    with pytest.raises(ValidationError) as refused:
        start(shop, minute=7)
    assert "is not finished" in str(refused.value)


@pytest.fixture
def open_count(shop: Shop) -> str:
    count_id = start(shop, "brand", "Apple")
    count_entry.enter(count_id, shop.imeis[0], staff_id=shop.promoter.id, now=at(1))
    return count_id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3*6900000000011", "A counted quantity cannot be negative: -3"),
        ("1.5*6900000000011", "A counted quantity is a whole number: 1.5"),
        ("2*353281110000011", "Scan handsets one IMEI at a time."),
        ("9999999999999", "9999999999999 is not a product this store carries."),
        ("6900000000011", "Generic iPhone 15 Case is not part of this count (brand Apple)."),
        ("3*IP15-128-BK", "Scan each Apple iPhone 15 128GB Black by its IMEI."),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(
    shop: Shop, open_count: str, text: str, message: str
) -> None:
    before = snapshot()
    with pytest.raises((ValidationError, NotFound)) as refused:
        count_entry.enter(open_count, text, staff_id=shop.promoter.id, now=at(2))
    assert str(refused.value) == message
    assert snapshot() == before


def test_the_same_imei_twice_and_an_imei_of_another_model(shop: Shop, open_count: str) -> None:
    p = shop.promoter.id
    other = catalog.create_product(
        sku="IP15P-256-WH", brand="Apple", model="iPhone 15 Pro", storage="256GB", category="handset", price=1
    )
    dual = (with_check_digit("35000000000011"), with_check_digit("35000000000022"))
    stock.receive(other, staff_id=shop.manager.id, units=[ReceivedUnit(*dual)])
    # A new product is not in a count that started before it existed.
    with pytest.raises(ValidationError, match="is not part of this count"):
        count_entry.enter(open_count, dual[0], staff_id=p, now=at(2))
    count_id = open_count
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        count_entry.enter(count_id, shop.imeis[0], staff_id=p, now=at(3))
    assert str(refused.value) == f"IMEI {shop.imeis[0]} is counted already."
    with pytest.raises(ValidationError) as refused:
        count_entry.enter(count_id, dual[1], staff_id=p, model_id=shop.phone.id, now=at(3))
    assert str(refused.value) == (
        f"IMEI {dual[1]} is a Apple iPhone 15 Pro 256GB, not a Apple iPhone 15 128GB Black."
    )
    with pytest.raises(ValidationError) as refused:
        count_entry.enter(count_id, "353281110000012", staff_id=p, now=at(3))
    assert "wrong check digit" in str(refused.value)
    unknown = with_check_digit("86000000000011")  # no model has this TAC
    with pytest.raises(ValidationError) as refused:
        count_entry.enter(count_id, unknown, staff_id=p, now=at(3))
    assert str(refused.value) == (
        f"IMEI {unknown} is not known here: scan the model's barcode first, then its IMEIs."
    )
    assert snapshot() == before


def test_either_imei_of_a_dual_sim_handset_counts_it_once(shop: Shop) -> None:
    dual = (with_check_digit("35328111000101"), with_check_digit("35328111000102"))
    stock.receive(shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(*dual)])
    count_id = start(shop)
    count_entry.enter(count_id, dual[1], staff_id=shop.promoter.id, now=at(1))
    with pytest.raises(ValidationError, match="is counted already"):
        count_entry.enter(count_id, dual[0], staff_id=shop.promoter.id, now=at(2))
    assert StockCountEntry.select().count() == 1


def test_closing_an_empty_count_and_counting_a_product_no_longer_carried(shop: Shop) -> None:
    count_id = start(shop)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        count_sessions.close(count_id, staff_id=shop.promoter.id, now=at(1))
    number = count_sessions.counts()[0].number
    assert str(refused.value) == f"Nothing has been counted in {number}; an empty count cannot be closed."
    assert snapshot() == before
    Product.update(active=False).where(Product.id == shop.case.id).execute()
    with pytest.raises(ValidationError) as refused:
        count_entry.record_qty(count_id, shop.case.id, 3, staff_id=shop.promoter.id, now=at(2))
    assert str(refused.value) == "Generic iPhone 15 Case is not a product this store carries."
    with pytest.raises(ValidationError) as refused:
        count_entry.record_qty(count_id, shop.case.id, -1, staff_id=shop.promoter.id, now=at(2))
    assert str(refused.value) == "A counted quantity cannot be negative: -1"


def test_a_count_of_zero_is_a_count(shop: Shop) -> None:
    """Looked at the shelf, found none: 0 is a quantity, and the variance is all of it."""
    count_id = start(shop, "category", "accessory")
    count_entry.enter(count_id, "0*CASE-IP15", staff_id=shop.promoter.id, now=at(1))
    count_sessions.close(count_id, staff_id=shop.promoter.id, now=at(2))
    line = count_review.review(count_id).lines[0]
    assert (line.expected, line.counted, line.variance) == (20, 0, -20)
    count_approval.approve(count_id, actor=forge_actor(shop.promoter), approval=manager_ok(shop), now=at(3))
    assert stock.on_hand(shop.case.id) == 0


def test_start_needs_a_scope_with_products(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="Nothing to count in brand Nokia"):
        start(shop, "brand", "Nokia")
    with pytest.raises(ValidationError, match="Choose which shelf to count"):
        start(shop, "shelf", "")
    with pytest.raises(ValidationError):
        start(shop, "colour", "red")
    assert snapshot() == before
    assert count_sessions.scope_choices("brand") == ["Apple", "Generic"]
    assert count_sessions.scope_choices("category") == ["accessory", "handset"]


def test_the_count_number_carries_the_local_date(shop: Shop) -> None:
    # 23:00 UTC is 07:00 the next day in Shanghai.
    late = (utcnow() + timedelta(days=3)).replace(hour=23, minute=0, second=0, microsecond=0)
    count = count_sessions.start_count(scope_kind="all", staff_id=shop.promoter.id, now=late, tz=TILL.tz)
    assert count.number == f"PD{late + timedelta(days=1):%Y%m%d}-01"
