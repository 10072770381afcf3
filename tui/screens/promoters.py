"""Promoters (manager only): each one's level, months with the store and this month's sales
against their target. Enter opens the profile; F3 sets the highlighted promoter's target.
The month's figures are read in a worker thread (a month on a large store takes a moment)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen
from store.people import desk as promoter_desk
from store.people.desk import PromoterLine
from tui.screens.base import ConsoleScreen
from tui.screens.manager_pin import own_authority
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class PromotersScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f3", "target", N_("Target"), id="promoters.target"),
        Binding("f5", "refresh", N_("Refresh"), id="promoters.refresh"),
        Binding("escape", "back", N_("Back"), id="promoters.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[PromoterLine] = []
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Promoters"), style="bold"), id="promoters-header", classes="screen-title")
        yield DataTable(id="promoters-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="promoters-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Code")), key="code", width=5)
        table.add_column(Text(_("Name")), key="name", width=8)
        table.add_column(Text(_("Level")), key="level", width=10)
        table.add_column(Text(_("Mo."), justify="right"), key="months", width=4)
        table.add_column(Text(_("Sales"), justify="right"), key="amount", width=11)
        table.add_column(Text(_("Target"), justify="right"), key="target", width=11)
        table.add_column(Text("%", justify="right"), key="pct", width=4)
        table.add_column(Text("↑"), key="up", width=3)
        table.focus()
        self.action_refresh()

    def highlighted(self) -> PromoterLine | None:
        table = self.query_one(DataTable)
        if not self.lines or not 0 <= table.cursor_row < len(self.lines):
            return None
        return self.lines[table.cursor_row]

    def action_refresh(self) -> None:
        self.reload()

    def reload(self, keep_message: bool = False) -> None:
        """Read the figures again; ``keep_message`` leaves what an edit just said in view."""
        if not keep_message:
            self.say(_("Counting…"))
        self.load(
            promoter_desk.overview,
            self.config,
            then=lambda found: self.show(*found, keep_message=keep_message),
        )

    def show(self, month: str, lines: list[PromoterLine], keep_message: bool = False) -> None:
        self.lines = lines
        header = Text(_("Promoters"), style="bold")
        header.append("  " + _("{month}, sales against each one's target").format(month=month))
        self.query_one("#promoters-header", Static).update(header)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for line in lines:
            check = line.check
            pct = line.amount_percent
            table.add_row(
                Text(line.staff.code, no_wrap=True, overflow="ellipsis"),
                Text(line.staff.name, no_wrap=True, overflow="ellipsis"),
                Text(check.current.name if check.current else "-", no_wrap=True, overflow="ellipsis"),
                Text(str(check.months), justify="right"),
                Text(format_fen(line.amount, symbol=False), justify="right"),
                Text(
                    format_fen(line.target_amount, symbol=False) if line.target_amount else "-",
                    justify="right",
                ),
                Text("-" if pct is None else f"{pct}", justify="right"),
                Text("↑" if check.eligible else "", style="bold green"),
                key=line.staff.id,
            )
        if lines:
            table.move_cursor(row=min(keep, len(lines) - 1))
        if keep_message:
            return
        if lines:
            self.say(
                ngettext(
                    "{n} promoter. Enter: profile, training, level. ↑: may move up a level.",
                    "{n} promoters. Enter: profile, training, level. ↑: may move up a level.",
                    len(lines),
                ).format(n=len(lines))
            )
        else:
            self.say(_("No promoters yet."))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        line = self.highlighted()
        if line is None:
            return
        from tui.screens.promoter_profile import PromoterProfileScreen

        self._stale = True
        self.app.push_screen(PromoterProfileScreen(line.staff.id))

    def on_screen_resume(self) -> None:
        # Back from a profile (Esc pops it, no result comes back): its edits show here.
        if self._stale:
            self._stale = False
            self.reload()

    def action_target(self) -> None:
        from tui.screens.promoter_profile import ask_target

        line = self.highlighted()
        if line is None:
            self.fail(_("No promoter to set a target for."))
            return
        actor = own_authority(self.actor, self.fail)
        if actor is not None:
            ask_target(self, self.config, actor, line, lambda: self.reload(keep_message=True))

    def action_back(self) -> None:
        self.app.pop_screen()
