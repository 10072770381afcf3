"""A customer's record as the edit form fills its fields: plain text values, read here so the
form never holds the customer's row (issue 11). The form is for editing, so the phone is the
full number: only the person changing the record sees it, in a field they may correct."""

from __future__ import annotations

from dataclasses import dataclass

from store.crm.records import birthday_of, get_customer


@dataclass(frozen=True)
class CustomerFields:
    id: str
    phone: str
    name: str
    birthday: str  # "1990-05-01" or "05-01"; "" when not known
    tags: str
    notes: str
    gender: str
    consent_how: str


def customer_fields(customer_id: str) -> CustomerFields:
    c = get_customer(customer_id)
    born = birthday_of(c)
    return CustomerFields(
        id=str(c.id),
        phone=str(c.phone),
        name=str(c.name),
        birthday=born.text() if born else "",
        tags=str(c.tags),
        notes=str(c.notes),
        gender=str(c.gender),
        consent_how=str(c.consent_how),
    )
