"""Pick a suspended sale to resume."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from rich.text import Text

from store.kernel.i18n import _
from store.models import HeldCart
from store.people.timeclock import local
from tui.screens.choice import ChoiceScreen


def _describe(row: HeldCart, tz: ZoneInfo) -> Text:
    lines = json.loads(row.payload).get("lines", [])
    names = ", ".join(line["name"] for line in lines[:3])
    # Stored in UTC like every time in the database; the shop reads its own clock.
    return Text(f"{local(row.created_at, tz):%H:%M}  {row.label}  {names}")


class HeldSalesScreen(ChoiceScreen):
    def __init__(self, held: list[HeldCart], tz: ZoneInfo) -> None:
        super().__init__(_("Suspended sales (Enter resumes)"), [(h.id, _describe(h, tz)) for h in held])
