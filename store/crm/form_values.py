"""A customer's record as the edit form fills its fields: plain text values, read here so the
form never holds the customer's row (issue 11). The phone is filled in as the person editing
may see it (store.crm.shown): masked for a role that may not see whole numbers, who can still
type a new number, and a masked number left as it was changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from store.crm.config import CustomersSection
from store.crm.customer_fields import birthday_of
from store.crm.records import get_customer
from store.crm.shown import phone_for
from store.kernel.auth import Actor


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

    def phone_change(self, typed: str) -> str | None:
        """The number to save for what the field holds now: None when it still shows what was
        filled in (a masked number is never saved over the real one)."""
        return None if typed.strip() == self.phone else typed


def customer_fields(customer_id: str, actor: Actor | None, rules: CustomersSection) -> CustomerFields:
    c = get_customer(customer_id)
    born = birthday_of(c)
    return CustomerFields(
        id=str(c.id),
        phone=phone_for(actor, str(c.phone), rules),
        name=str(c.name),
        birthday=born.text() if born else "",
        tags=str(c.tags),
        notes=str(c.notes),
        gender=str(c.gender),
        consent_how=str(c.consent_how),
    )
