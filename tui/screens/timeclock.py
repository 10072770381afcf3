"""The time clock (everyone): type your code and PIN, F2 clocks in, F3 clocks out.
A manager corrects someone else's times with F5 (their PIN, then the times and a reason), and
adds a spell someone forgot to clock with F6 (their PIN, whose, the day, the times, a reason).
The store audits both and refuses a manager's own times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Static

from store.kernel.auth import Approval
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.people import desk as promoter_desk
from store.people import directory, timeclock
from tui.cells import cut_middle, ljust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


@dataclass(frozen=True)
class Spell:
    """One clock-in to clock-out, in the store's local time (end None: still working)."""

    id: str
    staff_id: str
    start: datetime
    end: datetime | None


def spell_of(entry: Any, tz: ZoneInfo) -> Spell:
    """A time entry as the screen shows it (read in the worker: the screen keeps no rows)."""
    end = timeclock.local(entry.clock_out, tz) if entry.clock_out else None
    return Spell(str(entry.id), str(entry.staff_id), timeclock.local(entry.clock_in, tz), end)


@dataclass(frozen=True)
class TodayLine:
    """Someone rostered or clocked in today: name, spells, minutes late, absent."""

    name: str
    spells: list[Spell]
    late: int
    absent: bool


class TimeClockScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "punch('in')", N_("Clock in"), id="clock.in"),
        Binding("f3", "punch('out')", N_("Clock out"), id="clock.out"),
        Binding("f5", "correct", N_("Correct"), id="clock.correct"),
        Binding("f6", "add_missed", N_("Add missed"), id="clock.add"),
        Binding("escape", "back", N_("Back"), id="clock.back"),
        # A priority key, so code, Enter, PIN typed in one burst lose nothing (code_pin.py).
        Binding("enter", "to_pin", N_("To the PIN"), id="clock.to_pin", priority=True, show=False),
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
        self.set_focus(self.query_one("#clock-code", Input))  # now: keys typed meanwhile go there

    def show_today(self) -> None:
        tz, grace = self.config.tz, self.config.roster.late_grace_minutes
        today, now = self.today(), self.now()

        def figures() -> list[TodayLine]:
            names = directory.staff_names()
            return [
                TodayLine(
                    names.get(row.staff_id, "?"),
                    [spell_of(e, tz) for e in timeclock.entries_between(row.day, row.day, row.staff_id)],
                    row.late,
                    row.absent,
                )
                for row in timeclock.attendance(today, today, tz, grace, now=now)
            ]

        self.load(figures, then=self.show, key="today")

    def show(self, rows: list[TodayLine]) -> None:
        text = Text(_("Today") + "\n", style="bold")
        if not rows:
            text.append(_("Nobody rostered or clocked in yet."))
        for row in rows:
            line = Text(f"{ljust(cut_middle(row.name, 10), 10)} ")  # in cells: Chinese names line up
            line.append(
                "  ".join(
                    f"{spell.start:%H:%M}-" + (f"{spell.end:%H:%M}" if spell.end else "…")
                    for spell in row.spells
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

    def action_to_pin(self) -> None:
        """Enter in the code field moves to the PIN as the app takes it (the PIN's Enter does
        nothing: F2 or F3 says which punch)."""
        pin = self.query_one("#clock-pin", Input)
        if self.focused is not pin:
            self.set_focus(pin)

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
            self.set_focus(code_input)
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
        tz, first, last = self.config.tz, self.today() - timedelta(days=7), self.today()

        def recent() -> tuple[list[Spell], dict[str, str]]:
            entries = timeclock.entries_between(first, last)
            spells = [spell_of(e, tz) for e in entries if e.staff_id != approval.manager_id]
            return spells, directory.staff_names()

        self.load(recent, then=lambda found: self.offer(approval, *found), key="entries")

    def offer(self, approval: Approval, spells: list[Spell], names: dict[str, str]) -> None:
        from tui.screens.choice import ChoiceScreen

        if not spells:
            self.fail(_("No clock records of others in the last week."))
            return
        rows = []
        for spell in reversed(spells):
            end = f"{spell.end:%H:%M}" if spell.end else "…"
            rows.append(
                (spell.id, Text(f"{spell.start:%m-%d %H:%M}-{end}  {names.get(spell.staff_id, '?')}"))
            )
        by_id = {spell.id: spell for spell in spells}

        def chosen(entry_id: str | None) -> None:
            if entry_id in by_id:
                self.ask_times(approval, by_id[entry_id].id, by_id[entry_id].start.date())

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

    # ---- a missed spell ----------------------------------------------------
    def action_add_missed(self) -> None:
        from tui.screens.manager_pin import ManagerPinScreen

        def approved(approval: Approval | None) -> None:
            if approval is not None:
                self.ask(
                    _("Add a missed clock-in"),
                    _("Staff code of who forgot to clock"),
                    lambda code: self.load(
                        timeclock.staff_for_spell,
                        code,
                        approval,
                        then=lambda found: self.ask_missed(approval, *found),
                        key="missed",
                    ),
                )

        self.app.push_screen(ManagerPinScreen(_("Add a missed clock-in")), approved)

    def ask_missed(self, approval: Approval, staff_id: str, name: str) -> None:
        tz, title = self.config.tz, _("Add a missed clock-in for {name}").format(name=name)

        def got_day(day_text: str) -> None:
            day = promoter_desk.parse_day(day_text)
            ask_times(day, "", "")

        def ask_times(day: date, problem: str, reason: str) -> None:
            """The times (again, after ``problem``: the sentence that refused them); the reason
            typed before is offered again."""
            if problem:
                self.fail(problem)

            def at(text: str) -> datetime:
                minutes = timeclock.parse_time_of_day(text)
                return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)

            def got_in(first: str) -> None:
                try:
                    start = at(first)
                except ZhangguiError as exc:
                    ask_times(day, str(exc), reason)
                    return

                def got_out(second: str) -> None:
                    try:
                        end = at(second)
                    except ZhangguiError as exc:
                        ask_times(day, str(exc), reason)
                        return

                    def added(_entry: object) -> None:
                        self.say(
                            _("{name} worked {day} {start}-{end}: added by {manager}.").format(
                                name=name,
                                day=day.isoformat(),
                                start=f"{start:%H:%M}",
                                end=f"{end:%H:%M}",
                                manager=approval.manager_name,
                            )
                        )
                        self.show_today()

                    def got_reason(typed: str) -> None:
                        self.run_write(
                            timeclock.add_entry,
                            staff_id,
                            start,
                            end,
                            approval,
                            typed,
                            tz,
                            then=added,
                            failed=lambda error: ask_times(day, str(error), typed),
                        )

                    self.ask(title, _("Reason"), got_reason, reason)

                self.ask(title, _("Clock-out (HH:MM)"), got_out)

            label = _("Clock-in (HH:MM)")
            self.ask(title, f"{problem}\n{label}" if problem else label, got_in)

        self.ask(title, _("Day (YYYY-MM-DD)"), got_day, self.today().isoformat())

    def action_back(self) -> None:
        self.app.pop_screen()
