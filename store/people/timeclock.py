"""Clocking in and out with code and PIN, lateness, early leave and absence against the
roster, and a manager's corrections (audited; nobody corrects their own times).

Times are stored as naive UTC; the business date and the roster are local to the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Approval
from store.kernel.clock import business_date
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import Staff, TimeEntry
from store.people.roster import shifts_between
from store.people.roster_rules import Shift
from store.people.staff import login


def local(moment: datetime, tz: ZoneInfo) -> datetime:
    """A stored naive-UTC time as naive local time."""
    return moment.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def to_utc(local_time: datetime, tz: ZoneInfo) -> datetime:
    """Naive local time (what a manager types) as stored naive UTC."""
    return local_time.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def parse_time_of_day(text: str) -> int:
    """'9:05' or '09:05' (full-width digits too) -> minutes after midnight."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).strip().replace("：", ":")
    hours, sep, minutes = folded.partition(":")
    digits = sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2
    if digits and int(hours) < 24 and int(minutes) < 60:
        return int(hours) * 60 + int(minutes)
    raise ValidationError(_("Not a time of day: {text} (use HH:MM)").format(text=text.strip()[:20]))


def _hhmm(moment: datetime, tz: ZoneInfo) -> str:
    return f"{local(moment, tz):%H:%M}"


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return f"{local(moment, tz):%Y-%m-%d %H:%M}"


def last_punch(staff_id: str) -> datetime | None:
    """The latest clock-in or clock-out this person has on record."""
    latest_in = (
        TimeEntry.select().where(TimeEntry.staff == staff_id).order_by(TimeEntry.clock_in.desc()).first()
    )
    latest_out = (
        TimeEntry.select()
        .where(TimeEntry.staff == staff_id, TimeEntry.clock_out.is_null(False))
        .order_by(TimeEntry.clock_out.desc())
        .first()
    )
    times = [e.clock_in for e in (latest_in,) if e is not None]
    times += [e.clock_out for e in (latest_out,) if e is not None]
    return max(times) if times else None


def _clock_set_back(stamp: datetime, last: datetime, name: str, tz: ZoneInfo) -> ValidationError:
    return ValidationError(
        _(
            "The clock reads {now}, before {name}'s last punch at {last}: check the computer's "
            "date and time, or ask a manager to correct the times."
        ).format(now=_when(stamp, tz), name=name, last=_when(last, tz))
    )


def open_entry(staff_id: str, day: date) -> TimeEntry | None:
    entry: TimeEntry | None = (
        TimeEntry.select()
        .where(TimeEntry.staff == staff_id, TimeEntry.business_date == day, TimeEntry.clock_out.is_null())
        .order_by(TimeEntry.clock_in.desc())
        .first()
    )
    return entry


@dataclass(frozen=True)
class Punch:
    staff: Staff
    entry: TimeEntry
    message: str


def clock_in(code: str, pin: str, tz: ZoneInfo, now: datetime | None = None) -> Punch:
    """Start a spell of work for the staff member with this code and PIN."""
    member = login(code, pin)
    stamp = moment(now)
    day = business_date(stamp, tz)

    def _tx() -> Punch:
        current = open_entry(member.id, day)
        if current is not None:
            raise ValidationError(
                _("{name} is already clocked in since {time}.").format(
                    name=member.name, time=_hhmm(current.clock_in, tz)
                )
            )
        last = last_punch(member.id)
        if last is not None and stamp < last:  # a clock set back: the spell would overlap
            raise _clock_set_back(stamp, last, member.name, tz)
        entry = TimeEntry.create(staff=member.id, business_date=day, clock_in=stamp)
        return Punch(
            member, entry, _("{name} clocked in at {time}.").format(name=member.name, time=_hhmm(stamp, tz))
        )

    return write(_tx)


def clock_out(code: str, pin: str, tz: ZoneInfo, now: datetime | None = None) -> Punch:
    member = login(code, pin)
    stamp = moment(now)
    day = business_date(stamp, tz)

    def _tx() -> Punch:
        current = open_entry(member.id, day)
        if current is None:
            raise ValidationError(
                _("{name} has not clocked in today, so cannot clock out.").format(name=member.name)
            )
        if stamp <= current.clock_in:  # a clock set back since the clock-in
            raise _clock_set_back(stamp, current.clock_in, member.name, tz)
        current.clock_out = stamp
        current.save()
        minutes = _minutes(current.clock_in, stamp)
        return Punch(
            member,
            current,
            _("{name} clocked out at {time} after {hours}.").format(
                name=member.name, time=_hhmm(stamp, tz), hours=hours_text(minutes)
            ),
        )

    return write(_tx)


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def hours_text(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _check_times(staff_id: str, start: datetime, end: datetime | None, now: datetime, skip: str = "") -> None:
    if end is not None and end <= start:
        raise ValidationError(_("The clock-out must be after the clock-in."))
    if start > now or (end is not None and end > now):
        raise ValidationError(_("Times cannot be in the future."))
    if end is not None and end - start > timedelta(hours=24):
        raise ValidationError(_("One spell of work is at most 24 hours."))
    others = TimeEntry.select().where(TimeEntry.staff == staff_id, TimeEntry.id != skip)
    for other in others:
        other_end = other.clock_out or now
        if start < other_end and (end or now) > other.clock_in:
            raise ValidationError(_("These times overlap another spell of work."))


def correct(
    entry_id: str,
    clock_in_at: datetime,
    clock_out_at: datetime | None,
    approval: Approval,
    reason: str,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> TimeEntry:
    """A manager sets an entry's times (naive local). Audited with the old and new times."""
    stamp = moment(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A correction needs a reason."))
    start = to_utc(clock_in_at, tz)
    end = to_utc(clock_out_at, tz) if clock_out_at is not None else None

    def _tx() -> TimeEntry:
        entry = TimeEntry.get_or_none(TimeEntry.id == entry_id)
        if entry is None:
            raise NotFound(_("No such time record."))
        if entry.staff_id == approval.manager_id:
            raise ValidationError(_("Nobody corrects their own times: ask another manager."))
        _check_times(entry.staff_id, start, end, stamp, skip=entry.id)
        before = _entry_dict(entry)
        entry.clock_in = start
        entry.clock_out = end
        entry.business_date = business_date(start, tz)
        entry.corrected_by = approval.manager_id
        entry.note = reason[:80]
        entry.save()
        chain.record(
            "time.correct",
            staff_id=approval.manager_id,
            approved_by=approval.manager_id,
            entity="time_entry",
            entity_id=entry.id,
            before=before,
            after=_entry_dict(entry) | {"reason": reason},
            at=stamp,
        )
        return entry

    return write(_tx)


def staff_for_spell(code: str, approval: Approval) -> tuple[str, str]:
    """(id, name) of the person a manager adds a missed spell for, by staff code: asked before
    the times are typed, so a manager's own code is refused at once (``add_entry`` asks again)."""
    wanted = code.strip()
    member = Staff.get_or_none(Staff.code == wanted) or Staff.get_or_none(Staff.code == wanted.upper())
    if member is None:
        raise NotFound(_("No staff member with code {code}.").format(code=wanted[:20]))
    if member.id == approval.manager_id:
        raise ValidationError(_("Nobody corrects their own times: ask another manager."))
    return str(member.id), str(member.name)


def add_entry(
    staff_id: str,
    clock_in_at: datetime,
    clock_out_at: datetime,
    approval: Approval,
    reason: str,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> TimeEntry:
    """A manager records a spell someone forgot to clock (naive local times); audited."""
    stamp = moment(now)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A correction needs a reason."))
    if staff_id == approval.manager_id:
        raise ValidationError(_("Nobody corrects their own times: ask another manager."))
    start, end = to_utc(clock_in_at, tz), to_utc(clock_out_at, tz)

    def _tx() -> TimeEntry:
        if Staff.get_or_none(Staff.id == staff_id) is None:
            raise NotFound(_("No such staff member."))
        _check_times(staff_id, start, end, stamp)
        entry = TimeEntry.create(
            staff=staff_id,
            business_date=business_date(start, tz),
            clock_in=start,
            clock_out=end,
            corrected_by=approval.manager_id,
            note=reason[:80],
        )
        chain.record(
            "time.add",
            staff_id=approval.manager_id,
            approved_by=approval.manager_id,
            entity="time_entry",
            entity_id=entry.id,
            after=_entry_dict(entry) | {"reason": reason},
            at=stamp,
        )
        return entry

    return write(_tx)


def _entry_dict(entry: TimeEntry) -> dict[str, str]:
    return {
        "staff": entry.staff_id,
        "clock_in": str(entry.clock_in),
        "clock_out": str(entry.clock_out or ""),
    }


def entries_between(first: date, last: date, staff_id: str | None = None) -> list[TimeEntry]:
    query = TimeEntry.select().where(TimeEntry.business_date.between(first, last))
    if staff_id is not None:
        query = query.where(TimeEntry.staff == staff_id)
    return list(query.order_by(TimeEntry.clock_in))


def worked_minutes(first: date, last: date) -> dict[str, int]:
    """Minutes of finished spells per person on business dates first..last."""
    totals: dict[str, int] = defaultdict(int)
    for entry in entries_between(first, last):
        if entry.clock_out is not None:
            totals[entry.staff_id] += _minutes(entry.clock_in, entry.clock_out)
    return dict(totals)


@dataclass(frozen=True)
class DayAttendance:
    """One person's rostered day against the clock."""

    staff_id: str
    day: date
    rostered: int  # minutes
    worked: int  # minutes of finished spells
    late: int  # minutes after the first shift's start (beyond the grace), 0 if on time
    early: int  # minutes before the last shift's end the person clocked out
    absent: bool  # rostered, the shift is over, and no clock-in at all
    open: bool  # clocked in and not (yet) out


def attendance(
    first: date, last: date, tz: ZoneInfo, grace_minutes: int, now: datetime | None = None
) -> list[DayAttendance]:
    """Each rostered person-day from ``first`` to ``last`` (and each day someone worked
    without being rostered), with lateness, early leave and absence."""
    stamp = moment(now)
    shifts: dict[tuple[str, date], list[Shift]] = defaultdict(list)
    for shift in shifts_between(first, last):
        shifts[(shift.staff_id, shift.day)].append(shift)
    spells: dict[tuple[str, date], list[TimeEntry]] = defaultdict(list)
    for entry in entries_between(first, last):
        day = (
            entry.business_date
            if isinstance(entry.business_date, date)
            else date.fromisoformat(str(entry.business_date))
        )
        spells[(entry.staff_id, day)].append(entry)
    rows = []
    for key in sorted(set(shifts) | set(spells), key=lambda k: (k[1], k[0])):
        staff_id, day = key
        own_shifts = sorted(shifts.get(key, []), key=lambda s: s.start)
        own_spells = spells.get(key, [])
        rostered = sum(s.minutes for s in own_shifts)
        worked = sum(_minutes(e.clock_in, e.clock_out) for e in own_spells if e.clock_out is not None)
        late = early = 0
        absent = False
        if own_shifts:
            start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=own_shifts[0].start)
            end = datetime.combine(day, datetime.min.time()) + timedelta(minutes=own_shifts[-1].end)
            if own_spells:
                first_in = min(local(e.clock_in, tz) for e in own_spells)
                late_by = _minutes(start, first_in)
                late = late_by if late_by > grace_minutes else 0
                outs = [local(e.clock_out, tz) for e in own_spells if e.clock_out is not None]
                if outs and all(e.clock_out is not None for e in own_spells):
                    early = max(_minutes(max(outs), end), 0)
            else:
                absent = to_utc(end, tz) <= stamp
        rows.append(
            DayAttendance(
                staff_id,
                day,
                rostered,
                worked,
                late,
                early,
                absent,
                any(e.clock_out is None for e in own_spells),
            )
        )
    return rows


def clocked_in_now(day: date) -> list[tuple[Staff, TimeEntry]]:
    query = (
        TimeEntry.select(TimeEntry, Staff)
        .join(Staff)
        .where(TimeEntry.business_date == day, TimeEntry.clock_out.is_null())
        .order_by(TimeEntry.clock_in)
    )
    return [(entry.staff, entry) for entry in query]
