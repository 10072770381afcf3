"""The lines of the sale being rung up."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling.cart import Cart
from store.selling.cart_lines import CartLine
from tui.cells import cut_middle

ITEM_WIDTH = 33


class CartTable(DataTable[Text]):
    """Cursor rows map one-to-one to cart lines; user text is never read as markup."""

    _shown: list[Row] = []  # what show() drew last (replaced, never changed in place)

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column(Text("#"), key="no", width=2)
        self.add_column(Text(_("Item")), key="item", width=ITEM_WIDTH)
        self.add_column(Text(_("Qty"), justify="right"), key="qty", width=4)
        self.add_column(Text(_("Price"), justify="right"), key="price", width=10)
        self.add_column(Text(_("Disc."), justify="right"), key="disc", width=8)
        self.add_column(Text(_("Total"), justify="right"), key="total", width=10)

    def show(self, cart: Cart, select_last: bool = False) -> None:
        previous = self.cursor_row
        rows = [_row(number, line) for number, line in enumerate(cart.lines, 1)]
        shown = self._shown
        if len(rows) >= len(shown) and rows[: len(shown)] == shown and self.row_count == len(shown):
            new = rows[len(shown) :]  # a scan adds a line: add its row, not every row again
        else:
            self.clear()
            new = rows
        for cells, height in new:
            self.add_row(*_texts(cells), height=height)
        self._shown = rows
        if cart.lines:
            target = len(cart.lines) - 1 if select_last else min(previous, len(cart.lines) - 1)
            self.move_cursor(row=max(target, 0))


Row = tuple[tuple[str, ...], int]  # the cells' text, and the row's height


def _row(number: int, line: CartLine) -> Row:
    """A line's row as plain text: two rows are the same row when these are equal."""
    # Cut in the middle: the end of a name (the model, the colour) tells two lines apart.
    prefix = _("RETURN") + " " if line.is_return else ""
    cells = (
        str(number),
        prefix,
        cut_middle(line.name, ITEM_WIDTH - cell_len(prefix)),
        f"{_('IMEI')} {line.imei}" if line.imei else "",
        str(line.qty),
        format_fen(line.unit_price, symbol=False),
        format_fen(line.line_discount, symbol=False) if line.line_discount else "",
        format_fen(line.net, symbol=False),
    )
    return cells, 2 if line.imei else 1


def _texts(cells: tuple[str, ...]) -> list[Text]:
    number, prefix, name, imei, qty, price, discount, net = cells
    item = Text(name, no_wrap=True)
    if prefix:
        item = Text(prefix, style="bold") + item
    if imei:
        item.append(f"\n{imei}", style="dim")
    right = [Text(value, justify="right") for value in (qty, price, discount, net)]
    return [Text(number), item, *right]
