"""The chain's stores as head office knows them, and the public keys their files are signed
with. A store may have several keys: a new one after ``keys init --force`` (or a new PC) is
added beside the old, since files signed with the old one may still arrive."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from store.exchange.container import TrustedKeys
from store.exchange.keys import STORE_CODE, PublicKey, parse_public_key
from store.hq.db import HqDb
from store.kernel.errors import ValidationError
from store.kernel.i18n import _


@dataclass(frozen=True)
class StoreAdded:
    code: str
    created: bool  # a new store (else a key added to a known one)
    key_added: bool  # False: that key was registered already
    fingerprint: str


def add_store(
    hq: HqDb, code: str, key_text: str, *, now: datetime, name: str = "", franchise: bool = False
) -> StoreAdded:
    """Register ``code`` with the public key ``key_text`` (as ``keys show`` prints it), or add
    the key to a store registered already. One transaction."""
    if not STORE_CODE.match(code):
        raise ValidationError(
            _("'{code}' is not a store code: letters and digits only, at most 12.").format(code=code)
        )
    key = parse_public_key(key_text)
    at = now.isoformat()
    with hq.transaction():
        known = hq.execute("SELECT code FROM hq_stores WHERE code = %s", (code,))
        if not known:
            hq.execute(
                "INSERT INTO hq_stores (code, name, franchise, added_at) VALUES (%s, %s, %s, %s)",
                (code, name or code, franchise, at),
            )
        elif name:
            hq.execute("UPDATE hq_stores SET name = %s WHERE code = %s", (name, code))
        has = hq.execute(
            "SELECT 1 FROM hq_store_keys WHERE store_code = %s AND key_id = %s", (code, key.key_id)
        )
        if not has:
            hq.execute(
                "INSERT INTO hq_store_keys (store_code, key_id, public_key, added_at)"
                " VALUES (%s, %s, %s, %s)",
                (code, key.key_id, key.text, at),
            )
    return StoreAdded(code, not known, not has, key.fingerprint)


def trusted_keys(hq: HqDb) -> TrustedKeys:
    """What read_signed asks: the keys registered for a store (none for an unknown store)."""
    rows = hq.execute("SELECT store_code, public_key FROM hq_store_keys")
    known: dict[str, list[PublicKey]] = {}
    for code, text in rows:
        known.setdefault(code, []).append(parse_public_key(text))

    def lookup(store: str) -> Iterable[PublicKey]:
        return known.get(store, [])

    return lookup


def store_codes(hq: HqDb) -> list[str]:
    return [row[0] for row in hq.execute("SELECT code FROM hq_stores ORDER BY code")]
