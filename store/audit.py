"""A hash-chained audit log: editing or deleting a row breaks the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store import clock_guard
from store.db import insert_rows
from store.i18n import _
from store.ids import new_id
from store.models import AuditLog, Meta, database
from store.models.base import utcnow

GENESIS = "0" * 64
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


def _digest(prev_hash: str, fields: dict[str, str]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


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
    db = database.obj
    head = db.execute_sql("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    prev_hash, count = GENESIS, 0
    if head is not None:
        count_text, prev_hash = head[0].split(":", 1)
        count = int(count_text)
    row = AuditLog(
        id=new_id(),
        at=at or utcnow(),
        staff_id=staff_id,
        approved_by=approved_by,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_dump(before),
        after=_dump(after),
        prev_hash=prev_hash,
    )
    row.hash = _digest(prev_hash, _fields(row))
    clock_guard.saw(row.at)  # the store's memory of time moves with what it commits
    insert_rows(AuditLog, [{name: getattr(row, name) for name in _COLUMNS}])
    # The head (count and last hash) makes deleting the newest rows detectable too.
    db.execute_sql(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (f"{count + 1}:{row.hash}",)
    )
    return row


@dataclass
class AuditProblem:
    seq: int
    problem: str


def verify() -> list[AuditProblem]:
    """Walk the chain; an empty list means every row is as it was written."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    count = 0
    for row in AuditLog.select().order_by(AuditLog.seq).iterator():
        count += 1
        if row.prev_hash != prev_hash:
            problems.append(AuditProblem(row.seq, _("chain broken: a row before it was removed")))
        if _digest(row.prev_hash, _fields(row)) != row.hash:
            problems.append(AuditProblem(row.seq, _("row was changed after it was written")))
        prev_hash = row.hash
    head = Meta.get_or_none(Meta.key == "audit_head")
    if head is not None:
        head_count, head_hash = head.value.split(":", 1)
        if int(head_count) != count or head_hash != prev_hash:
            problems.append(AuditProblem(count, _("rows at the end were removed")))
    elif count:
        problems.append(AuditProblem(0, _("audit head is missing")))
    return problems
