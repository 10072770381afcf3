"""The console and the audit chain: a damaged head never stops a sale, a manager is told at
login, and a clean exit leaves an anchor outside the database."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from store.audit import attention, integrity
from store.audit import keys as audit_files
from store.models import AuditLog, Sale
from tests.conftest import Shop
from tests.console_helpers import make_app, settle, type_text, until
from tui.screens.audit_alerts import AuditAlertsScreen
from tui.screens.login import LoginScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen


async def test_a_sale_with_a_garbage_audit_head_commits_and_the_manager_is_told(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    db.execute_sql("UPDATE meta SET value = 'garbage' WHERE key = 'audit_head'")
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, shop.imeis[0])
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")  # cash, the amount due
        for _ in range(40):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReceiptScreen):
                break
        assert isinstance(app.screen, ReceiptScreen)  # the console did not quit
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))  # once marked done, in a worker
        assert isinstance(app.screen, SaleScreen)
    assert Sale.select().count() == 1
    assert AuditLog.select().where(AuditLog.action == "audit.head_damaged").count() == 1
    assert integrity.verify() == []

    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "P1")
        await type_text(pilot, "1111")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause(0.2)
        assert isinstance(app.screen, SaleScreen)  # a promoter is not shown it
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        await pilot.pause(0.2)
        assert isinstance(app.screen, SaleScreen)  # nor is it shown at unlock: at login only
    app = make_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)  # the PIN is checked in a worker
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, AuditAlertsScreen):
                break
        assert isinstance(app.screen, AuditAlertsScreen)
        assert "audit head was found damaged" in str(app.screen.query_one("#audit-alerts").render())
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SaleScreen))  # marked seen in a worker
        assert isinstance(app.screen, SaleScreen)
    assert attention.alerts() == []
    assert AuditLog.select().order_by(AuditLog.seq.desc()).get().action == "audit.alerts_seen"


async def test_a_clean_exit_keeps_an_anchor_outside_the_database(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    assert audit_files.read_anchors("S001").anchors == []
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    (kept,) = audit_files.read_anchors("S001").anchors
    assert kept.count == AuditLog.select().count()
    assert kept.head == AuditLog.select().order_by(AuditLog.seq.desc()).get().hash
