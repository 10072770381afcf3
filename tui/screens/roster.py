"""The weekly roster (manager only): a grid of staff by day edited with the keyboard.
Arrows move; Space or Enter cycles the cell's shift; conflicts are checked after every edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from store.kernel.auth import Actor
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _, ngettext
from store.people import roster as rosters
from store.people import roster_edit, roster_export
from store.people.roster import WeekRoster
from store.people.roster_rules import UNDERSTAFFED, WEEKDAYS
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

CONFLICT_LINES = 4
# The grid's reads and every edit go in this turn (ConsoleScreen.in_turn): each key builds on the
# grid the one before it left, so keys typed quickly are made one after another, in order.
ROSTER = "roster"


DAY_WIDTH = 7  # seven days, the names and the hours fit 80 columns at this width


class RosterScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("space", "cycle", N_("Next shift"), id="roster.cycle"),
        Binding("f2", "publish", N_("Publish"), id="roster.publish"),
        Binding("f3", "copy_last", N_("Copy last"), id="roster.copy_last"),
        Binding("f4", "swap", N_("Swap"), id="roster.swap"),
        Binding("f5", "day_off", N_("Day off"), id="roster.day_off"),
        Binding("f6", "clear", N_("Clear"), id="roster.clear"),
        Binding("f7", "add_shift", N_("Add shift"), id="roster.add_shift"),
        Binding("f8", "export", N_("Export"), id="roster.export"),
        Binding("left_square_bracket", "week(-1)", N_("Last week"), id="roster.previous_week", show=False),
        Binding("right_square_bracket", "week(1)", N_("Next week"), id="roster.next_week", show=False),
        Binding("escape", "back", N_("Back"), id="roster.back"),
    ]

    def __init__(self, week: str | None = None) -> None:
        super().__init__()
        self._week = week
        self.grid: WeekRoster | None = None
        self.marked: tuple[str, date] | None = None

    @property
    def editor(self) -> Actor | None:
        """Who edits: the person logged in (the store refuses anyone but a manager)."""
        return self.actor

    @property
    def week(self) -> str:
        if self._week is None:
            self._week = rosters.week_of(self.today())
        return self._week

    def compose(self) -> ComposeResult:
        yield Static(id="roster-header")
        yield DataTable(id="roster-grid", cursor_type="cell", zebra_stripes=True)
        yield Static(id="roster-conflicts")
        yield MessageBar(id="roster-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()
        self.say(_("Space or Enter: next shift. [ and ]: other weeks. F4 twice: swap two cells."))

    # ---- display -----------------------------------------------------------
    def reload(self) -> None:
        week, config = self.week, self.config
        self.in_turn(
            ROSTER, lambda: self.load(rosters.load_week, week, config, then=self.show_grid, key="grid")
        )

    def show_grid(self, grid: WeekRoster) -> None:
        config = self.config
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate
        self.grid = grid
        short_days = {c.day for c in grid.conflicts if c.kind == UNDERSTAFFED}
        flagged = {(c.staff_id, c.day) for c in grid.conflicts if c.staff_id}
        table.clear(columns=True)
        # The names and the hours share 12 cells: 'Hours' takes one from the names, not its 's'.
        hours_width = max(4, cell_len(_("Hours")))
        table.add_column(Text(_("Staff")), key="staff", width=12 - hours_width)
        for day in grid.days:
            weekday = _(WEEKDAYS[day.weekday()])
            label = Text(f"{weekday} {day.day}")
            if day in short_days:
                # The mark must fit the 7-cell column: '周一 14!' is 8 cells, so the space goes.
                if cell_len(f"{weekday} {day.day}!") > DAY_WIDTH:
                    label = Text(f"{weekday}{day.day}")
                label.append("!", style="bold red")
            table.add_column(label, key=day.isoformat(), width=DAY_WIDTH)
        table.add_column(Text(_("Hours"), justify="right"), key="hours", width=hours_width)
        for member in grid.staff:
            cells: list[Text] = [Text(member.name, no_wrap=True, overflow="ellipsis")]
            for day in grid.days:
                text = grid.cell_text(member.id, day, config.roster.shifts)
                style = "bold red" if (member.id, day) in flagged else ""
                if self.marked == (member.id, day):
                    style = "reverse"
                cells.append(Text(text, style=style, no_wrap=True, overflow="ellipsis"))
            minutes = grid.hours(member.id)
            cells.append(Text(f"{minutes // 60}", justify="right"))
            table.add_row(*cells, key=member.id)
        if grid.staff:
            row = min(keep.row, len(grid.staff) - 1)
            column = min(max(keep.column, 1), len(grid.days))
            table.cursor_coordinate = Coordinate(row, column)
        self.show_header()
        self.show_conflicts()

    def show_header(self) -> None:
        assert self.grid is not None
        config = self.config
        status = _("published") if self.grid.status == "published" else _("draft")
        header = Text()
        header.append(_("Roster") + f" {self.grid.week}", style="bold")
        header.append(f"  {self.grid.days[0]:%m/%d}-{self.grid.days[-1]:%m/%d}  ({status})  ")
        header.append(
            _("grade {grade}: {n} on duty").format(
                grade=config.store.grade, n=config.roster.min_staff.get(config.store.grade, 0)
            )
        )
        self.query_one("#roster-header", Static).update(header)

    def show_conflicts(self) -> None:
        assert self.grid is not None
        conflicts = self.grid.conflicts
        text = Text()
        if not conflicts:
            text.append(_("No conflicts."), style="green")
            text.append("  " + roster_export.legend(self.config))
        else:
            hard = len(self.grid.hard_conflicts)
            text.append(
                _("{n} conflicts, {hard} to fix before publishing:").format(n=len(conflicts), hard=hard),
                style="bold",
            )
            current = self.current_cell()
            # The cursor's own conflicts first, then the ones that stop publishing.
            ordered = sorted(
                conflicts,
                key=lambda c: (current is None or (c.staff_id, c.day) != current, not c.hard),
            )
            for conflict in ordered[:CONFLICT_LINES]:
                text.append("\n" + conflict.message, style="red" if conflict.hard else "")
        self.query_one("#roster-conflicts", Static).update(text)

    def current_cell(self) -> tuple[str, date] | None:
        if self.grid is None or not self.grid.staff:
            return None
        coordinate = self.query_one(DataTable).cursor_coordinate
        if not 1 <= coordinate.column <= len(self.grid.days):
            return None
        return self.grid.staff[coordinate.row].id, self.grid.days[coordinate.column - 1]

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if self.grid is not None:
            self.show_conflicts()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_cycle()

    # ---- editing -----------------------------------------------------------
    def edit(self, change: Callable[[str, date, datetime], str]) -> None:
        """A change to the highlighted cell, in a worker after the edits typed before it (each
        key builds on the grid the one before left): ``change(staff_id, day, now)`` calls the
        store and gives the sentence to say; the grid is read again in the same worker."""
        cell = self.current_cell()
        if cell is None:
            self.fail(_("Move to a day first."))
            return
        week, config = self.week, self.config

        def write(now: datetime) -> tuple[str, WeekRoster]:
            said = change(*cell, now)
            return said, rosters.load_week(week, config)

        self.in_turn(ROSTER, lambda: self.run_write(write, then=self.edited, key=ROSTER))

    def edited(self, answer: tuple[str, WeekRoster]) -> None:
        said, grid = answer
        self.show_grid(grid)
        if said:
            self.say(said)

    def action_cycle(self) -> None:
        """Empty -> first shift -> second ... -> empty."""
        config, editor = self.config, self.editor
        codes = [s.code for s in config.roster.shifts]

        def cycle(staff_id: str, day: date, now: datetime) -> str:
            # In the worker: self.grid is the one the edit before this one left (see edit).
            assert self.grid is not None
            own = [s.code for s in self.grid.cell(staff_id, day)]
            if own and own[0] in codes:
                following = codes[codes.index(own[0]) + 1] if own[0] != codes[-1] else ""
            else:
                following = "" if own else codes[0]
            if len(own) > 1 or not following:
                roster_edit.clear(staff_id, day, actor=editor, now=now)
                return _("Cleared.")
            roster_edit.assign(staff_id, day, following, config, actor=editor, now=now)
            template = config.roster.shift(following)
            assert template is not None
            return f"{template.name} {template.hours_text}"

        self.edit(cycle)

    def action_clear(self) -> None:
        editor = self.editor

        def clear(staff_id: str, day: date, now: datetime) -> str:
            roster_edit.clear(staff_id, day, actor=editor, now=now)
            return ""

        self.edit(clear)

    def action_add_shift(self) -> None:
        cell = self.current_cell()
        if cell is None:
            return
        from tui.screens.choice import ChoiceScreen

        config, editor = self.config, self.editor
        rows = [(s.code, Text(f"{s.name}  {s.hours_text}")) for s in config.roster.shifts]

        def chosen(code: str | None) -> None:
            if not code:
                return

            def add(staff_id: str, day: date, now: datetime) -> str:
                roster_edit.assign(staff_id, day, code, config, add=True, actor=editor, now=now)
                return ""

            self.edit(add)

        self.app.push_screen(ChoiceScreen(_("Add a second shift (Enter)"), rows), chosen)

    def action_swap(self) -> None:
        cell = self.current_cell()
        if cell is None:
            return
        if self.marked is None:
            self.marked = cell
            if self.grid is not None:
                self.show_grid(self.grid)  # the mark is the screen's own: nothing to read
            self.say(_("Marked. Move to the other cell and press F4 again."))
            return
        first, self.marked = self.marked, None
        editor = self.editor

        def swap(staff_id: str, day: date, now: datetime) -> str:
            roster_edit.swap(first, (staff_id, day), actor=editor, now=now)
            return _("Swapped.")

        self.edit(swap)

    def action_day_off(self) -> None:
        editor = self.editor

        def toggle(staff_id: str, day: date, now: datetime) -> str:
            off = roster_edit.toggle_day_off(staff_id, day, actor=editor, now=now)
            return _("Day off recorded.") if off else _("Day off removed.")

        self.edit(toggle)

    def action_copy_last(self) -> None:
        def copied(result: roster_edit.CopyResult) -> None:
            message = ngettext(
                "Copied {n} shift from last week.", "Copied {n} shifts from last week.", result.copied
            ).format(n=result.copied)
            if result.skipped:
                message += " " + _("Not copied (left): {names}").format(names=", ".join(result.skipped))
            self.changed(message)

        week = self.week
        editor = self.editor
        self.in_turn(
            ROSTER,
            lambda: self.run_write(
                roster_edit.copy_week,
                rosters.shift_week(week, -1),
                week,
                actor=editor,
                then=copied,
                key=ROSTER,
            ),
        )

    def action_publish(self) -> None:
        week = self.week

        def published(grid: WeekRoster) -> None:
            self.changed(
                ngettext(
                    "Roster {week} published ({n} warning).",
                    "Roster {week} published ({n} warnings).",
                    len(grid.conflicts),
                ).format(week=week, n=len(grid.conflicts))
            )

        config, editor = self.config, self.editor
        self.in_turn(
            ROSTER,
            lambda: self.run_write(rosters.publish, week, config, actor=editor, then=published, key=ROSTER),
        )

    def action_week(self, step: int) -> None:
        self._week = rosters.shift_week(self.week, step)
        self.marked = None
        self.reload()
        self.say(_("Week {week}").format(week=self.week))

    def action_export(self) -> None:
        """The week as CSV and XLSX in the exports folder: after the edits typed before F8 (in
        their turn), and written in a worker (files on a slow USB stick must not freeze keys)."""
        config = self.config

        def export() -> None:
            grid = self.grid
            if grid is None:
                return
            folder = config.exports_dir()
            csv_path = folder / f"roster-{self.week}.csv"
            xlsx_path = folder / f"roster-{self.week}.xlsx"

            def write() -> str:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    csv_path.write_text(roster_export.as_csv(grid, config), encoding="utf-8", newline="")
                    roster_export.write_xlsx(grid, config, xlsx_path)
                except OSError as exc:
                    raise ValidationError(
                        _("Cannot write {path}: {error}").format(path=folder, error=exc.strerror or exc)
                    ) from exc
                return _("Exported {csv} and {xlsx}").format(csv=csv_path.name, xlsx=xlsx_path.name)

            self.run_write(write, then=self.say, key=ROSTER)

        self.in_turn(ROSTER, export)

    def action_back(self) -> None:
        self.app.pop_screen()
