"""A handset's and a product's life from the ledger, with who it came from and went to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.crm import sale_customer as customers
from store.kernel.errors import NotFound
from store.models import Supplier
from store.models.base import utcnow
from store.selling import checkout
from store.stock import count_approval, count_entry, count_sessions, history, receiving
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from store.stock.receiving import DeliveryLine
from tests.conftest import TILL, Shop
from tests.store_helpers import forge_actor, manager_ok, pay, promoter_cart, scan


def test_an_imeis_life_received_sold_returned_counted(shop: Shop) -> None:
    supplier = Supplier.create(code="HN01", name="华南地包", channel="distributor", lead_time_days=3)
    number = with_check_digit("35328111000901")
    t = utcnow() + timedelta(minutes=1)
    receiving.receive_delivery(
        supplier_id=supplier.id,
        invoice_no="INV-9",
        lines=[DeliveryLine(shop.phone, units=[ReceivedUnit(number)])],
        staff_id=shop.manager.id,
        now=t,
    )
    buyer = customers.find_or_create("13800138000", "张三", by=shop.promoter.id)
    cart = promoter_cart(shop)
    cart.add_scan(scan(number))
    cart.customer_id = buyer.id
    pay(cart)
    sale = checkout.commit_sale(cart, TILL, now=t + timedelta(minutes=1))
    back = promoter_cart(shop)
    line = sale.lines.get()
    back.add_return_line(line, 1, 0)
    back.approve_return(manager_ok(shop))
    back.set_return_reason("defective")
    pay(back)
    refund = checkout.commit_sale(back, TILL, now=t + timedelta(minutes=2))
    count = count_sessions.start_count(
        scope_kind="all", staff_id=shop.promoter.id, now=t + timedelta(minutes=3)
    )
    count_entry.enter(count.id, "1*CASE-IP15", staff_id=shop.promoter.id, now=t + timedelta(minutes=4))
    count_sessions.close(count.id, staff_id=shop.promoter.id, now=t + timedelta(minutes=5))
    count_approval.approve(
        count.id, actor=forge_actor(shop.promoter), approval=manager_ok(shop), now=t + timedelta(minutes=6)
    )

    found = history.history_of(number)
    assert found.unit is not None and found.product.id == shop.phone.id
    rows = [(e.kind, e.qty, e.document, e.party, e.staff) for e in found.events]
    assert rows == [
        ("receive", 1, "invoice INV-9", "华南地包", "王店长"),
        ("sale", -1, sale.receipt_no, "张三 138****8000", "李小红"),
        ("return", 1, refund.receipt_no, "张三 138****8000", "李小红"),
        ("count", -1, count.number, "", "王店长"),  # not on the shelf at the count
    ]
    assert [history.kind_name(e.kind) for e in found.events] == ["received", "sold", "returned", "counted"]

    cases = history.history_of("6900000000011")  # by barcode: the product's life
    assert [(e.kind, e.qty) for e in cases.events][-1] == ("count", -19)
    assert history.history_of("CASE-IP15").product.id == shop.case.id


def test_unknown_codes(shop: Shop) -> None:
    with pytest.raises(NotFound, match="has never been in this store"):
        history.history_of(with_check_digit("86000000000001"))
    with pytest.raises(NotFound, match="Unknown code"):
        history.history_of("NOPE")
