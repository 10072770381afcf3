"""The lines of the sale being rung up."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.selling.cart import Cart
from tui.cells import cut_middle

ITEM_WIDTH = 33


class CartTable(DataTable[Text]):
    """Cursor rows map one-to-one to cart lines; user text is never read as markup."""

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
        self.clear()
        for number, line in enumerate(cart.lines, 1):
            # Cut in the middle: the end of a name (the model, the colour) tells two lines apart.
            prefix = _("RETURN") + " " if line.is_return else ""
            item = Text(cut_middle(line.name, ITEM_WIDTH - cell_len(prefix)), no_wrap=True)
            if prefix:
                item = Text(prefix, style="bold") + item
            if line.imei:
                item.append(f"\n{_('IMEI')} {line.imei}", style="dim")
            self.add_row(
                Text(str(number)),
                item,
                Text(str(line.qty), justify="right"),
                Text(format_fen(line.unit_price, symbol=False), justify="right"),
                Text(
                    format_fen(line.line_discount, symbol=False) if line.line_discount else "",
                    justify="right",
                ),
                Text(format_fen(line.net, symbol=False), justify="right"),
                height=2 if line.imei else 1,
            )
        if cart.lines:
            target = len(cart.lines) - 1 if select_last else min(previous, len(cart.lines) - 1)
            self.move_cursor(row=max(target, 0))
