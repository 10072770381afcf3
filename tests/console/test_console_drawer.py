"""The cash drawer at 80x24, keyboard only, in both languages, one app session a language:
open with a float counted by note and coin, sell a phone for cash, pay out ¥35 with a reason,
a paid-out over the limit refused with the manager's own PIN and taken with another manager's,
hand over ¥10 short with a reason to the incoming cashier, the X report. Every screen is a
text snapshot (how to update them: tests/console/test_screens_selling.py), and no store call
runs on the event loop meanwhile (tests/console/test_store_off_the_loop.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot

from store.kernel.i18n import _, set_language
from store.kernel.money import format_fen
from store.models import CashMovement, CashSession, HeldCart, Sale, Staff
from store.people import staff
from tests.conftest import Shop
from tests.console.screen_text import Snapshots, go, snapshot_app, steady
from tests.console_helpers import make_app, scanner_burst, settle, sql_threads, type_text, wait_for_commit
from tui.app import ZhangguiApp
from tui.screens.drawer import DrawerScreen
from tui.screens.drawer_count import DrawerCountScreen
from tui.screens.drawer_report import DrawerReportScreen
from tui.screens.incoming import IncomingScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.pay import PayScreen
from tui.screens.prompt import PromptScreen
from tui.screens.sale import SaleScreen

LANGUAGES = ["zh_CN", "en"]


def shown(app: ZhangguiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def count(pilot: Pilot[None], pieces: list[str]) -> None:
    """Type pieces into the count form, field after field (Down moves on)."""
    for n, typed in enumerate(pieces):
        if n:
            await pilot.press("down")
        await type_text(pilot, typed, enter=False)
    await settle(pilot)


async def back_to_sale(pilot: Pilot[None], app: ZhangguiApp) -> None:
    for _attempt in range(5):
        if isinstance(app.screen, SaleScreen):
            return
        await pilot.press("enter" if "Receipt" in type(app.screen).__name__ else "escape")
        await settle(pilot)
    assert isinstance(app.screen, SaleScreen), app.screen


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_shift_from_float_to_handover(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    staff.create_staff("M2", "赵经理", "manager", "5678")
    set_language(language)
    steady(monkeypatch, tmp_path)
    snaps = Snapshots(language)
    with sql_threads(db) as sql:
        app = snapshot_app(db, tmp_path, staff=shop.manager)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            sql.watching = True
            await go(pilot, "drawer")
            assert isinstance(app.screen, DrawerScreen)
            await snaps.check(pilot, "drawer-closed")

            # Open with a float of ¥250: ¥100 x 2 and ¥10 x 5.
            await pilot.press("f2")
            await settle(pilot)
            assert isinstance(app.screen, DrawerCountScreen)
            await count(pilot, ["2", "", "", "5"])
            await snaps.check(pilot, "drawer-float", shows=format_fen(25000))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DrawerScreen)
            await snaps.check(pilot, "drawer-open")

            # Sell the phone (¥5,999.00) for cash.
            await pilot.press("escape")
            await settle(pilot)
            await scanner_burst(pilot, shop.imeis[0])
            await settle(pilot)
            await pilot.press("f2")
            await settle(pilot)
            assert isinstance(app.screen, PayScreen)
            await pilot.press("enter")  # cash, the amount due
            await wait_for_commit(pilot)
            await settle(pilot)
            await back_to_sale(pilot, app)
            await go(pilot, "drawer")
            assert format_fen(624900) in shown(app, "#drawer-shift")  # 250 + 5,999

            # Pay out ¥35 with a reason.
            await pilot.press("f4")
            await settle(pilot)
            await type_text(pilot, "35")
            await settle(pilot)
            assert isinstance(app.screen, PromptScreen)
            await type_text(pilot, "快递费")
            await settle(pilot)
            assert "快递费" in shown(app, "#drawer-message")
            assert format_fen(621400) in shown(app, "#drawer-shift")

            # ¥300 is over the ¥200 limit: the manager's own PIN is refused, another's approves.
            await pilot.press("f4")
            await settle(pilot)
            await type_text(pilot, "300")
            await settle(pilot)
            await type_text(pilot, "房租")
            await settle(pilot)
            assert isinstance(app.screen, ManagerPinScreen)
            await type_text(pilot, "M1")
            await type_text(pilot, "1234")
            await settle(pilot)
            assert isinstance(app.screen, ManagerPinScreen)
            await snaps.check(pilot, "drawer-paid-out-own-pin")
            await type_text(pilot, "M2")
            await type_text(pilot, "5678")
            await settle(pilot)
            assert isinstance(app.screen, DrawerScreen)
            assert format_fen(591400) in shown(app, "#drawer-shift")
            with sql.aside():
                big = CashMovement.get(CashMovement.amount == 30000)
                assert big.approved_by == Staff.get(Staff.code == "M2").id

            # Hand over ¥10 short: ¥100 x 59 and ¥1 x 4 = ¥5,904 against ¥5,914.
            await pilot.press("f6")
            await settle(pilot)
            assert isinstance(app.screen, DrawerCountScreen)
            await count(pilot, ["59", "", "", "", "", "4"])
            await snaps.check(pilot, "drawer-handover-count", shows=format_fen(1000))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PromptScreen)  # ¥10 is beyond the ¥5 tolerance
            await snaps.check(pilot, "drawer-handover-reason")
            await pilot.press("enter")  # no reason: asked again, the count kept
            await settle(pilot)
            assert isinstance(app.screen, PromptScreen)
            await type_text(pilot, "找零错误")
            await settle(pilot)
            assert isinstance(app.screen, IncomingScreen)
            await snaps.check(pilot, "drawer-incoming", shows=format_fen(590400))
            await type_text(pilot, "P1")
            await type_text(pilot, "1111")
            await settle(pilot)
            assert isinstance(app.screen, DrawerScreen)
            await snaps.check(pilot, "drawer-handed-over")
            with sql.aside():
                ended, begun = CashSession.select().order_by(CashSession.seq)
                assert (ended.expected, ended.counted, ended.over_short) == (591400, 590400, -1000)
                assert ended.reason == "找零错误" and begun.float == 590400
                assert begun.opened_by_id == shop.promoter.id
            assert _("Expected in the drawer") in shown(app, "#drawer-shift")
            assert format_fen(590400) in shown(app, "#drawer-shift")

            # The X report of the new shift, and F2 without a printer.
            await pilot.press("f7")
            await settle(pilot)
            assert isinstance(app.screen, DrawerReportScreen)
            await pilot.press("f2")
            await settle(pilot)
            await snaps.check(
                pilot, "drawer-x-report", shows=_("No printer is set up ([printer] in config.toml).")
            )
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, DrawerScreen)

            # Paid in ¥20, a word for an amount refused in a sentence, ¥100 dropped to the safe.
            await pilot.press("f3")
            await settle(pilot)
            await type_text(pilot, "20")
            await settle(pilot)
            await type_text(pilot, "零钱")
            await settle(pilot)
            assert format_fen(592400) in shown(app, "#drawer-shift")
            await pilot.press("f5")
            await settle(pilot)
            await type_text(pilot, "abc")
            await settle(pilot)
            assert isinstance(app.screen, DrawerScreen)
            assert "abc" in shown(app, "#drawer-message")  # the store's sentence, not a traceback
            await pilot.press("f5")
            await settle(pilot)
            await type_text(pilot, "100")
            await settle(pilot)
            assert format_fen(582400) in shown(app, "#drawer-shift")
            assert sql.on_loop == [], sql.on_loop[:8]
            sql.watching = False
    snaps.finish()


async def test_the_incoming_cashier_is_logged_in_after_the_handover(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """交班 at the console: the store checks the incoming person's PIN (a wrong one is said in
    the dialog and nobody changes), then the console is theirs: the status line says so, the sale
    screen names them, the outgoing person's unpaid sale is suspended under their name, and the
    next sale is recorded with the incoming person as its seller and promoter."""
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scanner_burst(pilot, shop.case.sku)  # the outgoing manager's sale, not yet paid
        await settle(pilot)
        await go(pilot, "drawer")
        await pilot.press("f2")
        await settle(pilot)
        await count(pilot, ["1"])  # a float of ¥100
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrawerScreen)

        await pilot.press("f6")
        await settle(pilot)
        await count(pilot, ["1"])  # the ¥100 is all there: no reason asked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingScreen)
        await type_text(pilot, "P1")
        await type_text(pilot, "0000")
        await settle(pilot)
        assert isinstance(app.screen, IncomingScreen)  # refused by the store, typed again
        assert app.staff is not None and app.staff.id == shop.manager.id
        assert Staff.get_by_id(shop.promoter.id).failed_pins == 1  # counted as at the login
        await type_text(pilot, "1111")
        await settle(pilot)
        assert isinstance(app.screen, DrawerScreen)
        assert app.staff is not None and app.staff.id == shop.promoter.id
        assert app.actor is not None and app.actor.staff_id == shop.promoter.id
        said = shown(app, "#drawer-message")
        assert _("{name} is logged in now.").format(name=shop.promoter.name) in said.replace("\n", " ")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)
        assert f"{_('Staff')}: {shop.promoter.name}" in shown(app, "#sale-header")
        assert app.screen.cart.lines == [] and app.screen.cart.staff_id == shop.promoter.id
        held = HeldCart.get()  # the manager's sale waits for them under their name (F8)
        assert (held.staff_id, held.label) == (shop.manager.id, f"Handover: {shop.manager.name}")
        await scanner_burst(pilot, shop.imeis[0])
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PayScreen)
        await pilot.press("enter")  # cash, the amount due
        await wait_for_commit(pilot)
        await settle(pilot)
    sale = Sale.get()
    assert sale.staff_id == shop.promoter.id
    assert [line.promoter_id for line in sale.lines] == [shop.promoter.id]
    ended, begun = CashSession.select().order_by(CashSession.seq)
    assert (ended.opened_by_id, begun.opened_by_id) == (shop.manager.id, shop.promoter.id)
