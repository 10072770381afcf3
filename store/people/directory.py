"""Who is who, as the interfaces need it: the person logged in as a plain snapshot, staff names
by id, a staff id by code. Screens and commands read these instead of the staff table (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.config.loader import DiscountSection
from store.kernel.auth import MANAGER_ROLES, Actor, actor_for_login
from store.kernel.errors import NotFound
from store.kernel.i18n import _
from store.models import Staff


@dataclass(frozen=True)
class Member:
    """A staff member as logged in: what a screen shows and what store functions are given."""

    id: str
    code: str
    name: str
    role: str
    discount_limit: int | None = None  # percent; None: the role's limit in [discounts]

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def actor(self) -> Actor:
        """The Actor of this login (a Member only comes from a login or a test's staff row)."""
        return actor_for_login(self)


def member_of(row: object) -> Member:
    """The snapshot of a staff row (what ``store.people.staff.login`` returns)."""
    if isinstance(row, Member):
        return row
    limit = getattr(row, "discount_limit", None)
    return Member(
        id=str(row.id),  # type: ignore[attr-defined]
        code=str(row.code),  # type: ignore[attr-defined]
        name=str(row.name),  # type: ignore[attr-defined]
        role=str(row.role),  # type: ignore[attr-defined]
        discount_limit=None if limit is None else int(limit),
    )


def log_in(code: str, pin: str, *, now: datetime | None = None) -> Member:
    """The member for a staff code and PIN; see ``store.people.staff.login`` (wrong PINs lock)."""
    from store.people.staff import login

    return member_of(login(code, pin, now=now))


def discount_limit(member: Member, discounts: DiscountSection) -> int:
    """The largest discount in percent ``member`` may give without a manager's PIN: their own
    limit when a manager set one, else their role's in [discounts]."""
    if member.discount_limit is not None:
        return member.discount_limit
    return int(getattr(discounts, member.role, 0))


def staff_name(staff_id: str) -> str:
    """The name of a staff member, "?" for an id nobody has."""
    member = Staff.get_or_none(Staff.id == staff_id)
    return str(member.name) if member is not None else "?"


def staff_names() -> dict[str, str]:
    """Every staff member's name by id (leavers too: old records name them)."""
    return {m.id: m.name for m in Staff.select(Staff.id, Staff.name)}


def staff_id_for_code(code: str) -> str:
    member = Staff.get_or_none(Staff.code == code.strip())
    if member is None:
        raise NotFound(_("No staff member with code {code}.").format(code=code))
    return str(member.id)
