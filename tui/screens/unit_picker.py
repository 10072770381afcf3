"""Choose which handset (IMEI) of a model to sell when none was scanned."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from store.kernel.i18n import _
from store.stock.ledger import status_name
from tui.screens.choice import ChoiceScreen
from tui.shapes import ProductShown, UnitShown


def _describe(unit: UnitShown) -> Text:
    text = unit.imei + (f" / {unit.imei2}" if unit.imei2 else "")
    if unit.status == "returned":
        text += "  " + status_name(unit.status)
    return Text(text)


class UnitPickerScreen(ChoiceScreen):
    def __init__(self, product: ProductShown, units: Sequence[UnitShown]) -> None:
        rows = [(u.id, _describe(u)) for u in units]
        super().__init__(product.display_name, rows, hint=_("Choose the handset by IMEI (or scan it)"))
