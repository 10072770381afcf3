"""Choose a product when a typed text matches several."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from store.kernel.i18n import _
from store.kernel.money import format_fen
from tui.screens.choice import ChoiceScreen
from tui.shapes import ProductShown


class PickerScreen(ChoiceScreen):
    def __init__(self, products: Sequence[ProductShown]) -> None:
        rows = [(p.id, Text(f"{p.display_name}  {p.sku}  {format_fen(p.price)}")) for p in products]
        super().__init__(_("Choose a product (Enter)"), rows)
