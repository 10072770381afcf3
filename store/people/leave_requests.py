"""Leave: a promoter asks for days off, a manager approves or refuses, a manager records leave
directly, and a request still pending can be withdrawn."""

from __future__ import annotations

from datetime import date, datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import LeaveRequest
from store.people.leave_kinds import LEAVE_KINDS as LEAVE_KINDS  # the kinds, named where leave is asked
from store.people.leave_kinds import LEAVE_KINDS_SHORT as LEAVE_KINDS_SHORT
from store.people.leave_kinds import leave_kind_label as leave_kind_label
from store.people.leave_kinds import leave_kind_short as leave_kind_short
from store.people.roster_edit import rosterable


def request_leave(
    staff_id: str, first: date, last: date, reason: str, *, by: str, kind: str = "personal"
) -> LeaveRequest:
    if kind not in LEAVE_KINDS:
        raise ValidationError(_("Unknown kind of leave: {kind}").format(kind=kind[:20]))
    if last < first:
        raise ValidationError(_("Leave must end on or after its first day."))
    if (last - first).days > 90:
        raise ValidationError(_("Leave is at most 90 days at a time."))

    def _tx() -> LeaveRequest:
        rosterable(staff_id)
        return LeaveRequest.create(
            staff=staff_id,
            first_day=first,
            last_day=last,
            kind=kind,
            reason=reason.strip()[:80],
            created_by=by,
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
        chain.record(
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
    kind: str = "personal",
) -> LeaveRequest:
    """A manager records someone's leave as approved: the request and the decision in one
    transaction, so there is never a request left waiting by a failed second step."""
    by, approver = manager_authority(actor, approval)
    if staff_id in (by, approver):
        raise ValidationError(_("Nobody decides their own leave."))

    def _tx() -> LeaveRequest:
        request = request_leave(staff_id, first, last, reason, by=by, kind=kind)
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
        chain.record(
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
