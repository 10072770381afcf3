"""Text snapshots at 80x24 in both languages of the screens a start or a problem brings up: the
first start, the receipts a power cut left unshown (and a reprint), the command palette, and
the dialogs only a damaged store or a wrong clock shows (opened directly: the test knows their
whole message and checks none of it is cut). How to update: tests/console/test_screens_selling.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.command import CommandPalette

from store.kernel import FixedClock, clock_guard
from store.kernel.i18n import _, set_language
from store.selling import checkout
from store.selling.cart import Cart
from store.stock import catalog
from tests.conftest import TILL, Shop
from tests.console.screen_text import Snapshots, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tui.screens.audit_alerts import AuditAlertsScreen
from tui.screens.clock_check import ClockCheckScreen
from tui.screens.damaged import DamagedDatabaseScreen
from tui.screens.first_run import FirstRunScreen
from tui.screens.pending import PendingReceiptsScreen
from tui.screens.receipt import ReceiptScreen
from tui.screens.sale import SaleScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_first_run_screen(
    db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        hint = _("Fill in the fields and press F2 to set up your store, or press F3 to open a demo store.")
        await snaps.check(pilot, "first-run", shows=hint)
    snaps.finish()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_start_and_problem_screens(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: FixedClock,
    language: str,
) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=5)
    scan = catalog.lookup_code(shop.case.barcode)
    assert scan is not None
    cart.add_scan(scan)
    cart.add_tender("cash", 3900)
    checkout.commit_sale(cart, TILL)  # the power went before its receipt was shown
    set_language(language)
    steady(monkeypatch, tmp_path)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "M1")
        await type_text(pilot, "1234")
        await settle(pilot)
        assert isinstance(app.screen, PendingReceiptsScreen)
        await snaps.check(pilot, "pending")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await snaps.check(pilot, "receipt-reprint")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)

        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await snaps.check(pilot, "palette")
        await pilot.press("escape")
        await settle(pilot)

        now = clock.now()
        year = timedelta(days=400)
        behind = clock_guard.ClockState(clock_guard.BEHIND, now - year, now, year)
        await app.push_screen(ClockCheckScreen(behind, TILL.tz))
        await snaps.check(pilot, "clock-check")
        await pilot.press("escape")
        alerts = [
            _("Some audit repairs could not be found in the log; run 'zhanggui audit verify'."),
            _("Keyed hashing starts here; the rows before it use plain SHA-256."),
        ]
        await app.push_screen(AuditAlertsScreen(alerts))
        explained = _(
            "Sales went on and nothing was lost. If nobody here changed the database, ask "
            "support; 'zhanggui audit verify' lists this too. Enter: seen."
        )
        await snaps.check(pilot, "audit-alerts", shows=[*alerts, explained])
        await pilot.press("escape")
        damaged = _("The database {path} failed its integrity check. Restore the last backup.").format(
            path="/home/shop/.local/share/zhanggui/store.db"
        )
        await app.push_screen(DamagedDatabaseScreen(damaged))
        await snaps.check(pilot, "damaged", shows=damaged)
    snaps.finish()
