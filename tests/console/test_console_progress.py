"""The logged-in promoter's progress and the leaderboard, at 80x24."""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import DataTable, OptionList

from store.kernel.clock import business_date
from store.models.base import utcnow
from store.people import staff, targets
from store.selling import checkout
from tests.conftest import TILL, Shop
from tests.console_helpers import make_app
from tests.store_helpers import manager_actor, sell
from tui.screens.progress import ProgressScreen


async def test_my_sales_against_target_and_the_leaderboard(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    today = business_date(utcnow(), TILL.tz)
    staff.create_staff("P2", "张伟", "promoter", "2222")
    targets.set_target(
        targets.month_of(today),
        shop.promoter.id,
        units=4,
        amount=2_000_000,
        actor=manager_actor(shop),
        today=today,
    )
    sale = sell(shop, shop.imeis[0], case_qty=2)  # ¥5,999 + 2 x ¥39 credited to P1, today
    checkout.acknowledge(sale.id)  # its receipt was printed: no reprint question at start
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        for _ in range(ids.index("progress")):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = str(screen.query_one("#progress-panel").render())
        assert "Today: ¥6,077.00, 1 handsets" in panel
        assert "Month to date: ¥6,077.00, 1 handsets, commission ¥66.23" in panel  # 59.99 + 6.24
        assert "Target: ¥20,000.00 (30%), 4 handsets (25%)" in panel
        assert "rank 1" in panel
        board = screen.query_one(DataTable)
        assert board.row_count == 2
        assert [str(c) for c in board.get_row_at(0)][:3] == ["1", "李小红", "6,077.00"]
        assert [str(c) for c in board.get_row_at(1)][:3] == ["2", "张伟", "0.00"]
        assert screen.query_one("#progress-board").region.bottom <= 24
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
