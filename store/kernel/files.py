"""Files the store writes for someone else to take in (a transfer file): written whole or not
at all, and on the disk before the database says they exist."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_durably(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that a crash or a full disk leaves either no file or
    the whole one: a temporary file in the same folder, flushed and fsynced, renamed over
    ``target``, then the folder fsynced so the rename itself survives a power cut. An
    OSError is raised as it is; no temporary file is left behind."""
    directory = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_directory(directory)


def remove_durably(target: Path) -> None:
    """Remove ``target`` if it is there (the undo of write_durably); never raises."""
    with contextlib.suppress(OSError):
        target.unlink(missing_ok=True)
        fsync_directory(target.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename or removal in ``directory`` durable; not possible (or needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
