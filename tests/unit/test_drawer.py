"""The cash drawer, shift handover, X and Z reports and the day lock, in the store layer."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from peewee import IntegrityError

from store.audit import integrity
from store.dayclose import close, days, drawer, render, report
from store.db import migrations
from store.db.connection import open_database, schema_version
from store.kernel import FixedClock
from store.kernel.errors import NeedsApproval, PermissionDenied, ValidationError, WrongApprover
from store.models import AuditLog, CashMovement, CashSession, DayClose, Sale, SaleLine, Staff, StockMovement
from store.selling import checkout, refunds, sale_voids
from store.selling.receipt_layout import cell_width, printer_cells
from tests.conftest import TILL, Shop
from tests.store_helpers import forge_actor, forge_approval, manager_actor, promoter_cart, scan, snapshot
from tests.unit.test_database_open import _assert_schema_matches_models
from tests.unit.test_returns_voids import return_cart

T = TILL.terminal_id
TZ = TILL.tz
FLOAT = {10000: 2, 1000: 5, 100: 10, 50: 2, 10: 5}  # ¥200 + 50 + 10 + 1 + 0.5 = ¥261.50
LIMIT, TOLERANCE = 20000, 500


def sell_cases(shop: Shop, qty: int = 1, handed: int = 0) -> Sale:
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku), qty)
    cart.add_tender("cash", max(handed, cart.due))
    return checkout.commit_sale(cart, shop.till)


def open_drawer(shop: Shop) -> CashSession:
    return drawer.open_session(T, TZ, actor=forge_actor(shop.promoter), counts=FLOAT)


def test_a_float_is_counted_by_denomination(shop: Shop, clock: FixedClock) -> None:
    session = open_drawer(shop)
    assert (session.float, session.seq, session.business_date) == (26150, 1, clock.today())
    assert drawer.parse_counts("100x2, 10x5 1x10 0.5x2 0.1x5") == FLOAT
    for bad in ({3000: 1}, {100: -1}):
        with pytest.raises(ValidationError):
            drawer.count_total(bad)
    with pytest.raises(ValidationError, match="already open"):
        open_drawer(shop)
    with pytest.raises(ValidationError, match="Not a count"):
        drawer.parse_counts("100 2")
    row = AuditLog.get(AuditLog.action == "drawer.open")
    assert row.entity_id == session.id and '"float": 26150' in row.after


def test_a_paid_out_above_the_limit_needs_another_managers_pin(shop: Shop, clock: FixedClock) -> None:
    open_drawer(shop)
    sell_cases(shop, 10)  # ¥390 cash in
    cashier, manager = forge_actor(shop.promoter), manager_actor(shop)
    with pytest.raises(ValidationError, match="Reason is required"):
        drawer.move_cash(T, "paid_out", 1000, actor=cashier, limit=LIMIT)
    before = snapshot()
    with pytest.raises(NeedsApproval):
        drawer.move_cash(T, "paid_out", 20001, actor=manager, reason="快递费", limit=LIMIT)
    with pytest.raises(WrongApprover):  # a manager's own PIN is no approval of their paid-out
        drawer.move_cash(
            T,
            "paid_out",
            20001,
            actor=manager,
            reason="快递费",
            limit=LIMIT,
            approval=forge_approval(shop.manager.id, shop.manager.name),
        )
    assert snapshot() == before
    drawer.move_cash(T, "paid_out", 20000, actor=cashier, reason="水费", limit=LIMIT)
    out = drawer.move_cash(
        T,
        "paid_out",
        25000,
        actor=cashier,
        reason="快递费",
        limit=LIMIT,
        approval=forge_approval(shop.manager.id, shop.manager.name),
    )
    assert out.approved_by == shop.manager.id
    with pytest.raises(ValidationError, match="should hold only"):
        drawer.move_cash(T, "drop", 100000, actor=cashier, limit=LIMIT)
    drawer.move_cash(T, "paid_in", 5000, actor=cashier, reason="零钱", limit=LIMIT)
    drawer.move_cash(T, "drop", 10000, actor=cashier, limit=LIMIT)
    cash = report.x_report(T, clock.today(), TZ).cash
    assert (cash.paid_out, cash.paid_in, cash.drops) == (45000, 5000, 10000)
    assert cash.expected == 26150 + 39000 - 45000 + 5000 - 10000
    actions = [r.action for r in AuditLog.select().where(AuditLog.action.startswith("drawer."))]
    assert actions == ["drawer.open", "drawer.paid_out", "drawer.paid_out", "drawer.paid_in", "drawer.drop"]


def test_a_handover_short_beyond_the_tolerance_needs_a_reason(shop: Shop, clock: FixedClock) -> None:
    open_drawer(shop)
    sell_cases(shop, 2, handed=10000)  # ¥78, ¥22 change
    expected = 26150 + 7800
    short = {10000: 3, 1000: 2, 100: 3, 50: 3}  # ¥324.50: ¥15.00 short
    kwargs = {"outgoing": forge_actor(shop.promoter), "incoming": manager_actor(shop), "tolerance": TOLERANCE}
    with pytest.raises(ValidationError, match=r"expected ¥339.50: ¥14.50 short"):
        drawer.handover(T, counts={10000: 3, 1000: 2, 100: 3, 50: 4}, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="another person"):
        drawer.handover(
            T,
            counts=short,
            outgoing=forge_actor(shop.promoter),
            incoming=forge_actor(shop.promoter),
            tolerance=TOLERANCE,
        )
    ended, begun = drawer.handover(T, counts=short, reason="找错零钱", **kwargs)  # type: ignore[arg-type]
    assert (ended.expected, ended.counted, ended.over_short, ended.end_kind) == (
        expected,
        32450,
        -1500,
        "handover",
    )
    assert (begun.seq, begun.float, begun.opened_by_id) == (2, 32450, shop.manager.id)
    x2 = report.x_report(T, clock.today(), TZ, seq=2)  # the next shift starts from the count
    assert (x2.cash.float, x2.cash.expected, x2.sales.count) == (32450, 32450, 0)
    row = AuditLog.get(AuditLog.action == "drawer.handover")
    assert row.approved_by == shop.manager.id and "找错零钱" in row.after


def test_the_z_report_locks_the_day(shop: Shop, clock: FixedClock) -> None:
    today = clock.today()  # the business day by the suite's clock: any moment, any month end
    open_drawer(shop)
    first = sell_cases(shop, 1)
    phone = promoter_cart(shop)
    phone.add_scan(scan(shop.imeis[0]))
    phone.add_tender("wechat", phone.due, "4200000000000000000000000001")
    phone_sale = checkout.commit_sale(phone, shop.till)
    manager = manager_actor(shop)
    with pytest.raises(ValidationError, match="Give a reason"):
        close.close_day(T, today, TZ, counted=0, tolerance=TOLERANCE, actor=manager)
    with pytest.raises(NeedsApproval):
        close.close_day(T, today, TZ, counted=30050, tolerance=TOLERANCE, actor=forge_actor(shop.promoter))
    z = close.close_day(T, today, TZ, counted=30050, tolerance=TOLERANCE, actor=manager)
    head = AuditLog.select().order_by(AuditLog.seq.desc()).first()
    assert (z.z_no, z.expected, z.over_short, z.audit_seq, z.audit_head) == (1, 30050, 0, head.seq, head.hash)
    assert CashSession.get().end_kind == "close" and days.open_days(T, today + timedelta(days=1)) == []
    zr = report.day_report(T, today, TZ)
    assert (zr.kind, zr.z_no, zr.sales.count, zr.sales.amount) == ("Z", 1, 2, 3900 + 599900)
    assert [(r.kind, r.reference) for r in zr.references] == [("wechat", "4200000000000000000000000001")]
    assert [i.imei for i in zr.sold] == [shop.imeis[0]]
    # The day is locked in the store layer, whoever writes.
    before = snapshot()
    with pytest.raises(ValidationError, match="closed"):
        close.close_day(T, today, TZ, counted=30050, tolerance=TOLERANCE, actor=manager)
    with pytest.raises(ValidationError, match="closed"):
        sale_voids.void_sale(first.id, till=shop.till, actor=manager)
    with pytest.raises(ValidationError, match="not open"):
        drawer.move_cash(T, "paid_in", 100, actor=manager, reason="x", limit=LIMIT)
    for write in (
        lambda: Sale.update(total=1).where(Sale.id == first.id).execute(),
        lambda: SaleLine.delete().where(SaleLine.sale == first.id).execute(),
        lambda: DayClose.update(counted=1).execute(),
        lambda: CashSession.update(counted=1).execute(),
        lambda: StockMovement.create(
            product=shop.case.id,
            kind="adjust",
            qty=1,
            staff=shop.manager.id,
            created_at=z.closed_at - timedelta(seconds=1),
        ),
    ):
        with pytest.raises(IntegrityError, match="business day closed"):
            write()
    assert snapshot() == before
    # A sale after the close belongs to the next business day; so does the return of a sale
    # of the closed day, and the Z report reprints the same.
    late = sell_cases(shop, 1)
    tomorrow = today + timedelta(days=1)
    assert late.business_date == tomorrow and late.receipt_no.endswith(f"{tomorrow:%Y%m%d}-0001")
    back = return_cart(shop, phone_sale, {1: 1})
    back.approve_return(forge_approval(shop.manager.id, shop.manager.name))
    back.set_return_reason("defective")
    refunds.take_as_paid(back)
    refund = checkout.commit_sale(back, shop.till)
    assert refund.business_date == today + timedelta(days=1)
    assert report.day_report(T, today, TZ) == zr
    for width, text in (
        (80, render.render(zr)),
        (32, render.receipt_text(zr, 32)),
        (48, render.receipt_text(zr, 48)),
    ):
        cells = cell_width if width == 80 else (lambda line: sum(printer_cells(ch) for ch in line))
        assert max(cells(line) for line in text.splitlines()) <= width
        assert "Z report No. 0001" in text and z.audit_head[:20] in text and shop.imeis[0] in text
    assert integrity.verify() == []


def test_a_day_left_open_is_found_and_closed_not_counted(shop: Shop, clock: FixedClock) -> None:
    today = clock.today()  # the business day by the suite's clock: any moment, any month end
    open_drawer(shop)
    sell_cases(shop, 1)
    clock.advance(days=1)
    tomorrow = today + timedelta(days=1)
    assert clock.today() == tomorrow
    assert days.open_days(T, tomorrow) == [today]
    assert days.open_days_notice(T, tomorrow) == (
        f"1 day was not closed ({today}): a manager closes it (with the cash count, or not counted)."
    )
    manager = manager_actor(shop)
    with pytest.raises(ValidationError, match=f"{today} is still open"):
        close.close_day(T, tomorrow, TZ, counted=None, tolerance=TOLERANCE, actor=manager)
    z = close.close_day(T, today, TZ, counted=None, reason="停电", tolerance=TOLERANCE, actor=manager)
    assert (z.counted, z.over_short, z.expected) == (None, None, 26150 + 3900)
    assert days.open_days(T, tomorrow) == [] and days.open_days_notice(T, tomorrow) == ""
    assert CashSession.get().counted is None
    assert close.close_day(T, tomorrow, TZ, counted=0, tolerance=TOLERANCE, actor=manager).z_no == 2
    with pytest.raises(ValidationError, match="before the last closed day"):
        close.close_day(T, today - timedelta(days=6), TZ, counted=0, tolerance=TOLERANCE, actor=manager)
    with pytest.raises(ValidationError, match="has not begun"):
        close.close_day(T, today + timedelta(days=3), TZ, counted=0, tolerance=TOLERANCE, actor=manager)


def test_cash_movements_need_an_open_drawer(shop: Shop) -> None:
    with pytest.raises(ValidationError, match="not open"):
        drawer.move_cash(T, "paid_in", 100, actor=forge_actor(shop.promoter), reason="x", limit=LIMIT)
    assert CashMovement.select().count() == 0


def test_a_store_of_version_13_upgrades_to_the_drawer(db_path: Path, clock: FixedClock) -> None:
    """Schema 14 on a store made by version 13: its sales stay, the drawer tables and the
    day-lock triggers come, and the upgraded store opens a drawer and closes a day."""
    # The old sale was made yesterday by the suite's clock (10:00 in Shanghai): only a day up
    # to today can be closed, whatever moment the suite runs at.
    today = clock.today()
    yesterday = today - timedelta(days=1)
    receipt_no = f"S001-T1-{yesterday:%Y%m%d}-0001"
    version = migrations.MIGRATIONS.index(migrations.V14) + 1
    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute("BEGIN")  # one commit, not one a statement
    for statements in migrations.MIGRATIONS[: version - 1]:
        for statement in statements:
            if "id_bytes(" not in statement:  # the copy of version 10 has nothing to copy here
                raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {version - 1}")
    staff_id, sale_id = bytes([1]) * 16, bytes([2]) * 16
    raw.execute(
        "INSERT INTO staff (id, code, name, role, pin_hash, failed_pins, locked, active, created_at) "
        "VALUES (?, 'M1', 'm', 'manager', '', 0, 0, 1, '2026-01-01')",
        (staff_id,),
    )
    raw.execute(
        "INSERT INTO sale (id, receipt_no, store_code, terminal_id, business_date, created_at, kind, "
        "status, staff_id, subtotal, discount, total, note) VALUES (?, ?, 'S001', "
        "'T1', ?, ?, 'sale', 'completed', ?, 100, 0, 100, '')",
        (sale_id, receipt_no, yesterday.isoformat(), f"{yesterday} 02:00:00", staff_id),
    )
    raw.execute("COMMIT")
    raw.close()
    db = open_database(db_path)
    try:
        assert schema_version(db) == migrations.LATEST >= version
        _assert_schema_matches_models(db)
        assert Sale.get(Sale.receipt_no == receipt_no).total == 100
        assert days.open_days(T, today) == []  # no drawer yet: nothing to nag about
        manager = forge_actor(Staff.get(Staff.code == "M1"))
        z = close.close_day(T, yesterday, TZ, counted=None, tolerance=TOLERANCE, actor=manager)
        assert (z.z_no, z.expected) == (1, 0)
        with pytest.raises(IntegrityError, match="business day closed"):
            Sale.update(total=1).execute()
    finally:
        db.close()


def test_the_report_names_who_approved_price_overrides_and_voids(shop: Shop, clock: FixedClock) -> None:
    open_drawer(shop)
    cart = promoter_cart(shop)
    cart.add_scan(scan(shop.case.sku), 2)
    cart.override_price(0, 2900, "老客户", forge_approval(shop.manager.id, shop.manager.name))
    cart.add_tender("cash", cart.due)
    sale = checkout.commit_sale(cart, shop.till)
    voided = sell_cases(shop, 1, handed=5000)
    sale_voids.void_sale(voided.id, till=shop.till, actor=manager_actor(shop))
    x = report.x_report(T, clock.today(), TZ)
    assert [(a.receipt_no, a.amount, a.reason, a.approved_by) for a in x.approvals] == [
        (sale.receipt_no, -2000, "老客户", "王店长")
    ]
    assert (x.sales.count, x.sales.amount, x.voids.count, x.voids.amount) == (1, 5800, 1, 3900)
    # The voided sale's cash came in and went back out: only the kept sale's cash stays.
    assert (x.cash.tendered, x.cash.change, x.cash.refunds) == (5800 + 5000, 1100, 3900)
    assert x.cash.expected == 26150 + 5800
    assert [(p.name, p.count, p.amount) for p in x.promoters] == [("李小红", 2, 5800)]


def test_a_handover_by_code_and_pin_is_decided_by_the_store(shop: Shop) -> None:
    """take_over (the console's handover) logs the incoming person in with their own PIN: a
    wrong one is refused before the drawer is touched and counts towards their lock."""
    open_drawer(shop)
    kwargs = {"outgoing": forge_actor(shop.promoter), "counts": FLOAT, "tolerance": TOLERANCE}
    with pytest.raises(PermissionDenied):
        drawer.take_over(T, "M1", "9999", **kwargs)  # type: ignore[arg-type]
    assert CashSession.select().count() == 1 and Staff.get_by_id(shop.manager.id).failed_pins == 1
    taken = drawer.take_over(T, "M1", "1234", **kwargs)  # type: ignore[arg-type]
    assert (taken.incoming.id, taken.incoming.name) == (shop.manager.id, shop.manager.name)
    assert (taken.ended.end_kind, taken.begun.seq, taken.begun.opened_by_id) == (
        "handover",
        2,
        shop.manager.id,
    )
