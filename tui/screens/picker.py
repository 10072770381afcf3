"""Choose a product when a typed text matches several; each row says how many are in stock
(read off the event loop once the list is up, so the list never waits for it)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.stock import ledger as stock
from tui.screens.choice import ChoiceScreen
from tui.shapes import ProductShown

ROW_WIDTH = 66  # inside the wide dialog at 80 columns, with the list's scroll bar
MAX_SKU = 16


def product_row(product: ProductShown, on_hand: int | None, sku_width: int = 0) -> Text:
    """Name (cut with … to fit), SKU (in ``sku_width`` cells), price and stock on hand in one
    line of ROW_WIDTH cells."""
    sku = Text(product.sku, no_wrap=True)
    sku.truncate(max(sku_width, 1) if sku_width else cell_len(product.sku), overflow="ellipsis", pad=True)
    tail = f"  {sku.plain}  {format_fen(product.price):>10} "
    count = _("{n} in stock").format(n=on_hand) if on_hand is not None else ""
    count = count.rjust(cell_len(_("{n} in stock").format(n=0)) + 2)
    name = Text(product.display_name, no_wrap=True)
    name.truncate(max(8, ROW_WIDTH - cell_len(tail) - cell_len(count)), overflow="ellipsis", pad=True)
    row = name + Text(tail) + Text(count, style="bold" if on_hand == 0 else "")
    return row


class PickerScreen(ChoiceScreen):
    def __init__(self, products: Sequence[ProductShown]) -> None:
        self.products = list(products)
        # SKUs in one column as wide as the longest, within reason
        self.sku_width = min(MAX_SKU, max((cell_len(p.sku) for p in self.products), default=0))
        rows = [(p.id, product_row(p, None, self.sku_width)) for p in self.products]
        super().__init__(_("Choose a product (Enter)"), rows)

    def on_mount(self) -> None:
        super().on_mount()
        self.load(stock.on_hand_of, [p.id for p in self.products], then=self.show_stock, key="stock")

    def show_stock(self, counts: dict[str, int]) -> None:
        options = self.query_one(OptionList)
        for product in self.products:
            options.replace_option_prompt(
                product.id, product_row(product, counts.get(product.id, 0), self.sku_width)
            )
