"""Pick a suspended sale to resume."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text

from store.kernel.i18n import _
from store.people.timeclock import local
from store.selling.held_list import HeldLine
from tui.screens.choice import ChoiceScreen


def _describe(row: HeldLine, tz: ZoneInfo) -> Text:
    # Stored in UTC like every time in the database; the shop reads its own clock.
    return Text(f"{local(row.created_at, tz):%H:%M}  {row.label}  {row.names}")


class HeldSalesScreen(ChoiceScreen):
    def __init__(self, held: list[HeldLine], tz: ZoneInfo) -> None:
        super().__init__(_("Suspended sales (Enter resumes)"), [(h.id, _describe(h, tz)) for h in held])
