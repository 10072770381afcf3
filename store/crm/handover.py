"""Handing a leaver's customers and open follow-up tasks over to another staff member: the
customers are the company's, not the person's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.kernel.i18n import _
from store.models import Customer, CustomerTask, Staff


@dataclass(frozen=True)
class Reassigned:
    customers: int
    tasks: int


def reassign(
    from_staff_id: str,
    to_staff_id: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Reassigned:
    """Move every customer and open task of a staff member (who is leaving) to another, in
    one audited transaction: the customers belong to the company. A manager's work."""
    by, approver = manager_authority(actor, approval)
    stamp = moment(now)
    if from_staff_id == to_staff_id:
        raise ValidationError(_("Choose two different staff members."))

    def _tx() -> Reassigned:
        source = Staff.get_or_none(Staff.id == from_staff_id)
        target = Staff.get_or_none(Staff.id == to_staff_id)
        if source is None or target is None:
            raise NotFound(_("No such staff member."))
        if not target.active:
            raise PermissionDenied(_("{name} is not an active staff member.").format(name=target.name))
        customers = (
            Customer.update(owner=target.id, updated_at=stamp).where(Customer.owner == source.id).execute()
        )
        tasks = (
            CustomerTask.update(owner=target.id)
            .where((CustomerTask.owner == source.id) & (CustomerTask.status == "open"))
            .execute()
        )
        chain.record(
            "customer.reassign",
            staff_id=by,
            approved_by=approver,
            entity="staff",
            entity_id=source.id,
            after={"to": target.id, "customers": customers, "tasks": tasks},
            at=stamp,
        )
        return Reassigned(customers, tasks)

    return write(_tx)
