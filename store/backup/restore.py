"""Putting a backup back: the file is checked as a new backup is, copied beside the store's
database and checked again, and only then takes the database's name in one rename. The
database it replaces is kept beside it under a name with the time, untouched. At every moment
the database's name holds either the old whole store or the restored whole store.

A restore is a manager's act, recorded in the restored audit log and in the anchors file
(store.backup.restore_audit), so a later ``audit verify`` tells it from an older copy of the
database put back behind the program's back."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.backup import restore_audit
from store.backup.restore_audit import Before
from store.backup.verify import BackupInfo, read_only_uri, verify_backup
from store.kernel.errors import DatabaseUnavailable, ZhangguiError
from store.kernel.files import fsync_directory
from store.kernel.i18n import _

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    kept: Path | None  # where the database it replaced now is (None: there was none)
    note: str | None = None  # the restore is done, but its audit record or marker is not


def current_store_code(db_path: Path) -> str | None:
    """The store code in the database at ``db_path``, or None when it cannot be read."""
    if not db_path.is_file():
        return None
    try:
        with contextlib.closing(
            sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        ) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'store_code'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None


def _quiesce(db_path: Path) -> None:
    """Fold the database's write-ahead log into the file and leave WAL mode, which SQLite does
    only when no other connection has the file open: a till or a command using it is refused
    here, before anything changed. A database too damaged for this is left as it is (its
    -wal is kept beside it below)."""
    if not db_path.exists():
        return
    try:  # read-only first: SQLite drops the -wal of a file it cannot read when it closes it
        with contextlib.closing(sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)) as probe:
            probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError:
        pass  # locked or busy: said below
    except sqlite3.DatabaseError:
        return  # damaged beyond reading: its -wal is kept beside it as it is
    try:
        with contextlib.closing(sqlite3.connect(str(db_path), timeout=1, isolation_level=None)) as conn:
            mode = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise _in_use(db_path) from exc
        return
    except sqlite3.DatabaseError:
        return
    if mode != "delete":
        raise _in_use(db_path)


def _back_to_wal(db_path: Path) -> None:
    """Undo _quiesce after a failed restore: the database as the program keeps it."""
    if not db_path.exists():
        return  # a new computer: nothing to undo, and no empty file to leave behind
    with (
        contextlib.suppress(sqlite3.Error),
        contextlib.closing(sqlite3.connect(str(db_path), timeout=1)) as conn,
    ):
        conn.execute("PRAGMA journal_mode = WAL")


def _in_use(db_path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        _(
            "The database {path} is in use (a till or another command has it open). Close zhanggui "
            "everywhere that uses it, then restore again; nothing was changed."
        ).format(path=db_path)
    )


def _kept_path(db_path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    number = 0
    while True:
        tail = f"-{number}" if number else ""
        kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{tail}{db_path.suffix}")
        if not any(Path(f"{kept}{side}").exists() for side in ("", *SIDE_FILES)):
            return kept
        number += 1


def _copy_in(source: Path, target: Path) -> None:
    """Copy the backup with SQLite's backup API into ``target`` and fsync it."""
    with (
        contextlib.closing(sqlite3.connect(read_only_uri(source), uri=True)) as src,
        contextlib.closing(sqlite3.connect(str(target), isolation_level=None)) as dst,
    ):
        src.backup(dst)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_current(db_path: Path, kept: Path) -> None:
    """Give the current database the name ``kept`` as well (a hard link: no copy, and the
    database's own name still holds it); its leftover -wal goes with it."""
    try:
        os.link(db_path, kept)
    except OSError:  # a filesystem without hard links: the file is quiet now, so a copy is whole
        shutil.copy2(db_path, kept)
        with open(kept, "rb") as handle:
            os.fsync(handle.fileno())
    for side in ("-wal",):
        leftover = Path(f"{db_path}{side}")
        if leftover.exists():
            os.replace(leftover, Path(f"{kept}{side}"))
    for side in ("-shm", "-journal"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    fsync_directory(db_path.parent)


def restore_backup(
    backup: Path,
    db_path: Path,
    *,
    store_code: str,
    now: datetime,
    confirm: Callable[[BackupInfo], bool] | None = None,
    new: bool = False,
    staff_code: str = "",
    pin: str = "",
) -> RestoreResult | None:
    """Put the backup at ``backup`` in place of the database at ``db_path``. ``store_code`` is
    this store's; ``now`` (the store's local time) names the kept copy of the database. Refused
    with a sentence (and nothing changed) for a damaged, cut-short, foreign or unknown file, or
    while the database is in use. ``confirm`` is asked once the backup checked out (False: None
    is returned, nothing changed). A database that is not there is refused, as by every command,
    unless ``new`` (a new computer): then its folder must exist.

    ``staff_code`` and ``pin`` are a manager's, checked in the database replaced (in the copy of
    the backup when that one cannot be opened); PermissionDenied without them, unless this is a
    new computer (restore_audit.is_new_computer). The restore is recorded in the restored audit
    log and the anchors file."""
    backup, db_path = Path(backup), Path(db_path)
    if not db_path.exists() and not (new and db_path.parent.is_dir()):
        raise DatabaseUnavailable(
            _(
                "No store database at {path}. Check the file name; a new store is set up by "
                "starting zhanggui, a demo store made by zhanggui demo."
            ).format(path=db_path)
        )
    if backup.resolve() == db_path.resolve():
        raise DatabaseUnavailable(
            _("{path} is the store's database itself, not a backup of it.").format(path=backup)
        )
    before: Before | None = None  # None: the manager is checked in the copy of the backup
    if db_path.exists():
        before = restore_audit.check_current(db_path, staff_code, pin)
    elif restore_audit.is_new_computer(db_path, store_code):
        before = Before(None, None)
    checked = verify_backup(backup, store_code, exact_schema=False)
    if confirm is not None and not confirm(checked):
        return None
    sha256 = restore_audit.file_sha256(backup)
    _quiesce(db_path)
    incoming = db_path.with_name(f".{db_path.name}.restoring-{os.getpid()}")
    kept: Path | None = None
    try:
        incoming.unlink(missing_ok=True)
        _copy_in(backup, incoming)
        info = verify_backup(incoming, store_code, exact_schema=False)
        brought = restore_audit.head_of(incoming)
        if before is None:
            before = Before(restore_audit.check_in_copy(incoming, staff_code, pin), None)
        if db_path.exists():
            kept = _kept_path(db_path, now)
            _keep_current(db_path, kept)
        os.replace(incoming, db_path)
        fsync_directory(db_path.parent)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _back_to_wal(db_path)
        raise DatabaseUnavailable(
            _("The backup could not be put back ({error}); the database {path} is as it was.").format(
                error=reason, path=db_path
            )
        ) from exc
    except ZhangguiError:
        _back_to_wal(db_path)
        raise
    finally:
        for side in ("", *SIDE_FILES):
            with contextlib.suppress(OSError):
                Path(f"{incoming}{side}").unlink(missing_ok=True)
    try:
        note = restore_audit.record_restore(db_path, backup, sha256, before, brought)
    except ZhangguiError as exc:
        note = _(
            "The backup was put back, but the audit log could not record it ({error}); "
            "'zhanggui audit verify' will report the replaced database's anchors."
        ).format(error=exc)
    final = BackupInfo(backup, info.store_code, info.schema, info.audit_rows, info.size)
    return RestoreResult(final, kept, note)
