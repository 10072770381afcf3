"""The cash drawer of a terminal: a shift opens with a float counted by denomination; cash is
paid in, paid out (another person's manager PIN above the limit) and dropped to the safe; at a
handover the outgoing cashier counts the drawer and the incoming one takes the count on as
their float, and at the console is logged in from then on (take_over). Every step is audited
in the transaction that writes it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from store.audit import chain
from store.dayclose import days, figures
from store.db.transaction import write
from store.kernel.auth import Actor, Approval, approver_for
from store.kernel.clock import moment
from store.kernel.errors import NeedsApproval, ValidationError
from store.kernel.i18n import _
from store.kernel.money import MAX_FEN, format_fen
from store.models import CashMovement, CashSession
from store.people.directory import Member, log_in

# The notes and coins a drawer holds, in fen: ¥100, 50, 20, 10, 5, 1, 0.5 and 0.1.
DENOMINATIONS = (10000, 5000, 2000, 1000, 500, 100, 50, 10)
MOVEMENT_KINDS = ("paid_in", "paid_out", "drop")
MAX_PIECES = 100_000


def count_total(counts: Mapping[int, int]) -> int:
    """The fen in a count by denomination; a denomination the drawer has not or a count that
    is not a whole number of pieces is refused."""
    total = 0
    for denomination, pieces in counts.items():
        if denomination not in DENOMINATIONS:
            raise ValidationError(
                _("{value} is not a note or coin of the drawer.").format(value=format_fen(denomination))
            )
        if type(pieces) is not int or not 0 <= pieces <= MAX_PIECES:
            raise ValidationError(_("A count is a whole number of pieces, from 0."))
        total += denomination * pieces
    if total > MAX_FEN:
        raise ValidationError(_("Amount is too large"))
    return total


def counts_text(counts: Mapping[int, int]) -> str:
    return json.dumps({str(d): counts[d] for d in DENOMINATIONS if counts.get(d)}, sort_keys=True)


def parse_counts(text: str) -> dict[int, int]:
    """'100x2 50x1 0.5x4' (or with commas, or 100=2): pieces by denomination in yuan."""
    from store.kernel.money import parse_money

    counts: dict[int, int] = {}
    for part in text.replace(",", " ").replace("，", " ").split():
        value, sep, pieces = part.replace("=", "x").replace("*", "x").partition("x")
        if not sep or not pieces.strip().isdigit():
            raise ValidationError(
                _("Not a count: {text} (write denomination x pieces, as in 100x3 0.5x2)").format(
                    text=part[:20]
                )
            )
        denomination = parse_money(value)
        counts[denomination] = counts.get(denomination, 0) + int(pieces)
    count_total(counts)
    return counts


def open_session_of(terminal_id: str) -> CashSession | None:
    return CashSession.get_or_none((CashSession.terminal_id == terminal_id) & CashSession.closed_at.is_null())


def _require_open(terminal_id: str) -> CashSession:
    session = open_session_of(terminal_id)
    if session is None:
        raise ValidationError(
            _("The drawer of {terminal} is not open: open it with a float first.").format(
                terminal=terminal_id
            )
        )
    days.refuse_closed(terminal_id, session.business_date)
    return session


def open_session(
    terminal_id: str, tz: ZoneInfo, *, actor: Actor, counts: Mapping[int, int], now: datetime | None = None
) -> CashSession:
    """Open the drawer for a shift with a float counted by denomination."""
    total = count_total(counts)
    stamp = moment(now)

    def _tx() -> CashSession:
        if open_session_of(terminal_id) is not None:
            raise ValidationError(
                _("The drawer of {terminal} is already open: hand it over or close the day.").format(
                    terminal=terminal_id
                )
            )
        day = days.current_day(terminal_id, stamp, tz)
        session = _new_session(terminal_id, day, actor, counts, total, stamp)
        chain.record(
            "drawer.open",
            staff_id=actor.staff_id,
            entity="cash_session",
            entity_id=session.id,
            after={
                "day": day.isoformat(),
                "shift": session.seq,
                "float": total,
                "counts": counts_text(counts),
            },
            at=stamp,
        )
        return session

    return write(_tx)


def _new_session(
    terminal_id: str, day: object, actor: Actor, counts: Mapping[int, int], total: int, stamp: datetime
) -> CashSession:
    last = (
        CashSession.select(CashSession.seq)
        .where((CashSession.terminal_id == terminal_id) & (CashSession.business_date == day))
        .order_by(CashSession.seq.desc())
        .first()
    )
    return CashSession.create(
        terminal_id=terminal_id,
        business_date=day,
        seq=(last.seq if last else 0) + 1,
        opened_at=stamp,
        opened_by=actor.staff_id,
        float=total,
        float_counts=counts_text(counts),
        end_kind="",
        counts="",
        reason="",
    )


def move_cash(
    terminal_id: str,
    kind: str,
    amount: int,
    *,
    actor: Actor,
    reason: str = "",
    approval: Approval | None = None,
    limit: int,
    now: datetime | None = None,
) -> CashMovement:
    """Pay cash in or out of the open drawer, or drop it to the safe. A paid-out above
    ``limit`` fen needs another person's manager approval, whoever asks."""
    if kind not in MOVEMENT_KINDS:
        raise ValidationError(_("Unknown cash movement: {kind}").format(kind=kind))
    if type(amount) is not int or not 0 < amount <= MAX_FEN:
        raise ValidationError(_("An amount must be more than zero."))
    reason = reason.strip()
    if kind != "drop" and not reason:
        raise ValidationError(_("Reason is required."))
    approver = ""
    if kind == "paid_out" and amount > limit:
        if approval is None:
            raise NeedsApproval(
                _("A paid-out above {limit} needs another person's manager PIN.").format(
                    limit=format_fen(limit)
                )
            )
        approver = approver_for(actor.staff_id, approval)
    stamp = moment(now)

    def _tx() -> CashMovement:
        session = _require_open(terminal_id)
        if kind != "paid_in":
            on_hand = (
                figures.gather(terminal_id, session.business_date, {session.seq}, lines=False).cash().expected
            )
            if amount > on_hand:
                raise ValidationError(
                    _("The drawer should hold only {cash}.").format(cash=format_fen(on_hand))
                )
        move = CashMovement.create(
            session=session.id,
            kind=kind,
            amount=amount,
            reason=reason,
            staff=actor.staff_id,
            approved_by=approver,
            created_at=stamp,
        )
        chain.record(
            f"drawer.{kind}",
            staff_id=actor.staff_id,
            approved_by=approver,
            entity="cash_movement",
            entity_id=move.id,
            after={"amount": amount, "reason": reason, "shift": session.seq},
            at=stamp,
        )
        return move

    return write(_tx)


@dataclass(frozen=True)
class ShiftEnd:
    """What a count found: expected, counted (None: not counted) and over (+) or short (-)."""

    expected: int
    counted: int | None

    @property
    def over_short(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected


def check_reason(end: ShiftEnd, reason: str, tolerance: int) -> None:
    """Over or short beyond the tolerance needs a reason."""
    if end.over_short is not None and abs(end.over_short) > tolerance and not reason.strip():
        raise ValidationError(
            _("Counted {counted}, expected {expected}: {diff} {word}. Give a reason.").format(
                counted=format_fen(end.counted or 0),
                expected=format_fen(end.expected),
                diff=format_fen(abs(end.over_short)),
                word=_("over") if end.over_short > 0 else _("short"),
            )
        )


def end_session(
    session: CashSession, end: ShiftEnd, *, kind: str, by: str, counts: str, reason: str, stamp: datetime
) -> None:
    """Record the end of a shift (in the caller's transaction)."""
    CashSession.update(
        closed_at=stamp,
        closed_by=by,
        end_kind=kind,
        expected=end.expected,
        counted=end.counted,
        counts=counts,
        over_short=end.over_short,
        reason=reason.strip(),
    ).where(CashSession.id == session.id).execute()


def handover(
    terminal_id: str,
    *,
    outgoing: Actor,
    incoming: Actor,
    counts: Mapping[int, int],
    reason: str = "",
    tolerance: int,
    now: datetime | None = None,
) -> tuple[CashSession, CashSession]:
    """交班: the outgoing cashier's count ends their shift (a reason when over or short by more
    than ``tolerance`` fen); the incoming one, signed in with their own PIN, takes the counted
    cash on as the float of the next shift. Returns (the shift ended, the shift begun)."""
    if incoming.staff_id == outgoing.staff_id:
        raise ValidationError(_("The next shift is taken over by another person."))
    counted = count_total(counts)
    stamp = moment(now)

    def _tx() -> tuple[CashSession, CashSession]:
        session = _require_open(terminal_id)
        expected = (
            figures.gather(terminal_id, session.business_date, {session.seq}, lines=False).cash().expected
        )
        end = ShiftEnd(expected, counted)
        check_reason(end, reason, tolerance)
        end_session(
            session,
            end,
            kind="handover",
            by=outgoing.staff_id,
            counts=counts_text(counts),
            reason=reason,
            stamp=stamp,
        )
        begun = _new_session(terminal_id, session.business_date, incoming, counts, counted, stamp)
        chain.record(
            "drawer.handover",
            staff_id=outgoing.staff_id,
            approved_by=incoming.staff_id,
            entity="cash_session",
            entity_id=session.id,
            after={
                "shift": session.seq,
                "expected": expected,
                "counted": counted,
                "over_short": end.over_short,
                "reason": reason.strip(),
                "next": begun.id,
            },
            at=stamp,
        )
        return CashSession.get_by_id(session.id), begun

    return write(_tx)


def handed_over(ended: CashSession, begun: CashSession) -> str:
    """The sentence a handover ends with, at the console and on the command line."""
    return _(
        "Shift {n} handed over: expected {expected}, counted {counted}; shift {next} begins with {float}."
    ).format(
        n=ended.seq,
        expected=format_fen(ended.expected or 0),
        counted=format_fen(ended.counted or 0),
        next=begun.seq,
        float=format_fen(begun.float),
    )


@dataclass(frozen=True)
class TakenOver:
    """A handover at the console: the shift ended, the shift begun, and who took it on (the
    console acts as them from now on)."""

    ended: CashSession
    begun: CashSession
    incoming: Member


def take_over(
    terminal_id: str,
    code: str,
    pin: str,
    *,
    outgoing: Actor,
    counts: Mapping[int, int],
    reason: str = "",
    tolerance: int,
    now: datetime | None = None,
) -> TakenOver:
    """交班 at the console: the incoming person's own code and PIN are checked here, as at the
    login (a wrong PIN counts towards their lock; a locked or former member is refused), before
    the drawer is touched; then ``handover``. Only a PIN checked by the store makes the console
    act as someone else, so a screen cannot log a person in by naming them."""
    incoming = log_in(code, pin, now=now)  # its own write: a wrong PIN stays counted
    ended, begun = handover(
        terminal_id,
        outgoing=outgoing,
        incoming=incoming.actor,
        counts=counts,
        reason=reason,
        tolerance=tolerance,
        now=now,
    )
    return TakenOver(ended, begun, incoming)
