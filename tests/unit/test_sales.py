from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from store.audit import integrity
from store.config.loader import load_config
from store.kernel.clock import business_date
from store.kernel.errors import ConfigError, NotFound, StockError, ValidationError
from store.models import AuditLog, ImeiUnit, ReceiptCounter, Sale, SaleLine, StockMovement, Tender
from store.selling import checkout, sale_lookup
from store.selling.config import TendersSection
from store.selling.till import Till
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, scan, sell, snapshot

PHONE = 599900
CASE = 3900
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_commit_writes_everything(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 3)
    cart.set_line_discount(1, 500)
    cart.set_sale_discount(10000)
    cart.add_tender("wechat", 500000, "4200001234202612070000000042")
    cart.add_tender("cash", 200000)
    audit_rows = AuditLog.select().count()
    now = datetime(2026, 11, 27, 3, 0)
    sale = checkout.commit_sale(cart, shop.till, now=now)

    fresh = Sale.get_by_id(sale.id)
    assert fresh.id == cart.id
    assert fresh.receipt_no == "S001-T1-20261127-0001"
    assert (fresh.store_code, fresh.terminal_id, fresh.kind, fresh.status) == (
        "S001",
        "T1",
        "sale",
        "completed",
    )
    assert fresh.business_date == date(2026, 11, 27)
    assert fresh.created_at == now
    assert fresh.staff_id == shop.promoter.id
    assert fresh.subtotal == PHONE + 3 * CASE
    assert fresh.discount == 500 + 10000
    assert fresh.total == PHONE + 3 * CASE - 10500 == cart.total

    lines = list(SaleLine.select().where(SaleLine.sale == sale.id).order_by(SaleLine.line_no))
    assert [(ln.line_no, ln.qty, ln.list_price, ln.unit_price) for ln in lines] == [
        (1, 1, PHONE, PHONE),
        (2, 3, CASE, CASE),
    ]
    assert lines[0].imei_unit_id == ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).id
    assert all(ln.promoter_id == shop.promoter.id for ln in lines)
    assert sum(ln.total for ln in lines) == fresh.total
    assert sum(ln.discount for ln in lines) == fresh.discount
    assert all(ln.total == ln.unit_price * ln.qty - ln.discount for ln in lines)

    tenders = list(Tender.select().where(Tender.sale == sale.id).order_by(Tender.kind))
    assert [(t.kind, t.amount, t.tendered, t.change, t.reference) for t in tenders] == [
        ("cash", fresh.total - 500000, 200000, 200000 - (fresh.total - 500000), ""),
        ("wechat", 500000, 500000, 0, "4200001234202612070000000042"),
    ]

    moves = StockMovement.select().where(StockMovement.document == sale.id)
    assert sorted((m.kind, m.product_id, m.qty) for m in moves) == sorted(
        [("sale", shop.phone.id, -1), ("sale", shop.case.id, -3)]
    )
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "sold"
    assert stock.on_hand(shop.phone.id) == 4 and stock.on_hand(shop.case.id) == 17

    new_rows = list(AuditLog.select().order_by(AuditLog.seq).offset(audit_rows))
    assert [r.action for r in new_rows] == ["sale.sale"]
    assert new_rows[0].entity_id == sale.id and "S001-T1-20261127-0001" in new_rows[0].after
    assert integrity.verify() == []


def test_approvals_and_overrides_are_audited(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.imeis[1]))
    cart.override_price(0, 500000, "competitor price", manager_ok(shop))
    cart.set_line_discount(1, 60000, manager_ok(shop))
    cart.set_sale_discount(100000, manager_ok(shop))
    pay(cart, "card")
    sale = checkout.commit_sale(cart, shop.till)
    rows = {r.action: r for r in AuditLog.select().where(AuditLog.approved_by == shop.manager.id)}
    assert set(rows) == {"sale.price_override", "sale.discount_approved"}
    override = rows["sale.price_override"]
    assert override.entity_id == cart.lines[0].id
    assert '"price": 599900' in override.before and "competitor price" in override.after
    approved = AuditLog.select().where(AuditLog.action == "sale.discount_approved")
    assert sorted(r.entity for r in approved) == ["sale", "sale_line"]
    assert SaleLine.get_by_id(cart.lines[0].id).override_reason == "competitor price"
    assert Sale.get_by_id(sale.id).total == 500000 + PHONE - 60000 - 100000


def test_receipt_numbers_per_terminal_per_business_day(shop: Shop) -> None:
    other = Till(store_code="S001", terminal_id="T2", tz=SHANGHAI)
    day1 = datetime(2026, 11, 27, 2, 0)  # 10:00 in Shanghai

    def ring(till: Till, now: datetime) -> str:
        cart = promoter_cart(shop)
        cart.add_scan(scan("CASE-IP15"))
        pay(cart)
        return checkout.commit_sale(cart, till, now=now).receipt_no

    assert ring(shop.till, day1) == "S001-T1-20261127-0001"
    assert ring(shop.till, day1 + timedelta(minutes=5)) == "S001-T1-20261127-0002"
    assert ring(other, day1) == "S001-T2-20261127-0001"
    assert ring(shop.till, day1 + timedelta(hours=1)) == "S001-T1-20261127-0003"
    assert ring(shop.till, day1 + timedelta(days=1)) == "S001-T1-20261128-0001"
    assert ring(other, day1 + timedelta(days=1)) == "S001-T2-20261128-0001"
    assert ReceiptCounter.get_by_id("T1|2026-11-27").last == 3


@pytest.mark.parametrize(
    ("utc", "local_day"),
    [
        (datetime(2026, 11, 27, 15, 59), date(2026, 11, 27)),
        (datetime(2026, 11, 27, 16, 0), date(2026, 11, 28)),  # midnight in Shanghai
        (datetime(2026, 11, 27, 17, 30), date(2026, 11, 28)),
    ],
)
def test_business_date_uses_the_store_time_zone(utc: datetime, local_day: date) -> None:
    assert business_date(utc, SHANGHAI) == local_day
    assert business_date(utc, ZoneInfo("UTC")) == utc.date()


def test_business_date_of_an_aware_time() -> None:
    local = datetime(2026, 11, 28, 7, 30, tzinfo=SHANGHAI)  # 2026-11-27 23:30 UTC
    assert business_date(local, SHANGHAI) == date(2026, 11, 28)
    assert business_date(local, ZoneInfo("UTC")) == date(2026, 11, 27)
    assert business_date(local, ZoneInfo("America/New_York")) == date(2026, 11, 27)


def test_sale_late_in_the_evening_utc_is_tomorrow_in_shanghai(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till, now=datetime(2026, 11, 27, 17, 30))
    fresh = Sale.get_by_id(sale.id)
    assert fresh.business_date == date(2026, 11, 28)
    assert fresh.receipt_no == "S001-T1-20261128-0001"


def test_aware_commit_time_is_stored_as_utc(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"))
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till, now=datetime(2026, 11, 28, 7, 30, tzinfo=SHANGHAI))
    fresh = Sale.get_by_id(sale.id)
    assert fresh.created_at == datetime(2026, 11, 27, 23, 30)
    assert fresh.business_date == date(2026, 11, 28)
    assert integrity.verify() == []


def test_imei_sold_meanwhile_writes_nothing(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan("CASE-IP15"), 2)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan(shop.imeis[1]))
    pay(cart)
    # Another terminal sells the second handset between the scan and the commit.
    ImeiUnit.update(status="sold").where(ImeiUnit.imei == shop.imeis[1]).execute()
    before = snapshot()
    with pytest.raises(StockError) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == f"IMEI {shop.imeis[1]} was sold meanwhile; remove it from the sale."
    assert snapshot() == before
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "in_stock"
    assert not Sale.select().exists() and not ReceiptCounter.select().exists()
    assert integrity.verify() == []
    # After removing the unit the same cart commits, as receipt 0001 (nothing was used up).
    cart.clear_tenders()
    cart.remove_line(2)
    pay(cart)
    assert checkout.commit_sale(cart, shop.till).receipt_no.endswith("-0001")


def test_accessory_sold_out_meanwhile_writes_nothing(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_scan(scan("CASE-IP15"), 15)
    pay(cart)
    StockMovement.create(product=shop.case.id, kind="sale", qty=-10, staff=shop.manager.id, document="other")
    before = snapshot()
    with pytest.raises(StockError) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "Only 10 of Generic iPhone 15 Case in stock."
    assert snapshot() == before


def test_committing_twice_returns_the_same_sale(shop: Shop) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    pay(cart)
    first = checkout.commit_sale(cart, shop.till)
    before = snapshot()
    second = checkout.commit_sale(cart, shop.till)
    assert (second.id, second.receipt_no) == (first.id, first.receipt_no)
    assert snapshot() == before


def test_unpaid_and_empty_carts_refused(shop: Shop) -> None:
    cart = promoter_cart(shop)
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "The sale is empty."
    cart.add_scan(scan(shop.imeis[0]))
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "The sale is not fully paid."
    cart.add_tender("wechat", 100000)
    with pytest.raises(ValidationError) as err:
        checkout.commit_sale(cart, shop.till)
    assert str(err.value) == "The sale is not fully paid."
    assert snapshot() == before


def test_customer_and_promoter_are_recorded(shop: Shop) -> None:
    from store.crm.sale_customer import find_or_create

    customer = find_or_create("+86 138-0013-8000", "张三", by=shop.promoter.id)
    cart = promoter_cart(shop)
    cart.customer_id = customer.id
    cart.add_scan(scan(shop.imeis[0]))
    cart.set_promoter(shop.manager.id)
    pay(cart)
    sale = checkout.commit_sale(cart, shop.till)
    assert Sale.get_by_id(sale.id).customer_id == customer.id
    assert SaleLine.get(SaleLine.sale == sale.id).promoter_id == shop.manager.id


def test_acknowledge(shop: Shop) -> None:
    first = sell(shop, shop.imeis[0])
    second = sell(shop, case_qty=1)
    assert [s.id for s in checkout.unacknowledged("T1")] == [first.id, second.id]
    assert checkout.unacknowledged("T2") == []
    checkout.acknowledge(first.id)
    assert [s.id for s in checkout.unacknowledged("T1")] == [second.id]
    assert Sale.get_by_id(first.id).acknowledged_at is not None
    checkout.acknowledge(second.id)
    assert checkout.unacknowledged("T1") == []


def test_find_sale(shop: Shop) -> None:
    sale = sell(shop, shop.imeis[0])
    assert sale_lookup.find_sale(f"  {sale.receipt_no} ").id == sale.id
    assert sale_lookup.find_sale(sale.id).id == sale.id
    with pytest.raises(NotFound) as err:
        sale_lookup.find_sale("S001-T1-20990101-0001")
    assert str(err.value) == "No receipt S001-T1-20990101-0001."


# ---- tender references (WeChat Pay / Alipay transaction numbers, a card's last 4 digits) ----
WX = "4200001234202612070000000042"


@pytest.mark.parametrize(
    ("kind", "typed", "kept"),
    [
        ("wechat", WX, WX),
        ("wechat", " 4200 0012 3420 2612 0700 0000 0042 ", WX),  # as a slip prints it
        ("alipay", "2026120722001412345678901234", "2026120722001412345678901234"),
        ("alipay", "1234567890123456", "1234567890123456"),  # 16 digits: the shortest
        ("card", "4321", "4321"),
        ("card", "", ""),  # optional by default
    ],
)
def test_a_payment_keeps_its_reference_as_digits(shop: Shop, kind: str, typed: str, kept: str) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_tender(kind, cart.due, typed)
    sale = checkout.commit_sale(cart, shop.till)
    assert [t.reference for t in Tender.select().where(Tender.sale == sale.id)] == [kept]


@pytest.mark.parametrize(
    ("kind", "typed", "problem"),
    [
        ("wechat", "wx-42", "16 to 32 digits"),
        ("wechat", "123456789012345", "16 to 32 digits"),  # 15: a digit short
        ("alipay", "1" * 33, "16 to 32 digits"),
        ("alipay", "２０２６１２０７２２００１４１２３４５", "16 to 32 digits"),  # full-width digits
        ("card", "123", "last 4 digits"),
        ("card", "12345", "last 4 digits"),
        ("card", "12a4", "last 4 digits"),
        ("cash", "1234", "no reference"),
    ],
)
def test_a_wrong_reference_is_refused_with_what_it_should_be(
    shop: Shop, kind: str, typed: str, problem: str
) -> None:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    with pytest.raises(ValidationError, match=problem):
        cart.add_tender(kind, cart.due, typed)
    assert cart.tenders == []


def test_a_required_reference_is_enforced_at_commit(shop: Shop) -> None:
    """[tenders] wechat_reference = "required": a cart put together without one (the screen
    always asks, a script might not) is refused inside the store, and nothing is written."""
    till = replace(shop.till, tenders=TendersSection(wechat_reference="required"))
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.imeis[0]))
    cart.add_tender("wechat", 100000)
    cart.add_tender("card", cart.due)  # card stays optional
    before = snapshot()
    with pytest.raises(ValidationError, match="WeChat Pay payment needs its reference"):
        checkout.commit_sale(cart, till)
    assert snapshot() == before
    forged = promoter_cart(shop)  # a reference set behind add_tender's back is checked again
    forged.add_scan(scan(shop.imeis[0]))
    forged.add_tender("wechat", forged.due)
    forged.tenders[0].reference = "wx-42"
    with pytest.raises(ValidationError, match="16 to 32 digits"):
        checkout.commit_sale(forged, till)
    cart.clear_tenders()
    cart.add_tender("wechat", 100000, WX)
    cart.add_tender("card", cart.due)
    assert checkout.commit_sale(cart, till).total == PHONE


def test_tender_reference_rules_come_from_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[tenders]\nwechat_reference = "required"\ncard_reference = "off"\n', encoding="utf-8")
    cfg = load_config(path)
    assert [cfg.tenders.rule(k) for k in ("wechat", "alipay", "card", "cash")] == [
        "required",
        "optional",
        "off",
        "off",
    ]
    path.write_text('[tenders]\nwechat_reference = "always"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tenders\.wechat_reference"):
        load_config(path)
