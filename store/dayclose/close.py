"""Closing a terminal's business day: the manager's Z report. The open shift of the day ends
with the drawer's count (or "not counted", recorded as such), the day gets the next Z number
of the terminal and the audit chain's head, and from then on the day is locked (schema 14's
triggers). A Z report is made once: it can be reprinted (store.dayclose.report.day_report),
never redone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from peewee import fn

from store.audit import chain
from store.dayclose import days, drawer, figures
from store.dayclose.drawer import ShiftEnd
from store.db.transaction import write
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.clock import moment
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.kernel.money import MAX_FEN
from store.models import AuditLog, CashSession, DayClose


def close_day(
    terminal_id: str,
    day: date,
    tz: ZoneInfo,
    *,
    counted: int | None,
    counts: Mapping[int, int] | None = None,
    reason: str = "",
    tolerance: int,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> DayClose:
    """Make the Z report of ``day`` at ``terminal_id`` and lock the day. ``counted`` is the
    cash in the drawer in fen (None: not counted); with ``counts`` it is their total. Over or
    short by more than ``tolerance`` fen needs a reason. Earlier open days close first."""
    closer, approver = manager_authority(actor, approval, needed=_("Closing the day needs a manager's PIN."))
    if counts is not None:
        counted = drawer.count_total(counts)
    if counted is not None and (type(counted) is not int or not 0 <= counted <= MAX_FEN):
        raise ValidationError(_("Not an amount: {text}").format(text=str(counted)[:20]))
    stamp = moment(now)

    def _tx() -> DayClose:
        days.refuse_closed(terminal_id, day)
        today = days.current_day(terminal_id, stamp, tz)
        if day > today:
            raise ValidationError(
                _("{day} has not begun yet: only a day up to today ({today}) can be closed.").format(
                    day=day.isoformat(), today=today.isoformat()
                )
            )
        last = days.last_closed(terminal_id)
        if last is not None and day < last:
            raise ValidationError(
                _("{day} is before the last closed day ({last}): Z reports run in date order.").format(
                    day=day.isoformat(), last=last.isoformat()
                )
            )
        earlier = days.open_days(terminal_id, day)
        if earlier:
            raise ValidationError(
                _("{earlier} is still open at {terminal}: close it first.").format(
                    earlier=earlier[0].isoformat(), terminal=terminal_id
                )
            )
        other = CashSession.get_or_none(
            (CashSession.terminal_id == terminal_id)
            & CashSession.closed_at.is_null()
            & (CashSession.business_date < day)
        )
        if other is not None:
            raise ValidationError(
                _("{earlier} is still open at {terminal}: close it first.").format(
                    earlier=other.business_date.isoformat(), terminal=terminal_id
                )
            )
        facts = figures.gather(terminal_id, day, lines=False)  # the cash needs no sale lines
        expected = facts.cash().expected
        end = ShiftEnd(expected, counted)
        drawer.check_reason(end, reason, tolerance)
        text = drawer.counts_text(counts) if counts is not None else ""
        for session in facts.sessions:
            if session.closed_at is None:
                shift_expected = facts.only({session.seq}).cash().expected  # the day's rows, not read again
                shift_end = ShiftEnd(shift_expected, counted)
                drawer.end_session(
                    session, shift_end, kind="close", by=closer, counts=text, reason=reason, stamp=stamp
                )
        z_no = (
            DayClose.select(fn.MAX(DayClose.z_no)).where(DayClose.terminal_id == terminal_id).scalar() or 0
        ) + 1
        close_id = new_id()
        row = chain.record(
            "day.close",
            staff_id=closer,
            approved_by=approver,
            entity="day_close",
            entity_id=close_id,
            after={
                "terminal": terminal_id,
                "day": day.isoformat(),
                "z_no": z_no,
                "expected": expected,
                "counted": counted,
                "over_short": end.over_short,
                "reason": reason.strip(),
            }
            | ({"authority": "own role"} if approver == closer else {}),
            at=stamp,
        )
        return DayClose.create(
            id=close_id,
            terminal_id=terminal_id,
            business_date=day,
            z_no=z_no,
            closed_at=stamp,
            closed_by=closer,
            approved_by=approver,
            expected=expected,
            counted=counted,
            over_short=end.over_short,
            reason=reason.strip(),
            audit_seq=AuditLog.select(AuditLog.seq).where(AuditLog.id == row.id).scalar(),
            audit_head=row.hash,
        )

    return write(_tx)
