"""What the main screens look like at 80x24. Update with `pytest --snapshot-update` after a
deliberate change and look at the SVGs in tests/__snapshots__/ before committing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import Shop
from tests.console_helpers import make_app, scanner_burst, settle


def test_login_screen(snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    assert snap_compare(make_app(db, tmp_path), terminal_size=(80, 24))


def test_sale_screen_with_a_phone_and_cases(
    snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async def ring(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await scanner_burst(pilot, shop.imeis[0], gap=0)
        await scanner_burst(pilot, "2*6900000000011", gap=0)
        await pilot.pause()

    app = make_app(db, tmp_path, staff=shop.promoter)
    assert snap_compare(app, terminal_size=(80, 24), run_before=ring)


def test_pay_screen_after_a_wechat_part_payment(
    snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    async def pay(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await scanner_burst(pilot, shop.imeis[0], gap=0)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f2", *"5000", "enter")
        await pilot.pause()
        await pilot.press(*"4200001234202612070000000042", "enter")  # its transaction number
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # the cursor in the picture, not half of the time
        await pilot.pause()

    app = make_app(db, tmp_path, staff=shop.promoter)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pay)
