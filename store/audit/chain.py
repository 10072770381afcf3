"""A hash-chained audit log, keyed with a secret kept outside the database, and anchored.

Each row's hash covers its fields and the previous row's hash, so editing or deleting a row
breaks the chain. The hash is an HMAC-SHA-256 under the store's secret key (store.audit.keys,
in the user config folder), so someone holding only the database file cannot recompute the
chain after an edit. The head (row count and last hash) is kept in ``meta``; anchors of it are
kept outside the file (and printed for the manager), so an emptied, cut or rewritten log, or
an older copy of the database put back, is found by ``check``.

Which key signs which rows is the list of segments in ``meta['audit_keys']``: ``[[first seq,
key id], …]``. A key id of ``""`` is a store's history from before keyed hashing (plain
SHA-256), allowed only as the first segment: it is never re-chained. Every later segment
starts with a key of its own whose file records the same first row.

A damaged head, a damaged key record, a missing key or a dropped table never stops a sale:
``record`` repairs what it needs inside the sale's transaction and writes a row saying what it
found, which ``check`` reports and the manager is shown at login (``alerts``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from peewee import DatabaseError, InterfaceError

from store.audit import keys as audit_files
from store.audit.keys import Anchor, AuditKey, KeyUnavailable
from store.db import migrations
from store.db.connection import insert_rows, write
from store.kernel import clock_guard, moment
from store.kernel.auth import Actor, manager_authority
from store.kernel.errors import DatabaseUnavailable, ZhangguiError
from store.kernel.i18n import _
from store.kernel.ids import new_id
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
_COLUMNS = (
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


def _digest(prev_hash: str, fields: dict[str, str], secret: bytes | None = None) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    data = (prev_hash + canonical).encode("utf-8")
    if secret is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def _fields(row: AuditLog) -> dict[str, str]:
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


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _parse_head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    count_text, _sep, head = text.partition(":")
    if not count_text.isdigit() or not _HASH.match(head):
        return None
    return int(count_text), head


@functools.lru_cache(maxsize=16)
def _parse_segments(text: str | None) -> tuple[Segment, ...] | None:
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


def _is_missing_table(exc: BaseException) -> bool:
    return "no such table: audit_log" in str(exc).lower()


def _sql(sql: str, params: tuple[Any, ...] = ()) -> Any:
    return database.obj.execute_sql(sql, params)


def _meta(*keys: str) -> dict[str, str]:
    marks = ", ".join("?" for _k in keys)
    cursor = _sql(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys)
    return {str(key): str(value) for key, value in cursor.fetchall()}


def _set_meta(key: str, value: str) -> None:
    _sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _create_table() -> None:
    """The audit_log table as the migrations made it (a dropped table comes back empty)."""
    for version in migrations.MIGRATIONS:
        for statement in version:
            if '"audit_log"' in statement:
                statement = statement.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
                statement = statement.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1)
                statement = statement.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                _sql(statement)


def _table_exists() -> bool:
    found = _sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    return found.fetchone() is not None


# ---- writing -----------------------------------------------------------------------------


@dataclass
class _Tip:
    """Where the next row goes: rows so far, the last hash, the segments and the signing key."""

    count: int
    prev_hash: str
    segments: tuple[Segment, ...]
    key: AuditKey


def _usable_key(segments: tuple[Segment, ...] | None) -> tuple[AuditKey | None, str]:
    """The key of the last segment if this computer has it, else (None, why not)."""
    if not segments or segments[-1][1] == PLAIN:
        return None, ""
    try:
        return audit_files.load_key(segments[-1][1]), ""
    except KeyUnavailable as exc:
        return None, str(exc)


def _next_seq() -> int:
    return int(_sql("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log").fetchone()[0])


def _new_key(from_seq: int, stamp: datetime) -> AuditKey:
    store_code = _meta("store_code").get("store_code", "")
    try:
        return audit_files.create_key(from_seq=from_seq, store_code=store_code, created=stamp)
    except OSError as exc:
        raise AuditKeyNotSaved(
            _("The audit key cannot be saved in {path}: {error}. Nothing was written.").format(
                path=audit_files.audit_dir(), error=exc.strerror or exc
            )
        ) from exc


def _append(tip: _Tip, action: str, stamp: datetime, **values: Any) -> tuple[AuditLog, _Tip]:
    row = AuditLog(
        id=new_id(),
        at=stamp,
        staff_id=values.get("staff_id", ""),
        approved_by=values.get("approved_by", ""),
        action=action,
        entity=values.get("entity", ""),
        entity_id=values.get("entity_id", ""),
        before=_dump(values.get("before")),
        after=_dump(values.get("after")),
        prev_hash=tip.prev_hash,
    )
    row.hash = _digest(tip.prev_hash, _fields(row), tip.key.secret)
    insert_rows(AuditLog, [{name: getattr(row, name) for name in _COLUMNS}])
    # The head (count and last hash) makes deleting the newest rows detectable too.
    _set_meta(HEAD_KEY, f"{tip.count + 1}:{row.hash}")
    return row, _Tip(tip.count + 1, row.hash, tip.segments, tip.key)


def _alert() -> None:
    """The row just written is one a manager must see at login."""
    pending = _alert_seqs(_meta(ALERTS_KEY).get(ALERTS_KEY))
    _set_meta(ALERTS_KEY, json.dumps([*pending, _next_seq() - 1]))


def _alert_seqs(text: str | None) -> list[int]:
    try:
        data = json.loads(text or "[]")
        return [int(seq) for seq in data]
    except (ValueError, TypeError):
        return []


def _start_segment(count: int, prev_hash: str, segments: tuple[Segment, ...], stamp: datetime) -> _Tip:
    first = _next_seq()
    key = _new_key(first, stamp)
    segments = (*segments, (first, key.key_id))
    _set_meta(KEYS_KEY, json.dumps([list(s) for s in segments]))
    return _Tip(count, prev_hash, segments, key)


def _ensure_key(tip_count: int, prev_hash: str, keys_text: str | None, stamp: datetime) -> _Tip:
    """The tip signed by a key this computer has; a new key starts a segment with a row saying why."""
    segments = _parse_segments(keys_text)
    key, why = _usable_key(segments)
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
        count = int(_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0])
        last = _sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except DatabaseError as exc:
        if _is_missing_table(exc):
            return None
        raise
    return count, (str(last[0]) if last else GENESIS)


def _tip(stamp: datetime, *, appending: bool) -> _Tip | None:
    """The chain's tip, repaired first if the head, the key record or the table is damaged.
    None only when nothing is to be written and the log is new (nothing to repair)."""
    meta = _meta(HEAD_KEY, KEYS_KEY)
    head_text, keys_text = meta.get(HEAD_KEY), meta.get(KEYS_KEY)
    head = _parse_head(head_text)
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
        if not _is_missing_table(exc):
            raise
        # The table was dropped: selling goes on in a new one, after a row that says so.
        row, _tip_after = _append(_after_table_loss(stamp), action, stamp, **values)
    clock_guard.saw(row.at)  # the store's memory of time moves with what it commits
    return row


def _after_table_loss(stamp: datetime) -> _Tip:
    _create_table()
    meta = _meta(HEAD_KEY, KEYS_KEY)
    return _restart("table missing", meta.get(HEAD_KEY), meta.get(KEYS_KEY), stamp)


def repair(at: datetime | None = None) -> None:
    """Mend a damaged head, key record or table now (as the next write would), so the manager
    sees it at login rather than after the next sale. Nothing happens when all is well."""

    def _tx() -> None:
        stamp = moment(at)
        if _table_exists():
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
    if not _table_exists():
        return False
    meta = _meta(HEAD_KEY, KEYS_KEY)
    head_text, keys_text = meta.get(HEAD_KEY), meta.get(KEYS_KEY)
    if head_text is None:  # a new log, unless rows or a key record say otherwise
        return keys_text is None and _sql("SELECT 1 FROM audit_log LIMIT 1").fetchone() is None
    if _parse_head(head_text) is None:
        return False
    if keys_text is None:
        return True  # a store from before keyed hashing: the next write starts the key
    key, _why = _usable_key(_parse_segments(keys_text))
    return key is not None


# ---- the head and its anchors -------------------------------------------------------------


def head(at: datetime | None = None) -> Anchor:
    """The chain's head now, for a day close, an export bundle or a Z report to carry; a later
    ``check(anchor)`` finds any rewriting, emptying or cutting of the log up to it."""
    meta = _meta(HEAD_KEY, KEYS_KEY, "store_code")
    segments = _parse_segments(meta.get(KEYS_KEY))
    key_id = segments[-1][1] if segments else ""
    stamp = moment(at)
    store_code = meta.get("store_code", "")
    try:
        last = _sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except DatabaseError as exc:
        if not _is_missing_table(exc):
            raise DatabaseUnavailable(_("The audit head cannot be read: {error}").format(error=exc)) from exc
        return Anchor(0, GENESIS, stamp, store_code, key_id)
    last_hash = str(last[0]) if last else GENESIS
    parsed = _parse_head(meta.get(HEAD_KEY))
    if parsed is not None and parsed[1] == last_hash:
        count = parsed[0]
    else:
        count = int(_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0])
    return Anchor(count, last_hash, stamp, store_code, key_id)


def keep_head(reason: str, at: datetime | None = None) -> str | None:
    """Keep the head now as an anchor outside the database (a clean exit, a verify); a
    sentence if it could not be, never an exception."""
    try:
        anchor = head(at)
    except ZhangguiError as exc:
        return str(exc)
    except (DatabaseError, InterfaceError) as exc:
        return _("The audit head cannot be read: {error}").format(error=exc)
    return keep_anchor(anchor, reason)


def keep_anchor(anchor: Anchor, reason: str) -> str | None:
    """Append ``anchor`` to the anchors file outside the database; a sentence if it failed."""
    if anchor.count == 0:
        return None
    try:
        audit_files.append_anchor(anchor, reason)
    except OSError as exc:
        return _("The audit anchor could not be kept in {path}: {error}").format(
            path=audit_files.anchors_path(anchor.store_code), error=exc.strerror or exc
        )
    return None


# ---- checking ----------------------------------------------------------------------------


@dataclass
class AuditProblem:
    seq: int
    problem: str
    until: int = 0  # the last row of a run of rows with the same finding (0: only ``seq``)


@dataclass
class AuditReport:
    rows: int = 0
    # Evidence that the log is not as it was written.
    problems: list[AuditProblem] = field(default_factory=list)
    # Rows this computer cannot check (their key is elsewhere); not evidence of tampering.
    unchecked: list[AuditProblem] = field(default_factory=list)
    # What the chain recorded about itself (repairs, rows from before keyed hashing).
    notes: list[AuditProblem] = field(default_factory=list)
    anchors_checked: int = 0
    head: Anchor | None = None
    tz: tzinfo | None = None  # the zone the sentences give times in (None: UTC)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def complete(self) -> bool:
        return not self.unchecked


class _Runs:
    """Findings per row, merged into runs of consecutive rows with the same sentence."""

    def __init__(self) -> None:
        self.items: list[AuditProblem] = []
        self._last_position: dict[str, int] = {}

    def add(self, position: int, seq: int, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.problem == text and self._last_position.get(text) == position - 1:
            last.until = seq
        else:
            self.items.append(AuditProblem(seq, text))
        self._last_position[text] = position


def _when(at: Any, tz: tzinfo | None) -> str:
    """A stored (naive UTC) time for a sentence: in the store's time zone when it is known."""
    if not isinstance(at, datetime):
        return str(at)
    if tz is None:
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return at.replace(tzinfo=UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _loads(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def event_sentence(row: AuditLog, tz: tzinfo | None = None) -> str:
    """What a row the chain wrote about itself means, in a sentence."""
    after = _loads(row.after)
    when = _when(row.at, tz)
    if row.action == RESTARTED:
        if after.get("reason") == "table missing":
            return _(
                "On {when} the audit log table was found missing: every row written before was lost, "
                "and the chain starts again here."
            ).format(when=when)
        return _(
            "On {when} the audit log was found empty although it had been written: every row written "
            "before was lost, and the chain starts again here."
        ).format(when=when)
    if row.action == HEAD_REPAIRED:
        return _(
            "On {when} the audit head was found damaged or missing; it was restarted from the last row. "
            "Rows cut from the end before then show only against an anchor."
        ).format(when=when)
    if row.action == KEY_STARTED and after.get("reason") == "upgrade":
        return _("Keyed hashing starts here; the {count} rows before it use plain SHA-256.").format(
            count=after.get("plain_rows", "?")
        )
    if row.action == KEY_STARTED and after.get("reason") == "keys damaged":
        return _(
            "On {when} the record of the audit keys was found damaged; a new key signs from here."
        ).format(when=when)
    if row.action == KEY_STARTED:
        return _(
            "On {when} the audit key of the rows before was not on this computer; a new key signs from here."
        ).format(when=when)
    return row.action


def _rows() -> Iterable[AuditLog]:
    return AuditLog.select().order_by(AuditLog.seq).iterator()


def check(*given: Anchor, saved_anchors: bool = True, tz: tzinfo | None = None) -> AuditReport:
    """Walk the chain and compare it with its head, its key files and its anchors (those given,
    e.g. from Z reports, and those kept on this computer). Never raises for a damaged log or
    database: it says what it found. Times in the sentences are in ``tz`` when given."""
    report = AuditReport(tz=tz)
    try:
        _check(report, list(given), saved_anchors=saved_anchors)
    except DatabaseError as exc:
        report.problems.append(AuditProblem(0, _("The audit log cannot be read: {error}").format(error=exc)))
    return report


def _check(report: AuditReport, given: list[Anchor], *, saved_anchors: bool) -> None:
    meta = _meta(HEAD_KEY, KEYS_KEY, "store_code")
    store_code = meta.get("store_code", "")
    kept = audit_files.read_anchors(store_code) if saved_anchors else audit_files.KeptAnchors([], [])
    if kept.damaged:
        report.notes.append(
            AuditProblem(
                0,
                _("{count} lines of the anchors file {path} could not be read.").format(
                    count=kept.damaged, path=audit_files.anchors_path(store_code)
                ),
            )
        )
    if not _table_exists():
        report.problems.append(
            AuditProblem(
                0, _("The audit log table is missing from the database: every audit row was removed.")
            )
        )
        _check_anchors(report, given, kept.anchors, {})
        return
    _walk(report, meta, given, kept)


def _load_keys(report: AuditReport, segments: tuple[Segment, ...]) -> dict[str, AuditKey | str]:
    """Each segment's key, or why this computer cannot use it; a key file that disagrees with
    the database about the row it starts at is a problem."""
    keys: dict[str, AuditKey | str] = {}
    for first, key_id in segments:
        if key_id == PLAIN:
            continue
        try:
            key = audit_files.load_key(key_id)
        except KeyUnavailable as exc:
            keys[key_id] = str(exc)
            continue
        keys[key_id] = key
        if key.from_seq != first:
            report.problems.append(
                AuditProblem(
                    first,
                    _(
                        "the record of where audit key {key} starts was changed (its key file says row {seq})"
                    ).format(key=key_id, seq=key.from_seq),
                )
            )
    return keys


def _retired_keys(row: AuditLog) -> set[str]:
    """The keys a restart or a damaged key record left behind (named in the row itself)."""
    segments = _parse_segments(str(_loads(row.before).get("keys") or "") or None)
    return {key for _first, key in segments or ()}


def _walk(
    report: AuditReport,
    meta: dict[str, str],
    given: list[Anchor],
    kept: audit_files.KeptAnchors,
) -> None:
    store_code = meta.get("store_code", "")
    keys_text = meta.get(KEYS_KEY)
    segments = _parse_segments(keys_text)
    if keys_text is not None and segments is None:
        report.problems.append(
            AuditProblem(
                0, _("The record of the audit keys is damaged: the rows it covered cannot be checked.")
            )
        )
    if segments is None and keys_text is None:
        segments = ((0, PLAIN),)  # a store from before keyed hashing, not written since
    segments = segments or ()
    firsts = [first for first, _key in segments]
    keys = _load_keys(report, segments)
    wanted = {a.count for a in (*given, *kept.anchors)}

    problems, unchecked, plain = _Runs(), _Runs(), _Runs()
    hash_at: dict[int, str] = {}
    retired: set[str] = set()
    prev_hash = GENESIS
    count = 0
    for row in _rows():
        count += 1
        index = bisect.bisect_right(firsts, row.seq) - 1
        if row.prev_hash != prev_hash:
            problems.add(count, row.seq, _("chain broken: a row before it was removed"))
        if index < 0:
            problems.add(count, row.seq, _("no record of the audit keys covers it"))
        else:
            key_id = segments[index][1]
            key = keys.get(key_id)
            if key_id == PLAIN:
                plain.add(count, row.seq, "plain")
                if _digest(row.prev_hash, _fields(row)) != row.hash:
                    problems.add(count, row.seq, _("row was changed after it was written"))
            elif isinstance(key, AuditKey):
                if _digest(row.prev_hash, _fields(row), key.secret) != row.hash:
                    problems.add(count, row.seq, _("row was changed after it was written"))
            else:
                unchecked.add(
                    count,
                    row.seq,
                    _(
                        "not checked: {why}. Copy that key file here from the computer that wrote these rows."
                    ).format(why=key),
                )
        if row.action == RESTARTED:
            problems.add(count, row.seq, event_sentence(row, report.tz))
        elif row.action in ALERTING:
            report.notes.append(AuditProblem(row.seq, event_sentence(row, report.tz)))
        if row.action in ALERTING:
            retired |= _retired_keys(row)
        if count in wanted:
            hash_at[count] = row.hash
        prev_hash = row.hash
    report.rows = count
    report.problems.extend(problems.items)
    report.unchecked.extend(unchecked.items)
    for run in plain.items:
        report.notes.insert(
            0,
            AuditProblem(
                run.seq,
                _(
                    "written before this store's hashes were keyed (plain SHA-256): someone with the "
                    "database file could rewrite them; only an anchor taken since shows they were not"
                ),
                run.until,
            ),
        )
    _check_head(report, meta.get(HEAD_KEY), count, prev_hash)
    if count == 0 and store_code:
        report.problems.append(
            AuditProblem(0, _("The audit log is empty although the store was set up: its rows were removed."))
        )
    # Rows that no key of this computer vouches for (plain, or under a key that is not here)
    # while this computer made a key for this store that the database does not name: the key
    # record was likely removed or replaced to pass rewritten rows off. When every row checks
    # out under a key of this computer, another database of the same store code is no concern.
    named = {key for _first, key in segments} | retired
    doubtful = bool(plain.items or unchecked.items)
    for record_ in kept.keys if doubtful else []:
        if record_.key_id not in named:
            report.problems.append(
                AuditProblem(
                    record_.from_seq,
                    _(
                        "This computer made audit key {key} for store {store} from row {seq}, but the "
                        "database does not name it: its key record was removed or replaced (or it is "
                        "another database with the same store code)."
                    ).format(key=record_.key_id, store=store_code, seq=record_.from_seq),
                )
            )
    _check_anchors(report, given, kept.anchors, hash_at)
    report.head = Anchor(count, prev_hash, None, store_code, segments[-1][1] if segments else "")


def _check_head(report: AuditReport, head_text: str | None, count: int, last_hash: str) -> None:
    if head_text is None:
        if count:
            report.problems.append(AuditProblem(0, _("audit head is missing")))
        return
    parsed = _parse_head(head_text)
    if parsed is None:
        report.problems.append(
            AuditProblem(
                count,
                _(
                    "the audit head is damaged ('{value}'); the next write restarts it from the last row"
                ).format(value=head_text[:40]),
            )
        )
    elif parsed[0] != count or parsed[1] != last_hash:
        report.problems.append(AuditProblem(count, _("rows at the end were removed")))


def _anchor_finding(
    anchor: Anchor, rows: int, hash_at: dict[int, str], *, kept: bool, tz: tzinfo | None
) -> str | None:
    """What is wrong against ``anchor`` (None: the log still reaches it). Anchors kept on this
    computer are named by their time, one given by hand by its token."""
    when = _when(anchor.at, tz) if kept and anchor.at else ""
    if anchor.count > rows:
        if when:
            return _(
                "On {when} the log had {then} rows; now it has {now}: rows were removed, or an older copy "
                "of the database was put back."
            ).format(when=when, then=anchor.count, now=rows)
        return _(
            "The anchor {token} says the log had {then} rows; now it has {now}: rows were removed, or an "
            "older copy of the database was put back."
        ).format(token=anchor.token, then=anchor.count, now=rows)
    if anchor.count and not anchor.matches(hash_at.get(anchor.count, "")):
        if when:
            return _(
                "Row {count} is not the one anchored on {when}: the log up to it was rewritten (or those "
                "anchors belong to another database of the same store code)."
            ).format(count=anchor.count, when=when)
        return _("Row {count} is not the one in the anchor {token}: the log up to it was rewritten.").format(
            count=anchor.count, token=anchor.token
        )
    return None


def _check_anchors(
    report: AuditReport, anchors: list[Anchor], saved: list[Anchor], hash_at: dict[int, str]
) -> None:
    for given in anchors:
        report.anchors_checked += 1
        finding = _anchor_finding(given, report.rows, hash_at, kept=False, tz=report.tz)
        if finding:
            report.problems.append(AuditProblem(given.count, finding))
    failing: list[tuple[Anchor, str]] = []
    for kept in saved:
        report.anchors_checked += 1
        finding = _anchor_finding(kept, report.rows, hash_at, kept=True, tz=report.tz)
        if finding:
            failing.append((kept, finding))
    if failing:
        latest, finding = failing[-1]
        if len(failing) > 1:
            finding += " " + _("{failing} of the {kept} anchors kept on this computer do not match.").format(
                failing=len(failing), kept=len(saved)
            )
        report.problems.append(AuditProblem(latest.count, finding))


def verify(anchor: Anchor | None = None) -> list[AuditProblem]:
    """Walk the chain; an empty list means every row is as it was written (see ``check``)."""
    return check(*([anchor] if anchor is not None else [])).problems


# ---- the manager's attention ---------------------------------------------------------------


def alerts(tz: tzinfo | None = None) -> list[str]:
    """Sentences about damage the chain found and repaired, not yet seen by a manager (times in
    ``tz``, the store's zone, when given)."""
    try:
        seqs = _alert_seqs(_meta(ALERTS_KEY).get(ALERTS_KEY))
        if not seqs:
            return []
        rows = list(AuditLog.select().where(AuditLog.seq.in_(seqs)).order_by(AuditLog.seq))
    except DatabaseError as exc:
        return [_("The audit log cannot be read: {error}").format(error=exc)]
    found = [event_sentence(row, tz) for row in rows if row.action in ALERTING]
    if len(found) < len(seqs):
        found.append(_("Some audit repairs could not be found in the log; run 'zhanggui audit verify'."))
    return found


def acknowledge_alerts(actor: Actor, at: datetime | None = None) -> None:
    """A manager has read the alerts: they stop showing at login (the rows stay in the chain)."""
    staff_id, _approver = manager_authority(actor)

    def _tx() -> None:
        seqs = _alert_seqs(_meta(ALERTS_KEY).get(ALERTS_KEY))
        _sql("DELETE FROM meta WHERE key = ?", (ALERTS_KEY,))
        record(ALERTS_SEEN, staff_id=staff_id, entity="audit", after={"rows": seqs}, at=at)

    write(_tx)
