"""What the rows the chain writes about itself mean, in sentences, and the alerts about them a
manager is shown at login until acknowledged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any

from peewee import DatabaseError

from store.audit.chain import alert_seqs, record
from store.audit.hashing import (
    ALERTING,
    ALERTS_KEY,
    ALERTS_SEEN,
    HEAD_REPAIRED,
    KEY_STARTED,
    RESTARTED,
    read_meta,
    run_sql,
)
from store.db.transaction import write
from store.kernel.auth import Actor, manager_authority
from store.kernel.i18n import _, ngettext
from store.models import AuditLog


def event_time(at: Any, tz: tzinfo | None) -> str:
    """A stored (naive UTC) time for a sentence: in the store's time zone when it is known."""
    if not isinstance(at, datetime):
        return str(at)
    if tz is None:
        return at.strftime("%Y-%m-%d %H:%M UTC")
    return at.replace(tzinfo=UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def loads_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def event_sentence(row: AuditLog, tz: tzinfo | None = None) -> str:
    """What a row the chain wrote about itself means, in a sentence."""
    after = loads_object(row.after)
    when = event_time(row.at, tz)
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
        plain = after.get("plain_rows")
        if not isinstance(plain, int):  # an old or damaged record: the count is not known
            return _("Keyed hashing starts here; the rows before it use plain SHA-256.")
        return ngettext(
            "Keyed hashing starts here; the {count} row before it uses plain SHA-256.",
            "Keyed hashing starts here; the {count} rows before it use plain SHA-256.",
            plain,
        ).format(count=plain)
    if row.action == KEY_STARTED and after.get("reason") == "keys damaged":
        return _(
            "On {when} the record of the audit keys was found damaged; a new key signs from here."
        ).format(when=when)
    if row.action == KEY_STARTED:
        return _(
            "On {when} the audit key of the rows before was not on this computer; a new key signs from here."
        ).format(when=when)
    return row.action


def alerts(tz: tzinfo | None = None) -> list[str]:
    """Sentences about damage the chain found and repaired, not yet seen by a manager (times in
    ``tz``, the store's zone, when given)."""
    try:
        seqs = alert_seqs(read_meta(ALERTS_KEY).get(ALERTS_KEY))
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
        seqs = alert_seqs(read_meta(ALERTS_KEY).get(ALERTS_KEY))
        run_sql("DELETE FROM meta WHERE key = ?", (ALERTS_KEY,))
        record(ALERTS_SEEN, staff_id=staff_id, entity="audit", after={"rows": seqs}, at=at)

    write(_tx)
