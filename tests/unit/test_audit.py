from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from peewee import SqliteDatabase

from store.audit import chain, hashing, integrity
from store.models import AuditLog, Meta
from tests.conftest import Shop
from tests.store_helpers import manager_ok, pay, promoter_cart, sell

DAY = datetime(2026, 11, 27, 4, 0)


@pytest.fixture
def busy_shop(shop: Shop) -> Shop:
    """A shop with a day's activity behind it: sales, a return, a void."""
    from store.selling import checkout, sale_voids

    first = sell(shop, shop.imeis[0], case_qty=2)
    cart = promoter_cart(shop)
    for sale_line in first.lines:
        if sale_line.imei_unit_id:
            cart.add_return_line(sale_line, 1, 0)
    cart.approve_return(manager_ok(shop))
    cart.set_return_reason("defective")
    pay(cart)
    checkout.commit_sale(cart, shop.till)
    second = sell(shop, shop.imeis[1])
    sale_voids.void_sale(second.id, approval=manager_ok(shop), till=shop.till)
    return shop


def seqs() -> list[int]:
    return [row.seq for row in AuditLog.select().order_by(AuditLog.seq)]


def test_empty_log_verifies(db: SqliteDatabase) -> None:
    assert AuditLog.select().count() == 0
    assert integrity.verify() == []


def test_chain_after_activity(busy_shop: Shop) -> None:
    rows = list(AuditLog.select().order_by(AuditLog.seq))
    actions = [r.action for r in rows]
    assert actions[:2] == ["staff.create", "store.initialise"]
    assert {
        "staff.create",
        "product.create",
        "stock.receive",
        "sale.sale",
        "sale.return",
        "sale.void",
    } <= set(actions)
    assert rows[0].prev_hash == hashing.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(rows))
    assert Meta.get_by_id("audit_head").value == f"{len(rows)}:{rows[-1].hash}"
    assert integrity.verify() == []


def test_record_keeps_text_readable(db: SqliteDatabase) -> None:
    row = chain.record("customer.note", staff_id="s1", after={"name": "张三", "note": "[bold]vip[/bold]"})
    assert row.after == '{"name": "张三", "note": "[bold]vip[/bold]"}'
    assert len(row.hash) == 64
    assert integrity.verify() == []


def test_record_with_an_explicit_time(db: SqliteDatabase) -> None:
    chain.record("a", at=DAY)
    chain.record("b", at=DAY + timedelta(microseconds=1))
    assert [r.at for r in AuditLog.select().order_by(AuditLog.seq)] == [DAY, DAY + timedelta(microseconds=1)]
    assert integrity.verify() == []


def test_record_many_writes_what_record_would_one_by_one(db: SqliteDatabase) -> None:
    chain.record("a", at=DAY)
    rows = chain.record_many(
        [
            chain.Entry("b", DAY + timedelta(minutes=1), staff_id="s1", after={"n": 1}),
            chain.Entry("c", DAY + timedelta(minutes=2), entity="x", entity_id="y"),
        ]
    )
    assert chain.record_many([]) == []
    chain.record("d", at=DAY + timedelta(minutes=3))  # the head moved on with the bulk rows
    stored = list(AuditLog.select().order_by(AuditLog.seq))
    assert [r.action for r in stored] == ["a", "b", "c", "d"]
    assert [(r.seq, r.hash) for r in rows] == [(s.seq, s.hash) for s in stored[1:3]]
    assert stored[1].after == '{"n": 1}' and stored[2].entity_id == "y"
    assert integrity.verify() == []


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("after", '{"total": 1}'),
        ("before", '{"status": "voided"}'),
        ("action", "sale.nothing"),
        ("staff_id", "someone-else"),
        ("approved_by", ""),
        ("at", "2020-01-01 00:00:00"),
        ("at", "not a time"),
    ],
)
def test_editing_a_row_is_detected(busy_shop: Shop, db: SqliteDatabase, column: str, value: str) -> None:
    target = AuditLog.get(AuditLog.action == "sale.void").seq
    db.execute_sql(f'UPDATE audit_log SET "{column}" = ? WHERE seq = ?', (value, target))
    problems = integrity.verify()
    assert [(p.seq, p.problem) for p in problems] == [(target, "row was changed after it was written")]


def test_deleting_a_middle_row_is_detected(busy_shop: Shop, db: SqliteDatabase) -> None:
    all_seqs = seqs()
    middle = all_seqs[len(all_seqs) // 2]
    db.execute_sql("DELETE FROM audit_log WHERE seq = ?", (middle,))
    problems = integrity.verify()
    assert [(p.seq, p.problem) for p in problems] == [
        (all_seqs[len(all_seqs) // 2 + 1], "chain broken: a row before it was removed"),
        (len(all_seqs) - 1, "rows at the end were removed"),
    ]


def test_deleting_the_first_row_is_detected(busy_shop: Shop, db: SqliteDatabase) -> None:
    all_seqs = seqs()
    db.execute_sql("DELETE FROM audit_log WHERE seq = ?", (all_seqs[0],))
    problems = integrity.verify()
    assert problems[0].seq == all_seqs[1]
    assert problems[0].problem == "chain broken: a row before it was removed"


def test_deleting_the_last_row_is_detected(busy_shop: Shop, db: SqliteDatabase) -> None:
    all_seqs = seqs()
    db.execute_sql("DELETE FROM audit_log WHERE seq = ?", (all_seqs[-1],))
    problems = integrity.verify()
    assert [(p.seq, p.problem) for p in problems] == [(len(all_seqs) - 1, "rows at the end were removed")]


def test_deleting_the_head_is_detected(busy_shop: Shop, db: SqliteDatabase) -> None:
    db.execute_sql("DELETE FROM meta WHERE key = 'audit_head'")
    assert [p.problem for p in integrity.verify()] == ["audit head is missing"]


def test_rewriting_a_row_with_a_fresh_hash_still_breaks_the_chain(
    busy_shop: Shop, db: SqliteDatabase
) -> None:
    """Someone who recomputes the edited row's own plain hash fails the keyed check, and still
    breaks the link to the next row."""
    row = AuditLog.get(AuditLog.action == "sale.sale")
    row.after = '{"total": 0}'
    new_hash = hashing.digest(row.prev_hash, hashing.row_fields(row))
    db.execute_sql('UPDATE audit_log SET "after" = ?, hash = ? WHERE seq = ?', (row.after, new_hash, row.seq))
    problems = integrity.verify()
    assert [(p.seq, p.problem) for p in problems] == [
        (row.seq, "row was changed after it was written"),
        (row.seq + 1, "chain broken: a row before it was removed"),
    ]
