"""Staff, PINs and manager approval."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata

from store import audit, auth
from store.auth import MANAGER_ROLES, Actor, Approval
from store.config import ROLES
from store.db import write
from store.errors import PermissionDenied, ValidationError
from store.i18n import N_, _
from store.models import Staff

MAX_FAILED_PINS = 5
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


def create_staff(code: str, name: str, role: str, pin: str, *, by: str = "") -> Staff:
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
        audit.record(
            "staff.create",
            staff_id=by,
            entity="staff",
            entity_id=staff.id,
            after={"code": code, "name": name, "role": role},
        )
        return staff

    return write(_create)


def login(code: str, pin: str) -> Staff:
    """The staff member for this code and PIN; five wrong PINs lock the account."""
    staff = Staff.get_or_none(Staff.code == code.strip())
    if staff is None or not staff.active:
        raise PermissionDenied(_("Wrong staff code or PIN."))
    if staff.locked:
        raise PermissionDenied(_("This account is locked after too many wrong PINs; ask a manager."))
    if check_pin(_fold_pin(pin), staff.pin_hash):
        if staff.failed_pins:
            write(lambda: Staff.update(failed_pins=0).where(Staff.id == staff.id).execute())
            staff.failed_pins = 0
        return staff

    def _fail() -> int:
        fresh = Staff.get_by_id(staff.id)
        failed = fresh.failed_pins + 1
        locked = failed >= MAX_FAILED_PINS
        Staff.update(failed_pins=failed, locked=locked).where(Staff.id == staff.id).execute()
        audit.record(
            "staff.pin_failed" if not locked else "staff.locked",
            staff_id=staff.id,
            entity="staff",
            entity_id=staff.id,
            after={"failed_pins": failed},
        )
        return failed

    failed = write(_fail)
    if failed >= MAX_FAILED_PINS:
        raise PermissionDenied(_("Too many wrong PINs: the account is locked; ask a manager."))
    raise PermissionDenied(
        _("Wrong staff code or PIN ({left} tries left).").format(left=MAX_FAILED_PINS - failed)
    )


def approve(code: str, pin: str, *, requester: Actor | str | None = None) -> Approval:
    """A manager's approval; see ``store.auth.approve`` (nobody approves themselves)."""
    return auth.approve(code, pin, requester=requester)


def unlock(staff_code: str, approval: Approval) -> None:
    def _unlock() -> None:
        staff = Staff.get_or_none(Staff.code == staff_code)
        if staff is None:
            raise ValidationError(_("No staff member with code {code}.").format(code=staff_code))
        Staff.update(locked=False, failed_pins=0).where(Staff.id == staff.id).execute()
        audit.record(
            "staff.unlock",
            staff_id=approval.manager_id,
            approved_by=approval.manager_id,
            entity="staff",
            entity_id=staff.id,
        )

    write(_unlock)


def list_staff(active_only: bool = True) -> list[Staff]:
    query = Staff.select().order_by(Staff.code)
    if active_only:
        query = query.where(Staff.active == True)  # noqa: E712
    return list(query)


def is_manager(staff: Staff) -> bool:
    return staff.role in MANAGER_ROLES
