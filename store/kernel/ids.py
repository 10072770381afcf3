"""Identifiers for records that leave the shop, and the form they are kept in.

An id is a UUID written as 36 characters of text everywhere in Python (models, files, the
audit chain, head office). In the database (schema version 10 on) it is its 16 raw bytes: a
third of the space in every table and index that holds it. ``to_db`` and ``from_db`` are the
one conversion; store.db.ids applies them at the connection, so plain SQL passes and gets
text ids just as the models do."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_match = _CANONICAL.fullmatch
is_id = _match  # a str of 36 characters that is an id in canonical form (truthy) or not


_lock = threading.Lock()
_last_ms = -1
_seq = 0


def new_id() -> str:
    """A UUIDv7 (RFC 9562): unique across stores and terminals, and time-ordered so that
    the b-tree indexes of a million-line table grow at the end instead of everywhere.

    Within a millisecond the 12 bits after the version count up from a random start (RFC
    9562's fixed-length counter), and a clock set back does not go back with them: the ids
    one process makes sort in the order it made them, so ordering by id is ordering by
    creation (stock movements have no rowid to order by)."""
    global _last_ms, _seq
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(8), "big")
    with _lock:
        if ms > _last_ms:
            _last_ms = ms
            _seq = rand >> 55  # 9 random bits: room to count within the millisecond
        else:
            _seq += 1
            if _seq > 0xFFF:
                _last_ms += 1
                _seq = 0
        ms, seq = _last_ms, _seq
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= seq << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def to_db(value: object) -> object:
    """An id as the database keeps it: the 16 bytes of a UUID in its canonical text form
    (lower-case, hyphenated, as new_id makes it). Anything else is kept as it is: an empty
    reference, a delivery note number in a movement's document, an id a test made up. Only the
    canonical form is converted, so the bytes always read back as the very same text."""
    if isinstance(value, str) and len(value) == 36 and _match(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


_TEXTS: dict[bytes, str] = {}  # ids read again and again (a product's in every movement)
# Small on purpose: the till reads a few new ids a sale, and a cache that kept them all would
# grow with every sale of the day (issue 12: no growth per sale) until it was emptied.
_TEXTS_KEPT = 1024


def id_text(value: bytes) -> str:
    """The text form of an id's 16 bytes, with no cache: for a whole column of distinct ids
    read in one go (store.db.transaction.rows_as_stored), which would only churn from_db's."""
    h = value.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def from_db(value: object) -> object:
    """The text form of a value read from the database (``to_db`` undone)."""
    if isinstance(value, bytes) and len(value) == 16:
        text = _TEXTS.get(value)
        if text is None:
            if len(_TEXTS) >= _TEXTS_KEPT:
                _TEXTS.clear()
            h = value.hex()
            text = _TEXTS[value] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return text
    return value
