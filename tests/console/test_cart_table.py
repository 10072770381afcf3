"""The cart table adds a scanned line's row without drawing the others again, and any other
change (a quantity, a removed line) shows every row as the cart has it."""

from __future__ import annotations

from peewee import SqliteDatabase
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate

from store.selling.cart import Cart
from store.stock.catalog import lookup_code
from tests.conftest import Shop
from tui.widgets.cart_table import CartTable


class _Table(App[None]):
    def compose(self) -> ComposeResult:
        yield CartTable()


def _rows(table: CartTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_a_scan_adds_one_row_and_other_changes_redraw_them_all(shop: Shop, db: SqliteDatabase) -> None:
    cart = Cart(staff_id=shop.promoter.id, staff_role="promoter", discount_limit_percent=0)
    async with _Table().run_test(size=(80, 24)) as pilot:
        table = pilot.app.query_one(CartTable)
        case = lookup_code("6900000000011")
        phone = lookup_code(shop.imeis[0])
        assert case is not None and phone is not None
        cart.add_scan(case)
        table.show(cart, select_last=True)
        first_key = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key
        cart.add_scan(phone)
        table.show(cart, select_last=True)
        # The first row is the same row, not drawn again; the phone's row shows its IMEI.
        assert table.coordinate_to_cell_key(Coordinate(0, 0)).row_key == first_key
        assert [r[0] for r in _rows(table)] == ["1", "2"] and shop.imeis[0] in _rows(table)[1][1]
        assert table.cursor_row == 1
        cart.set_qty(0, 3)
        table.show(cart)
        assert _rows(table)[0][2] == "3" and _rows(table)[0][5] == "117.00"
        cart.remove_line(0)
        table.show(cart)
        assert [r[0] for r in _rows(table)] == ["1"] and shop.imeis[0] in _rows(table)[0][1]
        cart.add_scan(case)
        table.show(cart, select_last=True)
        assert [r[2] for r in _rows(table)] == ["1", "1"] and table.row_count == 2
