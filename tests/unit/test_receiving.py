"""Receiving deliveries: supplier and invoice, IMEIs (new only; the TAC suggests the model of
an unknown one), purchase orders received in part, and refusals that write nothing."""

from __future__ import annotations

import json

import pytest

from store.audit import integrity
from store.kernel.errors import ValidationError
from store.models import (
    AuditLog,
    GoodsReceipt,
    GoodsReceiptLine,
    ImeiUnit,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
)
from store.stock import ledger as stock
from store.stock import receiving
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from store.stock.receiving import DeliveryLine
from tests.conftest import Shop
from tests.store_helpers import snapshot


@pytest.fixture
def supplier(shop: Shop) -> Supplier:
    return Supplier.create(code="HN01", name="华南地包", channel="distributor", lead_time_days=3)


def new_imeis(n: int, start: int = 100) -> list[str]:
    return [with_check_digit(f"3532811100{start + i:04d}") for i in range(n)]


def test_a_delivery_with_handsets_and_cases(shop: Shop, supplier: Supplier) -> None:
    numbers = new_imeis(2)
    receipt = receiving.receive_delivery(
        supplier_id=supplier.id,
        invoice_no=" INV-001 ",
        lines=[
            DeliveryLine(shop.phone, units=[ReceivedUnit(n) for n in numbers], cost=510000),
            DeliveryLine(shop.case, qty=12),
        ],
        staff_id=shop.manager.id,
    )
    assert (receipt.invoice_no, receipt.supplier_id) == ("INV-001", supplier.id)
    assert stock.on_hand(shop.phone.id) == 7 and stock.on_hand(shop.case.id) == 32
    assert {u.cost for u in ImeiUnit.select().where(ImeiUnit.imei.in_(numbers))} == {510000}
    lines = {(ln.product_id, ln.qty, ln.cost) for ln in GoodsReceiptLine.select()}
    assert lines == {(shop.phone.id, 2, 510000), (shop.case.id, 12, 800)}
    assert AuditLog.select().where(AuditLog.action == "goods_receipt.create").count() == 1
    assert integrity.verify() == []


def test_refusals_write_nothing(shop: Shop, supplier: Supplier) -> None:
    receiving.receive_delivery(
        supplier_id=supplier.id,
        invoice_no="INV-1",
        lines=[DeliveryLine(shop.case, qty=1)],
        staff_id=shop.manager.id,
    )
    before = snapshot()
    fresh = new_imeis(1)[0]
    cases = [
        (
            [DeliveryLine(shop.phone, units=[ReceivedUnit(shop.imeis[0])])],
            "INV-2",
            f"IMEI {shop.imeis[0]} is already known (status: in stock).",
        ),
        (
            [DeliveryLine(shop.phone, units=[ReceivedUnit(fresh), ReceivedUnit(fresh)])],
            "INV-2",
            f"IMEI {fresh} is scanned twice.",
        ),
        ([DeliveryLine(shop.case, qty=1)], "INV-1", "Invoice INV-1 from 华南地包 was received already."),
        ([DeliveryLine(shop.case, qty=1)], "  ", "Invoice number is required."),
        ([], "INV-3", "The delivery is empty."),
        ([DeliveryLine(shop.phone, qty=3)], "INV-3", "Scan the IMEI of every handset received."),
        ([DeliveryLine(shop.case, qty=-2)], "INV-3", "A quantity must be at least 1."),
    ]
    for lines, invoice, message in cases:
        with pytest.raises(ValidationError) as refused:
            receiving.receive_delivery(
                supplier_id=supplier.id, invoice_no=invoice, lines=lines, staff_id=shop.manager.id
            )
        assert str(refused.value) == message
        assert snapshot() == before


def test_a_purchase_order_received_in_two_parts(shop: Shop, supplier: Supplier) -> None:
    order = PurchaseOrder.create(number="PO-1", supplier=supplier.id, status="open")
    PurchaseOrderLine.create(order=order.id, product=shop.case.id, qty=30, cost=800)
    PurchaseOrderLine.create(order=order.id, product=shop.phone.id, qty=2, cost=520000)
    assert [o.number for o in receiving.open_orders(supplier.id)] == ["PO-1"]

    receiving.receive_delivery(
        supplier_id=supplier.id,
        invoice_no="A1",
        order_id=order.id,
        lines=[
            DeliveryLine(shop.case, qty=20),
            DeliveryLine(shop.phone, units=[ReceivedUnit(new_imeis(1)[0])]),
        ],
        staff_id=shop.manager.id,
    )
    assert PurchaseOrder.get_by_id(order.id).status == "partial"
    assert {(r.product.sku, r.left) for r in receiving.remaining(order.id)} == {
        ("CASE-IP15", 10),
        ("IP15-128-BK", 1),
    }

    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        receiving.receive_delivery(
            supplier_id=supplier.id,
            invoice_no="A2",
            order_id=order.id,
            lines=[DeliveryLine(shop.case, qty=11)],
            staff_id=shop.manager.id,
        )
    assert str(refused.value) == "Only 10 of Generic iPhone 15 Case are still to come on order PO-1."
    assert snapshot() == before

    receiving.receive_delivery(
        supplier_id=supplier.id,
        invoice_no="A2",
        order_id=order.id,
        lines=[
            DeliveryLine(shop.case, qty=10),
            DeliveryLine(shop.phone, units=[ReceivedUnit(new_imeis(1, 200)[0])]),
        ],
        staff_id=shop.manager.id,
    )
    assert PurchaseOrder.get_by_id(order.id).status == "received"
    assert receiving.open_orders() == []
    assert GoodsReceipt.select().where(GoodsReceipt.order == order.id).count() == 2
    with pytest.raises(ValidationError, match=r"Purchase order PO-1 is closed\."):
        receiving.receive_delivery(
            supplier_id=supplier.id,
            invoice_no="A3",
            order_id=order.id,
            lines=[DeliveryLine(shop.case, qty=1)],
            staff_id=shop.manager.id,
        )


def test_the_tac_suggests_the_model_of_an_unknown_imei(shop: Shop) -> None:
    unknown = new_imeis(1, 500)[0]  # TAC 35328111, like the shop's iPhone 15 units
    assert [p.id for p in receiving.suggest_model(unknown)] == [shop.phone.id]
    assert receiving.suggest_model(with_check_digit("86999999000001")) == []
    with pytest.raises(ValidationError, match="already known"):
        receiving.check_new_imei(shop.imeis[2])
    assert receiving.check_new_imei(unknown) == unknown


def test_the_unit_cost_typed_is_stored_and_audited_else_the_products_cost(shop: Shop) -> None:
    receiving.receive_delivery(
        lines=[
            DeliveryLine(shop.case, qty=5, cost=750),
            DeliveryLine(shop.phone, units=[ReceivedUnit(new_imeis(1)[0])]),
        ],
        staff_id=shop.manager.id,
    )
    lines = {(ln.product_id, ln.cost) for ln in GoodsReceiptLine.select()}
    assert lines == {(shop.case.id, 750), (shop.phone.id, 520000)}
    row = AuditLog.get(AuditLog.action == "goods_receipt.create")
    assert sorted(json.loads(row.after)["lines"]) == [["CASE-IP15", 5, 750], ["IP15-128-BK", 1, 520000]]


@pytest.mark.parametrize("cost", [-1, 2.5, True, 10_000_000_01])
def test_a_unit_cost_is_whole_fen_in_range_or_nothing_is_written(shop: Shop, cost: object) -> None:
    before = snapshot()
    with pytest.raises(ValidationError):
        receiving.receive_delivery(
            lines=[DeliveryLine(shop.case, qty=5, cost=cost)],  # type: ignore[arg-type]
            staff_id=shop.manager.id,
        )
    assert snapshot() == before
