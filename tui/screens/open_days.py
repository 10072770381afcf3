"""At every login, business days before today left open (no Z report) are said to whoever logs
in, until they are closed; a manager can go straight to closing the oldest (F2). Selling is
never blocked: Esc and sell on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from store.context import off_thread
from store.dayclose import days
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from datetime import date

    from store.people.directory import Member
    from tui.app import ZhangguiApp


class OpenDaysScreen(ConsoleModalScreen[bool]):
    """Dismisses with True when the manager goes on to close the oldest day."""

    BINDINGS = [
        Binding("f2", "close_now", N_("Close it now"), id="open_days.close"),
        Binding("escape", "later", N_("Later"), id="open_days.later"),
    ]

    def __init__(self, notice: str, manager: bool) -> None:
        super().__init__()
        self.notice = notice
        self.manager = manager

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Days not closed"), classes="dialog-title error")
            yield Static(Text(self.notice), id="open-days-notice")
            if self.manager:
                keys = _("F2: close the oldest now (the count, or not counted).  Esc: later.")
            else:
                keys = _("Tell a manager. Esc: sell on.")
            yield Static(Text(keys), id="open-days-keys")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "close_now" or self.manager  # only a manager closes a day

    def action_close_now(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)


def oldest_open(terminal: str, now: object, tz: object) -> tuple[str, date | None]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert isinstance(now, datetime) and isinstance(tz, ZoneInfo)
    today = days.current_day(terminal, now, tz)
    found = days.open_days(terminal, today)
    return days.open_days_notice(terminal, today), (found[0] if found else None)


def remind_at_login(app: ZhangguiApp, member: Member) -> None:
    """Read the days left open in a worker; if any, say so (a busy database: next login)."""
    config = app.config
    now = app.ctx.clock()

    def work() -> None:
        try:
            notice, oldest = off_thread(oldest_open, config.terminal.id, now, config.tz)
        except ZhangguiError:
            return
        if notice and oldest is not None:
            app.call_from_thread(show, notice, oldest)

    def show(notice: str, oldest: date) -> None:
        def chosen(close_now: bool | None) -> None:
            if close_now:
                from tui.screens.day_report import DayReportScreen

                app.push_screen(DayReportScreen(oldest, close_now=True))

        app.push_screen(OpenDaysScreen(notice, member.is_manager), chosen)

    app.run_worker(work, name="open-days", group="open-days", thread=True, exclusive=True)
