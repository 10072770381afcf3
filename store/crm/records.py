"""The customer record: validation, create, update, consent, erase and reassign.

Audit rows name what changed, never the personal values themselves: the audit log cannot
be edited, and an erased customer must not live on in it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from store.audit import chain as audit
from store.crm.search import key_columns
from store.db.connection import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.kernel.i18n import N_, _
from store.kernel.phone import normalise_mobile
from store.kernel.text import drop_invisible
from store.models import Customer, CustomerContact, CustomerTask, Staff
from store.referrals import codes
from store.stock.catalog import clean_text

MAX_NAME = 40
MAX_NOTES = 500
MAX_TAGS = 10
MAX_TAG = 20
GENDERS = {"": N_("not given"), "female": N_("female"), "male": N_("male")}
CONSENT_WAYS = {
    "paper": N_("signed form"),
    "verbal": N_("said so at the counter"),
    "wechat": N_("WeChat"),
    "sms": N_("SMS reply"),
}
_BIRTHDAY = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


class DuplicateCustomer(ValidationError):
    """The phone belongs to a customer already; ``existing`` is offered instead."""

    def __init__(self, message: str, existing: Customer) -> None:
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None

    def text(self) -> str:
        md = f"{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{md}" if self.year else md


def birthday_of(customer: Customer) -> Birthday | None:
    if customer.birth_month is None or customer.birth_day is None:
        return None
    return Birthday(int(customer.birth_month), int(customer.birth_day), customer.birth_year)


def parse_birthday(text: str, today: date) -> Birthday | None:
    """'1990-05-01', '19900501', '05-01', '5月1日', '1990年5月1日'; '' is no birthday."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return None
    match = _COMPACT.match(folded) or _BIRTHDAY.match(folded)
    if match is None:
        raise ValidationError(
            _("Not a birthday: {text} (write 1990-05-01, or 05-01 without the year)").format(text=folded[:40])
        )
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        date(2000, month, day)  # a leap year: 02-29 without a year is a real birthday
    except ValueError as exc:
        raise ValidationError(_("Not a birthday: {text}").format(text=folded[:40])) from exc
    if year is None:
        return Birthday(month, day)
    try:
        born = date(year, month, day)
    except ValueError as exc:
        if (month, day) == (2, 29):
            raise ValidationError(
                _("{year} was not a leap year: it had no February 29.").format(year=year)
            ) from exc
        raise ValidationError(_("Not a birthday: {text}").format(text=folded[:40])) from exc
    if born > today:
        raise ValidationError(_("A birthday cannot be in the future: {text}").format(text=born.isoformat()))
    if year < today.year - 120:
        raise ValidationError(_("A birthday more than 120 years ago: {text}").format(text=born.isoformat()))
    return Birthday(month, day, year)


def clean_name(name: str) -> str:
    return clean_text(name, _("Name"), required=False, limit=MAX_NAME)


def clean_tags(text: str) -> str:
    """'VIP, 学生；华为' -> 'VIP,学生,华为' (commas, Chinese commas, semicolons or spaces)."""
    folded = unicodedata.normalize("NFKC", text)
    parts = re.split(r"[,;、\s]+", folded)
    tags: list[str] = []
    for part in parts:
        tag = clean_text(part, _("Tag"), required=False, limit=MAX_TAG).replace(",", "")
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("At most {n} tags.").format(n=MAX_TAGS))
    return ",".join(tags)


def clean_notes(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").strip()
    folded = drop_invisible(folded, keep="\n")
    if len(folded) > MAX_NOTES:
        raise ValidationError(
            _("{field} is too long (at most {n} characters).").format(field=_("Notes"), n=MAX_NOTES)
        )
    return folded


def _check_gender(gender: str) -> str:
    if gender not in GENDERS:
        raise ValidationError(_("Gender is female, male or not given."))
    return gender


def _check_consent(how: str) -> str:
    if how and how not in CONSENT_WAYS:
        raise ValidationError(_("Consent is given by one of: {ways}.").format(ways=", ".join(CONSENT_WAYS)))
    return how


def _check_owner(owner_id: str | None) -> str | None:
    if owner_id is None:
        return None
    member = Staff.get_or_none(Staff.id == owner_id)
    if member is None or not member.active:
        raise ValidationError(_("The owner must be an active staff member."))
    return owner_id


def _refuse_duplicate(phone: str, except_id: str | None = None) -> None:
    existing = Customer.get_or_none(Customer.phone == phone)
    if existing is not None and existing.id != except_id:
        label = existing.name or phone
        raise DuplicateCustomer(
            _("{phone} is already the customer {name}.").format(phone=phone, name=label), existing
        )


_PHONE_THEN_NAME = re.compile(r"^\s*([+\d][\d\s\-()]*)(.*)$")


def split_phone_and_name(text: str) -> tuple[str, str]:
    """'+86 138 0013 8000 张三' -> ('+86 138 0013 8000', '张三')."""
    match = _PHONE_THEN_NAME.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return text.strip(), ""
    return match.group(1).strip(), match.group(2).strip()


def find_or_add(
    text: str, *, store_code: str, owner_id: str | None, by: str, now: datetime | None = None
) -> tuple[Customer, bool]:
    """'13800138000 张三' at the till: the customer with that phone, or a new one with that
    name (owned by whoever signs them up). Returns the customer and whether it is new."""
    phone, name = split_phone_and_name(text)
    number = normalise_mobile(phone)
    existing = Customer.get_or_none(Customer.phone == number)
    if existing is not None:
        return existing, False
    try:
        return create_customer(number, name, store_code=store_code, owner_id=owner_id, by=by, now=now), True
    except DuplicateCustomer as exc:  # another till added them a moment ago
        return exc.existing, False


def get_customer(customer_id: str) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


def create_customer(
    phone: str,
    name: str = "",
    *,
    birthday: str = "",
    gender: str = "",
    tags: str = "",
    notes: str = "",
    consent_how: str = "",
    owner_id: str | None = None,
    store_code: str = "",
    by: str = "",
    now: datetime | None = None,
) -> Customer:
    """A new customer; a phone that is already a customer's raises DuplicateCustomer with it."""
    stamp = moment(now)
    number = normalise_mobile(phone)
    fields = {
        "name": clean_name(name),
        "gender": _check_gender(gender),
        "tags": clean_tags(tags),
        "notes": clean_notes(notes),
        "consent_how": _check_consent(consent_how),
    }
    born = parse_birthday(birthday, stamp.date())

    def _tx() -> Customer:
        _refuse_duplicate(number)
        customer = Customer.create(
            phone=number,
            created_at=stamp,
            birth_year=born.year if born else None,
            birth_month=born.month if born else None,
            birth_day=born.day if born else None,
            consent_at=stamp if fields["consent_how"] else None,
            owner=_check_owner(owner_id),
            store_code=store_code,
            **fields,
            referral_code=codes.new_code(),
            **key_columns(str(fields["name"]), number),
        )
        audit.record(
            "customer.create",
            staff_id=by,
            entity="customer",
            entity_id=customer.id,
            after={"consent": bool(fields["consent_how"]), "owner": owner_id or ""},
            at=stamp,
        )
        return customer

    return write(_tx)


_UNSET = object()


def update_customer(
    customer_id: str,
    *,
    by: str,
    now: datetime | None = None,
    name: str | None = None,
    phone: str | None = None,
    birthday: str | None = None,
    gender: str | None = None,
    tags: str | None = None,
    notes: str | None = None,
    owner_id: object = _UNSET,
    consent_how: str | None = None,
) -> Customer:
    """Change the given fields (None: leave as it is); the audit row names the fields.
    ``consent_how`` ('' withdraws) is recorded as set_consent does, in the same transaction."""
    stamp = moment(now)
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = clean_name(name)
    if phone is not None:
        changes["phone"] = normalise_mobile(phone)
    if birthday is not None:
        born = parse_birthday(birthday, stamp.date())
        changes.update(
            birth_year=born.year if born else None,
            birth_month=born.month if born else None,
            birth_day=born.day if born else None,
        )
    if gender is not None:
        changes["gender"] = _check_gender(gender)
    if tags is not None:
        changes["tags"] = clean_tags(tags)
    if notes is not None:
        changes["notes"] = clean_notes(notes)
    if consent_how is not None:
        _check_consent(consent_how)

    def _tx() -> Customer:
        customer = get_customer(customer_id)
        if customer.erased_at is not None:
            raise ValidationError(_("This customer was erased."))
        if consent_how is not None and consent_how != customer.consent_how:
            customer = set_consent(customer.id, consent_how, by=by, now=stamp)
        if owner_id is not _UNSET:
            changes["owner"] = _check_owner(owner_id if isinstance(owner_id, str) else None)
        if "phone" in changes:
            _refuse_duplicate(str(changes["phone"]), except_id=customer.id)
        changed = sorted(
            k for k, v in changes.items() if getattr(customer, "owner_id" if k == "owner" else k) != v
        )
        if not changed:
            return customer
        new_name = str(changes.get("name", customer.name))
        new_phone = str(changes.get("phone", customer.phone))
        Customer.update(updated_at=stamp, **changes, **key_columns(new_name, new_phone)).where(
            Customer.id == customer.id
        ).execute()
        audit.record(
            "customer.update",
            staff_id=by,
            entity="customer",
            entity_id=customer.id,
            after={"fields": changed},
            at=stamp,
        )
        return get_customer(customer.id)

    return write(_tx)


def set_consent(customer_id: str, how: str, *, by: str, now: datetime | None = None) -> Customer:
    """Record marketing consent and how it was given; '' withdraws it."""
    stamp = moment(now)
    way = _check_consent(how)

    def _tx() -> Customer:
        customer = get_customer(customer_id)
        if customer.erased_at is not None:
            raise ValidationError(_("This customer was erased."))
        Customer.update(consent_at=stamp if way else None, consent_how=way, updated_at=stamp).where(
            Customer.id == customer.id
        ).execute()
        audit.record(
            "customer.consent" if way else "customer.consent_withdrawn",
            staff_id=by,
            entity="customer",
            entity_id=customer.id,
            after={"how": way},
            at=stamp,
        )
        return get_customer(customer.id)

    return write(_tx)


def erase_customer(
    customer_id: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> None:
    """Anonymise the personal fields (name, phone, birthday, notes, tags, consent, contact
    notes) and cancel open tasks; the sales stay for the books, linked to an empty record.
    A manager's work: a manager ``actor``, or another person's ``approval``."""
    by, approver = manager_authority(actor, approval)
    stamp = moment(now)

    def _tx() -> None:
        customer = get_customer(customer_id)
        if customer.erased_at is not None:
            raise ValidationError(_("This customer was erased."))
        Customer.update(
            name="",
            phone=f"erased:{customer.id}",
            py="",
            py_initials="",
            py_alt=None,
            py_alt_initials=None,
            phone_last4="",
            birth_year=None,
            birth_month=None,
            birth_day=None,
            gender="",
            tags="",
            notes="",
            consent_at=None,
            consent_how="",
            updated_at=stamp,
            erased_at=stamp,
        ).where(Customer.id == customer.id).execute()
        CustomerContact.update(note="").where(CustomerContact.customer == customer.id).execute()
        cancelled = (
            CustomerTask.update(status="cancelled", done_at=stamp, done_by=by)
            .where((CustomerTask.customer == customer.id) & (CustomerTask.status == "open"))
            .execute()
        )
        audit.record(
            "customer.erase",
            staff_id=by,
            approved_by=approver,
            entity="customer",
            entity_id=customer.id,
            after={"tasks_cancelled": cancelled},
            at=stamp,
        )

    write(_tx)


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
        audit.record(
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
