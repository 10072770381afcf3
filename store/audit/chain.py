"""Writing to the audit chain: ``record`` appends a keyed, hash-chained row, and ``repair`` mends
what the chain needs.

A damaged head, a damaged key record, a missing key or a dropped table never stops a sale:
``record`` repairs what it needs inside the sale's transaction and writes a row saying what it
found, which ``store.audit.integrity.check`` reports and the manager is shown at login
(``store.audit.attention.alerts``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import DatabaseError

from store.audit import keys as audit_files
from store.audit.hashing import (
    ALERTS_KEY,
    GENESIS,
    HEAD_KEY,
    HEAD_REPAIRED,
    KEY_STARTED,
    KEYS_KEY,
    PLAIN,
    RESTARTED,
    ROW_COLUMNS,
    AuditKeyNotSaved,
    Segment,
    create_table,
    digest,
    dump_value,
    is_missing_table,
    parse_head,
    parse_segments,
    read_meta,
    row_fields,
    run_sql,
    table_exists,
    write_meta,
)
from store.audit.keys import AuditKey, KeyUnavailable
from store.db.transaction import insert_rows, write
from store.kernel import clock_guard, moment
from store.kernel.errors import DatabaseUnavailable
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import AuditLog


@dataclass
class _Tip:
    """Where the next row goes: rows so far, the last hash, the segments and the signing key."""

    count: int
    prev_hash: str
    segments: tuple[Segment, ...]
    key: AuditKey


def usable_key(segments: tuple[Segment, ...] | None) -> tuple[AuditKey | None, str]:
    """The key of the last segment if this computer has it, else (None, why not)."""
    if not segments or segments[-1][1] == PLAIN:
        return None, ""
    try:
        return audit_files.load_key(segments[-1][1]), ""
    except KeyUnavailable as exc:
        return None, str(exc)


def _next_seq() -> int:
    return int(run_sql("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log").fetchone()[0])


def _new_key(from_seq: int, stamp: datetime) -> AuditKey:
    store_code = read_meta("store_code").get("store_code", "")
    try:
        return audit_files.create_key(from_seq=from_seq, store_code=store_code, created=stamp)
    except OSError as exc:
        raise AuditKeyNotSaved(
            _("The audit key cannot be saved in {path}: {error}. Nothing was written.").format(
                path=audit_files.audit_dir(), error=exc.strerror or exc
            )
        ) from exc


def _new_row(tip: _Tip, action: str, stamp: datetime, values: Mapping[str, Any]) -> AuditLog:
    """The row that follows ``tip``, hashed and signed, not yet written."""
    row = AuditLog(
        id=new_id(),
        at=stamp,
        staff_id=values.get("staff_id", ""),
        approved_by=values.get("approved_by", ""),
        action=action,
        entity=values.get("entity", ""),
        entity_id=values.get("entity_id", ""),
        before=dump_value(values.get("before")),
        after=dump_value(values.get("after")),
        prev_hash=tip.prev_hash,
    )
    row.hash = digest(tip.prev_hash, row_fields(row), tip.key.secret)
    return row


def _append(tip: _Tip, action: str, stamp: datetime, **values: Any) -> tuple[AuditLog, _Tip]:
    row = _new_row(tip, action, stamp, values)
    insert_rows(AuditLog, [{name: getattr(row, name) for name in ROW_COLUMNS}])
    # The head (count and last hash) makes deleting the newest rows detectable too.
    write_meta(HEAD_KEY, f"{tip.count + 1}:{row.hash}")
    return row, _Tip(tip.count + 1, row.hash, tip.segments, tip.key)


def _alert() -> None:
    """The row just written is one a manager must see at login."""
    pending = alert_seqs(read_meta(ALERTS_KEY).get(ALERTS_KEY))
    write_meta(ALERTS_KEY, json.dumps([*pending, _next_seq() - 1]))


def alert_seqs(text: str | None) -> list[int]:
    try:
        data = json.loads(text or "[]")
        return [int(seq) for seq in data]
    except (ValueError, TypeError):
        return []


def _start_segment(count: int, prev_hash: str, segments: tuple[Segment, ...], stamp: datetime) -> _Tip:
    first = _next_seq()
    key = _new_key(first, stamp)
    segments = (*segments, (first, key.key_id))
    write_meta(KEYS_KEY, json.dumps([list(s) for s in segments]))
    return _Tip(count, prev_hash, segments, key)


def _ensure_key(tip_count: int, prev_hash: str, keys_text: str | None, stamp: datetime) -> _Tip:
    """The tip signed by a key this computer has; a new key starts a segment with a row saying why."""
    segments = parse_segments(keys_text)
    key, why = usable_key(segments)
    if key is not None and segments is not None:
        return _Tip(tip_count, prev_hash, segments, key)
    if tip_count == 0 and keys_text is None:  # a new store: the key signs from its first row
        return _start_segment(0, prev_hash, (), stamp)
    previous = segments[-1][1] if segments else ""
    if keys_text is None:
        # A store from before keyed hashing: its rows stay as they are, checked with plain
        # SHA-256 up to here, and the key signs from here on.
        tip = _start_segment(tip_count, prev_hash, ((0, PLAIN),), stamp)
        after: dict[str, Any] = {"reason": "upgrade", "plain_rows": tip_count}
        before: dict[str, Any] | None = None
    elif segments is None:
        tip = _start_segment(tip_count, prev_hash, (), stamp)
        after = {"reason": "keys damaged"}
        before = {"keys": keys_text[:500]}
    else:
        tip = _start_segment(tip_count, prev_hash, segments, stamp)
        after = {"reason": "key unavailable", "previous": previous, "why": why}
        before = None
    after["key"] = tip.key.key_id
    _row, tip = _append(tip, KEY_STARTED, stamp, entity="audit", before=before, after=after)
    if after["reason"] != "upgrade":
        _alert()
    return tip


def _restart(reason: str, head_text: str | None, keys_text: str | None, stamp: datetime) -> _Tip:
    """The log was found empty (or its table gone) although it had been written: start again
    with a new key, in a row that keeps what the head and the key record said."""
    tip = _start_segment(0, GENESIS, (), stamp)
    _row, tip = _append(
        tip,
        RESTARTED,
        stamp,
        entity="audit",
        before={"head": (head_text or "")[:200], "keys": (keys_text or "")[:500]},
        after={"reason": reason, "key": tip.key.key_id},
    )
    _alert()
    return tip


def _table_tip() -> tuple[int, str] | None:
    """(rows, last hash) read from the table itself; None when the table is gone."""
    try:
        count = int(run_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0])
        last = run_sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except DatabaseError as exc:
        if is_missing_table(exc):
            return None
        raise
    return count, (str(last[0]) if last else GENESIS)


def _tip(stamp: datetime, *, appending: bool) -> _Tip | None:
    """The chain's tip, repaired first if the head, the key record or the table is damaged.
    None only when nothing is to be written and the log is new (nothing to repair)."""
    meta = read_meta(HEAD_KEY, KEYS_KEY)
    head_text, keys_text = meta.get(HEAD_KEY), meta.get(KEYS_KEY)
    head = parse_head(head_text)
    if head is not None:
        return _ensure_key(head[0], head[1], keys_text, stamp)
    found = _table_tip()
    if found is None:
        return _after_table_loss(stamp)
    count, last_hash = found
    if count == 0:
        if head_text is None and keys_text is None:  # a new log
            return _ensure_key(0, GENESIS, None, stamp) if appending else None
        return _restart("log empty", head_text, keys_text, stamp)
    # Rows are there but the head is missing or damaged: go on from the last row, and say so.
    tip = _ensure_key(count, last_hash, keys_text, stamp)
    _row, tip = _append(
        tip,
        HEAD_REPAIRED,
        stamp,
        entity="audit",
        before={"head": (head_text or "")[:200]},
        after={"count": tip.count, "head": tip.prev_hash},
    )
    _alert()
    return tip


def record(
    action: str,
    *,
    staff_id: str = "",
    approved_by: str = "",
    entity: str = "",
    entity_id: str = "",
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditLog:
    """Append a row; call inside the write transaction of the action it describes."""
    stamp = moment(at)
    values = {
        "staff_id": staff_id,
        "approved_by": approved_by,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }
    try:
        tip = _tip(stamp, appending=True)
        assert tip is not None
        row, _tip_after = _append(tip, action, stamp, **values)
    except (DatabaseError, sqlite3.OperationalError) as exc:
        if not is_missing_table(exc):
            raise
        # The table was dropped: selling goes on in a new one, after a row that says so.
        row, _tip_after = _append(_after_table_loss(stamp), action, stamp, **values)
    clock_guard.saw(row.at)  # the store's memory of time moves with what it commits
    return row


@dataclass(frozen=True)
class Entry:
    """One row for ``record_many``: what ``record`` takes."""

    action: str
    at: datetime
    staff_id: str = ""
    approved_by: str = ""
    entity: str = ""
    entity_id: str = ""
    before: Any = None
    after: Any = None


def record_many(entries: Sequence[Entry]) -> list[AuditLog]:
    """Append ``entries`` in order, each as ``record`` would write it, with one insert and one
    update of the head: for a bulk load (the demo's drawer days) where a row at a time is the
    cost. Call inside the write transaction; the rows come back with their seq."""
    if not entries:
        return []
    tip = _tip(moment(entries[0].at), appending=True)
    assert tip is not None
    first = _next_seq()
    rows: list[AuditLog] = []
    for entry in entries:
        values = {
            "staff_id": entry.staff_id,
            "approved_by": entry.approved_by,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": entry.before,
            "after": entry.after,
        }
        row = _new_row(tip, entry.action, moment(entry.at), values)
        row.seq = first + len(rows)
        rows.append(row)
        tip = _Tip(tip.count + 1, row.hash, tip.segments, tip.key)
    insert_rows(AuditLog, [{name: getattr(row, name) for name in ROW_COLUMNS} for row in rows])
    write_meta(HEAD_KEY, f"{tip.count}:{tip.prev_hash}")
    clock_guard.saw(max(row.at for row in rows))
    return rows


def _after_table_loss(stamp: datetime) -> _Tip:
    create_table()
    meta = read_meta(HEAD_KEY, KEYS_KEY)
    return _restart("table missing", meta.get(HEAD_KEY), meta.get(KEYS_KEY), stamp)


def repair(at: datetime | None = None) -> None:
    """Mend a damaged head, key record or table now (as the next write would), so the manager
    sees it at login rather than after the next sale. Nothing happens when all is well."""

    def _tx() -> None:
        stamp = moment(at)
        if table_exists():
            _tip(stamp, appending=False)
        else:
            _after_table_loss(stamp)

    try:
        healthy = _healthy()
    except DatabaseError as exc:
        raise DatabaseUnavailable(_("The audit log cannot be read: {error}").format(error=exc)) from exc
    if not healthy:
        write(_tx)


def _healthy() -> bool:
    """Nothing for ``repair`` to mend (read only, so a login takes no write lock for it)."""
    if not table_exists():
        return False
    meta = read_meta(HEAD_KEY, KEYS_KEY)
    head_text, keys_text = meta.get(HEAD_KEY), meta.get(KEYS_KEY)
    if head_text is None:  # a new log, unless rows or a key record say otherwise
        return keys_text is None and run_sql("SELECT 1 FROM audit_log LIMIT 1").fetchone() is None
    if parse_head(head_text) is None:
        return False
    if keys_text is None:
        return True  # a store from before keyed hashing: the next write starts the key
    key, _why = usable_key(parse_segments(keys_text))
    return key is not None
