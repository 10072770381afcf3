"""Giving big blocks of memory back to the system.

A PIN check is scrypt with n=2**14, r=8: one 16 MiB block. glibc's malloc serves a block that
big with mmap and unmaps it when freed, but it then raises its mmap threshold to that size
("dynamic threshold"), so the next PIN check's 16 MiB comes from the arena of the thread that
runs it and stays there: measured, +16 MiB of RSS for each worker thread that ever checked a
PIN. Fixing the threshold at glibc's default turns the dynamic raise off, and every PIN check
gives its block back."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
import threading
from collections.abc import Iterator

M_MMAP_THRESHOLD = -3  # malloc.h
DEFAULT_THRESHOLD = 128 * 1024  # glibc's own starting value

_done = False
_libc: ctypes.CDLL | None = None


def _c_library() -> ctypes.CDLL | None:
    global _libc
    if _libc is not None or not sys.platform.startswith("linux"):
        return _libc
    try:
        _libc = ctypes.CDLL("libc.so.6")  # glibc's name: no ldconfig run by ctypes.util to find it
    except OSError:
        from ctypes.util import find_library

        name = find_library("c")
        if name is None:
            return None
        try:
            _libc = ctypes.CDLL(name)
        except OSError:
            return None
    return _libc


def return_big_blocks() -> bool:
    """Fix glibc's mmap threshold (once per process); False where there is no glibc."""
    global _done
    if _done:
        return True
    libc = _c_library()
    if libc is None:
        return False
    try:
        mallopt = libc.mallopt
    except AttributeError:
        return False  # musl and others: no mallopt, and no dynamic threshold to undo
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    _done = bool(mallopt(M_MMAP_THRESHOLD, DEFAULT_THRESHOLD))
    return _done


def give_back_free_pages() -> bool:
    """Hand the free pages of every malloc arena back to the system (glibc's malloc_trim), after
    a background job that read a lot: the console's reorder line over every product, the file
    check. glibc keeps what a worker thread freed in that thread's arena, where it stayed in the
    till's RSS for the rest of the day (bench/README.md, the RSS 6 s after the sale screen: with
    the reorder line's reads made smaller, 65.3 MiB became 50.0 on the large demo). A few
    milliseconds; False where there is no glibc."""
    libc = _c_library()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is None:
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True


_paused = 0
_paused_lock = threading.Lock()
_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block builds a large result without cycles
    (RFM's 100,000 scores): every few hundred new containers started a collection, and the
    oldest generation's walked every live object of the process, a third of RFM's time at
    twice the history. Nested or from several threads at once, the collector comes back
    when the last block ends, and only if it was on before the first."""
    global _paused, _was_enabled
    with _paused_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
