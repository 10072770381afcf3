"""The minimal customer a sale can be attached to; the customer module builds on it."""

from __future__ import annotations

from store.audit import chain
from store.crm.search import key_columns
from store.db.transaction import write
from store.kernel.i18n import _
from store.kernel.phone import normalise_mobile
from store.models import Customer
from store.referrals import codes
from store.stock.catalog import clean_text


def find_by_phone(phone: str) -> Customer | None:
    return Customer.get_or_none(Customer.phone == normalise_mobile(phone))


def find_or_create(phone: str, name: str = "", *, by: str = "") -> Customer:
    number = normalise_mobile(phone)
    clean_name = clean_text(name, _("Name"), required=False, limit=40)

    def _tx() -> Customer:
        existing = Customer.get_or_none(Customer.phone == number)
        if existing is not None:
            return existing
        customer = Customer.create(
            phone=number, name=clean_name, referral_code=codes.new_code(), **key_columns(clean_name, number)
        )
        chain.record("customer.create", staff_id=by, entity="customer", entity_id=customer.id)
        return customer

    return write(_tx)
