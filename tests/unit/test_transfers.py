"""Transfers between two stores of a chain, each with its own database: booked out by one,
booked in by the other from the file, in transit on neither's books, never taken in twice."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from peewee import SqliteDatabase

from store.db.connection import open_database
from store.kernel import files
from store.kernel.errors import DatabaseUnavailable, NotFound, StockError, ValidationError
from store.models import AuditLog, ImeiUnit, Product, StockTransfer
from store.stock import catalog, transfer_receive, transfer_send
from store.stock import ledger as stock
from store.stock.imei import with_check_digit
from store.stock.transfer_send import TransferLine
from tests.conftest import TILL, Shop
from tests.store_helpers import second_store, snapshot

T = TypeVar("T")


class Other:
    """Store S002: the same catalog, no stock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manager = second_store(path)

    def use(self) -> SqliteDatabase:
        return open_database(self.path)


@pytest.fixture
def other(shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path) -> Iterator[Other]:
    store = Other(tmp_path / "s002.db")
    open_database(db_path)  # back to S001 for the test
    yield store


def test_send_then_receive_in_the_other_store(shop: Shop, other: Other, db_path: Path) -> None:
    transfer, text = transfer_send.send(
        tz=TILL.tz,
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
        received = transfer_receive.receive(text, staff_id=other.manager.id)
        assert (received.direction, received.from_store, received.number) == ("in", "S001", transfer.number)
        assert stock.on_hand(case_id) == 5 and stock.on_hand(phone_id) == 2
        assert len(stock.units_in_stock(phone_id)) == 2
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            transfer_receive.receive(text, staff_id=other.manager.id)
        assert str(refused.value) == f"Transfer {transfer.number} was received already."
        assert snapshot() == before

        # One phone goes back to S001, where the unit is known and comes back into stock.
        _back, back_text = transfer_send.send(
            tz=TILL.tz,
            to_store="S001",
            lines=[TransferLine(Product.get_by_id(phone_id), imeis=[shop.imeis[0]])],
            staff_id=other.manager.id,
        )
    finally:
        database.close()
    open_database(db_path)
    transfer_receive.receive(back_text, staff_id=shop.manager.id)
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
            transfer_send.send(tz=TILL.tz, staff_id=shop.manager.id, **kwargs)  # type: ignore[arg-type]
        assert str(refused.value) == message
        assert snapshot() == before
    _t, text = transfer_send.send(
        tz=TILL.tz, to_store="S002", lines=[TransferLine(shop.case, qty=1)], staff_id=shop.manager.id
    )
    with pytest.raises(ValidationError) as refused:
        transfer_receive.receive(text, staff_id=shop.manager.id)  # S001 is not the addressee
    assert "is for store S002, not this one." in str(refused.value)
    for junk in (
        "not json",
        json.dumps({"format": "other"}),
        json.dumps({"format": "zhanggui-transfer", "version": 9}),
    ):
        with pytest.raises(ValidationError):
            transfer_receive.receive(junk, staff_id=shop.manager.id)


def test_a_product_the_other_store_does_not_carry(shop: Shop, other: Other, db_path: Path) -> None:
    cable = catalog.create_product(sku="CABLE-1", brand="G", model="Cable", category="accessory", price=100)
    stock.receive(cable, staff_id=shop.manager.id, qty=3)
    _t, text = transfer_send.send(
        tz=TILL.tz,
        to_store="S002",
        lines=[TransferLine(shop.case, qty=1), TransferLine(cable, qty=2)],
        staff_id=shop.manager.id,
    )
    database = other.use()
    try:
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            transfer_receive.receive(text, staff_id=other.manager.id)
        assert str(refused.value) == "SKU CABLE-1 is not in this store's catalog; import it first."
        assert snapshot() == before  # all or nothing: not even the case
    finally:
        database.close()
        open_database(db_path)


# ---- a file that comes in is checked whole ------------------------------------------------------
def _file(**changes: object) -> dict[str, Any]:
    """A well-formed transfer file from S001 to S002: five cases and one handset."""
    payload: dict[str, Any] = {
        "format": "zhanggui-transfer",
        "version": 1,
        "id": "0190f0aa-0000-7000-8000-000000000001",
        "number": "TR20261127093000-S001-S002",
        "from_store": "S001",
        "to_store": "S002",
        "created_at": "2026-11-27T01:30:00",
        "note": "",
        "lines": [
            {"sku": "CASE-IP15", "name": "Case", "qty": 5, "cost": 800, "imeis": []},
            {"sku": "IP15-128-BK", "name": "iPhone", "qty": 1, "cost": 520000, "imeis": [[NEW_A, None]]},
        ],
    }
    payload.update(changes)
    return payload


NEW_A, NEW_B, NEW_C = (with_check_digit(f"3532811199{n:04d}") for n in (1, 2, 3))


def _line(**changes: object) -> list[dict[str, Any]]:
    line: dict[str, Any] = {"sku": "IP15-128-BK", "name": "iPhone", "qty": 1, "cost": 520000}
    line.update(changes)
    return [line]


MALFORMED = [
    pytest.param(_file(lines=5), "The transfer file is damaged (lines is missing).", id="lines-5"),
    pytest.param(_file(lines=[]), "The transfer file is damaged (lines is missing).", id="lines-empty"),
    pytest.param(
        _file(lines=["abc"]), "The transfer file is damaged: line 1 has no valid sku.", id="lines-abc"
    ),
    pytest.param(
        _file(lines=_line(cost="abc", imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid cost.",
        id="cost-abc",
    ),
    pytest.param(
        _file(lines=_line(cost=-1, imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid cost.",
        id="cost-negative",
    ),
    pytest.param(
        _file(lines=_line(cost=99.5, imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid cost.",
        id="cost-float",
    ),
    pytest.param(
        _file(lines=_line(qty=True, imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid qty.",
        id="qty-bool",
    ),
    pytest.param(
        _file(lines=_line(qty="2", imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid qty.",
        id="qty-text",
    ),
    pytest.param(
        _file(lines=_line(sku=7, imeis=[[NEW_A]])),
        "The transfer file is damaged: line 1 has no valid sku.",
        id="sku-number",
    ),
    pytest.param(
        _file(lines=_line(imeis="x")),
        "The transfer file is damaged: line 1 has no valid imeis.",
        id="imeis-x",
    ),
    pytest.param(
        _file(lines=_line(imeis=[123])),
        "The transfer file is damaged: line 1 has no valid imeis.",
        id="pair-number",
    ),
    pytest.param(
        _file(lines=_line(imeis=[[NEW_A, NEW_B, NEW_C]])),
        "The transfer file is damaged: line 1 has no valid imeis.",
        id="pair-of-three",
    ),
    pytest.param(
        _file(lines=_line(imeis=[[NEW_A], [NEW_B]])),
        "The transfer file is damaged: line 1 lists 2 IMEIs for a quantity of 1.",
        id="qty-mismatch",
    ),
    pytest.param(
        _file(lines=_line(imeis=[["000000000000000"]])),
        "Line 1 of the transfer file: 000000000000000 is a test or placeholder number, not a handset's IMEI.",
        id="placeholder-imei",
    ),
    pytest.param(
        _file(lines=_line(qty=2, imeis=[[NEW_A, NEW_B], [NEW_B]])),
        f"IMEI {NEW_B} appears twice in the transfer file.",
        id="imei-twice",
    ),
    pytest.param(_file(id=None), "The transfer file is damaged (id is missing).", id="id-null"),
    pytest.param(
        _file(to_store=["S002"]), "The transfer file is damaged (to_store is missing).", id="to-list"
    ),
    pytest.param(_file(note=5), "The transfer file is damaged (note is missing).", id="note-number"),
    pytest.param([1, 2], "This is not a transfer file.", id="a-list"),
    pytest.param(
        _file(lines=[{"sku": "CASE-IP15", "qty": 1, "cost": 800, "imeis": [[NEW_A]]}]),
        "Generic iPhone 15 Case is not sold by IMEI here, but the transfer file lists IMEIs for it.",
        id="imeis-for-an-accessory",
    ),
    pytest.param(
        _file(lines=_line(imeis=[])),
        "Apple iPhone 15 128GB Black is sold by IMEI here, but the transfer file lists no IMEIs for it.",
        id="a-handset-without-imeis",
    ),
]


@pytest.mark.parametrize(("payload", "message"), MALFORMED)
def test_a_malformed_file_is_one_sentence_and_writes_nothing(
    shop: Shop, other: Other, db_path: Path, payload: object, message: str
) -> None:
    database = other.use()
    try:
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            transfer_receive.receive(json.dumps(payload), staff_id=other.manager.id)
        assert str(refused.value) == message
        assert snapshot() == before
        transfer_receive.receive(json.dumps(_file()), staff_id=other.manager.id)  # the good one still goes in
    finally:
        database.close()
        open_database(db_path)


@pytest.mark.parametrize("position", [0, 1])
def test_a_pairs_imei_already_in_stock_is_refused(
    shop: Shop, other: Other, db_path: Path, position: int
) -> None:
    """The second IMEI of a pair used to be looked up nowhere: a handset already in stock by
    that IMEI became a second unit."""
    database = other.use()
    try:
        phone = Product.get(Product.sku == "IP15-128-BK")
        stock.receive(phone, staff_id=other.manager.id, units=[stock.ReceivedUnit(NEW_B, NEW_C)])
        known = (NEW_B, NEW_C)[position]  # its first IMEI or its second, in either column
        before = snapshot()
        with pytest.raises(StockError) as refused:
            transfer_receive.receive(
                json.dumps(_file(lines=_line(imeis=[[NEW_A, known]]))), staff_id=other.manager.id
            )
        assert str(refused.value) == f"IMEI {known} is already known (status: in stock)."
        assert snapshot() == before
        with pytest.raises(StockError):
            transfer_receive.receive(
                json.dumps(_file(lines=_line(imeis=[[known, NEW_A]]))), staff_id=other.manager.id
            )
        assert snapshot() == before
    finally:
        database.close()
        open_database(db_path)


def test_a_dual_sim_handset_comes_back_by_both_its_imeis(shop: Shop, other: Other, db_path: Path) -> None:
    phone = shop.phone
    stock.receive(phone, staff_id=shop.manager.id, units=[stock.ReceivedUnit(NEW_B, NEW_C)])
    _t, text = transfer_send.send(
        tz=TILL.tz, to_store="S002", lines=[TransferLine(phone, imeis=[NEW_C])], staff_id=shop.manager.id
    )
    assert json.loads(text)["lines"][0]["imeis"] == [[NEW_B, NEW_C]]
    database = other.use()
    try:
        transfer_receive.receive(text, staff_id=other.manager.id)
        _b, back = transfer_send.send(
            tz=TILL.tz,
            to_store="S001",
            lines=[TransferLine(Product.get(Product.sku == "IP15-128-BK"), imeis=[NEW_B])],
            staff_id=other.manager.id,
        )
    finally:
        database.close()
        open_database(db_path)
    transfer_receive.receive(back, staff_id=shop.manager.id)
    unit = ImeiUnit.get(ImeiUnit.imei == NEW_B)
    assert (unit.status, unit.imei2) == ("in_stock", NEW_C)
    assert ImeiUnit.select().where((ImeiUnit.imei == NEW_C) | (ImeiUnit.imei2 == NEW_C)).count() == 1


# ---- the file is on the disk before the booking out commits -----------------------------------
def test_send_writes_the_file_before_committing(shop: Shop, other: Other, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    transfer, text = transfer_send.send(
        tz=TILL.tz,
        to_store="S002",
        lines=[TransferLine(shop.phone, imeis=shop.imeis[:1])],
        staff_id=shop.manager.id,
        out=out,
    )
    assert out.read_text(encoding="utf-8") == text
    assert json.loads(text)["id"] == transfer.id
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with pytest.raises(ValidationError) as refused:
        transfer_send.send(
            tz=TILL.tz,
            to_store="S002",
            lines=[TransferLine(shop.case, qty=1)],
            staff_id=shop.manager.id,
            out=out,
        )
    assert str(refused.value) == f"{out} exists already; choose another file."


def test_a_file_that_cannot_be_written_books_nothing_out(
    shop: Shop, other: Other, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(target: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_durably", full_disk)
    before = snapshot()
    out = tmp_path / "t.json"
    with pytest.raises(ValidationError) as refused:
        transfer_send.send(
            tz=TILL.tz,
            to_store="S002",
            lines=[TransferLine(shop.phone, imeis=shop.imeis[:2])],
            staff_id=shop.manager.id,
            out=out,
        )
    assert str(refused.value) == f"Cannot write {out}: No space left on device"
    assert snapshot() == before
    assert {u.status for u in ImeiUnit.select().where(ImeiUnit.imei.in_(shop.imeis[:2]))} == {"in_stock"}
    assert not out.exists()
    with pytest.raises(ValidationError):  # a folder that is not there
        transfer_send.send(
            tz=TILL.tz,
            to_store="S002",
            lines=[TransferLine(shop.case, qty=1)],
            staff_id=shop.manager.id,
            out=tmp_path / "nowhere" / "t.json",
        )
    assert snapshot() == before


def test_a_commit_that_fails_after_the_file_is_written_removes_it(
    shop: Shop, other: Other, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = transfer_send.write

    def commit_fails(fn: Callable[[], T]) -> T:
        def _then_fail() -> T:
            fn()
            raise DatabaseUnavailable("disk I/O error")

        return real_write(_then_fail)

    monkeypatch.setattr(transfer_send, "write", commit_fails)
    before = snapshot()
    out = tmp_path / "t.json"
    with pytest.raises(DatabaseUnavailable):
        transfer_send.send(
            tz=TILL.tz,
            to_store="S002",
            lines=[TransferLine(shop.phone, imeis=shop.imeis[:1])],
            staff_id=shop.manager.id,
            out=out,
        )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if "t.json" in p.name] == []  # nor a temporary one
    assert snapshot() == before


def test_a_sent_transfers_file_is_written_again_the_same(
    shop: Shop, other: Other, db_path: Path, tmp_path: Path
) -> None:
    stock.receive(shop.phone, staff_id=shop.manager.id, units=[stock.ReceivedUnit(NEW_B, NEW_C)])
    transfer, text = transfer_send.send(
        tz=TILL.tz,
        to_store="S002",
        lines=[
            TransferLine(shop.phone, imeis=[shop.imeis[3], NEW_B, shop.imeis[1]]),
            TransferLine(shop.case, qty=4),
        ],
        staff_id=shop.manager.id,
        note="周末活动",
        now=datetime(2026, 11, 27, 1, 30),
    )
    catalog_cost_changed = Product.update(cost=1).where(Product.id == shop.case.id).execute()
    assert catalog_cost_changed == 1
    again = tmp_path / "again.json"
    assert transfer_send.write_again(f" {transfer.number} ", again).id == transfer.id
    assert again.read_text(encoding="utf-8") == text
    with pytest.raises(ValidationError):
        transfer_send.write_again(transfer.number, again)  # never over an existing file
    with pytest.raises(NotFound) as missing:
        transfer_send.write_again("TR-NOPE", tmp_path / "x.json")
    assert str(missing.value) == "No transfer TR-NOPE was sent from this store."
    database = other.use()
    try:
        transfer_receive.receive(again.read_text(encoding="utf-8"), staff_id=other.manager.id)
        with pytest.raises(ValidationError):  # the same transfer: taken in once
            transfer_receive.receive(text, staff_id=other.manager.id)
    finally:
        database.close()
        open_database(db_path)
