"""The day report (F1 "Day close", a manager's): the X report of the day so far, or the Z report
of a closed day (reprinted, never redone), scrollable, with the sales by hour as a small bar
chart. F2 another date, F3 print, F4 save as text, F5 close the day (day_close.py), F6 export
a closed day's file for head office (offered right after the Z report; store/exchange/outbox.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Sparkline, Static

from store.dayclose import days, render, report
from store.dayclose.report import DrawerReport
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


@dataclass(frozen=True)
class Shown:
    """What the screen shows of a day (read in a worker)."""

    made: DrawerReport
    today: date  # the business day now rung on this terminal
    notice: str  # days before today left open ('' when none)
    text: str  # the report laid out to the screen's width (1,000 sales: a quarter second)


def read_day(terminal: str, wanted: date | None, tz: object, now: object, width: int = 80) -> Shown:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert isinstance(tz, ZoneInfo) and isinstance(now, datetime)
    today = days.current_day(terminal, now, tz)
    day = wanted or today
    if day > today:
        raise ValidationError(_("{day} has not begun yet.").format(day=day.isoformat()))
    made = report.day_report(terminal, day, tz)
    return Shown(made, today, days.open_days_notice(terminal, today), render.render(made, width))


OPENING_HOURS = (9, 21)  # the chart spans at least these hours, so one busy hour is one bar


def hourly(made: DrawerReport) -> tuple[list[float], str]:
    """Sales by hour over the opening hours (and any hour sold outside them), and the hours
    the chart spans ('' when nothing was sold)."""
    by_hour = {int(line.name[:2]): line.amount for line in made.hours}
    if not by_hour:
        return [0.0], ""
    first, last = min(*by_hour, OPENING_HOURS[0]), max(*by_hour, OPENING_HOURS[1])
    data = [float(by_hour.get(h, 0)) for h in range(first, last + 1)]
    return data, f"{first:02d}:00-{last:02d}:59"


class DayReportScreen(ConsoleScreen[None]):
    DEFAULT_CSS = """
    #day-header { height: 1; background: $primary; padding: 0 1; }
    #day-hours { height: 1; padding: 0 1; }
    #day-chart { height: 3; margin: 0 1; }
    #day-body { height: 1fr; padding: 0 0 0 1; scrollbar-size-vertical: 1; overflow-y: scroll; }
    """
    BINDINGS = [
        Binding("f2", "other_date", N_("Date"), id="day.date"),
        Binding("f3", "print", N_("Print"), id="day.print"),
        Binding("f4", "save", N_("Save"), id="day.save"),
        Binding("f5", "close_day", N_("Close day"), id="day.close"),
        Binding("f6", "export", N_("Export"), id="day.export"),
        Binding("escape", "back", N_("Back"), id="day.back"),
    ]

    def __init__(self, day: date | None = None, *, close_now: bool = False) -> None:
        """``day``: the day shown (default: today's); ``close_now``: go on to closing it."""
        super().__init__()
        self.day = day
        self.close_now = close_now
        self.shown: Shown | None = None
        self.print_z = False  # the Z report just made: printed once it is read, if a printer is set up

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Day close"), style="bold"), id="day-header")
        yield Label("", id="day-hours")
        yield Sparkline([0.0], id="day-chart")
        with VerticalScroll(id="day-body"):
            yield Static("", id="day-text")
        yield MessageBar(id="day-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#day-body", VerticalScroll).focus()
        self.call_after_refresh(self.reload)  # once laid out: the report's width is known

    def reload(self) -> None:
        # The lines are laid out (in the worker) to the width there is: 80 columns less the
        # margin and the scroll bar, which is always there so the width never changes.
        body = self.query_one("#day-text", Static)
        width = max(32, body.content_region.width or self.app.size.width - 4)
        terminal, tz = self.config.terminal.id, self.config.tz
        self.load(read_day, terminal, self.day, tz, self.now(), width, then=self.show, key="day")

    def show(self, shown: Shown) -> None:
        self.shown = shown
        made = shown.made
        self.day = made.business_date
        data, span = hourly(made)
        self.query_one("#day-chart", Sparkline).data = data
        hours = _("Sales by hour {span}").format(span=span) if span else _("No sales yet this day.")
        self.query_one("#day-hours", Label).update(Text(hours))
        self.query_one("#day-text", Static).update(Text(shown.text, no_wrap=True))
        if shown.notice:
            self.fail(shown.notice)
        if self.print_z and made.z_no is not None:
            self.print_z = False
            if self.config.printer.kind != "none":
                self.action_print()
        if self.close_now:
            self.close_now = False
            self.action_close_day()

    def action_other_date(self) -> None:
        def chosen(text: str) -> None:
            try:
                self.day = date.fromisoformat(text.strip()) if text.strip() else None
            except ValueError:
                self.fail(_("Not a date: {text} (e.g. 2026-11-30)").format(text=text[:20]))
                return
            self.reload()

        current = self.day.isoformat() if self.day else ""
        self.ask(_("Day report"), _("Business day (YYYY-MM-DD, empty: today)"), chosen, current)

    def action_print(self) -> None:
        if self.shown is None:
            return
        config = self.config
        if config.printer.kind == "none":
            self.fail(_("No printer is set up ([printer] in config.toml)."))
            return
        from store.selling import printer  # python-escpos: only when there is a printer

        data = render.escpos(self.shown.made, config.receipt.width)
        try:
            printer.print_receipt(data, config.printer.kind, config.printer.target)
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.say(_("Printed."))

    def action_save(self) -> None:
        if self.shown is None:
            return
        self.load(
            render.save_text,
            self.shown.made,
            self.config.receipts_dir(),
            then=lambda path: self.say(_("Saved to {path}").format(path=path)),
            key="save",
        )

    def action_close_day(self) -> None:
        shown = self.shown
        if shown is None:
            return
        if shown.made.z_no is not None:
            self.fail(
                _("{day} is closed (Z report {z}): it can be reprinted, never redone.").format(
                    day=shown.made.business_date.isoformat(), z=shown.made.z_no
                )
            )
            return
        from tui.screens.day_close import DayCloseScreen

        self.app.push_screen(DayCloseScreen(shown.made), self.closed)

    def closed(self, note: str | None) -> None:
        """The day close is done (``note``: what it says, e.g. the printer's or the backup's)."""
        if note is None:
            return
        self.print_z = True
        self.reload()
        self.back_up(note)

    def back_up(self, closed: str) -> None:
        """The backup after the close, in a worker: its sentence (where it went, or why not)."""
        from store.backup.service import backup_after_close

        self.say(closed + " " + _("Making the backup…"))
        offer = _("F6: export the day's file for head office.")
        self.load(
            backup_after_close,
            self.ctx,
            then=lambda note: (self.say if note.ok else self.fail)(note.message + " " + offer),
            key="backup",
        )

    def action_export(self) -> None:
        """The shown day's file for head office (again: the same file), to [paths] exports."""
        shown = self.shown
        if shown is None or self.writing("export"):
            return
        day = shown.made.business_date
        if shown.made.z_no is None:
            self.fail(
                _("{day} is not closed yet: its file is written after its Z report (F5).").format(
                    day=day.isoformat()
                )
            )
            return
        from store.exchange import outbox

        def written(sent: list[outbox.Sent]) -> None:
            for one in sent:
                (self.say if one.export is not None else self.fail)(one.message)

        self.say(_("Exporting…"))
        self.run_write(outbox.send, self.ctx, [day], actor=self.actor, then=written, key="export")

    def action_back(self) -> None:
        self.app.pop_screen()
