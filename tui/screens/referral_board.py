"""Referrals (老带新): this month's top referrers and the share of new customers who came by
referral, for everyone; for a manager also the referrals worth a look (F4). The figures are
read in a worker thread (a month on a large store takes a moment)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.referrals import patterns, report, report_export
from store.referrals.patterns import Flag
from store.referrals.report import MonthReport
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

# Rows that fit at 80x24 under the title and the summary, above the message line and keys.
SHOWN = 12


@dataclass
class Board:
    result: MonthReport
    flags: list[Flag] = field(default_factory=list)


class ReferralBoardScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f4", "flags", N_("Flags"), id="referral_board.flags"),
        Binding("f5", "refresh", N_("Refresh"), id="referral_board.refresh"),
        Binding("escape", "back", N_("Back"), id="referral_board.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self.showing_flags = False

    @property
    def manager(self) -> bool:
        return self.zapp.staff is not None and self.zapp.staff.is_manager

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "flags":
            return self.manager
        return True

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Referrals"), style="bold"), classes="screen-title", id="referral-board-title")
        yield Static(id="referral-board-summary")
        yield DataTable(id="referral-board-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="referral-board-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self._leader_columns()
        self.query_one(DataTable).focus()
        self.action_refresh()

    def _leader_columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(Text("#"), key="rank", width=3)
        table.add_column(Text(_("Referrer")), key="name", width=10)
        table.add_column(Text(_("Phone")), key="phone", width=11)
        table.add_column(Text(_("New"), justify="right"), key="new", width=4)
        table.add_column(Text(_("First sales"), justify="right"), key="revenue", width=11)
        table.add_column(Text(_("Pending"), justify="right"), key="pending", width=9)
        table.add_column(Text(_("Earned"), justify="right"), key="earned", width=9)

    def _flag_columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(Text(_("Pattern")), key="pattern", width=20)
        table.add_column(Text(_("Referrer")), key="referrer", width=18)
        table.add_column(Text(_("New customers")), key="referees", width=32)

    def action_refresh(self) -> None:
        self.say(_("Counting…"))
        config, now, today, with_flags = self.config, self.now(), self.today(), self.manager

        def figures() -> Board:
            result = report.month_report(report.default_month(config, now=now), config, top=SHOWN, now=now)
            return Board(result, patterns.flags(today, config.referrals) if with_flags else [])

        self.load(figures, then=self.show)

    def show(self, board: Board) -> None:
        self.board = board
        self._summary()
        self._fill()

    def _summary(self, extra: str = "") -> None:
        assert self.board is not None
        result = self.board.result
        summary = Text()
        summary.append(result.month, style="bold")
        summary.append("  " + report_export.headline(result))
        if self.manager:
            count = len(self.board.flags)
            summary.append("\n")
            if count:
                summary.append(_("Referrals to look at: {n} (F4).").format(n=count), style="bold")
            else:
                summary.append(_("No referral matches a warning pattern."))
        if extra:
            summary.append("\n" + extra)
        self.query_one("#referral-board-summary", Static).update(summary)

    def _fill(self) -> None:
        assert self.board is not None
        table = self.query_one(DataTable)
        if self.showing_flags:
            self._flag_columns()
            for n, flag in enumerate(self.board.flags[:SHOWN]):
                table.add_row(
                    Text(flag.title, no_wrap=True, overflow="ellipsis"),
                    Text(flag.referrer.label, no_wrap=True, overflow="ellipsis"),
                    Text(", ".join(p.label for p in flag.referees), no_wrap=True, overflow="ellipsis"),
                    key=str(n),
                )
            message = (
                _("Flags of the last {days} days. ↑↓ shows why; F4: the leaderboard.").format(
                    days=self.config.referrals.flag_window_days
                )
                if self.board.flags
                else _("No referral matches a warning pattern.")
            )
        else:
            self._leader_columns()
            for row in self.board.result.top:
                table.add_row(
                    Text(str(row.rank)),
                    Text(row.referrer.name, no_wrap=True, overflow="ellipsis"),
                    Text(row.referrer.phone, no_wrap=True),
                    Text(str(row.referred), justify="right"),
                    Text(format_fen(row.revenue, symbol=False), justify="right"),
                    Text(format_fen(row.pending, symbol=False), justify="right"),
                    Text(format_fen(row.earned, symbol=False), justify="right"),
                    key=row.referrer.id,
                )
            message = (
                _("Top referrers of {month} by new customers brought.").format(month=self.board.result.month)
                if self.board.result.top
                else _("No referrals this month.")
            )
        self.say(message)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.showing_flags or self.board is None:
            return
        row = event.cursor_row
        if 0 <= row < len(self.board.flags):
            self._summary(self.board.flags[row].reason)

    def action_flags(self) -> None:
        if not self.manager:
            return
        if self.board is None:
            self.say(_("Counting…"))
            return
        self.showing_flags = not self.showing_flags
        self._summary()
        self._fill()

    def action_back(self) -> None:
        self.app.pop_screen()
