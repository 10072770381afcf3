"""Each customer's short referral code: six characters a cashier can read aloud and type,
and a QR code on screen and on the receipt."""

from __future__ import annotations

import secrets

from store.db.transaction import write
from store.kernel.i18n import _
from store.models import Customer, database

# No 0/O, 1/I/L: a code read off a crumpled receipt or over the phone is not misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6


def make_code(taken: set[str] | None = None) -> str:
    """A random code, not in ``taken``; random rather than derived from the customer, so a
    code tells nobody who the customer is or how many customers the shop has."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))
        if taken is None or code not in taken:
            return code


def new_code() -> str:
    """A code no customer has yet (call inside the transaction that stores it)."""
    while True:
        code = make_code()
        if Customer.get_or_none(Customer.referral_code == code) is None:
            return code


def normalise(text: str) -> str:
    """What was typed or scanned, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.strip().upper() if ch not in " -_")


def looks_like_code(text: str) -> bool:
    code = normalise(text)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def code_of(customer_id: str) -> str:
    """The customer's code, given one first if an older version made the row."""
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        return ""
    if customer.referral_code:
        return str(customer.referral_code)
    fill_codes()
    return str(Customer.get_by_id(customer_id).referral_code)


def missing_codes() -> bool:
    sql = 'SELECT 1 FROM "customer" WHERE "referral_code" IS NULL LIMIT 1'
    return database.obj.execute_sql(sql).fetchone() is not None


def fill_codes() -> int:
    """Give every customer without a code one; rows of older versions and bulk loads."""

    def _tx() -> int:
        db = database.obj
        taken = {
            row[0]
            for row in db.execute_sql(
                'SELECT "referral_code" FROM "customer" WHERE "referral_code" IS NOT NULL'
            )
        }
        ids = [row[0] for row in db.execute_sql('SELECT "id" FROM "customer" WHERE "referral_code" IS NULL')]
        pairs: list[tuple[str, str]] = []
        for customer_id in ids:
            code = make_code(taken)
            taken.add(code)
            pairs.append((code, customer_id))
        db.cursor().executemany('UPDATE "customer" SET "referral_code" = ? WHERE "id" = ?', pairs)
        return len(pairs)

    return write(_tx)


def invalid_code_message(text: str) -> str:
    return _("{code} is not a referral code or a customer's mobile number.").format(code=text.strip()[:20])
