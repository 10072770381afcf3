"""The weekly roster: assign, clear, swap, copy last week, leave, publish, and export as a
text table, CSV or XLSX. Conflicts come from store.people.roster_rules on the week as stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from store.audit import chain as audit
from store.config.loader import Config
from store.db.connection import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.dates import check_year
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import LeaveRequest, RosterEntry, RosterWeek, Staff
from store.people.config import ShiftTemplate, clock_text
from store.people.roster_rules import Conflict, Person, Rules, Shift, check, day_label
from store.reports import writers
from store.reports.table import text_table

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


def _approved_leave(first: date, last: date) -> dict[str, set[date]]:
    days: dict[str, set[date]] = {}
    query = LeaveRequest.select().where(
        LeaveRequest.status == "approved", LeaveRequest.first_day <= last, LeaveRequest.last_day >= first
    )
    for leave in query:
        day = max(leave.first_day, first)
        while day <= min(leave.last_day, last):
            days.setdefault(leave.staff_id, set()).add(day)
            day += timedelta(days=1)
    return days


def people_between(first: date, last: date) -> dict[str, Person]:
    """Everyone (including those who left) with their status and approved leave days."""
    leave = _approved_leave(first, last)
    return {
        m.id: Person(m.id, m.name, m.status, frozenset(leave.get(m.id, ())))
        for m in Staff.select(Staff.id, Staff.name, Staff.status)
    }


def shifts_between(first: date, last: date) -> list[Shift]:
    query = RosterEntry.select(
        RosterEntry.staff,
        RosterEntry.day,
        RosterEntry.start_minute,
        RosterEntry.end_minute,
        RosterEntry.shift_code,
    ).where(RosterEntry.day.between(first, last))
    rows: list[tuple[str, object, int, int, str]] = list(query.tuples())  # type: ignore[arg-type]
    return [Shift(str(sid), _as_date(day), start, end, code) for sid, day, start, end, code in rows]


def _as_date(value: object) -> date:
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
    leave: set[tuple[str, date]]
    status: str  # draft / published
    conflicts: list[Conflict] = field(default_factory=list)

    def cell(self, staff_id: str, day: date) -> list[Shift]:
        return self.cells.get((staff_id, day), [])

    def cell_text(self, staff_id: str, day: date, shifts: list[ShiftTemplate]) -> str:
        """What a grid cell shows: the shift names, or 'Leave' on a day off."""
        own = self.cell(staff_id, day)
        names = {s.code: s.name for s in shifts}
        if own:
            return "+".join(names.get(s.code, s.code) for s in own)
        return _("Leave") if (staff_id, day) in self.leave else ""

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
    people = people_between(days[0], days[-1])
    cells: dict[tuple[str, date], list[Shift]] = {}
    for shift in around:
        if days[0] <= shift.day <= days[-1]:
            cells.setdefault((shift.staff_id, shift.day), []).append(shift)
    for own in cells.values():
        own.sort(key=lambda s: s.start)
    rostered = {sid for sid, _day in cells}
    staff = [m for m in Staff.select().order_by(Staff.code) if m.status != "left" or m.id in rostered]
    leave = {(sid, d) for sid, person in people.items() for d in person.leave_days}
    row = RosterWeek.get_or_none(RosterWeek.week == week)
    # Weekly hours look at the whole week, so the whole week's shifts (and the edges) go in.
    conflicts = check(around, people, rules_for(config), days)
    return WeekRoster(week, days, staff, cells, leave, row.status if row else "draft", conflicts)


def _touch(week: str, now: datetime) -> bool:
    """An edit puts a published week back to draft: it has to be published again. True when
    the week was published (the edit's audit row says so)."""
    row = RosterWeek.get_or_none(RosterWeek.week == week)
    if row is None:
        RosterWeek.insert(week=week, status="draft", published_by="", updated_at=now).execute()
        return False
    RosterWeek.update(status="draft", updated_at=now).where(RosterWeek.week == week).execute()
    return bool(row.status == "published")


def _cell_shifts(staff_id: str, day: date) -> list[str]:
    """What a cell holds, for an audit row: 'E 09:00-15:00' per shift, earliest first."""
    query = (
        RosterEntry.select(RosterEntry.shift_code, RosterEntry.start_minute, RosterEntry.end_minute)
        .where(RosterEntry.staff == staff_id, RosterEntry.day == day)
        .order_by(RosterEntry.start_minute)
    )
    return [f"{e.shift_code} {clock_text(e.start_minute)}-{clock_text(e.end_minute)}" for e in query]


def _cell_state(staff_id: str, day: date) -> dict[str, object]:
    return {"staff": staff_id, "day": day.isoformat(), "shifts": _cell_shifts(staff_id, day)}


def _week_entries(days: list[date]) -> list[str]:
    """A week's roster for an audit row: 'staff day shift start-end' per entry, in order."""
    query = (
        RosterEntry.select()
        .where(RosterEntry.day.between(days[0], days[-1]))
        .order_by(RosterEntry.day, RosterEntry.staff, RosterEntry.start_minute)
    )
    return [
        f"{e.staff_id} {_as_date(e.day).isoformat()} {e.shift_code} "
        f"{clock_text(e.start_minute)}-{clock_text(e.end_minute)}"
        for e in query
    ]


def _audit_edit(
    action: str,
    week: str,
    before: object,
    after: Mapping[str, object],
    unpublished: bool,
    by: tuple[str, str],
    at: datetime,
) -> None:
    """One audit row per roster edit, in the edit's transaction; ``unpublished`` records that
    the edit put a published week back to draft. ``by`` is (who edited, on whose authority)."""
    if unpublished:
        after = {**after, "unpublished": True}
    staff_id, approved_by = by
    audit.record(
        action,
        staff_id=staff_id,
        approved_by=approved_by,
        entity="roster",
        entity_id=week,
        before=before,
        after=after,
        at=at,
    )


def _day_leave(staff_id: str, day: date) -> dict[str, str]:
    return {"status": "approved", "staff": staff_id, "first": day.isoformat(), "last": day.isoformat()}


def _rosterable(staff_id: str) -> Staff:
    member = Staff.get_or_none(Staff.id == staff_id)
    if member is None:
        raise NotFound(_("No such staff member."))
    if member.status == "left":
        raise ValidationError(_("{name} has left the store and cannot be rostered.").format(name=member.name))
    return member


def _template(config: Config, code: str) -> ShiftTemplate:
    template = config.roster.shift(code)
    if template is None:
        raise ValidationError(_("No shift with code {code} in config.toml.").format(code=code))
    return template


def assign(
    staff_id: str,
    day: date,
    code: str,
    config: Config,
    *,
    add: bool = False,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> RosterEntry:
    """Put a person on a shift on a day. Without ``add`` it replaces what the cell held; with
    ``add`` it is a second shift that day, refused if it overlaps the first. A manager's
    work: a manager ``actor``, or another person's ``approval``; audited with both."""
    by = manager_authority(actor, approval)
    template = _template(config, code)

    def _tx() -> RosterEntry:
        stamp = moment(now)
        member = _rosterable(staff_id)
        same_day = (
            RosterEntry.select()
            .where(RosterEntry.staff == staff_id, RosterEntry.day == day)
            .order_by(RosterEntry.start_minute)
        )
        if add:
            for other in same_day:
                if other.start_minute < template.end and template.start < other.end_minute:
                    raise ValidationError(
                        _("{name} already works {hours} on {day}: the shifts overlap.").format(
                            name=member.name,
                            hours=f"{clock_text(other.start_minute)}-{clock_text(other.end_minute)}",
                            day=day_label(day),
                        )
                    )
        before = _cell_state(staff_id, day)
        if not add:
            RosterEntry.delete().where(RosterEntry.staff == staff_id, RosterEntry.day == day).execute()
        entry = RosterEntry.create(
            day=day,
            staff=staff_id,
            shift_code=template.code,
            start_minute=template.start,
            end_minute=template.end,
        )
        week = week_of(day)
        unpublished = _touch(week, stamp)
        _audit_edit("roster.assign", week, before, _cell_state(staff_id, day), unpublished, by, stamp)
        return entry

    return write(_tx)


def clear(
    staff_id: str,
    day: date,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> int:
    """Empty a cell; the number of shifts removed (0: nothing to do, nothing audited)."""
    by = manager_authority(actor, approval)

    def _tx() -> int:
        stamp = moment(now)
        before = _cell_state(staff_id, day)
        removed = int(
            RosterEntry.delete().where(RosterEntry.staff == staff_id, RosterEntry.day == day).execute()
        )
        if removed:
            week = week_of(day)
            unpublished = _touch(week, stamp)
            _audit_edit("roster.clear", week, before, _cell_state(staff_id, day), unpublished, by, stamp)
        return removed

    return write(_tx)


def swap(
    first: tuple[str, date],
    second: tuple[str, date],
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> None:
    """Exchange what two cells hold (two people's shifts on a day, or one person's days)."""
    by = manager_authority(actor, approval)
    if first == second:
        return

    def _tx() -> None:
        stamp = moment(now)
        a = list(RosterEntry.select().where(RosterEntry.staff == first[0], RosterEntry.day == first[1]))
        b = list(RosterEntry.select().where(RosterEntry.staff == second[0], RosterEntry.day == second[1]))
        if b:
            _rosterable(first[0])
        if a:
            _rosterable(second[0])
        before = [_cell_state(*first), _cell_state(*second)]
        for entry in a:
            RosterEntry.update(staff=second[0], day=second[1]).where(RosterEntry.id == entry.id).execute()
        for entry in b:
            RosterEntry.update(staff=first[0], day=first[1]).where(RosterEntry.id == entry.id).execute()
        week = week_of(first[1])
        unpublished = _touch(week, stamp)
        if week_of(second[1]) != week:
            unpublished = _touch(week_of(second[1]), stamp) or unpublished
        if a or b:
            after = {"cells": [_cell_state(*first), _cell_state(*second)]}
            _audit_edit("roster.swap", week, {"cells": before}, after, unpublished, by, stamp)

    write(_tx)


@dataclass(frozen=True)
class CopyResult:
    copied: int
    skipped: list[str]  # names of people who left, not copied


def copy_week(
    source: str,
    target: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> CopyResult:
    """Replace ``target``'s roster with ``source``'s, day for day; people who left are skipped."""
    by = manager_authority(actor, approval)
    source_days, target_days = week_days(source), week_days(target)
    if source_days == target_days:
        raise ValidationError(_("A week cannot be copied onto itself."))

    def _tx() -> CopyResult:
        stamp = moment(now)
        entries = list(RosterEntry.select().where(RosterEntry.day.between(source_days[0], source_days[-1])))
        if not entries:
            raise ValidationError(_("Week {week} has no roster to copy.").format(week=parse_week(source)))
        status = {m.id: (m.status, m.name) for m in Staff.select(Staff.id, Staff.status, Staff.name)}
        before = _week_entries(target_days)
        RosterEntry.delete().where(RosterEntry.day.between(target_days[0], target_days[-1])).execute()
        skipped: set[str] = set()
        copied = 0
        for entry in entries:
            state, name = status.get(entry.staff_id, ("left", "?"))
            if state == "left":
                skipped.add(name)
                continue
            RosterEntry.create(
                day=target_days[_as_date(entry.day).weekday()],
                staff=entry.staff_id,
                shift_code=entry.shift_code,
                start_minute=entry.start_minute,
                end_minute=entry.end_minute,
            )
            copied += 1
        week = parse_week(target)
        unpublished = _touch(week, stamp)
        after = {
            "from": parse_week(source),
            "entries": _week_entries(target_days),
            "skipped": sorted(skipped),
        }
        _audit_edit("roster.copy", week, {"entries": before}, after, unpublished, by, stamp)
        return CopyResult(copied, sorted(skipped))

    return write(_tx)


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
        audit.record(
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


# ---- leave -----------------------------------------------------------------


def request_leave(staff_id: str, first: date, last: date, reason: str, *, by: str) -> LeaveRequest:
    if last < first:
        raise ValidationError(_("Leave must end on or after its first day."))
    if (last - first).days > 90:
        raise ValidationError(_("Leave is at most 90 days at a time."))

    def _tx() -> LeaveRequest:
        _rosterable(staff_id)
        return LeaveRequest.create(
            staff=staff_id, first_day=first, last_day=last, reason=reason.strip()[:80], created_by=by
        )

    return write(_tx)


def decide_leave(
    leave_id: str,
    approve: bool,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """A manager approves or refuses someone else's leave request (audited)."""
    by, approver = manager_authority(actor, approval)

    def _tx() -> LeaveRequest:
        leave = LeaveRequest.get_or_none(LeaveRequest.id == leave_id)
        if leave is None:
            raise NotFound(_("No such leave request."))
        if leave.status != "requested":
            raise ValidationError(_("This leave request was already decided."))
        if leave.staff_id in (by, approver):
            raise ValidationError(_("Nobody decides their own leave."))
        before = {"status": leave.status}
        leave.status = "approved" if approve else "refused"
        leave.decided_by = approver
        leave.decided_at = moment(now)
        leave.save()
        audit.record(
            "leave.approve" if approve else "leave.refuse",
            staff_id=by,
            approved_by=approver,
            entity="leave",
            entity_id=leave.id,
            before=before,
            after={
                "status": leave.status,
                "staff": leave.staff_id,
                "first": str(leave.first_day),
                "last": str(leave.last_day),
            },
        )
        return leave

    return write(_tx)


def record_leave(
    staff_id: str,
    first: date,
    last: date,
    reason: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """A manager records someone's leave as approved: the request and the decision in one
    transaction, so there is never a request left waiting by a failed second step."""
    by, approver = manager_authority(actor, approval)
    if staff_id in (by, approver):
        raise ValidationError(_("Nobody decides their own leave."))

    def _tx() -> LeaveRequest:
        request = request_leave(staff_id, first, last, reason, by=by)
        return decide_leave(request.id, True, actor=actor, approval=approval, now=now)

    return write(_tx)


def withdraw_leave(leave_id: str, *, by: str, now: datetime | None = None) -> LeaveRequest:
    """The person who asked takes back a request nobody has decided yet (audited)."""

    def _tx() -> LeaveRequest:
        leave = LeaveRequest.get_or_none(LeaveRequest.id == leave_id)
        if leave is None:
            raise NotFound(_("No such leave request."))
        if leave.staff_id != by:
            raise ValidationError(_("Only the person who asked can withdraw a leave request."))
        if leave.status != "requested":
            raise ValidationError(_("This leave request was already decided."))
        leave.status = "withdrawn"
        leave.decided_by = by
        leave.decided_at = moment(now)
        leave.save()
        audit.record(
            "leave.withdraw",
            staff_id=by,
            entity="leave",
            entity_id=leave.id,
            before={"status": "requested"},
            after={"status": "withdrawn", "first": str(leave.first_day), "last": str(leave.last_day)},
        )
        return leave

    return write(_tx)


def pending_leave() -> list[LeaveRequest]:
    return list(
        LeaveRequest.select().where(LeaveRequest.status == "requested").order_by(LeaveRequest.first_day)
    )


def toggle_day_off(
    staff_id: str,
    day: date,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> bool:
    """A manager marks (or unmarks) one day off on the roster, approved as it is recorded
    (audited); True when the day is now off."""
    by, approver = manager_authority(actor, approval)

    def _tx() -> bool:
        stamp = moment(now)
        single = LeaveRequest.get_or_none(
            LeaveRequest.staff == staff_id,
            LeaveRequest.first_day == day,
            LeaveRequest.last_day == day,
            LeaveRequest.status == "approved",
        )
        if single is not None:
            single.delete_instance()
            audit.record(
                "leave.cancel",
                staff_id=by,
                approved_by=approver,
                entity="leave",
                entity_id=single.id,
                before=_day_leave(staff_id, day),
                after={"status": "cancelled"},
                at=stamp,
            )
            _touch(week_of(day), stamp)
            return False
        _rosterable(staff_id)
        leave = LeaveRequest.create(
            staff=staff_id,
            first_day=day,
            last_day=day,
            status="approved",
            created_by=by,
            decided_by=approver,
            decided_at=stamp,
        )
        audit.record(
            "leave.day_off",
            staff_id=by,
            approved_by=approver,
            entity="leave",
            entity_id=leave.id,
            after=_day_leave(staff_id, day),
            at=stamp,
        )
        _touch(week_of(day), stamp)
        return True

    return write(_tx)


# ---- export ----------------------------------------------------------------


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
