"""Choose the promoter credited with the sale."""

from __future__ import annotations

from rich.text import Text

from store.kernel.i18n import _
from store.people import staff
from tui.screens.choice import ChoiceScreen


class PromoterScreen(ChoiceScreen):
    def __init__(self, current: str) -> None:
        rows = [(m.id, Text(f"{m.code:<6} {m.name}  {staff.role_name(m.role)}")) for m in staff.list_staff()]
        super().__init__(_("Credit this sale to (Enter)"), rows, highlighted=current)
