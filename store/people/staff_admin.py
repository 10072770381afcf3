"""Staff administration for managers: add someone, reset a PIN, unlock an account, deactivate
a leaver (their customers handed over in the same transaction), change a role and a discount
limit. Every change takes an Actor (a manager logged in) or an Approval (another manager's
PIN), is refused otherwise, and is audited with who did it and who authorised it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from store.audit import chain
from store.config.loader import ROLES, DiscountSection
from store.crm.handover import Reassigned, reassign
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.errors import PermissionDenied, ValidationError
from store.kernel.i18n import _
from store.models import Customer, CustomerTask, Staff
from store.people import staff


@dataclass(frozen=True)
class StaffLine:
    """One person as the staff list shows them."""

    id: str
    code: str
    name: str
    role: str
    active: bool
    locked: bool
    unlocks_at: datetime | None  # a locked last manager's lock runs out then; None: a manager unlocks
    discount_limit: int  # percent, what they may give without a manager's PIN
    own_limit: bool  # True: set for this person; False: their role's limit in [discounts]


def staff_lines(
    discounts: DiscountSection, *, include_inactive: bool = False, cooloff: timedelta | None = None
) -> list[StaffLine]:
    """Everyone by code (read-only: anyone may look)."""
    query = Staff.select().order_by(Staff.code)
    if not include_inactive:
        query = query.where(Staff.active == True)  # noqa: E712
    return [
        StaffLine(
            id=m.id,
            code=m.code,
            name=m.name,
            role=m.role,
            active=bool(m.active),
            locked=bool(m.locked),
            unlocks_at=staff.unlocks_at(m, cooloff),
            discount_limit=staff.discount_limit(m, discounts),
            own_limit=m.discount_limit is not None,
        )
        for m in query
    ]


def state_text(line: StaffLine, tz: ZoneInfo) -> str:
    """Active, left, locked (a manager unlocks), or locked until a local time."""
    if not line.active:
        return _("left")
    if not line.locked:
        return _("can log in")
    if line.unlocks_at is None:
        return _("locked")
    until = line.unlocks_at.replace(tzinfo=UTC).astimezone(tz)
    return _("locked until {time}").format(time=f"{until:%H:%M}")


def _member(code: str) -> Staff:
    member = Staff.get_or_none(Staff.code == code.strip())
    if member is None:
        raise ValidationError(_("No staff member with code {code}.").format(code=code.strip()[:16]))
    return member


def _authority(actor: Actor | None, approval: Approval | None) -> tuple[str, Staff]:
    """(acting staff id, the manager who authorised it), the manager read afresh: someone
    demoted, locked or gone since they logged in no longer counts."""
    actor_id, approver_id = manager_authority(actor, approval)
    approver = Staff.get_or_none(Staff.id == approver_id)
    if (
        approver is None
        or approver.role not in MANAGER_ROLES
        or not approver.active
        or approver.status == "left"
        or approver.locked
    ):
        raise PermissionDenied(_("Only a manager may do this; ask a manager to approve it."))
    return actor_id, approver


def _admin_only(approver: Staff, *roles: str) -> None:
    if "admin" in roles and approver.role != "admin":
        raise PermissionDenied(_("Only an admin may give the admin role or change an admin."))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(_("Unknown role: {role}").format(role=role[:16]))


# What a new PIN or an unlock sets: the account opens and its wrong-PIN counts start again.
_OPENED = {"locked": False, "locked_at": None, "failed_pins": 0, "failed_approvals": 0}


def _audit_staff(
    action: str,
    actor_id: str,
    approver: Staff,
    member: Staff,
    *,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> None:
    """The audit row of a change ``actor_id`` made, approved by ``approver``, to ``member``'s account."""
    chain.record(
        action,
        staff_id=actor_id,
        approved_by=approver.id,
        entity="staff",
        entity_id=member.id,
        before=before,
        after=after,
        at=at,
    )


def add_staff(
    code: str,
    name: str,
    role: str,
    pin: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
) -> Staff:
    """A new staff member with their first PIN."""
    actor_id, approver = _authority(actor, approval)
    _check_role(role)
    _admin_only(approver, role)
    return staff.create_staff(code, name, role, pin, by=actor_id, approved_by=approver.id)


def set_pin(
    code: str,
    pin: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Staff:
    """A new PIN for someone who forgot theirs; it also opens a locked account."""
    actor_id, approver = _authority(actor, approval)
    pin_hash = staff.hash_pin(staff.validate_pin(pin))

    def _tx() -> Staff:
        member = _member(code)
        _admin_only(approver, member.role)
        Staff.update(pin_hash=pin_hash, **_OPENED).where(Staff.id == member.id).execute()
        _audit_staff(
            "staff.set_pin",
            actor_id,
            approver,
            member,
            after={"unlocked": bool(member.locked)},
            at=now,
        )
        return Staff.get_by_id(member.id)

    return write(_tx)


def unlock(
    code: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Staff:
    """Open an account locked by wrong PINs; the count starts again from nothing."""
    actor_id, approver = _authority(actor, approval)

    def _tx() -> Staff:
        member = _member(code)
        if not member.locked:
            raise ValidationError(_("{name}'s account is not locked.").format(name=member.name))
        Staff.update(**_OPENED).where(Staff.id == member.id).execute()
        _audit_staff(
            "staff.unlock",
            actor_id,
            approver,
            member,
            before={"failed_pins": member.failed_pins, "failed_approvals": member.failed_approvals},
            at=now,
        )
        return Staff.get_by_id(member.id)

    return write(_tx)


def owned_by(staff_id: str) -> Reassigned:
    """The customers and open follow-up tasks that are someone's, to hand over when they leave."""
    customers = Customer.select().where(Customer.owner == staff_id).count()
    open_tasks = (CustomerTask.owner == staff_id) & (CustomerTask.status == "open")
    tasks = CustomerTask.select().where(open_tasks).count()
    return Reassigned(customers, tasks)


def deactivate(
    code: str,
    *,
    successor: str = "",
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Reassigned:
    """A leaver can no longer log in; their customers and open tasks go to ``successor``
    (a staff code) in the same transaction. The last manager is never deactivated."""
    actor_id, approver = _authority(actor, approval)
    stamp = moment(now)

    def _tx() -> Reassigned:
        member = _member(code)
        if not member.active:
            raise ValidationError(_("{name} is not an active staff member.").format(name=member.name))
        if member.id in (actor_id, approver.id):
            raise ValidationError(_("Nobody can deactivate themselves."))
        _admin_only(approver, member.role)
        if member.role in MANAGER_ROLES and not staff.can_unlock_others(member.id):
            raise ValidationError(
                _("{name} is the last manager and cannot be deactivated.").format(name=member.name)
            )
        moved = Reassigned(0, 0)
        if successor.strip():
            target = _member(successor)
            moved = reassign(
                member.id,
                target.id,
                actor=actor,
                approval=approval,
                now=stamp,
            )
        else:
            owned = owned_by(member.id)
            if owned.customers or owned.tasks:
                raise ValidationError(
                    _(
                        "{name} still has {customers} customers and {tasks} open tasks: "
                        "name who takes them over."
                    ).format(name=member.name, customers=owned.customers, tasks=owned.tasks)
                )
        Staff.update(active=False, status="left").where(Staff.id == member.id).execute()
        _audit_staff(
            "staff.deactivate",
            actor_id,
            approver,
            member,
            before={"active": True, "status": member.status},
            after={"active": False, "status": "left", "customers": moved.customers, "tasks": moved.tasks},
            at=stamp,
        )
        return moved

    return write(_tx)


def set_role(
    code: str,
    role: str,
    discounts: DiscountSection,
    *,
    discount: int | None = None,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Staff:
    """Change someone's role, and their discount limit in percent (None: the role's limit from
    [discounts]). Nobody gives a limit above their own; the last manager keeps the role."""
    actor_id, approver = _authority(actor, approval)
    _check_role(role)
    if discount is not None:
        if not 0 <= discount <= 100:
            raise ValidationError(_("A discount limit is 0 to 100 percent."))
        own = staff.discount_limit(approver, discounts)
        if discount > own:
            raise PermissionDenied(
                _("{name} may give at most {pct}% and cannot allow more.").format(name=approver.name, pct=own)
            )

    def _tx() -> Staff:
        member = _member(code)
        _admin_only(approver, role, member.role)
        demoted = member.role in MANAGER_ROLES and role not in MANAGER_ROLES
        if demoted and not staff.can_unlock_others(member.id):
            raise ValidationError(
                _("{name} is the last manager and keeps the role.").format(name=member.name)
            )
        before = {"role": member.role, "discount_limit": member.discount_limit}
        after = {"role": role, "discount_limit": discount}
        if before == after:
            raise ValidationError(_("Nothing to change."))
        Staff.update(role=role, discount_limit=discount).where(Staff.id == member.id).execute()
        _audit_staff(
            "staff.role",
            actor_id,
            approver,
            member,
            before=before,
            after=after,
            at=now,
        )
        return Staff.get_by_id(member.id)

    return write(_tx)
