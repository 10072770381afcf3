"""The store's memory of time, so a computer clock set wrong cannot expire vouchers for good.

Every audited write tells ``saw`` its time (store.audit.chain.record calls it inside the same
transaction), so the store keeps the time of its latest committed event and the biggest step
forward between two events since a manager last confirmed the date. ``check`` compares the
clock with that: a clock earlier than the last event (set back), or further after it than
``[clock] max_gap_hours`` (set ahead, or a jump already committed by a sale at the wrong
time), is suspicious. Changes that depend on the date and cannot be undone (settling referral
rewards: earning, cancelling, expiring) call ``hold`` and skip while it returns a state;
selling goes on. A manager's ``confirm_date`` (audited) makes the clock's time the store's
time again.

Times are naive UTC, as in every timestamp column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from store.config.loader import ClockSection
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database

META_KEY = "clock_seen"
OK, BEHIND, AHEAD = "ok", "behind", "ahead"


@dataclass(frozen=True)
class Seen:
    """The latest event time, and the biggest forward step between two events (from, to)
    since the date was last confirmed."""

    last: datetime | None = None
    leap_from: datetime | None = None
    leap_to: datetime | None = None

    @property
    def leap(self) -> timedelta:
        if self.leap_from is None or self.leap_to is None:
            return timedelta(0)
        return self.leap_to - self.leap_from

    def after(self, at: datetime) -> Seen:
        """What the store has seen once an event at ``at`` is committed."""
        if self.last is None:
            return Seen(at)
        if at <= self.last:
            return self  # an event at an earlier time moves nothing (see check: behind)
        if at - self.last > self.leap:
            return Seen(at, self.last, at)
        return Seen(at, self.leap_from, self.leap_to)

    def to_json(self) -> str:
        def text(moment: datetime | None) -> str:
            return moment.isoformat(timespec="microseconds") if moment is not None else ""

        return json.dumps({"last": text(self.last), "from": text(self.leap_from), "to": text(self.leap_to)})

    @classmethod
    def from_json(cls, value: str) -> Seen:
        def moment(text: object) -> datetime | None:
            return datetime.fromisoformat(text) if isinstance(text, str) and text else None

        try:
            raw = json.loads(value)
            return cls(moment(raw.get("last")), moment(raw.get("from")), moment(raw.get("to")))
        except (ValueError, AttributeError):
            return cls()  # a damaged value: start again from the next event


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _stored() -> Seen | None:
    row = database.obj.execute_sql("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    return Seen.from_json(row[0]) if row is not None else None


def _from_audit_log() -> Seen:
    """A store that kept no clock memory yet (older version, bulk-loaded demo): the newest
    audit row's time stands in for the last event."""
    row = database.obj.execute_sql("SELECT MAX(at) FROM audit_log").fetchone()
    if row is None or row[0] is None:
        return Seen()
    value = row[0]
    try:
        return Seen(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))
    except ValueError:
        return Seen()


def seen() -> Seen:
    stored = _stored()
    return stored if stored is not None else _from_audit_log()


def last_seen() -> datetime | None:
    """The time of the latest committed event."""
    return seen().last


def _store(value: Seen) -> None:
    database.obj.execute_sql(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (META_KEY, value.to_json())
    )


def saw(at: datetime) -> None:
    """An event at ``at`` is being committed: call inside its write transaction."""
    stored = _stored()
    current = stored if stored is not None else _from_audit_log()
    following = current.after(_naive_utc(at))
    if stored is None or following != current:
        _store(following)


@dataclass(frozen=True)
class ClockState:
    status: str  # OK, BEHIND or AHEAD
    now: datetime
    last_seen: datetime | None  # the store's time the clock is compared with
    gap: timedelta  # how far the clock is from it (always positive)

    @property
    def suspicious(self) -> bool:
        return self.status != OK

    def describe(self, tz: ZoneInfo) -> str:
        """One sentence for a manager: what the clock reads and what the store saw."""
        if not self.suspicious or self.last_seen is None:
            return _("The clock reads {now}.").format(now=local_text(self.now, tz))
        if self.status == BEHIND:
            text = _("The clock reads {now}, {gap} before the store's last recorded event at {last}.")
        else:
            text = _("The clock reads {now}, {gap} after the store's last recorded event at {last}.")
        return text.format(
            now=local_text(self.now, tz), gap=gap_text(self.gap), last=local_text(self.last_seen, tz)
        )


def local_text(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.replace(tzinfo=UTC).astimezone(tz):%Y-%m-%d %H:%M}"


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.replace(tzinfo=UTC).astimezone(tz).date()


def gap_text(gap: timedelta) -> str:
    # Separate msgids rather than ngettext: the catalogs hold no plural forms.
    days = gap.days
    if days >= 1:
        return _("1 day") if days == 1 else _("{n} days").format(n=days)
    hours = int(gap.total_seconds() // 3600)
    if hours >= 1:
        return _("1 hour") if hours == 1 else _("{n} hours").format(n=hours)
    minutes = max(int(gap.total_seconds() // 60), 1)
    return _("1 minute") if minutes == 1 else _("{n} minutes").format(n=minutes)


def check(now: datetime, section: ClockSection | None = None) -> ClockState:
    """Whether the clock reading ``now`` agrees with what the store has seen."""
    section = section or ClockSection()
    now = _naive_utc(now)
    state = seen()
    if state.last is None:
        return ClockState(OK, now, None, timedelta(0))
    gap = timedelta(hours=section.max_gap_hours)
    if now < state.last - timedelta(minutes=section.behind_minutes):
        return ClockState(BEHIND, now, state.last, state.last - now)
    if state.leap > gap and state.leap_from is not None:
        # A sale already committed at a jumped time: the time before the jump is the store's.
        return ClockState(AHEAD, now, state.leap_from, abs(now - state.leap_from))
    if now - state.last > gap:
        return ClockState(AHEAD, now, state.last, now - state.last)
    return ClockState(OK, now, state.last, abs(now - state.last))


def hold(now: datetime, section: ClockSection | None = None) -> ClockState | None:
    """The suspicious state that makes an irreversible time-driven change wait, or None when
    it may run. Callers skip their change (they do not fail) while this is not None."""
    state = check(now, section)
    return state if state.suspicious else None


def confirm_date(
    day: date,
    now: datetime,
    tz: ZoneInfo,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
) -> ClockState:
    """A manager says the clock is right: ``day`` must be the clock's own date. From now on the
    store's time is the clock's; changes that waited may run. Audited with what was seen."""
    from store.audit import chain  # audit calls saw(): import late to keep the kernel acyclic
    from store.db.transaction import write

    staff_id, approved_by = manager_authority(actor, approval)
    now = _naive_utc(now)
    clock_day = local_day(now, tz)
    if day != clock_day:
        raise ValidationError(
            _("The clock reads {clock}, not {day}: set the computer's clock right first.").format(
                clock=clock_day.isoformat(), day=day.isoformat()
            )
        )

    def _tx() -> ClockState:
        before = seen()
        chain.record(
            "clock.confirm_date",
            staff_id=staff_id,
            approved_by=approved_by,
            entity="clock",
            entity_id=day.isoformat(),
            before=json.loads(before.to_json()),
            after={"now": now.isoformat(timespec="seconds"), "day": day.isoformat()},
            at=now,
        )
        _store(Seen(now))  # after the audit row, whose own time would count as a jump
        return ClockState(OK, now, now, timedelta(0))

    return write(_tx)
