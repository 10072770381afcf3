"""The weekly roster as stored: weeks and their days, the people and shifts of a week, loading a
week with its conflicts (store.people.roster_rules) and publishing it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from store.audit import chain
from store.config.loader import Config
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.dates import check_year
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.models import LeaveRequest, RosterEntry, RosterWeek, Staff
from store.people.config import ShiftTemplate
from store.people.leave_kinds import LEAVE_KINDS_SHORT
from store.people.roster_rules import Conflict, Person, Rules, Shift, check

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(text: str) -> str:
    """'2026-W48' (or '2026W48', '2026-w48') -> '2026-W48'; anything else is refused."""
    match = _WEEK_RE.match(text)
    if match is None:
        raise ValidationError(_("A week is written like 2026-W48: {text}").format(text=text.strip()[:20]))
    year, number = check_year(int(match.group(1)), text), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValidationError(_("{year} has no week {week}.").format(year=year, week=number)) from exc
    return f"{year}-W{number:02d}"


def week_of(day: date) -> str:
    year, number, _weekday = day.isocalendar()
    return f"{year}-W{number:02d}"


def week_days(week: str) -> list[date]:
    week = parse_week(week)
    monday = date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    return [monday + timedelta(days=i) for i in range(7)]


def shift_week(week: str, weeks: int) -> str:
    return week_of(week_days(week)[0] + timedelta(weeks=weeks))


def rules_for(config: Config) -> Rules:
    section = config.roster
    return Rules(
        opens=section.opens_minute,
        closes=section.closes_minute,
        max_weekly_minutes=section.max_weekly_hours * 60,
        min_rest_minutes=section.min_rest_hours * 60,
        min_staff=section.min_staff.get(config.store.grade, 0),
    )


def _approved_leave(first: date, last: date) -> dict[str, dict[date, str]]:
    """Each person's approved leave days between ``first`` and ``last``, with the kind of each."""
    days: dict[str, dict[date, str]] = {}
    query = LeaveRequest.select().where(
        LeaveRequest.status == "approved", LeaveRequest.first_day <= last, LeaveRequest.last_day >= first
    )
    for leave in query:
        day = max(leave.first_day, first)
        while day <= min(leave.last_day, last):
            days.setdefault(leave.staff_id, {})[day] = leave.kind
            day += timedelta(days=1)
    return days


def people_between(first: date, last: date) -> dict[str, Person]:
    """Everyone (including those who left) with their status and approved leave days."""
    return _people(first, last)[0]


def _people(first: date, last: date) -> tuple[dict[str, Person], dict[tuple[str, date], str]]:
    """``people_between``, and the kind of leave of each (person, day) on leave."""
    leave = _approved_leave(first, last)
    people = {
        m.id: Person(m.id, m.name, m.status, frozenset(leave.get(m.id, {})))
        for m in Staff.select(Staff.id, Staff.name, Staff.status)
    }
    kinds = {(sid, day): kind for sid, own in leave.items() for day, kind in own.items()}
    return people, kinds


def shifts_between(first: date, last: date) -> list[Shift]:
    query = RosterEntry.select(
        RosterEntry.staff,
        RosterEntry.day,
        RosterEntry.start_minute,
        RosterEntry.end_minute,
        RosterEntry.shift_code,
    ).where(RosterEntry.day.between(first, last))
    rows: list[tuple[str, object, int, int, str]] = list(query.tuples())  # type: ignore[arg-type]
    return [Shift(str(sid), as_date(day), start, end, code) for sid, day, start, end, code in rows]


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class WeekRoster:
    week: str
    days: list[date]
    staff: list[Staff]  # the grid's rows
    cells: dict[tuple[str, date], list[Shift]]
    leave: dict[tuple[str, date], str]  # (person, day) on approved leave -> its kind (LEAVE_KINDS)
    status: str  # draft / published
    conflicts: list[Conflict] = field(default_factory=list)

    def cell(self, staff_id: str, day: date) -> list[Shift]:
        return self.cells.get((staff_id, day), [])

    def cell_text(self, staff_id: str, day: date, shifts: list[ShiftTemplate]) -> str:
        """What a grid cell shows: the shift names, or on a day of approved leave its kind
        (事假, 病假, 年假, 调休: pay and the yearly allowance differ, so the manager sees which)."""
        own = self.cell(staff_id, day)
        names = {s.code: s.name for s in shifts}
        if own:
            return "+".join(names.get(s.code, s.code) for s in own)
        kind = self.leave.get((staff_id, day))
        return "" if kind is None else _(LEAVE_KINDS_SHORT.get(kind, N_("Leave")))

    def hours(self, staff_id: str) -> int:
        """Rostered minutes this week."""
        return sum(s.minutes for d in self.days for s in self.cell(staff_id, d))

    @property
    def hard_conflicts(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.hard]


def load_week(week: str, config: Config) -> WeekRoster:
    week = parse_week(week)
    days = week_days(week)
    # A day either side: rest after Sunday's late shift and before Monday's early one.
    around = shifts_between(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))
    people, leave = _people(days[0], days[-1])
    cells: dict[tuple[str, date], list[Shift]] = {}
    for shift in around:
        if days[0] <= shift.day <= days[-1]:
            cells.setdefault((shift.staff_id, shift.day), []).append(shift)
    for own in cells.values():
        own.sort(key=lambda s: s.start)
    rostered = {sid for sid, _day in cells}
    staff = [m for m in Staff.select().order_by(Staff.code) if m.status != "left" or m.id in rostered]
    row = RosterWeek.get_or_none(RosterWeek.week == week)
    # Weekly hours look at the whole week, so the whole week's shifts (and the edges) go in.
    conflicts = check(around, people, rules_for(config), days)
    return WeekRoster(week, days, staff, cells, leave, row.status if row else "draft", conflicts)


def publish(
    week: str,
    config: Config,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> WeekRoster:
    """Publish the week. Refused while a hard conflict remains (double booking, someone on
    leave or gone); warnings are published with it and recorded in the audit row."""
    by, approver = manager_authority(actor, approval)
    week = parse_week(week)

    def _tx() -> WeekRoster:
        roster = load_week(week, config)
        if not roster.cells:
            raise ValidationError(_("Week {week} has nobody rostered.").format(week=week))
        hard = roster.hard_conflicts
        if hard:
            more = len(hard) - 1
            message = hard[0].message + (_(" (and {n} more)").format(n=more) if more else "")
            raise ValidationError(_("Cannot publish: {problem}").format(problem=message))
        stamp = moment(now)
        previous = RosterWeek.get_or_none(RosterWeek.week == week)
        RosterWeek.insert(
            week=week, status="published", published_at=stamp, published_by=by, updated_at=stamp
        ).on_conflict_replace().execute()
        chain.record(
            "roster.publish",
            staff_id=by,
            approved_by=approver,
            entity="roster",
            entity_id=week,
            before={"status": previous.status if previous else "draft"},
            after={
                "status": "published",
                "entries": sum(len(v) for v in roster.cells.values()),
                "warnings": [c.message for c in roster.conflicts],
            },
            at=stamp,
        )
        roster.status = "published"
        return roster

    return write(_tx)
