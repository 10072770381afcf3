"""My sales: the logged-in promoter's day and month against target, and the leaderboard.
The figures are read in a worker thread (a month on a large store takes a moment)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.people import promoter_progress
from store.people.promoter_progress import LeaderRow, Progress
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


def _pct(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


class ProgressScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f5", "refresh", N_("Refresh"), id="progress.refresh"),
        Binding("escape", "back", N_("Back"), id="progress.back"),
    ]

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        yield Static(id="progress-panel")
        yield DataTable(id="progress-board", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="progress-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text("#"), key="rank", width=3)
        table.add_column(Text(_("Promoter")), key="name", width=14)
        table.add_column(Text(_("Sales"), justify="right"), key="amount", width=14)
        table.add_column(Text(_("Units"), justify="right"), key="units", width=6)
        table.add_column(Text(_("Target"), justify="right"), key="pct", width=7)
        table.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.say(_("Counting…"))
        assert self.zapp.staff is not None
        staff_id, config, now = self.zapp.staff.id, self.config, self.now()

        def figures() -> tuple[Progress, list[LeaderRow]]:
            return (
                promoter_progress.progress(staff_id, config, now=now),
                promoter_progress.leaderboard(config, now=now),
            )

        self.load(figures, then=lambda found: self.show(*found))

    def show(self, mine: Progress, board: list[LeaderRow]) -> None:
        assert self.zapp.staff is not None
        panel = Text()
        panel.append(f"{self.zapp.staff.name}  {mine.month}", style="bold")
        panel.append("  " + _("rank {n}").format(n=mine.rank) + "\n")
        panel.append(
            _("Today: {amount}, {units} handsets").format(
                amount=format_fen(mine.today_amount), units=mine.today_units
            )
            + "\n"
        )
        panel.append(
            _("Month to date: {amount}, {units} handsets, commission {commission}").format(
                amount=format_fen(mine.amount), units=mine.units, commission=format_fen(mine.commission)
            )
            + "\n"
        )
        if mine.target_amount or mine.target_units:
            panel.append(
                _("Target: {amount} ({pct}), {units} handsets ({upct})").format(
                    amount=format_fen(mine.target_amount),
                    pct=_pct(mine.amount_percent),
                    units=mine.target_units,
                    upct=_pct(mine.units_percent),
                )
                + "\n"
            )
        else:
            panel.append(_("No target set for this month.") + "\n")
        panel.append(
            _("At this pace the month ends at {amount}, {units} handsets").format(
                amount=format_fen(mine.projected_amount), units=mine.projected_units
            )
        )
        for brand in mine.brands:
            panel.append(
                "\n"
                + _("{brand}: {units}/{target} handsets, {amount}").format(
                    brand=brand.brand,
                    units=brand.units,
                    target=brand.target_units,
                    amount=format_fen(brand.amount),
                )
            )
        self.query_one("#progress-panel", Static).update(panel)
        table = self.query_one(DataTable)
        table.clear()
        for row in board:
            style = "bold" if row.staff_id == self.zapp.staff.id else ""
            table.add_row(
                Text(str(row.rank), style=style),
                Text(row.name, style=style, no_wrap=True, overflow="ellipsis"),
                Text(format_fen(row.amount, symbol=False), justify="right", style=style),
                Text(str(row.units), justify="right", style=style),
                Text(_pct(row.amount_percent), justify="right", style=style),
                key=row.staff_id,
            )
        self.say(_("Leaderboard for {month}.").format(month=mine.month))

    def action_back(self) -> None:
        self.app.pop_screen()
