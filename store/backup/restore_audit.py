"""Who may put a backup back, and what the restored store remembers of it.

A restore is a manager's act: the staff code and PIN are checked in the database being
replaced (a wrong PIN counts there, as at the till). When that database cannot be opened
(damaged: the usual reason to restore) they are checked in the copy of the backup before it
takes the database's name. Only a computer that has no database and has kept no anchor of
this store (a new computer) restores without one: there is nobody to ask yet.

After the swap the restored log gets a row saying which file (name, SHA-256) was put back, by
whom, the head the replaced database had and the head the backup brought; then the anchors file
gets a restore marker (store.audit.keys) whose anchor is the head after that row, so
``zhanggui audit verify`` no longer holds the replaced database's anchors against it."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from store.audit import anchoring, chain
from store.audit import keys as audit_files
from store.audit.keys import Anchor
from store.backup.verify import reading
from store.db.connection import open_database
from store.db.transaction import write
from store.kernel import auth
from store.kernel.errors import DatabaseUnavailable, PermissionDenied
from store.kernel.i18n import _
from store.models import database

RESTORED = "backup.restored"


@dataclass(frozen=True)
class Restorer:
    """The manager putting a backup back (staff id as in the database that checked the PIN)."""

    staff_id: str
    name: str
    code: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Before:
    """What the restore found before the swap: who, and the replaced log's head."""

    who: Restorer | None
    replaced: Anchor | None


def is_new_computer(db_path: Path, store_code: str) -> bool:
    """No database at ``db_path`` and no anchor of ``store_code`` kept on this computer: the
    only case where a restore needs no manager."""
    return not db_path.exists() and not audit_files.read_anchors(store_code).anchors


def need_manager() -> PermissionDenied:
    return PermissionDenied(
        _("Only a manager may put a backup back: give a manager's staff code and PIN; nothing was changed.")
    )


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[None]:
    """The store at ``path`` open in this thread for the block, the process's own database (if
    any) given back after it."""
    previous = database.obj
    db = open_database(path, create=False, full_check=False)
    try:
        yield
    finally:
        db.close()
        database.initialize(previous)


def _sign_in(staff_code: str, pin: str) -> Restorer:
    actor = auth.sign_in(staff_code, pin)
    auth.manager_authority(actor, needed=str(need_manager()))
    return Restorer(actor.staff_id, actor.name, staff_code)


def _readable(path: Path) -> bool:
    """The file reads as a store, on a read-only connection: one that reads and writes would
    drop the -wal of a damaged file when it closes it (the -wal the restore keeps beside it)."""
    try:
        with contextlib.closing(
            sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        ) as conn:
            conn.execute("SELECT count(*) FROM meta").fetchone()
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc).lower() or "busy" in str(exc).lower()  # said when it is quiesced
    except sqlite3.DatabaseError:
        return False
    return True


def check_current(db_path: Path, staff_code: str, pin: str) -> Before | None:
    """The manager checked in the database being replaced, and its head; None when that
    database cannot be opened (check_in_copy then checks the manager). PermissionDenied for a
    wrong PIN or someone who is not a manager."""
    if not staff_code:
        raise need_manager()
    if not _readable(db_path):
        return None
    who: Restorer | None = None
    try:
        with _opened(db_path):
            who = _sign_in(staff_code, pin)
            return Before(who, anchoring.head())
    except DatabaseUnavailable:
        return None if who is None else Before(who, None)  # signed in, its head unreadable


def check_in_copy(copy: Path, staff_code: str, pin: str) -> Restorer:
    """The manager checked in the copy of the backup (the replaced database could not be opened)."""
    if not staff_code:
        raise need_manager()
    with _opened(copy):
        return _sign_in(staff_code, pin)


def head_of(path: Path) -> Anchor:
    """The audit head of the (checked, read-only) file at ``path``."""
    with reading(path):
        return anchoring.head()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record_restore(db_path: Path, backup: Path, sha256: str, before: Before, brought: Anchor) -> str | None:
    """In the restored store at ``db_path``: the audit row, then the restore marker in the
    anchors file. A sentence when the marker could not be kept (the row is written)."""

    def _heads(anchor: Anchor | None) -> dict[str, object] | None:
        return None if anchor is None else {"rows": anchor.count, "head": anchor.head}

    who = before.who
    with _opened(db_path):

        def _tx() -> None:
            chain.record(
                RESTORED,
                staff_id=who.staff_id if who else "",
                approved_by=who.staff_id if who else "",
                entity="backup",
                entity_id=backup.name,
                before=_heads(before.replaced),
                after={
                    "file": backup.name,
                    "sha256": sha256,
                    "by": who.label if who else "",
                    **(_heads(brought) or {}),
                },
            )

        write(_tx)
        now_head = anchoring.head()
    try:
        audit_files.append_restore(
            now_head,
            file=backup.name,
            sha256=sha256,
            by=who.label if who else "",
            replaced=before.replaced,
            backup_count=brought.count,
        )
    except OSError as exc:
        return _("The audit anchor could not be kept in {path}: {error}").format(
            path=audit_files.anchors_path(now_head.store_code), error=exc.strerror or exc
        )
    return None
