"""Reorder prompts at the console (80x24): the sale screen's reorder line after a sale, and
the manager's reorder screen with an edited quantity placed as a purchase order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook
from peewee import SqliteDatabase
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from store.config.loader import Config
from store.models import PurchaseOrder, PurchaseOrderLine
from tests.conftest import Shop
from tests.console.test_console_count import choose, message, settle, table_rows
from tests.console_helpers import make_app, scanner_burst, type_text, wait_for_commit
from tests.store_helpers import reorder_history
from tui.screens.choice import ChoiceScreen
from tui.screens.reorder import ReorderScreen
from tui.screens.sale import SaleScreen
from tui.widgets.reorder_panel import ReorderPanel


def panel_text(app: App[None]) -> str:
    panel = app.screen.query_one(ReorderPanel)
    return str(panel.render()) if panel.display else ""


async def sell_one_case(pilot: Pilot[None], app: App[None]) -> None:
    await scanner_burst(pilot, "6900000000011")
    await pilot.press("f2")
    await pilot.pause()
    await pilot.press("enter")  # cash, exact
    await wait_for_commit(pilot)
    await pilot.press("enter")  # receipt done
    await settle(pilot, app)


async def test_the_sale_screen_names_what_fell_under_its_reorder_point(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    reorder_history(shop, extra_cases=1)  # 6 on hand: above the reorder point of 5
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, SaleScreen)
        assert panel_text(app) == ""
        assert not app.screen.query_one(ReorderPanel).display

        await sell_one_case(pilot, app)  # 5 left: at the reorder point
        assert isinstance(app.screen, SaleScreen)
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 5/5"
        panel = app.screen.query_one(ReorderPanel)
        assert panel.region.bottom <= 22 and panel.region.height == 1  # above totals, message, footer

        await sell_one_case(pilot, app)
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 4/5"


async def test_the_panel_keeps_no_product_a_sale_once_its_requests_are_back(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """What request last set each product is needed only while an older one is pending: the
    panel once kept it for every product ever sold, all day."""
    reorder_history(shop, extra_cases=1)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await sell_one_case(pilot, app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(ReorderPanel)
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 5/5"
        assert panel._applied == {} and panel._pending == set()

        # A full refresh (7) still out when a sale's update (8) comes back, then the refresh:
        # the sale's newer figures stay, and nothing is kept once both are back.
        case = panel.below[shop.case.id]
        panel._seq, panel._pending = 8, {7, 8}
        panel.apply(8, [shop.case.id], [replace(case, on_hand=4)], 0.0)
        assert panel._applied == {shop.case.id: 8}
        panel.apply(7, None, [replace(case, on_hand=9)], 0.0)  # above the reorder point
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 4/5"
        assert panel._applied == {} and panel._pending == set()


async def test_the_panel_lists_a_few_and_counts_the_rest(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    reorder_history(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        panel = app.screen.query_one(ReorderPanel)
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 5/5"
        # Three more products under their reorder points (figures made up): the out-of-stock
        # one first, then by how far under; config shows 3 and counts the rest.
        plan = panel.below[shop.case.id]
        for n, (on_hand, name) in enumerate([(0, "Zero"), (1, "One"), (4, "Four")]):
            panel.below[f"x{n}"] = replace(plan, product_id=f"x{n}", name=name, on_hand=on_hand)
        panel.show()
        assert panel_text(app) == "Reorder: Zero 0/5; One 1/5; Four 4/5  +1 more"


async def test_no_panel_when_the_config_says_zero(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    reorder_history(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    app.config.stock.panel_items = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert panel_text(app) == ""
    assert Config().stock.panel_items == 3


async def test_edit_a_suggestion_and_place_the_order(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    reorder_history(shop)
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.paths.exports = str(tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert panel_text(app) == "Reorder: Generic iPhone 15 Case 5/5"
        await pilot.press("f1")
        await pilot.pause()
        await choose(pilot, app, "reorder")
        await settle(pilot, app)
        assert isinstance(app.screen, ReorderScreen)
        assert table_rows(app) == [["华南地包", "Generic iPhone 15 Case", "regular", "5", "5", "10", "80.00"]]
        assert app.screen.query_one(DataTable).virtual_size.width <= 80
        assert "0.5/day" in str(app.screen.query_one("#reorder-detail").render())

        await pilot.press("enter")  # edit the highlighted suggestion
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "1.5")
        await pilot.pause()
        assert message(app) == "A quantity is a whole number: 1.5"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "20")
        await pilot.pause()
        assert table_rows(app)[0][5:] == ["20", "160.00"]

        await pilot.press("f3")  # asks first, with how many and how much
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        assert "160.00" in str(app.screen.query_one(".dialog-title", Label).render())
        await pilot.press("enter")  # "No" is highlighted: nothing is placed
        await settle(pilot, app)
        assert isinstance(app.screen, ReorderScreen) and PurchaseOrder.select().count() == 0
        await pilot.press("f3", "up", "enter")
        await settle(pilot, app)
        assert message(app).startswith("1 purchase order placed, written to")
        assert table_rows(app) == []  # 20 on order: nothing more to order
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, SaleScreen)
        assert panel_text(app) == ""  # the sale screen's line knows it is on order too

    order = PurchaseOrder.get()
    assert order.status == "open" and order.supplier.code == "HN01"
    line = PurchaseOrderLine.get()
    assert (line.product_id, line.qty, line.cost) == (shop.case.id, 20, 800)
    book = load_workbook(tmp_path / "exports" / f"{order.number}.xlsx")
    sheet = book["华南地包"]
    assert [c.value for c in sheet[2]][:9] == [
        "华南地包",
        "CASE-IP15",
        "Generic iPhone 15 Case",
        "regular",
        5,
        0,
        5,
        20,
        10,
    ]
    assert (tmp_path / "exports" / f"{order.number}.csv").exists()


async def test_the_reorder_screen_is_for_managers(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "stock_count" in ids and "reorder" not in ids


def test_the_first_full_reorder_computation_waits_until_the_console_is_up() -> None:
    import ast
    from pathlib import Path

    import tui.widgets.reorder_panel as panel

    tree = ast.parse(Path(panel.__file__).read_text(encoding="utf-8"))
    shipped = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "FIRST_REFRESH_SECONDS"
        and isinstance(node.value, ast.Constant)
    )
    assert isinstance(shipped, float) and shipped >= 1  # the shipped value, not the tests' 0


async def test_a_long_panel_line_ends_in_an_ellipsis_not_a_cut_word(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    reorder_history(shop)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        panel = app.screen.query_one(ReorderPanel)
        plan = panel.below[shop.case.id]
        for n in range(3):
            name = f"Huawei Mate 80 Pro 12GB+512GB 雅川青 {n}"
            panel.below[f"x{n}"] = replace(plan, product_id=f"x{n}", name=name, on_hand=n)
        panel.show()
        await pilot.pause()
        line = panel.render_line(0).text.rstrip()
        assert line.startswith("Reorder: Huawei Mate 80 Pro") and line.endswith("…"), line
        assert panel.render_line(1).text.strip() == ""  # one line, not a wrapped one cut off
