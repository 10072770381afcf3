"""The time clock (everyone): type your code and PIN, F2 clocks in, F3 clocks out.
A manager corrects someone else's times with F5 (their PIN, then the times and a reason)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Static

from store.kernel.auth import Approval
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.people import directory, timeclock
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class TimeClockScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "punch('in')", N_("Clock in"), id="clock.in"),
        Binding("f3", "punch('out')", N_("Clock out"), id="clock.out"),
        Binding("f5", "correct", N_("Correct"), id="clock.correct"),
        Binding("escape", "back", N_("Back"), id="clock.back"),
    ]

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

    def show_today(self) -> None:
        tz = self.config.tz
        grace = self.config.roster.late_grace_minutes
        rows = timeclock.attendance(self.today(), self.today(), tz, grace, now=self.now())
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
        if not code_input.value.strip():
            pin_input.value = ""
            self.fail(_("Type your staff code first."))
            return

        def punched(punch: timeclock.Punch) -> None:
            code_input.value = ""
            pin_input.value = ""
            code_input.focus()
            self.say(punch.message)
            self.show_today()

        def refused(error: ZhangguiError) -> None:
            pin_input.value = ""
            self.fail(str(error))

        punch = timeclock.clock_in if direction == "in" else timeclock.clock_out
        code, pin = code_input.value, pin_input.value
        self.run_write(punch, code, pin, self.config.tz, then=punched, failed=refused)

    # ---- corrections -------------------------------------------------------
    def action_correct(self) -> None:
        from tui.screens.manager_pin import ManagerPinScreen

        def approved(approval: Approval | None) -> None:
            if approval is not None:
                self.pick_entry(approval)

        self.app.push_screen(ManagerPinScreen(_("Correct clock times")), approved)

    def pick_entry(self, approval: Approval) -> None:
        from tui.screens.choice import ChoiceScreen

        tz = self.config.tz
        first = self.today() - timedelta(days=7)
        entries = [
            e for e in timeclock.entries_between(first, self.today()) if e.staff_id != approval.manager_id
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

    def ask_times(self, approval: Approval, entry_id: str, day: date) -> None:
        tz = self.config.tz

        def at(text: str) -> datetime:
            minutes = timeclock.parse_time_of_day(text)
            return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)

        def got_in(first: str) -> None:
            start = at(first)

            def got_out(second: str) -> None:
                end = at(second) if second.strip() else None

                def corrected(_entry: object) -> None:
                    self.say(_("Times corrected by {name}.").format(name=approval.manager_name))
                    self.show_today()

                def got_reason(reason: str) -> None:
                    self.run_write(
                        timeclock.correct, entry_id, start, end, approval, reason, tz, then=corrected
                    )

                self.ask(_("Correct clock times"), _("Reason"), got_reason)

            self.ask(_("Correct clock times"), _("Clock-out (HH:MM, empty if still working)"), got_out)

        self.ask(_("Correct clock times"), _("Clock-in (HH:MM)"), got_in)

    def action_back(self) -> None:
        self.app.pop_screen()
