"""Backup file names and the rotation: the newest backup of each of the last few days and
weeks is kept, older ones of the same store go. Files that are not this store's backups
(another store's, a file someone put there) are never touched."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.kernel.files import fsync_directory

try:  # a lock on the file being written, so a cleaner never removes a running backup's file
    import fcntl
except ImportError:  # Windows: stale files are left for a person to remove
    fcntl = None  # type: ignore[assignment]

_NAME = re.compile(r"^zhanggui-(?P<code>[A-Za-z0-9]+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db$")
PARTIAL_SUFFIX = ".partial"
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, order=True)
class Backup:
    taken: datetime  # the store's local time in the name
    number: int
    path: Path


def backup_name(store_code: str, taken: datetime, number: int = 0) -> str:
    tail = f"-{number}" if number else ""
    return f"zhanggui-{store_code}-{taken.strftime(STAMP)}{tail}.db"


def backups(folder: Path, store_code: str) -> list[Backup]:
    """This store's backups in ``folder``, oldest first (partial files are not backups)."""
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or match["code"] != store_code or not entry.is_file():
            continue
        try:
            taken = datetime.strptime(match["stamp"], STAMP)
        except ValueError:
            continue
        found.append(Backup(taken, int(match["n"] or 0), Path(entry.path)))
    return sorted(found)


def to_keep(found: list[Backup], daily: int, weekly: int) -> set[Path]:
    """The newest backup of each of the ``daily`` latest days that have one and of each of the
    ``weekly`` latest ISO weeks that have one; the newest of all is always kept."""
    newest = sorted(found, reverse=True)
    keep: set[Path] = {newest[0].path} if newest else set()
    days: dict[object, Path] = {}
    weeks: dict[object, Path] = {}
    for item in newest:
        days.setdefault(item.taken.date(), item.path)
        weeks.setdefault(item.taken.isocalendar()[:2], item.path)
    keep.update(list(days.values())[:daily])
    keep.update(list(weeks.values())[:weekly])
    return keep


def rotate(folder: Path, store_code: str, daily: int, weekly: int) -> list[Path]:
    """Remove this store's backups the rotation no longer keeps; the paths removed."""
    found = backups(folder, store_code)
    keep = to_keep(found, daily, weekly)
    removed = []
    for item in found:
        if item.path not in keep:
            with contextlib.suppress(OSError):
                item.path.unlink()
                removed.append(item.path)
    if removed:
        with contextlib.suppress(OSError):
            fsync_directory(folder)
    return removed


def lock(fd: int) -> None:
    """Hold ``fd``'s file while it is written (released when the process ends, even killed)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def clear_stale(folder: Path) -> list[Path]:
    """Remove the partial files (and the journals SQLite kept beside them) that killed backups
    left in ``folder``, those no running backup holds; the paths removed."""
    removed: list[Path] = []
    if fcntl is None:
        return removed
    try:
        names = [
            e.name for e in os.scandir(folder) if e.name.startswith(".zhanggui-") and PARTIAL_SUFFIX in e.name
        ]
    except OSError:
        return removed
    for name in names:
        path = folder / name
        if not name.endswith(PARTIAL_SUFFIX):  # a journal: goes with its partial file
            owner = folder / name[: name.index(PARTIAL_SUFFIX) + len(PARTIAL_SUFFIX)]
            if not owner.exists() and _unlink(path):
                removed.append(path)
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a backup running now
        else:
            for side in ("-journal", "-wal", "-shm", ""):
                if _unlink(Path(f"{path}{side}")):
                    removed.append(Path(f"{path}{side}"))
        finally:
            os.close(fd)
    return removed


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
