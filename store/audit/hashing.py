"""How the audit chain is written down: its constants, a row's canonical fields and their hash,
and the head and key segments kept in ``meta``.

Each row's hash covers its fields and the previous row's hash, so editing or deleting a row
breaks the chain. The hash is an HMAC-SHA-256 under the store's secret key (store.audit.keys,
in the user config folder), so someone holding only the database file cannot recompute the
chain after an edit. The head (row count and last hash) is kept in ``meta``.

Which key signs which rows is the list of segments in ``meta['audit_keys']``: ``[[first seq,
key id], …]``. A key id of ``""`` is a store's history from before keyed hashing (plain
SHA-256), allowed only as the first segment: it is never re-chained. Every later segment
starts with a key of its own whose file records the same first row."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
from datetime import datetime
from typing import Any

from store.audit import keys as audit_files
from store.kernel.errors import ZhangguiError
from store.models import AuditLog, database

GENESIS = "0" * 64


PLAIN = ""  # the key id of rows written before keyed hashing (plain SHA-256)


HEAD_KEY = "audit_head"


KEYS_KEY = "audit_keys"


ALERTS_KEY = "audit_alerts"


# Rows the chain writes about itself.
KEY_STARTED = "audit.key"


HEAD_REPAIRED = "audit.head_damaged"


RESTARTED = "audit.restart"


ALERTS_SEEN = "audit.alerts_seen"


ALERTING = (KEY_STARTED, HEAD_REPAIRED, RESTARTED)


_HASH = re.compile(r"^[0-9a-f]{64}$")


ROW_COLUMNS = (
    "id",
    "at",
    "staff_id",
    "approved_by",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
)


Segment = tuple[int, str]  # (first seq, key id or PLAIN)


class AuditKeyNotSaved(ZhangguiError):
    """The audit chain needed a new key and could not write it; nothing was written."""


def digest(prev_hash: str, fields: dict[str, str], secret: bytes | None = None) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    data = (prev_hash + canonical).encode("utf-8")
    if secret is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def row_fields(row: AuditLog) -> dict[str, str]:
    if isinstance(row.at, datetime):
        at = row.at.isoformat(timespec="microseconds")
    else:
        try:
            at = datetime.fromisoformat(str(row.at)).isoformat(timespec="microseconds")
        except ValueError:
            at = str(row.at)  # a tampered time: its hash will not match, verify must not crash
    return {
        "id": row.id,
        "at": at,
        "staff_id": row.staff_id,
        "approved_by": row.approved_by,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


def dump_value(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def parse_head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    count_text, _sep, head = text.partition(":")
    if not count_text.isdigit() or not _HASH.match(head):
        return None
    return int(count_text), head


@functools.lru_cache(maxsize=16)
def parse_segments(text: str | None) -> tuple[Segment, ...] | None:
    """The segments in ``meta['audit_keys']``, or None when missing or damaged."""
    if text is None:
        return None
    try:
        data = json.loads(text)
        segments = tuple((int(first), str(key)) for first, key in data)
    except (ValueError, TypeError):
        return None
    if not segments:
        return None
    for index, (first, key) in enumerate(segments):
        if first < 0 or (index and first <= segments[index - 1][0]):
            return None
        if key == PLAIN and index:
            return None
        if key != PLAIN and not audit_files.KEY_ID.match(key):
            return None
    return segments


def is_missing_table(exc: BaseException) -> bool:
    return "no such table: audit_log" in str(exc).lower()


def run_sql(sql: str, params: tuple[Any, ...] = ()) -> Any:
    return database.obj.execute_sql(sql, params)


def read_meta(*keys: str) -> dict[str, str]:
    marks = ", ".join("?" for _k in keys)
    cursor = run_sql(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys)
    return {str(key): str(value) for key, value in cursor.fetchall()}


def write_meta(key: str, value: str) -> None:
    run_sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def create_table() -> None:
    """The audit_log table as the migrations make it, from its model (tests/test_database_open
    holds the two to the same schema); a dropped table comes back empty. Replaying the
    migrations' own statements no longer works once version 10 rebuilds the tables."""
    AuditLog.create_table(safe=True)


def table_exists() -> bool:
    found = run_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    return found.fetchone() is not None
