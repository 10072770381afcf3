"""The time clock (everyone): type your code and PIN, F2 clocks in, F3 clocks out.
A manager corrects someone else's times with F5 (their PIN, then the times and a reason)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from store.kernel.auth import Approval
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from store.people import directory, timeclock
from tui.i18n_bindings import translate_bindings
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from tui.app import ZhangguiApp


class TimeClockScreen(Screen[None]):
    BINDINGS = [
        Binding("f2", "punch('in')", N_("Clock in"), id="clock.in"),
        Binding("f3", "punch('out')", N_("Clock out"), id="clock.out"),
        Binding("f5", "correct", N_("Correct"), id="clock.correct"),
        Binding("escape", "back", N_("Back"), id="clock.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    @property
    def zapp(self) -> ZhangguiApp:
        from tui.app import ZhangguiApp

        assert isinstance(self.app, ZhangguiApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Time clock"), style="bold"), id="clock-header")
        yield Label(_("Staff code, then PIN; F2 clocks in, F3 clocks out."))
        yield Input(placeholder=_("Staff code"), id="clock-code")
        yield Input(placeholder=_("PIN"), password=True, id="clock-pin")
        yield Static(id="clock-today")
        yield MessageBar(id="clock-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_today()
        self.query_one("#clock-code", Input).focus()

    def say(self, message: str) -> None:
        self.query_one(MessageBar).info(message)

    def fail(self, message: str) -> None:
        self.query_one(MessageBar).error(message)

    @property
    def today(self) -> date:
        return self.zapp.ctx.clock.today()

    def show_today(self) -> None:
        tz = self.zapp.config.tz
        grace = self.zapp.config.roster.late_grace_minutes
        rows = timeclock.attendance(self.today, self.today, tz, grace, now=self.zapp.ctx.clock())
        names = directory.staff_names()
        text = Text(_("Today") + "\n", style="bold")
        if not rows:
            text.append(_("Nobody rostered or clocked in yet."))
        for row in rows:
            line = Text(f"{names.get(row.staff_id, '?')[:10]:<10} ")
            spells = timeclock.entries_between(row.day, row.day, row.staff_id)
            line.append(
                "  ".join(
                    f"{timeclock.local(e.clock_in, tz):%H:%M}-"
                    + (f"{timeclock.local(e.clock_out, tz):%H:%M}" if e.clock_out else "…")
                    for e in spells
                )
                or "-"
            )
            if row.late:
                line.append("  " + _("late {m} min").format(m=row.late), style="bold red")
            if row.absent:
                line.append("  " + _("absent"), style="bold red")
            text.append_text(line)
            text.append("\n")
        self.query_one("#clock-today", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "clock-code":
            self.query_one("#clock-pin", Input).focus()

    def action_punch(self, direction: str) -> None:
        code_input = self.query_one("#clock-code", Input)
        pin_input = self.query_one("#clock-pin", Input)
        tz = self.zapp.config.tz
        try:
            if not code_input.value.strip():
                raise ValidationError(_("Type your staff code first."))
            punch = (timeclock.clock_in if direction == "in" else timeclock.clock_out)(
                code_input.value, pin_input.value, tz
            )
        except ZhangguiError as exc:
            pin_input.value = ""
            self.fail(str(exc))
            return
        code_input.value = ""
        pin_input.value = ""
        code_input.focus()
        self.say(punch.message)
        self.show_today()

    # ---- corrections -------------------------------------------------------
    def action_correct(self) -> None:
        from tui.screens.manager_pin import ManagerPinScreen

        def approved(approval: Approval | None) -> None:
            if approval is not None:
                self.pick_entry(approval)

        self.app.push_screen(ManagerPinScreen(_("Correct clock times")), approved)

    def pick_entry(self, approval: Approval) -> None:
        from tui.screens.choice import ChoiceScreen

        tz = self.zapp.config.tz
        first = self.today - timedelta(days=7)
        entries = [
            e for e in timeclock.entries_between(first, self.today) if e.staff_id != approval.manager_id
        ]
        if not entries:
            self.fail(_("No clock records of others in the last week."))
            return
        names = directory.staff_names()
        rows = []
        for entry in reversed(entries):
            start = timeclock.local(entry.clock_in, tz)
            end = f"{timeclock.local(entry.clock_out, tz):%H:%M}" if entry.clock_out else "…"
            rows.append((entry.id, Text(f"{start:%m-%d %H:%M}-{end}  {names.get(entry.staff_id, '?')}")))
        by_id = {e.id: e for e in entries}

        def chosen(entry_id: str | None) -> None:
            if entry_id in by_id:
                self.ask_times(
                    approval, by_id[entry_id].id, timeclock.local(by_id[entry_id].clock_in, tz).date()
                )

        self.app.push_screen(ChoiceScreen(_("Whose time to correct (Enter)"), rows), chosen)

    def ask(self, title: str, label: str, then: Callable[[str], None]) -> None:
        from tui.screens.prompt import PromptScreen

        def done(answer: str | None) -> None:
            if answer is None:
                return
            try:
                then(answer)
            except ZhangguiError as exc:
                self.fail(str(exc))

        self.app.push_screen(PromptScreen(title, label), done)

    def ask_times(self, approval: Approval, entry_id: str, day: date) -> None:
        tz = self.zapp.config.tz

        def at(text: str) -> datetime:
            minutes = timeclock.parse_time_of_day(text)
            return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)

        def got_in(first: str) -> None:
            start = at(first)

            def got_out(second: str) -> None:
                end = at(second) if second.strip() else None

                def got_reason(reason: str) -> None:
                    timeclock.correct(entry_id, start, end, approval, reason, tz)
                    self.say(_("Times corrected by {name}.").format(name=approval.manager_name))
                    self.show_today()

                self.ask(_("Correct clock times"), _("Reason"), got_reason)

            self.ask(_("Correct clock times"), _("Clock-out (HH:MM, empty if still working)"), got_out)

        self.ask(_("Correct clock times"), _("Clock-in (HH:MM)"), got_in)

    def action_back(self) -> None:
        self.app.pop_screen()
