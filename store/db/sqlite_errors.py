"""SQLite's errors as the store's: a full disk, a busy or read-only database, or a damaged file
becomes an error with a message the user can act on, never a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from store.kernel.errors import DatabaseBusy, DatabaseUnavailable, DiskFull
from store.kernel.i18n import _


def _causes(exc: BaseException) -> list[BaseException]:
    """The error and what it was raised from or while handling, first to last."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc).lower()


def translate_sqlite_error(path: Path, exc: Exception) -> DatabaseUnavailable:
    # SQLITE_FULL undoes the whole transaction itself, so the rollback that follows fails with
    # "cannot rollback - no transaction is active": the disk being full is found in the chain.
    if any(_is_disk_full(cause) for cause in _causes(exc)):
        return DiskFull(
            _(
                "The disk is full, so nothing was saved. Free some disk space or call the manager, "
                "then try again."
            )
        )
    text = str(exc).lower()
    if "cannot rollback" in text:
        return DatabaseUnavailable(
            _(
                "The database stopped in the middle of a write and undid it, so nothing was saved. "
                "Check that the disk has free space or call the manager, then try again."
            )
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(
            _("The database {path} is read-only; sales could not be saved.").format(path=path)
        )
    if "locked" in text or "busy" in text:
        return busy_error()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseUnavailable(
            _("The database {path} is damaged. Restore the last backup.").format(path=path)
        )
    return DatabaseUnavailable(_("The database {path} cannot be used: {error}").format(path=path, error=exc))


def is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def busy_error() -> DatabaseBusy:
    return DatabaseBusy(_("The database is busy (another program holds it). Try again in a moment."))
