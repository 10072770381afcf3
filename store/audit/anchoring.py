"""The chain's head (row count and last hash) and keeping it as an anchor outside the database.

Anchors are kept outside the file (and printed for the manager), so an emptied, cut or
rewritten log, or an older copy of the database put back, is found by
``store.audit.integrity.check``."""

from __future__ import annotations

from datetime import datetime

from peewee import DatabaseError, InterfaceError

from store.audit import keys as audit_files
from store.audit.hashing import (
    GENESIS,
    HEAD_KEY,
    KEYS_KEY,
    is_missing_table,
    parse_head,
    parse_segments,
    read_meta,
    run_sql,
)
from store.audit.keys import Anchor
from store.kernel import moment
from store.kernel.errors import DatabaseUnavailable, ZhangguiError
from store.kernel.i18n import _


def head(at: datetime | None = None) -> Anchor:
    """The chain's head now, for a day close, an export bundle or a Z report to carry; a later
    ``check(anchor)`` finds any rewriting, emptying or cutting of the log up to it."""
    meta = read_meta(HEAD_KEY, KEYS_KEY, "store_code")
    segments = parse_segments(meta.get(KEYS_KEY))
    key_id = segments[-1][1] if segments else ""
    stamp = moment(at)
    store_code = meta.get("store_code", "")
    try:
        last = run_sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    except DatabaseError as exc:
        if not is_missing_table(exc):
            raise DatabaseUnavailable(_("The audit head cannot be read: {error}").format(error=exc)) from exc
        return Anchor(0, GENESIS, stamp, store_code, key_id)
    last_hash = str(last[0]) if last else GENESIS
    parsed = parse_head(meta.get(HEAD_KEY))
    if parsed is not None and parsed[1] == last_hash:
        count = parsed[0]
    else:
        count = int(run_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0])
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
