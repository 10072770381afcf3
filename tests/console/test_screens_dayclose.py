"""Text snapshots at 80x24 in both languages of the day close: the day report (the X report, the
sales by hour), the close dialog with a count ¥10 short, the reminder of a day left open, and
the head office export (no USB stick, the days not exported, then where their files went).
How to update: tests/console/test_screens_selling.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from peewee import SqliteDatabase

from store.dayclose import days, drawer
from store.exchange.keys import key_path
from store.kernel import FixedClock
from store.kernel.auth import actor_for_login
from store.kernel.i18n import _, ngettext, set_language
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console.screen_text import Snapshots, go, snapshot_app, steady
from tests.console_helpers import settle, type_text
from tests.store_helpers import close_uncounted, sell
from tui.screens.day_close import DayCloseScreen
from tui.screens.day_report import DayReportScreen
from tui.screens.hq_export import HqExportScreen
from tui.screens.open_days import OpenDaysScreen

LANGUAGES = ["zh_CN", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_day_close_screens(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    clock: FixedClock,
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)
    # The hours shown are the store's (09:00-22:00), widened to a sale outside them (a run of the
    # suite a minute before midnight sells at 23:59).
    hour = clock.local_now().hour
    span = f"{min(hour, 9):02}:00-{max(hour, 21):02}:59"
    drawer.open_session(
        TILL.terminal_id, TILL.tz, actor=actor_for_login(shop.promoter), counts={10000: 2, 1000: 5}
    )
    checkout.acknowledge(sell(shop, case_qty=2).id)
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "day_close")
        assert isinstance(app.screen, DayReportScreen)
        await snaps.check(pilot, "day-report", shows=_("Sales by hour {span}").format(span=span))
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DayCloseScreen)
        await type_text(pilot, "100x3 10x1 5x1 1x3")
        await snaps.check(
            pilot,
            "day-close",
            shows=_("Counted {amount}: short by {gap}.").format(amount="¥318.00", gap="¥10.00"),
        )
        await pilot.press("escape")
        await settle(pilot)
        # Tomorrow by the suite's clock, with today's drawer still open: one day left open.
        notice = days.open_days_notice(TILL.terminal_id, clock.today() + timedelta(days=1))
        assert notice
        for manager, name in ((True, "open-days-manager"), (False, "open-days")):
            app.push_screen(OpenDaysScreen(notice, manager))
            await snaps.check(pilot, name, shows=notice)
            await pilot.press("escape")
            await settle(pilot)
    snaps.finish()


def _fixed_key(store_code: str) -> None:
    """The store's signing key from fixed bytes: the fingerprint on screen is the same every run."""
    path = key_path(store_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    path.chmod(0o600)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_hq_export_screen(
    shop: Shop,
    db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    clock: FixedClock,
) -> None:
    set_language(language)
    steady(monkeypatch, tmp_path)  # from tmp_path: the folder "exports" reads the same every run
    _fixed_key("S001")
    close_uncounted(shop, [clock.today() - timedelta(days=n) for n in (2, 1)])
    snaps = Snapshots(language)
    app = snapshot_app(db, tmp_path, staff=shop.manager)
    app.config.paths.exports = "exports"
    app.config.hq.phone_secret = "chain-secret-0123456789"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go(pilot, "export")
        assert isinstance(app.screen, HqExportScreen)
        missing = _(
            "The export folder {folder} is missing. Plug in the USB stick (or make the folder, or"
            " set [paths] exports in config.toml); nothing was exported."
        ).format(folder="exports")
        await snaps.check(pilot, "hq-export-no-stick", shows=missing)
        (tmp_path / "exports").mkdir()  # the stick plugged in
        await pilot.press("f5")
        await snaps.check(pilot, "hq-export", shows=_("F2: write their files to the folder above."))
        await pilot.press("f2")
        for _attempt in range(100):
            await settle(pilot)
            if len(list((tmp_path / "exports").glob("*.day.zip"))) == 2 and app.screen.sent:
                break
            await pilot.pause(0.02)
        exported = ngettext("{n} day exported.", "{n} days exported.", 2).format(n=2)
        await snaps.check(pilot, "hq-export-done", shows=[exported, _("Every closed day has been exported.")])
    snaps.finish()
