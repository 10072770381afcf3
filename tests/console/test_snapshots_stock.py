"""What the stock screens look like at 80x24 (see tests/console/test_snapshots.py for how to update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot

from store.kernel.i18n import set_language
from tests.conftest import Shop
from tests.console_helpers import make_app
from tests.store_helpers import reorder_history


def test_sale_screen_with_the_reorder_line(
    snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    reorder_history(shop)

    async def settle(pilot: Pilot[None]) -> None:
        from tui.widgets.reorder_panel import ReorderPanel

        # The first computation starts from a timer: on a loaded machine it may not have started
        # when the first wait returns, so wait until the panel has applied a full computation.
        for _ in range(200):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if pilot.app.screen.query_one(ReorderPanel).computed:
                break

    app = make_app(db, tmp_path, staff=shop.promoter)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_reorder_screen(snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    reorder_history(shop)

    async def open_reorder(pilot: Pilot[None]) -> None:
        from tui.screens.reorder import ReorderScreen

        await pilot.pause()
        pilot.app.push_screen(ReorderScreen())
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(db, tmp_path, staff=shop.manager)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_reorder)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_products_screen(
    snap_compare: Any, shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)

    async def open_products(pilot: Pilot[None]) -> None:
        from tui.screens.products import ProductsScreen

        await pilot.pause()
        pilot.app.push_screen(ProductsScreen())
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = make_app(db, tmp_path, staff=shop.manager)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_products)
