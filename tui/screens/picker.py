"""Choose a product when a typed text matches several."""

from __future__ import annotations

from rich.text import Text

from store.kernel.i18n import _
from store.kernel.money import format_fen
from store.models import Product
from tui.screens.choice import ChoiceScreen


class PickerScreen(ChoiceScreen):
    def __init__(self, products: list[Product]) -> None:
        rows = [(p.id, Text(f"{p.display_name}  {p.sku}  {format_fen(p.price)}")) for p in products]
        super().__init__(_("Choose a product (Enter)"), rows)
