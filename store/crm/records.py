"""The customer record: create, find or add, update, consent and erase.

Audit rows name what changed, never the personal values themselves: the audit log cannot
be edited, and an erased customer must not live on in it."""

from __future__ import annotations

from datetime import datetime

from store.audit import chain
from store.crm.customer_fields import (
    check_consent,
    check_gender,
    check_owner,
    clean_name,
    clean_notes,
    clean_tags,
    parse_birthday,
    split_phone_and_name,
)
from store.crm.search import key_columns
from store.db.transaction import write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.kernel.phone import normalise_mobile
from store.models import Customer, CustomerContact, CustomerTask
from store.referrals import codes


class DuplicateCustomer(ValidationError):
    """The phone belongs to a customer already; ``existing`` is offered instead."""

    def __init__(self, message: str, existing: Customer) -> None:
        super().__init__(message)
        self.existing = existing


def _refuse_duplicate(phone: str, except_id: str | None = None) -> None:
    existing = Customer.get_or_none(Customer.phone == phone)
    if existing is not None and existing.id != except_id:
        label = existing.name or phone
        raise DuplicateCustomer(
            _("{phone} is already the customer {name}.").format(phone=phone, name=label), existing
        )


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
        "gender": check_gender(gender),
        "tags": clean_tags(tags),
        "notes": clean_notes(notes),
        "consent_how": check_consent(consent_how),
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
            owner=check_owner(owner_id),
            store_code=store_code,
            **fields,
            referral_code=codes.new_code(),
            **key_columns(str(fields["name"]), number),
        )
        chain.record(
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
        changes["gender"] = check_gender(gender)
    if tags is not None:
        changes["tags"] = clean_tags(tags)
    if notes is not None:
        changes["notes"] = clean_notes(notes)
    if consent_how is not None:
        check_consent(consent_how)

    def _tx() -> Customer:
        customer = get_customer(customer_id)
        if customer.erased_at is not None:
            raise ValidationError(_("This customer was erased."))
        if consent_how is not None and consent_how != customer.consent_how:
            customer = set_consent(customer.id, consent_how, by=by, now=stamp)
        if owner_id is not _UNSET:
            changes["owner"] = check_owner(owner_id if isinstance(owner_id, str) else None)
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
        chain.record(
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
    way = check_consent(how)

    def _tx() -> Customer:
        customer = get_customer(customer_id)
        if customer.erased_at is not None:
            raise ValidationError(_("This customer was erased."))
        Customer.update(consent_at=stamp if way else None, consent_how=way, updated_at=stamp).where(
            Customer.id == customer.id
        ).execute()
        chain.record(
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
        chain.record(
            "customer.erase",
            staff_id=by,
            approved_by=approver,
            entity="customer",
            entity_id=customer.id,
            after={"tasks_cancelled": cancelled},
            at=stamp,
        )

    write(_tx)
