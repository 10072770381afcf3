"""Making a backup: ``VACUUM INTO`` a partial file in the backup folder (a read transaction:
sales go on committing meanwhile), fsync it, check it, then rename it to its name and keep the
rotation. A killed, refused or failed backup leaves no file that looks like a backup."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from store.backup import rotate
from store.backup.verify import BackupInfo, verify_backup
from store.kernel.errors import ZhangguiError
from store.kernel.files import fsync_directory
from store.kernel.i18n import _


class BackupFailed(ZhangguiError):
    """No backup was made (the folder is missing, not writable or full, or the copy did not
    check out); the backups already in the folder are untouched."""


@dataclass(frozen=True)
class BackupResult:
    info: BackupInfo
    seconds: float
    removed: list[Path] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.info.path


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    if isinstance(exc, sqlite3.Error):
        return (
            getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "disk is full" in str(exc).lower()
        )
    return False


def _check_folder(folder: Path, create: bool) -> None:
    if create:
        with contextlib.suppress(OSError):  # said below, in its own words
            folder.mkdir(parents=True, exist_ok=True)
    if not folder.exists():
        raise BackupFailed(
            _(
                "The backup folder {folder} is missing. Plug in the USB stick (or make the folder) "
                "and try again; no backup was made."
            ).format(folder=folder)
        )
    if not folder.is_dir():
        raise BackupFailed(
            _("The backup folder {folder} is a file, not a folder; no backup was made.").format(folder=folder)
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupFailed(
            _(
                "The backup folder {folder} cannot be written to (read-only, or no permission); "
                "no backup was made."
            ).format(folder=folder)
        )


def _failure(folder: Path, exc: BaseException) -> BackupFailed:
    if _disk_full(exc):
        return BackupFailed(
            _(
                "The backup folder {folder} is full, so no backup was made; the backups already there are "
                "kept. Free some space (or use a bigger USB stick) and try again."
            ).format(folder=folder)
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupFailed(_("No backup was made in {folder}: {error}").format(folder=folder, error=reason))


def _final_path(folder: Path, store_code: str, taken: datetime) -> Path:
    number = 0
    while True:
        target = folder / rotate.backup_name(store_code, taken, number)
        if not target.exists():
            return target
        number += 1


TRICKLE_SECONDS = 0.05


@contextlib.contextmanager
def _trickled(fd: int) -> Iterator[None]:
    """While the copy is written, flush what it has written every TRICKLE_SECONDS. Left to the
    end, the whole copy (535 MB on the large demo) went to the disk in one fsync, and a sale
    committing then waited behind it: its own fsync took 385-456 ms in the backup bench, once
    in each way the bench runs a backup. A flush of 50 ms of writing keeps a sale's wait short."""
    done = threading.Event()

    def flush() -> None:
        while not done.wait(TRICKLE_SECONDS):
            with contextlib.suppress(OSError):  # the final fsync says what went wrong
                os.fdatasync(fd)

    flusher = threading.Thread(target=flush, name="zhanggui-backup-flush", daemon=True)
    flusher.start()
    try:
        yield
    finally:
        done.set()
        flusher.join()


def make_backup(
    db_path: Path,
    folder: Path,
    *,
    store_code: str,
    taken: datetime,
    daily: int,
    weekly: int,
    create_folder: bool = False,
) -> BackupResult:
    """Back up the store at ``db_path`` into ``folder``, named by ``taken`` (the store's local
    time), check it, and keep the rotation. BackupFailed with a sentence when it could not be
    made; the folder is then as it was (partial files of killed backups are cleared)."""
    started = time.monotonic()
    folder = Path(folder)
    _check_folder(folder, create_folder)
    rotate.clear_stale(folder)
    target = _final_path(folder, store_code, taken)
    partial = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(3)}{rotate.PARTIAL_SUFFIX}"
    fd = -1
    try:
        fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        rotate.lock(fd)
        source = Path(db_path).resolve().as_uri() + "?mode=rw"  # never creates a missing store
        with (
            contextlib.closing(sqlite3.connect(source, uri=True, timeout=5, isolation_level=None)) as conn,
            _trickled(fd),
        ):
            conn.execute("VACUUM INTO ?", (str(partial),))  # a snapshot: one read transaction
        os.fsync(fd)
        info = verify_backup(partial, store_code)
        os.replace(partial, target)
        fsync_directory(folder)
    except (OSError, sqlite3.Error) as exc:
        raise _failure(folder, exc) from exc
    except ZhangguiError as exc:  # the copy did not check out
        raise BackupFailed(
            _("No backup was made in {folder}: {error}").format(folder=folder, error=exc)
        ) from exc
    finally:
        if fd >= 0:
            os.close(fd)
        for leftover in (partial, Path(f"{partial}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    removed = rotate.rotate(folder, store_code, daily, weekly)
    final = BackupInfo(target, info.store_code, info.schema, info.audit_rows, info.size)
    return BackupResult(final, time.monotonic() - started, removed)
