"""Who is acting, and who approved it: the only two ways a write that needs a role is allowed.

An ``Actor`` is made only by a successful login (``sign_in``); an ``Approval`` only by another
person's manager PIN (``approve``). Store functions that need a manager take one of them and
call ``manager_authority``; screens and commands never decide this themselves, so a new command
cannot forget the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from store.kernel.errors import NeedsApproval, PermissionDenied, WrongApprover
from store.kernel.i18n import _

MANAGER_ROLES = ("manager", "admin")

# Only this module holds the seal, so an Actor or Approval cannot be made by hand elsewhere
# (a caller that reaches for the private name is visibly doing something it must not).
_SEAL = object()


@dataclass(frozen=True)
class Actor:
    """The person logged in at this terminal or command."""

    staff_id: str
    name: str
    role: str
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise PermissionDenied(_("Only a login with a PIN can say who is acting."))

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


@dataclass(frozen=True)
class Approval:
    """A manager other than the person asking typed their PIN for this action."""

    manager_id: str
    manager_name: str
    # The person the approval was given to; "" when the approval was asked without one (CLI).
    for_staff_id: str = ""
    _seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._seal is not _SEAL:
            raise PermissionDenied(_("Only a manager's PIN can approve this."))


def _actor(staff_id: str, name: str, role: str) -> Actor:
    return Actor(staff_id=staff_id, name=name, role=role, _seal=_SEAL)


def _approval(manager_id: str, manager_name: str, for_staff_id: str) -> Approval:
    if for_staff_id and manager_id == for_staff_id:
        raise WrongApprover(_("An approval must come from another person, not from yourself."))
    return Approval(manager_id=manager_id, manager_name=manager_name, for_staff_id=for_staff_id, _seal=_SEAL)


def sign_in(code: str, pin: str) -> Actor:
    """The Actor for a staff code and PIN (wrong PINs count towards the lock as in ``login``)."""
    from store.people.staff import login

    member = login(code, pin)
    return _actor(member.id, member.name, member.role)


def actor_for_login(member: object) -> Actor:
    """The Actor for a Staff row that ``store.people.staff.login`` has just returned."""
    return _actor(str(member.id), str(member.name), str(member.role))  # type: ignore[attr-defined]


def approve(
    code: str, pin: str, *, requester: Actor | str | None = None, now: datetime | None = None
) -> Approval:
    """A manager's approval for ``requester``; refused when the manager is the requester.
    Wrong PINs count slowly against the manager (the person asking is the one typing)."""
    from store.people.staff import login

    requester_id = requester.staff_id if isinstance(requester, Actor) else (requester or "")
    member = login(code, pin, now=now, approving=True)
    if member.role not in MANAGER_ROLES:
        raise WrongApprover(_("{name} is not a manager.").format(name=member.name))
    return _approval(member.id, member.name, requester_id)


def approver_for(requester_id: str, approval: Approval) -> str:
    """The approving manager's id for something ``requester_id`` asked for (a sale's seller);
    refused when the approval is the requester's own PIN or was given to someone else."""
    if approval.manager_id == requester_id:
        raise WrongApprover(_("An approval must come from another person, not from yourself."))
    if approval.for_staff_id and approval.for_staff_id != requester_id:
        raise WrongApprover(_("This approval was given for someone else."))
    return approval.manager_id


def manager_authority(
    actor: Actor | None = None, approval: Approval | None = None, *, needed: str = ""
) -> tuple[str, str]:
    """(acting staff id, approving staff id) for a manager-only write, or PermissionDenied.

    A manager acting in their own role needs no approval: the audit names them as both the
    actor and the authority. Anyone else needs another person's approval; without one the
    error is NeedsApproval, saying ``needed`` (what needs a manager) when it is given."""
    if approval is not None:
        if actor is not None and approval.manager_id == actor.staff_id and not actor.is_manager:
            raise WrongApprover(_("An approval must come from another person, not from yourself."))
        if actor is not None and approval.for_staff_id and approval.for_staff_id != actor.staff_id:
            raise WrongApprover(_("This approval was given for someone else."))
        return (actor.staff_id if actor is not None else approval.manager_id, approval.manager_id)
    if actor is not None and actor.is_manager:
        return (actor.staff_id, actor.staff_id)
    # NeedsApproval (a PermissionDenied): a console asks for another person's PIN and retries.
    if needed:
        raise NeedsApproval(needed)
    if actor is not None:
        raise NeedsApproval(
            _("{name} is not a manager; ask a manager to approve it.").format(name=actor.name)
        )
    raise NeedsApproval(_("Only a manager may do this; ask a manager to approve it."))
