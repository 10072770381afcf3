from __future__ import annotations

import pytest
from peewee import fn

from store.kernel.errors import ValidationError
from store.models import AuditLog, ImeiUnit, StockMovement
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.ledger import ReceivedUnit
from tests.conftest import Shop
from tests.store_helpers import snapshot

NEW = [with_check_digit(f"3599990000{n:04d}") for n in range(1, 5)]


def movement_sum(product_id: str) -> int:
    return int(
        StockMovement.select(fn.SUM(StockMovement.qty)).where(StockMovement.product == product_id).scalar()
        or 0
    )


def test_shop_fixture_stock(shop: Shop) -> None:
    assert stock.on_hand(shop.phone.id) == 5
    assert stock.on_hand(shop.case.id) == 20
    assert stock.on_hand_all() == {shop.phone.id: 5, shop.case.id: 20}
    assert ImeiUnit.select().where(ImeiUnit.status == "in_stock").count() == 5


def test_receive_by_quantity(shop: Shop) -> None:
    assert stock.receive(shop.case, staff_id=shop.promoter.id, qty=7, document="DN-001") == 7
    assert stock.on_hand(shop.case.id) == 27 == movement_sum(shop.case.id)
    last = StockMovement.select().where(StockMovement.document == "DN-001").get()
    assert (last.kind, last.qty, last.staff_id, last.imei_unit_id) == ("receive", 7, shop.promoter.id, None)
    row = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    assert row.action == "stock.receive" and '"qty": 7' in row.after


def test_receive_by_imei(shop: Shop) -> None:
    units = [ReceivedUnit(NEW[0]), ReceivedUnit(f"{NEW[1][:8]} {NEW[1][8:]}", NEW[2])]
    assert stock.receive(shop.phone, staff_id=shop.manager.id, units=units, cost=510000) == 2
    assert stock.on_hand(shop.phone.id) == 7 == movement_sum(shop.phone.id)
    second = ImeiUnit.get(ImeiUnit.imei == NEW[1])  # stored normalised
    assert (second.imei2, second.status, second.cost) == (NEW[2], "in_stock", 510000)
    moves = StockMovement.select().where(StockMovement.imei_unit == second.id)
    assert [(m.kind, m.qty) for m in moves] == [("receive", 1)]


def test_unit_cost_defaults_to_the_product_cost(shop: Shop) -> None:
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).cost == 520000


@pytest.mark.parametrize(
    "units",
    [
        [ReceivedUnit(NEW[0]), ReceivedUnit("__KNOWN__")],
        [ReceivedUnit(NEW[0], "__KNOWN__")],
    ],
    ids=["known-first-imei", "known-as-second-imei"],
)
def test_known_imei_refused_and_nothing_written(shop: Shop, units: list[ReceivedUnit]) -> None:
    known = shop.imeis[3]
    units = [
        ReceivedUnit(u.imei.replace("__KNOWN__", known), (u.imei2 or "").replace("__KNOWN__", known) or None)
        for u in units
    ]
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.phone, staff_id=shop.manager.id, units=units)
    assert str(err.value) == f"IMEI {known} is already known (status: in stock)."
    assert snapshot() == before


def test_known_second_imei_of_an_existing_unit_refused(shop: Shop) -> None:
    stock.receive(shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(NEW[0], NEW[1])])
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(NEW[1])])
    assert str(err.value) == f"IMEI {NEW[0]} is already known (status: in stock)."
    assert snapshot() == before


@pytest.mark.parametrize(
    "units",
    [
        [ReceivedUnit(NEW[0]), ReceivedUnit(NEW[0])],
        [ReceivedUnit(NEW[0]), ReceivedUnit(f"{NEW[0][:5]}-{NEW[0][5:]}")],
        [ReceivedUnit(NEW[0], NEW[0])],
        [ReceivedUnit(NEW[1], NEW[0]), ReceivedUnit(NEW[0])],
    ],
)
def test_same_imei_twice_in_one_delivery(shop: Shop, units: list[ReceivedUnit]) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.phone, staff_id=shop.manager.id, units=units)
    assert str(err.value) == f"IMEI {NEW[0]} is scanned twice."
    assert snapshot() == before


def test_bad_imei_in_a_delivery_refused(shop: Shop) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(
            shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(NEW[0]), ReceivedUnit("12345")]
        )
    assert str(err.value) == "An IMEI has 15 digits; this has 5: 12345"
    assert snapshot() == before


@pytest.mark.parametrize("units", [None, []])
def test_handset_needs_imeis(shop: Shop, units: list[ReceivedUnit] | None) -> None:
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.phone, staff_id=shop.manager.id, qty=3, units=units)
    assert str(err.value) == "Scan the IMEI of every handset received."
    assert stock.on_hand(shop.phone.id) == 5


@pytest.mark.parametrize(
    ("qty", "message"),
    [
        (0, "A quantity must be at least 1."),
        (-3, "A quantity must be at least 1."),
        (100000, "A quantity of 100000 is too large."),
        (1.5, "A quantity is a whole number."),
        (True, "A quantity is a whole number."),
        ("3", "A quantity is a whole number."),
    ],
)
def test_receive_bad_quantity(shop: Shop, qty: object, message: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        stock.receive(shop.case, staff_id=shop.manager.id, qty=qty)  # type: ignore[arg-type]
    assert str(err.value) == message
    assert snapshot() == before


@pytest.mark.parametrize(("text", "qty"), [("1", 1), (" 12 ", 12), ("9999", 9999), ("１２", 12), ("007", 7)])
def test_parse_qty(text: str, qty: int) -> None:
    assert stock.parse_qty(text) == qty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.5", "A quantity is a whole number: 1.5"),
        ("abc", "A quantity is a whole number: abc"),
        ("", "A quantity is a whole number: "),
        ("--1", "A quantity is a whole number: --1"),
        ("²", "A quantity is a whole number: ²"),
        ("1e3", "A quantity is a whole number: 1e3"),
        ("0", "A quantity must be at least 1."),
        ("-1", "A quantity must be at least 1."),
        ("100000", "A quantity of 100000 is too large."),
        ("9" * 5000, "A quantity of 99999999999999999999 is too large."),
        ("-" + "9" * 50, "A quantity must be at least 1."),
        ("－３", "A quantity must be at least 1."),
    ],
)
def test_parse_qty_refuses(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        stock.parse_qty(text)
    assert str(err.value) == message


def test_on_hand_is_the_sum_of_movements_after_activity(shop: Shop) -> None:
    stock.receive(shop.case, staff_id=shop.manager.id, qty=5)
    stock.receive(shop.phone, staff_id=shop.manager.id, units=[ReceivedUnit(NEW[3])])
    StockMovement.create(product=shop.case.id, kind="adjust", qty=-2, staff=shop.manager.id, reason="damaged")
    assert stock.on_hand(shop.case.id) == 23 == movement_sum(shop.case.id)
    assert stock.on_hand_all() == {shop.phone.id: 6, shop.case.id: 23}
    assert stock.on_hand("no-such-product") == 0
