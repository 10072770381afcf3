"""Products and prices at the console (80x24), in English and Chinese: find, price, name,
retire and bring back, add, shelf label; and the stock column of the product picker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot

from store.kernel.i18n import _, set_language
from store.models import AuditLog, Product
from tests.conftest import Shop
from tests.console.test_console_count import choose, message, table_rows
from tests.console_helpers import make_app, type_text
from tui.app import ZhangguiApp
from tui.screens.choice import ChoiceScreen
from tui.screens.picker import PickerScreen
from tui.screens.product_form import ProductFormScreen
from tui.screens.products import ProductsScreen
from tui.screens.prompt import PromptScreen
from tui.screens.sale import SaleScreen

LANGUAGES = ["en", "zh_CN"]


async def settle(pilot: Pilot[None]) -> None:
    for _round in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_products(pilot: Pilot[None], app: ZhangguiApp) -> None:
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()
    await choose(pilot, app, "products")
    await settle(pilot)
    assert isinstance(app.screen, ProductsScreen)


async def clear_and_type(pilot: Pilot[None], text: str) -> None:
    await pilot.press("ctrl+a", "ctrl+k")  # select all is not a line editor's; clear the field
    await type_text(pilot, text)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_find_change_the_price_rename_and_retire(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot, app)
        retired = _("retired")
        assert table_rows(app) == [
            ["IP15-128-BK", "Apple iPhone 15 128GB Black", "¥5,999.00", "5", ""],
            ["CASE-IP15", "Generic iPhone 15 Case", "¥39.00", "20", ""],
        ]
        await type_text(pilot, "6900000000011")  # the case's barcode
        await settle(pilot)
        assert [row[0] for row in table_rows(app)] == ["CASE-IP15"]

        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "45.5")
        await settle(pilot)
        assert message(app) == _("{name}: price {old} → {new}.").format(
            name="Generic iPhone 15 Case", old="¥39.00", new="¥45.50"
        )
        assert table_rows(app)[0][2] == "¥45.50"
        assert Product.get_by_id(shop.case.id).price == 4550
        audit = AuditLog.select().where(AuditLog.action == "product.price").get()
        assert json.loads(audit.before)["price"] == 3900 and json.loads(audit.after)["price"] == 4550
        assert audit.staff_id == shop.manager.id

        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ProductFormScreen)
        await clear_and_type(pilot, "Baseus")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)
        assert message(app) == _("The name is changed.")
        assert table_rows(app)[0][1] == "Baseus iPhone 15 Case"

        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await choose(pilot, app, "yes")
        await settle(pilot)
        assert table_rows(app)[0][4] == retired
        assert not Product.get_by_id(shop.case.id).active
        await pilot.press("f5")  # a retired product comes back without a question
        await settle(pilot)
        assert table_rows(app)[0][4] == ""
        assert Product.get_by_id(shop.case.id).active
        assert [a.action for a in AuditLog.select().where(AuditLog.entity_id == shop.case.id)][-4:] == [
            "product.price",
            "product.rename",
            "product.active",
            "product.active",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_add_a_product_and_print_its_label(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot, app)
        await pilot.press("f2")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProductFormScreen)
        for text in ("CHG-20W", "6900000000028", "Apple", "20W 充电器", "", ""):
            await type_text(pilot, text)
        await pilot.press("tab")  # past the category (accessory)
        await type_text(pilot, "abc", enter=False)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is form  # a price that is no amount keeps the form open
        assert _("Not an amount: {text}").format(text="abc") in str(form.query_one("#form-message").render())
        await pilot.press(*["backspace"] * 3)
        await type_text(pilot, "149")
        await type_text(pilot, "90", enter=False)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProductsScreen)
        added = Product.get(Product.sku == "CHG-20W")
        assert (added.price, added.cost, added.category, added.barcode) == (
            14900,
            9000,
            "accessory",
            "6900000000028",
        )
        assert table_rows(app) == [["CHG-20W", "Apple 20W 充电器", "¥149.00", "0", ""]]
        screen = app.screen
        assert screen.lines[screen.query_one("#products-table").cursor_row].sku == "CHG-20W"

        await pilot.press("f6")
        await settle(pilot)
        path = tmp_path / "receipts" / "labels" / "label-CHG-20W.txt"
        assert message(app) == _("No printer is set up; label saved as {path}").format(path=path)
        assert "¥149.00" in path.read_text(encoding="utf-8")


async def test_a_duplicate_sku_is_refused_in_the_form(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot, app)
        await pilot.press("f2")
        await pilot.pause()
        for text in ("CASE-IP15", "", "X", "Y", "", ""):
            await type_text(pilot, text)
        await pilot.press("tab")
        await type_text(pilot, "1", enter=False)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProductFormScreen)
        assert "SKU CASE-IP15 already exists." in str(app.screen.query_one("#form-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProductsScreen)
    assert Product.select().count() == 2


async def test_the_products_screen_is_for_managers(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "products" not in {d.id for d in app.allowed_destinations()}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_picker_shows_stock_on_hand(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, language: str
) -> None:
    set_language(language)
    app = make_app(db, tmp_path, staff=shop.promoter)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "iphone")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        from textual.widgets import OptionList

        options = picker.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        stock = _("{n} in stock")
        assert shown[0].startswith("Apple iPhone 15 128GB Black") and shown[0].endswith(stock.format(n=5))
        assert shown[1].endswith(stock.format(n=20))
        assert all(len(row) <= 70 for row in shown)


async def test_a_label_the_printer_refuses_is_still_saved(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    app.config.printer.kind = "file"
    app.config.printer.target = str(tmp_path / "no" / "lp0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot, app)
        await type_text(pilot, "CASE-IP15")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        path = tmp_path / "receipts" / "labels" / "label-CASE-IP15.txt"
        assert message(app).startswith("Not printed (Cannot print to ")
        assert message(app).endswith(f"label saved as {path}")
        assert path.exists()
