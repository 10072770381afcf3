"""Editing the weekly roster: assign, clear and swap shifts, copy last week, and give a day off;
every edit is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from store.audit import chain
from store.config.loader import Config
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import LeaveRequest, RosterEntry, RosterWeek, Staff
from store.people.config import ShiftTemplate, clock_text
from store.people.leave_kinds import DAY_OFF
from store.people.roster import as_date, parse_week, week_days, week_of
from store.people.roster_rules import day_label


def touch_week(week: str, now: datetime) -> bool:
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
        f"{e.staff_id} {as_date(e.day).isoformat()} {e.shift_code} "
        f"{clock_text(e.start_minute)}-{clock_text(e.end_minute)}"
        for e in query
    ]


def audit_edit(
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
    chain.record(
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


def rosterable(staff_id: str) -> Staff:
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
        member = rosterable(staff_id)
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
        unpublished = touch_week(week, stamp)
        audit_edit("roster.assign", week, before, _cell_state(staff_id, day), unpublished, by, stamp)
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
            unpublished = touch_week(week, stamp)
            audit_edit("roster.clear", week, before, _cell_state(staff_id, day), unpublished, by, stamp)
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
            rosterable(first[0])
        if a:
            rosterable(second[0])
        before = [_cell_state(*first), _cell_state(*second)]
        for entry in a:
            RosterEntry.update(staff=second[0], day=second[1]).where(RosterEntry.id == entry.id).execute()
        for entry in b:
            RosterEntry.update(staff=first[0], day=first[1]).where(RosterEntry.id == entry.id).execute()
        week = week_of(first[1])
        unpublished = touch_week(week, stamp)
        if week_of(second[1]) != week:
            unpublished = touch_week(week_of(second[1]), stamp) or unpublished
        if a or b:
            after = {"cells": [_cell_state(*first), _cell_state(*second)]}
            audit_edit("roster.swap", week, {"cells": before}, after, unpublished, by, stamp)

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
                day=target_days[as_date(entry.day).weekday()],
                staff=entry.staff_id,
                shift_code=entry.shift_code,
                start_minute=entry.start_minute,
                end_minute=entry.end_minute,
            )
            copied += 1
        week = parse_week(target)
        unpublished = touch_week(week, stamp)
        after = {
            "from": parse_week(source),
            "entries": _week_entries(target_days),
            "skipped": sorted(skipped),
        }
        audit_edit("roster.copy", week, {"entries": before}, after, unpublished, by, stamp)
        return CopyResult(copied, sorted(skipped))

    return write(_tx)


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
            chain.record(
                "leave.cancel",
                staff_id=by,
                approved_by=approver,
                entity="leave",
                entity_id=single.id,
                before=_day_leave(staff_id, day),
                after={"status": "cancelled"},
                at=stamp,
            )
            touch_week(week_of(day), stamp)
            return False
        rosterable(staff_id)
        leave = LeaveRequest.create(
            staff=staff_id,
            first_day=day,
            last_day=day,
            kind=DAY_OFF,
            status="approved",
            created_by=by,
            decided_by=approver,
            decided_at=stamp,
        )
        chain.record(
            "leave.day_off",
            staff_id=by,
            approved_by=approver,
            entity="leave",
            entity_id=leave.id,
            after=_day_leave(staff_id, day),
            at=stamp,
        )
        touch_week(week_of(day), stamp)
        return True

    return write(_tx)
