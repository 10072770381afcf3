from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from store.audit import integrity
from store.config.loader import load_config
from store.kernel.errors import (
    ConfigError,
    NeedsApproval,
    NotFound,
    PermissionDenied,
    StockError,
    ValidationError,
)
from store.models import AuditLog, ImeiUnit, Sale, SaleLine, StockMovement, Tender
from store.people import staff
from store.selling import checkout, refunds, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.selling.config import ReturnReason, ReturnsSection
from store.stock import history
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
    cart.set_return_reason("defective")
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
    cart.set_return_reason("defective")
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
    stale.set_return_reason("defective")
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
    cart.set_return_reason("defective")
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
    cart.add_tender("cash", PHONE - 2 * CASE)  # paid in cash: back in cash
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
    swap = checkout.commit_sale(cart, shop.till, now=DAY)
    assert Sale.get_by_id(swap.id).total == 2 * CASE - PHONE
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "returned"


def test_even_exchange_needs_no_tender(shop: Shop) -> None:
    sale = sell_on(shop, DAY, case_qty=1)
    cart = return_cart(shop, sale, {1: 1})
    cart.add_scan(scan("CASE-IP15"))
    assert cart.total == 0 and cart.is_settled
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
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
    stale.set_return_reason("defective")
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


# ---- refunds go back the way the sale was paid ---------------------------------------------
WX = "4200001234202612070000000042"


def sell_split(shop: Shop, wechat: int, now: datetime = DAY) -> Sale:
    """The phone and 2 cases (607,700 fen): ``wechat`` by WeChat Pay, the rest in cash."""
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.add_tender("wechat", wechat, WX)
    cart.add_tender("cash", cart.due)
    return checkout.commit_sale(cart, shop.till, now=now)


def approved_return(shop: Shop, sale: Sale, wanted: dict[int, int], reason: str = "defective") -> Cart:
    cart = return_cart(shop, sale, wanted)
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason(reason)
    return cart


def tenders_of(sale: Sale) -> list[tuple[str, int, str, str | None]]:
    rows = Tender.select().where(Tender.sale == sale.id).order_by(Tender.kind.desc())
    return [(t.kind, t.amount, t.reference, t.original_id) for t in rows]


def test_a_split_payment_is_refunded_in_proportion_and_wechat_keeps_its_reference(shop: Shop) -> None:
    sale = sell_split(shop, 400000)  # 400,000 WeChat + 207,700 cash
    original_wx = Tender.get((Tender.sale == sale.id) & (Tender.kind == "wechat")).id
    cart = approved_return(shop, sale, {2: 1})  # one case back: 3,900
    shares = refunds.still_due(cart)
    assert [(s.kind, s.amount, s.reference) for s in shares] == [("wechat", 2567, WX), ("cash", 1333, "")]
    refunds.take_as_paid(cart)
    first = checkout.commit_sale(cart, shop.till, now=DAY)
    assert tenders_of(first) == [("wechat", -2567, WX, original_wx), ("cash", -1333, "", None)]
    # The rest in two more goes: each payment gets back exactly what it paid, no fen more.
    for wanted in ({2: 1}, {1: 1}):
        cart = approved_return(shop, sale, wanted)
        refunds.take_as_paid(cart)
        checkout.commit_sale(cart, shop.till, now=DAY)
    back = Tender.select().join(Sale).where(Sale.original == sale.id)
    assert sum(t.amount for t in back if t.kind == "wechat") == -400000
    assert sum(t.amount for t in back if t.kind == "cash") == -207700


def test_wechat_never_gets_back_more_than_it_paid_nor_a_payment_it_did_not_make(shop: Shop) -> None:
    sale = sell_split(shop, 1000)  # 10 yuan by WeChat, the rest in cash
    cart = approved_return(shop, sale, {1: 1})
    with pytest.raises(ValidationError, match=r"At most ¥10\.00 goes back to WeChat Pay"):
        refunds.add_refund(cart, "wechat", 2000)
    with pytest.raises(ValidationError, match=r"Nothing of receipt .* Alipay"):
        refunds.add_refund(cart, "alipay", 100)
    assert cart.tenders == []
    # A cart put together by hand is refused inside the commit, and nothing is written.
    forged = approved_return(shop, sale, {1: 1})
    forged.add_tender("alipay", PHONE)
    before = snapshot()
    with pytest.raises(ValidationError, match="goes back to a Alipay payment"):
        checkout.commit_sale(forged, shop.till, now=DAY)
    forged.clear_tenders()
    original_wx = Tender.get((Tender.sale == sale.id) & (Tender.kind == "wechat")).id
    forged.add_tender("wechat", 2000, WX, original_id=original_wx)
    forged.add_tender("cash", -forged.due)
    with pytest.raises(ValidationError, match=r"At most ¥10\.00 goes back to WeChat Pay"):
        checkout.commit_sale(forged, shop.till, now=DAY)
    assert snapshot() == before


def test_cash_instead_of_wechat_needs_a_manager_and_is_audited(shop: Shop) -> None:
    sale = sell_split(shop, 500000)
    cart = approved_return(shop, sale, {1: 1})
    cash_share = refunds.cash_share(refunds.plan(cart))
    assert 0 < cash_share < PHONE
    refunds.add_refund(cart, "cash", cash_share)  # cash for the cash part: no PIN
    with pytest.raises(NeedsApproval, match="Cash instead of the original payment"):
        refunds.add_refund(cart, "cash", 1)
    forged = approved_return(shop, sale, {1: 1})
    forged.add_tender("cash", PHONE)  # behind add_refund's back: the commit asks too
    before = snapshot()
    with pytest.raises(NeedsApproval, match="Cash instead"):
        checkout.commit_sale(forged, shop.till, now=DAY)
    forged.cash_refund_approved_by = shop.promoter.id  # the seller's own PIN approves nothing
    with pytest.raises(PermissionDenied):
        checkout.commit_sale(forged, shop.till, now=DAY)
    assert snapshot() == before
    refunds.add_refund(cart, "cash", -cart.due, manager_ok(shop))
    assert cart.cash_refund_approved_by == shop.manager.id
    done = checkout.commit_sale(cart, shop.till, now=DAY)
    assert tenders_of(done) == [("cash", -cash_share, "", None), ("cash", cash_share - PHONE, "", None)]
    row = AuditLog.get(AuditLog.action == "sale.cash_refund")
    assert (row.entity_id, row.staff_id, row.approved_by) == (done.id, shop.promoter.id, shop.manager.id)
    assert '"instead_of": ["wechat"]' in row.after and f'"cash": {PHONE}' in row.after
    assert integrity.verify() == []


def test_a_manager_gives_cash_instead_in_their_own_role(shop: Shop) -> None:
    sale = sell_split(shop, 500000)
    cart = Cart(staff_id=shop.manager.id, staff_role="manager", discount_limit_percent=30)
    cart.add_return_line(sold_line(sale, 1), 1, 0)
    cart.approve_return()
    cart.set_return_reason("other")
    refunds.add_refund(cart, "cash", PHONE)
    assert cart.cash_refund_approved_by == shop.manager.id
    checkout.commit_sale(cart, shop.till, now=DAY)
    row = AuditLog.get(AuditLog.action == "sale.cash_refund")
    assert row.approved_by == shop.manager.id and '"authority": "own role"' in row.after


def test_clearing_the_payments_drops_the_cash_approval(shop: Shop) -> None:
    sale = sell_split(shop, 500000)
    cart = approved_return(shop, sale, {1: 1})
    refunds.add_refund(cart, "cash", PHONE, manager_ok(shop))
    cart.clear_tenders()
    assert cart.cash_refund_approved_by == ""


# ---- the reason of a return ----------------------------------------------------------------
def test_the_reason_is_kept_on_the_return_in_the_stock_history_and_the_audit(shop: Shop) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    back = commit_return_for(shop, sale, "wrong_item")
    assert Sale.get_by_id(back.id).return_reason == "wrong_item"
    (moved,) = StockMovement.select().where(StockMovement.document == back.id)
    assert (moved.kind, moved.reason) == ("return", "错拿 Wrong item")
    (event,) = [e for e in history.history_of(shop.imeis[0]).events if e.kind == "return"]
    assert event.reason == "错拿 Wrong item"
    row = AuditLog.get(AuditLog.action == "sale.return")
    assert '"reason": "wrong_item"' in row.after
    assert Sale.get_by_id(sale.id).return_reason == ""  # a sale has none


def commit_return_for(shop: Shop, sale: Sale, reason: str) -> Sale:
    cart = approved_return(shop, sale, {1: 1}, reason)
    refunds.take_as_paid(cart)
    return checkout.commit_sale(cart, shop.till, now=DAY)


@pytest.mark.parametrize("reason", ["", "broken", "质量问题 Defective"])
def test_a_return_without_a_reason_from_the_list_writes_nothing(shop: Shop, reason: str) -> None:
    sale = sell_on(shop, DAY, shop.imeis[0])
    cart = return_cart(shop, sale, {1: 1})
    cart.approve_return(manager_ok(shop))
    cart.return_reason = reason  # set behind set_return_reason's back
    pay(cart)
    before = snapshot()
    with pytest.raises(ValidationError, match="Choose a reason for the return"):
        checkout.commit_sale(cart, shop.till, now=DAY)
    assert snapshot() == before
    with pytest.raises(ValidationError, match="Choose a reason"):
        cart.set_return_reason("  ")


def test_the_reasons_come_from_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[returns]\nreasons = [{ code = "dead", name = "开不了机" }, { code = "other", name = "其他" }]\n',
        encoding="utf-8",
    )
    reasons = load_config(path).returns
    assert [(r.code, r.name) for r in reasons.reasons] == [("dead", "开不了机"), ("other", "其他")]
    assert reasons.name_of("dead") == "开不了机" and reasons.name_of("gone") == "gone"
    for bad, key in [
        ("reasons = []", "returns.reasons"),
        ('reasons = [{ code = "a b", name = "x" }]', r"returns.reasons\[0\].code"),
        ('reasons = [{ code = "a", name = "" }]', r"returns.reasons\[0\].name"),
        ('reasons = [{ code = "a", name = "x" }, { code = "a", name = "y" }]', r"returns.reasons\[1\].code"),
        ('reasons = [{ code = "a", name = "x" }, { code = "b", name = "x" }]', r"returns.reasons\[1\].name"),
        ('reasons = [{ code = "a" }]', r"returns.reasons\[0\].name"),
    ]:
        path.write_text(f"[returns]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=key):
            load_config(path)


def test_a_return_with_a_reason_from_a_changed_list(shop: Shop) -> None:
    """The list in force decides: a till whose config.toml names other reasons takes those."""
    till = replace(shop.till, returns=ReturnsSection(reasons=(ReturnReason("dead", "开不了机"),)))
    sale = sell_on(shop, DAY, shop.imeis[0])
    cart = approved_return(shop, sale, {1: 1}, "defective")
    pay(cart)
    with pytest.raises(ValidationError, match="Choose a reason"):
        checkout.commit_sale(cart, till, now=DAY)
    cart.set_return_reason("dead")
    assert Sale.get_by_id(checkout.commit_sale(cart, till, now=DAY).id).return_reason == "dead"
