"""Transfers between two stores of a chain, each with its own database: booked out by one,
booked in by the other from the file, in transit on neither's books, never taken in twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store import catalog, setup, stock, transfers
from store.db import open_database
from store.errors import StockError, ValidationError
from store.models import AuditLog, ImeiUnit, Product, StockTransfer
from store.transfers import TransferLine
from tests.conftest import Shop
from tests.store_helpers import snapshot


class Other:
    """Store S002: the same catalog, no stock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_database(path)
        self.manager = setup.initialise_store(
            store_code="S002", store_name="二店", manager_code="M1", manager_name="赵店长", pin="1234"
        )
        catalog.create_product(
            sku="IP15-128-BK",
            brand="Apple",
            model="iPhone 15",
            storage="128GB",
            colour="Black",
            category="handset",
            price=599900,
            cost=520000,
        )
        catalog.create_product(
            sku="CASE-IP15",
            brand="Generic",
            model="iPhone 15 Case",
            category="accessory",
            price=3900,
            cost=800,
        )
        self.db.close()

    def use(self) -> SqliteDatabase:
        return open_database(self.path)


@pytest.fixture
def other(shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path) -> Iterator[Other]:
    store = Other(tmp_path / "s002.db")
    open_database(db_path)  # back to S001 for the test
    yield store


def test_send_then_receive_in_the_other_store(shop: Shop, other: Other, db_path: Path) -> None:
    transfer, text = transfers.send(
        to_store="s002",
        lines=[TransferLine(shop.case, qty=5), TransferLine(shop.phone, imeis=shop.imeis[:2])],
        staff_id=shop.manager.id,
        note="周末活动",
    )
    # Booked out here: in transit, on no store's books.
    assert stock.on_hand(shop.case.id) == 15 and stock.on_hand(shop.phone.id) == 3
    assert {u.status for u in ImeiUnit.select().where(ImeiUnit.imei.in_(shop.imeis[:2]))} == {"transferred"}
    payload = json.loads(text)
    assert (payload["from_store"], payload["to_store"], payload["id"]) == ("S001", "S002", transfer.id)
    assert AuditLog.select().where(AuditLog.action == "transfer.send").count() == 1

    database = other.use()
    try:
        case_id = catalog.lookup_code("CASE-IP15").product.id  # type: ignore[union-attr]
        phone_id = catalog.lookup_code("IP15-128-BK").product.id  # type: ignore[union-attr]
        assert stock.on_hand(case_id) == 0
        received = transfers.receive(text, staff_id=other.manager.id)
        assert (received.direction, received.from_store, received.number) == ("in", "S001", transfer.number)
        assert stock.on_hand(case_id) == 5 and stock.on_hand(phone_id) == 2
        assert len(stock.units_in_stock(phone_id)) == 2
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            transfers.receive(text, staff_id=other.manager.id)
        assert str(refused.value) == f"Transfer {transfer.number} was received already."
        assert snapshot() == before

        # One phone goes back to S001, where the unit is known and comes back into stock.
        _back, back_text = transfers.send(
            to_store="S001",
            lines=[TransferLine(Product.get_by_id(phone_id), imeis=[shop.imeis[0]])],
            staff_id=other.manager.id,
        )
    finally:
        database.close()
    open_database(db_path)
    transfers.receive(back_text, staff_id=shop.manager.id)
    assert ImeiUnit.get(ImeiUnit.imei == shop.imeis[0]).status == "in_stock"
    assert stock.on_hand(shop.phone.id) == 4
    assert StockTransfer.select().count() == 2  # out to S002, in from S002


def test_refusals(shop: Shop, other: Other) -> None:
    before = snapshot()
    cases = [
        (
            dict(to_store="S001", lines=[TransferLine(shop.case, qty=1)]),
            "A transfer goes to another store, not to S001.",
        ),
        (dict(to_store="S002", lines=[]), "The transfer is empty."),
        (
            dict(to_store="S002", lines=[TransferLine(shop.case, qty=21)]),
            "Only 20 of Generic iPhone 15 Case in stock.",
        ),
        (
            dict(to_store="S002", lines=[TransferLine(shop.phone, imeis=[shop.imeis[0], shop.imeis[0]])]),
            f"IMEI {shop.imeis[0]} is scanned twice.",
        ),
        (
            dict(to_store="S002", lines=[TransferLine(shop.case, imeis=[shop.imeis[0]])]),
            "A quantity must be at least 1.",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises((ValidationError, StockError)) as refused:
            transfers.send(staff_id=shop.manager.id, **kwargs)  # type: ignore[arg-type]
        assert str(refused.value) == message
        assert snapshot() == before
    _t, text = transfers.send(
        to_store="S002", lines=[TransferLine(shop.case, qty=1)], staff_id=shop.manager.id
    )
    with pytest.raises(ValidationError) as refused:
        transfers.receive(text, staff_id=shop.manager.id)  # S001 is not the addressee
    assert "is for store S002, not this one." in str(refused.value)
    for junk in (
        "not json",
        json.dumps({"format": "other"}),
        json.dumps({"format": "zhanggui-transfer", "version": 9}),
    ):
        with pytest.raises(ValidationError):
            transfers.receive(junk, staff_id=shop.manager.id)


def test_a_product_the_other_store_does_not_carry(shop: Shop, other: Other, db_path: Path) -> None:
    cable = catalog.create_product(sku="CABLE-1", brand="G", model="Cable", category="accessory", price=100)
    stock.receive(cable, staff_id=shop.manager.id, qty=3)
    _t, text = transfers.send(
        to_store="S002",
        lines=[TransferLine(shop.case, qty=1), TransferLine(cable, qty=2)],
        staff_id=shop.manager.id,
    )
    database = other.use()
    try:
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            transfers.receive(text, staff_id=other.manager.id)
        assert str(refused.value) == "SKU CABLE-1 is not in this store's catalog; import it first."
        assert snapshot() == before  # all or nothing: not even the case
    finally:
        database.close()
        open_database(db_path)
