"""Finding a customer as you type: full phone, last 4 digits, name, pinyin in full or by
initials (either reading of a polyphonic surname), or the IMEI of a phone they bought.

Every kind of key has its own index on the customer table, so each lookup is a few index
range scans with LIMIT (see bench/customers.py for the floor it is measured against)."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from store.crm.names import name_keys
from store.db.transaction import write
from store.models import database
from store.stock import imei

LIMIT = 20
MAX_QUERY = 40
FILL_BATCH = 2000


@dataclass(frozen=True)
class CustomerHit:
    id: str
    name: str
    phone: str
    why: str  # phone / last4 / name / pinyin / initials / imei


def _upper(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (for a range scan)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


_SELECT = 'SELECT "id", "name", "phone", {key} FROM "customer" WHERE {where} ORDER BY {order} LIMIT ?'
_BY_LETTERS = " UNION ALL ".join(
    "SELECT * FROM ("
    + _SELECT.format(key=f'"{col}", {n}', where=f'"{col}" >= ? AND "{col}" < ?', order=f'"{col}"')
    + ")"
    for n, col in enumerate(("py_initials", "py", "py_alt_initials", "py_alt"))
)
_BY_NAME = _SELECT.format(key='"name", 0', where='"name" >= ? AND "name" < ?', order='"name"')
_BY_LAST4 = _SELECT.format(key='"phone_last4", 0', where='"phone_last4" = ?', order='"phone_last4"')
_BY_PHONE = _SELECT.format(key='"phone", 0', where='"phone" >= ? AND "phone" < ?', order='"phone"')
_BY_IMEI = (
    'SELECT c."id", c."name", c."phone" FROM "imei_unit" u '
    'JOIN "sale_line" l ON l."imei_unit_id" = u."id" '
    'JOIN "sale" s ON s."id" = l."sale_id" '
    'JOIN "customer" c ON c."id" = s."customer_id" '
    'WHERE (u."imei" = ? OR u."imei2" = ?) AND l."qty" > 0 '
    'ORDER BY s."created_at" DESC LIMIT ?'
)
_WHY_LETTERS = ("initials", "pinyin", "initials", "pinyin")


def normalise_query(text: str) -> str:
    """Full-width folded, trimmed and capped; letters lower-cased; a phone-like text loses its
    spaces, dashes and +86."""
    folded = unicodedata.normalize("NFKC", text[: MAX_QUERY * 4]).strip().lower()
    squeezed = "".join(ch for ch in folded if ch not in " -()'\t")
    if squeezed.startswith("+"):
        squeezed = squeezed[1:]
    if squeezed.isascii() and squeezed.isdigit():
        if len(squeezed) == 13 and squeezed.startswith("86"):
            squeezed = squeezed[2:]
        elif len(squeezed) == 15 and squeezed.startswith("0086"):
            squeezed = squeezed[4:]
        return squeezed[:MAX_QUERY]
    if squeezed.isascii() and squeezed.isalnum():
        return squeezed[:MAX_QUERY]
    return "".join(folded.split())[:MAX_QUERY]


def _rows(sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    return list(database.obj.execute_sql(sql, params).fetchall())


def lookup(text: str, limit: int = LIMIT) -> list[CustomerHit]:
    """The best ``limit`` customers for what was typed; exact matches first."""
    query = normalise_query(text)
    if not query:
        return []
    if missing_keys():  # customers bulk-loaded since the database was opened (a new demo store)
        fill_search_keys()
    if query.isascii() and query.isdigit():
        return _by_digits(query, limit)
    if query.isascii() and query.isalnum() and query[0].isalpha():  # pinyin; 'Tom2' keeps its digit
        return _by_letters(query, limit)
    return [
        CustomerHit(str(r[0]), str(r[1]), str(r[2]), "name")
        for r in _rows(_BY_NAME, (query, _upper(query), limit))
    ]


def lookup_off_thread(text: str, limit: int = LIMIT) -> list[CustomerHit]:
    """``lookup`` for a worker thread: peewee opened a connection for this thread; close it
    when done, so short-lived workers do not leave connections behind."""
    try:
        return lookup(text, limit)
    finally:
        release_thread_connection()


def release_thread_connection() -> None:
    """Close the connection peewee opened for this worker thread (not the main one's)."""
    if threading.current_thread() is not threading.main_thread():
        database.obj.close()


def _by_letters(query: str, limit: int) -> list[CustomerHit]:
    per_key = limit
    while True:
        rows = _rows(_BY_LETTERS, (query, _upper(query), per_key) * 4)
        # Key order (an exact key sorts before its longer keys): the same order each index
        # is read in, so merging the four truncated lists gives the true first rows.
        rows.sort(key=lambda r: str(r[3]))
        hits: list[CustomerHit] = []
        seen: set[object] = set()
        for row in rows:
            if row[0] not in seen:
                seen.add(row[0])
                hits.append(
                    CustomerHit(str(row[0]), str(row[1]), str(row[2]), _WHY_LETTERS[int(str(row[4]))])
                )
        if len(hits) >= limit or per_key >= limit * 4:
            return hits[:limit]
        per_source = [sum(1 for r in rows if r[4] == n) for n in range(4)]
        if max(per_source) < per_key:  # every index was read to the end of the range
            return hits
        per_key *= 2


def _by_digits(query: str, limit: int) -> list[CustomerHit]:
    if imei.looks_like_imei(query):
        rows = _rows(_BY_IMEI, (query, query, limit))
        return [CustomerHit(str(r[0]), str(r[1]), str(r[2]), "imei") for r in rows]
    hits: list[CustomerHit] = []
    if len(query) == 4:
        hits = [
            CustomerHit(str(r[0]), str(r[1]), str(r[2]), "last4") for r in _rows(_BY_LAST4, (query, limit))
        ]
    if len(hits) < limit and query.startswith("1"):
        seen = {h.id for h in hits}
        for r in _rows(_BY_PHONE, (query, _upper(query), limit)):
            if r[0] not in seen:
                hits.append(CustomerHit(str(r[0]), str(r[1]), str(r[2]), "phone"))
    return hits[:limit]


# ---- keys -------------------------------------------------------------------------------
def key_columns(name: str, phone: str) -> dict[str, str | None]:
    """The search-key columns of a customer with this name and phone."""
    keys = name_keys(name)
    return {
        "py": keys.py,
        "py_initials": keys.initials,
        "py_alt": keys.py_alt,
        "py_alt_initials": keys.initials_alt,
        "phone_last4": phone[-4:] if phone.isdigit() else "",
    }


def missing_keys() -> bool:
    return (
        database.obj.execute_sql('SELECT 1 FROM "customer" WHERE "py" IS NULL LIMIT 1').fetchone() is not None
    )


def fill_search_keys() -> int:
    """Give every customer without search keys (rows of an older version, or bulk-loaded)
    their keys, in batches of one transaction each; returns how many were filled."""
    filled = 0
    while True:

        def _batch() -> int:
            rows = _rows(
                'SELECT "id", "name", "phone" FROM "customer" WHERE "py" IS NULL LIMIT ?', (FILL_BATCH,)
            )
            values = []
            for cid, name, phone in rows:
                k = key_columns(str(name), str(phone))
                values.append(
                    (k["py"], k["py_initials"], k["py_alt"], k["py_alt_initials"], k["phone_last4"], cid)
                )
            database.obj.cursor().executemany(
                'UPDATE "customer" SET "py" = ?, "py_initials" = ?, "py_alt" = ?, "py_alt_initials" = ?, '
                '"phone_last4" = ? WHERE "id" = ?',
                values,
            )
            return len(rows)

        done = write(_batch)
        filled += done
        if done < FILL_BATCH:
            return filled
