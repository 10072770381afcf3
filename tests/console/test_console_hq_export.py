"""The day files for head office at the console (80x24, keyboard only): right after the Z report
the day report offers F6 and writes the day's file; F1 "Head office export" lists the closed
days not exported, says why they cannot go (no key yet) and writes them all with F2."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from peewee import SqliteDatabase
from textual.pilot import Pilot

from store.dayclose import drawer
from store.exchange.keys import create_signing_key
from store.kernel import FixedClock
from store.kernel.auth import actor_for_login
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console.screen_text import flat, go, screen_text
from tests.console_helpers import make_app, settle, type_text
from tests.store_helpers import close_uncounted, sell
from tui.app import ZhangguiApp
from tui.screens.day_report import DayReportScreen
from tui.screens.hq_export import HqExportScreen
from tui.widgets.message_bar import MessageBar

SECRET = "chain-secret-0123456789"


async def _until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    for _ in range(200):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.02)


def _said(app: ZhangguiApp) -> str:
    return str(app.screen.query_one(MessageBar).render())


def _app(db: SqliteDatabase, tmp_path: Path, shop: Shop) -> ZhangguiApp:
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.hq.phone_secret = SECRET
    app.config.paths.exports = str(tmp_path / "usb")
    app.config.backup.folder = str(tmp_path / "usb")
    (tmp_path / "usb").mkdir()
    return app


async def test_right_after_the_z_report_f6_writes_the_days_file(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    create_signing_key("S001")
    drawer.open_session(
        TILL.terminal_id, TILL.tz, actor=actor_for_login(shop.promoter), counts={10000: 2, 1000: 5}
    )
    checkout.acknowledge(sell(shop, case_qty=2).id)
    app = _app(db, tmp_path, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "day_close")
        screen = app.screen
        assert isinstance(screen, DayReportScreen)
        await pilot.press("f6")  # not closed yet: nothing is written
        await settle(pilot)
        assert "not closed yet" in _said(app), _said(app)
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, "100x3 10x2 5x1 1x3")  # ¥328: right
        await pilot.press("f2")
        await _until(pilot, lambda: getattr(app.screen.focused, "id", "") == "manager-code")
        await type_text(pilot, "M1")
        await _until(pilot, lambda: getattr(app.screen.focused, "id", "") == "manager-pin")
        await type_text(pilot, "1234")
        await _until(pilot, lambda: app.screen is screen and "Backup" in _said(app))
        assert "F6" in _said(app) and "head office" in _said(app), _said(app)
        assert flat(_said(app)) in flat(screen_text(app))  # the backup's path and the offer, wrapped
        await pilot.press("f6")
        name = f"S001-{clock.today().isoformat()}.day.zip"
        await _until(pilot, lambda: name in flat(_said(app)))
        assert "sequence 1" in _said(app), _said(app)
        assert flat(_said(app)) in flat(screen_text(app))
    assert (tmp_path / "usb" / name).is_file()


async def test_the_menu_screen_lists_the_days_left_and_writes_them_all(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, clock: FixedClock
) -> None:
    days = [clock.today() - timedelta(days=n) for n in (2, 1)]
    close_uncounted(shop, days)
    app = _app(db, tmp_path, shop)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "export")
        assert isinstance(app.screen, HqExportScreen)
        await _until(pilot, lambda: "keys init" in _said(app))
        text = screen_text(app)
        assert "2 closed days not exported yet" in text and all(d.isoformat() in text for d in days), text
        assert "zhanggui keys init" in _said(app), _said(app)
        assert flat(_said(app)) in flat(screen_text(app)), text  # the whole sentence, wrapped
        await pilot.press("f2")  # no key: said again, nothing written
        await _until(pilot, lambda: "keys init" in _said(app))
        assert not list((tmp_path / "usb").glob("*.day.zip"))
        key = create_signing_key("S001").key
        await pilot.press("f5")  # the key made meanwhile: read again
        await _until(pilot, lambda: key.public.fingerprint in screen_text(app))
        await pilot.press("f2")
        await _until(pilot, lambda: "2 days exported." in _said(app))
        text = screen_text(app)
        assert "Every closed day has been exported." in text, text
        assert all(f"S001-{d.isoformat()}.day.zip" in flat(text) for d in days), text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HqExportScreen)
    assert sorted(p.name for p in (tmp_path / "usb").glob("*.day.zip")) == [
        f"S001-{d.isoformat()}.day.zip" for d in days
    ]
