"""Put a finished file in a folder so that no one ever sees part of it, not even after a crash.

On Linux the bytes go into an unnamed file in the target folder (O_TMPFILE), are fsynced and
only then given their name (linkat): a process killed or a computer switched off before that
leaves nothing with a name, and the system frees the blocks. Where the folder's file system
cannot (a FAT USB stick, a network share, Windows), the bytes go to a hidden temporary name
(``.<name>.<pid>.<random>.partial``) renamed over the target once fsynced; a crash can leave that
hidden file behind, and the next publish into the folder removes any such file whose process is
gone. Either way the folder itself is fsynced after the name appears, so the name survives a
power cut too.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from store.kernel.files import fsync_directory

_PARTIAL = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.partial$")
USE_TMPFILE = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def publish(target: Path, data: bytes) -> None:
    """``data`` at ``target`` (replacing a file there), all or nothing. OSError as raised."""
    folder = target.parent
    sweep(folder)
    if USE_TMPFILE:
        try:
            fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o666)
        except OSError:
            fd = -1  # this file system cannot: a named temporary file below
        if fd >= 0:
            try:
                _write_all(fd, data)
                _name_unnamed(fd, target)
            finally:
                os.close(fd)
            fsync_directory(folder)
            return
    temporary = _temporary_name(target)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _name_unnamed(fd: int, target: Path) -> None:
    # linkat(…, AT_SYMLINK_FOLLOW) through /proc: os.link asks for it only with a dir_fd given.
    source = f"/proc/self/fd/{fd}"
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            os.link(source, target.name, dst_dir_fd=folder, follow_symlinks=True)
            return
        except FileExistsError:
            pass
        # A file of that name is there: name ours beside it, then rename over it in one step.
        temporary = _temporary_name(target)
        os.link(source, temporary.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")


def sweep(folder: Path) -> list[Path]:
    """Remove the hidden temporary files a crashed publish left in ``folder`` (those of a process
    that is no longer running here); what was removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _PARTIAL.match(name)
        if match is None or _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


def _running(pid: int) -> bool:
    if os.name != "posix" or pid == os.getpid():  # (Windows' os.kill would end the process)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's, or cannot tell: leave it
    return True
