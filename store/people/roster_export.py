"""The weekly roster as a text table, CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

from store.config.loader import Config
from store.kernel.i18n import _
from store.people.config import clock_text
from store.people.roster import WeekRoster
from store.people.roster_rules import day_label
from store.reports import writers
from store.reports.table import text_table


def grid_rows(roster: WeekRoster, config: Config) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the week: one row a person, one column a day, then hours."""
    headers = [_("Staff"), *[day_label(d) for d in roster.days], _("Hours")]
    rows = []
    for member in roster.staff:
        cells = [roster.cell_text(member.id, d, config.roster.shifts) for d in roster.days]
        minutes = roster.hours(member.id)
        rows.append([f"{member.code} {member.name}", *cells, f"{minutes // 60}:{minutes % 60:02d}"])
    return headers, rows


def legend(config: Config) -> str:
    return "  ".join(f"{s.name} {s.hours_text}" for s in config.roster.shifts)


def as_text(roster: WeekRoster, config: Config) -> str:
    headers, rows = grid_rows(roster, config)
    status = _("published") if roster.status == "published" else _("draft")
    grid = writers.as_text(text_table(headers, rows))
    lines = [f"{_('Roster')} {roster.week} ({status})", grid, legend(config)]
    if roster.conflicts:
        lines.append(_("Conflicts:"))
        lines.extend(f"- {c.message}" for c in roster.conflicts)
    return "\n".join(lines) + "\n"


def as_csv(roster: WeekRoster, config: Config) -> str:
    """One row a person and day with a shift: week, date, staff code, name, shift, start, end."""
    headers = ["week", "date", "staff_code", "name", "shift", "start", "end", "hours"]
    table = text_table(headers, [])
    for member in roster.staff:
        for day in roster.days:
            for shift in roster.cell(member.id, day):
                table.add(
                    roster.week,
                    day.isoformat(),
                    member.code,
                    member.name,
                    shift.code,
                    clock_text(shift.start),
                    clock_text(shift.end),
                    f"{shift.minutes // 60}:{shift.minutes % 60:02d}",
                )
    return writers.to_csv(table)


def write_xlsx(roster: WeekRoster, config: Config, path: Path) -> None:
    """The grid on one sheet (as the text table), the conflicts on a second."""
    headers, rows = grid_rows(roster, config)
    grid = text_table(headers, [*rows, [], [legend(config)]], title=roster.week)
    problems = text_table(
        [_("Day"), _("Kind"), _("Conflict")],
        [[c.day.isoformat(), c.kind_name, c.message] for c in roster.conflicts],
        title=_("Conflicts"),
    )
    writers.write_xlsx(path, grid, problems)
