"""Choose the promoter credited with the sale (F10): the staff list is read in a worker, and
the columns are padded in terminal cells so Chinese names line up."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.kernel.i18n import _
from store.people import staff
from tui.cells import cut_middle, ljust
from tui.screens.choice import ChoiceScreen
from tui.shapes import StaffShown


def staff_row(code: str, name: str, role: str) -> Text:
    return Text(f"{ljust(cut_middle(code, 6), 6)} {ljust(cut_middle(name, 12), 12)} {role}", no_wrap=True)


class PromoterScreen(ChoiceScreen):
    def __init__(self, current: str) -> None:
        super().__init__(_("Credit this sale to (Enter)"), [], highlighted=current)

    def on_mount(self) -> None:
        super().on_mount()
        self.load(staff.list_staff, then=self.listed)

    def listed(self, members: Sequence[StaffShown]) -> None:
        self._rows = [(str(m.id), staff_row(m.code, m.name, staff.role_name(m.role))) for m in members]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(text, id=row_id) for row_id, text in self._rows])
        super().on_mount()  # highlight the current promoter, now that the rows are there
