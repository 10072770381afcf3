"""Staff, PINs and manager approval."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from datetime import datetime, timedelta

from store.audit import chain
from store.config.loader import ROLES, DiscountSection
from store.db.transaction import write
from store.kernel import auth, moment
from store.kernel.auth import MANAGER_ROLES, Actor, Approval
from store.kernel.errors import PermissionDenied, ValidationError
from store.kernel.i18n import N_, _
from store.models import Staff

MAX_FAILED_PINS = 5
# Wrong PINs typed for someone in an approval dialog (the cashier types, not the manager).
MAX_FAILED_APPROVAL_PINS = 10
_cooloff = [timedelta(minutes=15)]  # [staff] manager_cooloff_minutes, set by set_manager_cooloff
# scrypt cost: ~16 MiB and a few tens of ms per check on a shop PC; stored with the hash so
# it can be raised later without invalidating old PINs.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
ROLE_NAMES = {
    "promoter": N_("promoter"),
    "cashier": N_("cashier"),
    "manager": N_("manager"),
    "admin": N_("admin"),
}


def role_name(role: str) -> str:
    """A role in the user's language."""
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=32,
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def _fold_pin(pin: str) -> str:
    """Full-width digits from a Chinese input method are the same PIN as ASCII ones."""
    return unicodedata.normalize("NFKC", pin)


def validate_pin(pin: str) -> str:
    pin = _fold_pin(pin)
    if not (pin.isascii() and pin.isdigit()) or not 4 <= len(pin) <= 8:
        raise ValidationError(_("A PIN is 4 to 8 digits."))
    return pin


def create_staff(code: str, name: str, role: str, pin: str, *, by: str = "", approved_by: str = "") -> Staff:
    code = code.strip()
    name = name.strip()
    if not code or len(code) > 16 or not code.isalnum():
        raise ValidationError(_("A staff code is 1 to 16 letters or digits."))
    if not name or len(name) > 40:
        raise ValidationError(_("A name is 1 to 40 characters."))
    if role not in ROLES:
        raise ValidationError(_("Unknown role: {role}").format(role=role))
    pin_hash = hash_pin(validate_pin(pin))

    def _create() -> Staff:
        if Staff.get_or_none(Staff.code == code) is not None:
            raise ValidationError(_("Staff code {code} is taken.").format(code=code))
        staff = Staff.create(code=code, name=name, role=role, pin_hash=pin_hash)
        chain.record(
            "staff.create",
            staff_id=by,
            approved_by=approved_by,
            entity="staff",
            entity_id=staff.id,
            after={"code": code, "name": name, "role": role},
        )
        return staff

    return write(_create)


def set_manager_cooloff(minutes: int) -> None:
    """How long a locked last manager waits ([staff] manager_cooloff_minutes; set at start-up)."""
    _cooloff[0] = timedelta(minutes=minutes)


def manager_cooloff() -> timedelta:
    return _cooloff[0]


def can_unlock_others(exclude_id: str = "") -> bool:
    """Whether an active, unlocked manager other than ``exclude_id`` is there to unlock people."""
    return (
        Staff.select()
        .where(
            Staff.id != exclude_id,
            Staff.role.in_(MANAGER_ROLES),
            Staff.active == True,  # noqa: E712
            Staff.status != "left",
            Staff.locked == False,  # noqa: E712
        )
        .exists()
    )


def is_last_manager(member: Staff) -> bool:
    """A manager with nobody else to unlock them: their lock runs out instead of lasting."""
    return member.role in MANAGER_ROLES and not can_unlock_others(member.id)


def unlocks_at(member: Staff, cooloff: timedelta | None = None) -> datetime | None:
    """When a locked account opens again by itself: only the last manager's does (None: never)."""
    if not member.locked or not is_last_manager(member):
        return None
    locked_at = member.locked_at or datetime.min
    return locked_at + (cooloff or manager_cooloff())


def _release_if_cooled(member: Staff, now: datetime, cooloff: timedelta | None) -> Staff:
    """Unlock the last manager once the cooling-off period is over (audited)."""
    opens = unlocks_at(member, cooloff)
    if opens is None or now < opens:
        return member

    def _tx() -> Staff:
        fresh = Staff.get_by_id(member.id)
        if not fresh.locked:
            return fresh
        Staff.update(locked=False, locked_at=None, failed_pins=0, failed_approvals=0).where(
            Staff.id == fresh.id
        ).execute()
        chain.record(
            "staff.unlock_cooled",
            entity="staff",
            entity_id=fresh.id,
            before={"locked_at": fresh.locked_at},
            after={"cooloff_minutes": int((cooloff or manager_cooloff()).total_seconds() // 60)},
            at=now,
        )
        return Staff.get_by_id(fresh.id)

    return write(_tx)


def _locked_message(member: Staff, now: datetime, cooloff: timedelta | None) -> str:
    opens = unlocks_at(member, cooloff)
    if opens is None:
        return _("This account is locked after too many wrong PINs; ask a manager.")
    minutes = max(1, -(-int((opens - now).total_seconds()) // 60))
    return _("Too many wrong PINs: this account opens again in {minutes} minutes.").format(minutes=minutes)


def login(
    code: str,
    pin: str,
    *,
    now: datetime | None = None,
    approving: bool = False,
    cooloff: timedelta | None = None,
) -> Staff:
    """The staff member for this code and PIN; five wrong PINs lock the account.

    ``approving``: the PIN was typed in an approval dialog, usually by the cashier asking, so
    wrong ones count apart and slowly (MAX_FAILED_APPROVAL_PINS). The last manager who could
    unlock anyone is never locked for good: their lock runs out after ``cooloff`` (default
    [staff] manager_cooloff_minutes), counted from ``now``."""
    stamp = moment(now)
    staff = Staff.get_or_none(Staff.code == code.strip())
    if staff is None or not staff.active:
        raise PermissionDenied(_("Wrong staff code or PIN."))
    if staff.locked:
        staff = _release_if_cooled(staff, stamp, cooloff)
    if staff.locked:
        raise PermissionDenied(_locked_message(staff, stamp, cooloff))
    if check_pin(_fold_pin(pin), staff.pin_hash):
        if staff.failed_pins or staff.failed_approvals:
            write(
                lambda: Staff.update(failed_pins=0, failed_approvals=0).where(Staff.id == staff.id).execute()
            )
            staff.failed_pins = staff.failed_approvals = 0
        return staff
    counter, limit = (
        ("failed_approvals", MAX_FAILED_APPROVAL_PINS) if approving else ("failed_pins", MAX_FAILED_PINS)
    )

    def _fail() -> Staff:
        fresh = Staff.get_by_id(staff.id)
        failed = getattr(fresh, counter) + 1
        locked = failed >= limit
        changes = {counter: failed, "locked": locked}
        if locked:
            changes["locked_at"] = stamp
        Staff.update(**changes).where(Staff.id == staff.id).execute()
        chain.record(
            "staff.pin_failed" if not locked else "staff.locked",
            staff_id=staff.id,
            entity="staff",
            entity_id=staff.id,
            after={counter: failed},
            at=now,
        )
        return Staff.get_by_id(staff.id)

    after = write(_fail)
    failed = getattr(after, counter)
    if after.locked:
        if unlocks_at(after, cooloff) is not None:
            raise PermissionDenied(_locked_message(after, stamp, cooloff))
        raise PermissionDenied(_("Too many wrong PINs: the account is locked; ask a manager."))
    raise PermissionDenied(_("Wrong staff code or PIN ({left} tries left).").format(left=limit - failed))


def approve(
    code: str, pin: str, *, requester: Actor | str | None = None, now: datetime | None = None
) -> Approval:
    """A manager's approval; see ``store.kernel.auth.approve`` (nobody approves themselves)."""
    return auth.approve(code, pin, requester=requester, now=now)


def unlock(staff_code: str, approval: Approval) -> None:
    """Open an account locked by wrong PINs; see ``store.people.staff_admin.unlock``."""
    from store.people import staff_admin  # administration builds on this module

    staff_admin.unlock(staff_code, approval=approval)


def list_staff(active_only: bool = True) -> list[Staff]:
    query = Staff.select().order_by(Staff.code)
    if active_only:
        query = query.where(Staff.active == True)  # noqa: E712
    return list(query)


def discount_limit(member: Staff, discounts: DiscountSection) -> int:
    """The largest discount in percent ``member`` may give without a manager's PIN: their own
    limit when a manager set one, else their role's in [discounts]."""
    if member.discount_limit is not None:
        return int(member.discount_limit)
    return int(getattr(discounts, member.role, 0))


def is_manager(staff: Staff) -> bool:
    return staff.role in MANAGER_ROLES
