"""Pick a suspended sale to resume."""

from __future__ import annotations

import json

from rich.text import Text

from store.i18n import _
from store.models import HeldCart
from tui.screens.choice import ChoiceScreen


def _describe(row: HeldCart) -> Text:
    lines = json.loads(row.payload).get("lines", [])
    names = ", ".join(line["name"] for line in lines[:3])
    return Text(f"{row.created_at:%H:%M}  {row.label}  {names}")


class HeldSalesScreen(ChoiceScreen):
    def __init__(self, held: list[HeldCart]) -> None:
        super().__init__(_("Suspended sales (Enter resumes)"), [(h.id, _describe(h)) for h in held])
