"""A till told to stop by the system (SIGTERM at shutdown) quits as Ctrl+Q does: the sale in
progress is suspended and the database closed, so the next start is not taken for a crash. A
hang-up (the terminal gone) still ends it at once: Textual cannot shut down without its
terminal. The real `zhanggui` in a pseudo-terminal, as a shop runs it."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from peewee import SqliteDatabase

from bench.startup_pty import LOGIN_DRAWN, SALE_DRAWN, Terminal, pty_env
from store.db.connection import unclean_shutdown
from store.selling import holds
from tests.conftest import Shop


def _exit_status(term: Terminal, seconds: float = 20.0) -> int | None:
    """The child's exit code once it has ended by itself (the pty kept drained), else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(term.pid, os.WNOHANG)
        if done:
            term.pid = -1  # reaped: close() has nobody left to stop
            return os.waitstatus_to_exitcode(status)
        try:
            os.read(term.fd, 65536)
        except OSError:
            time.sleep(0.05)
    return None


@contextlib.contextmanager
def selling(db: SqliteDatabase, db_path: Path, home: Path) -> Iterator[Terminal]:
    """The console on the test store, P1 logged in and the sale screen drawn; the test's own
    connection closed meanwhile (the console's are then the file's only ones)."""
    db.close()
    term = Terminal([str(Path(sys.executable).with_name("zhanggui")), "--db", str(db_path)], pty_env(home))
    try:
        term.wait_for(LOGIN_DRAWN)
        term.type("P1\r1111\r")
        term.wait_for(SALE_DRAWN)
        yield term
    finally:
        if term.pid > 0:
            term.close()
        else:
            os.close(term.fd)
        db.connect()


def test_sigterm_suspends_the_sale_and_closes_the_store(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    with selling(db, db_path, tmp_path) as term:
        term.type(f"{shop.case.barcode}\r")
        term.wait_for("iPhone 15 Case")
        os.kill(term.pid, signal.SIGTERM)
        assert _exit_status(term) == 0
        assert not unclean_shutdown(db_path)  # no -wal left: the next start is a normal one
    (held,) = holds.held_carts()
    assert shop.case.id in held.payload


def test_a_hang_up_ends_the_console_at_once(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    """Its terminal closed under it, the console must not linger with the store open."""
    with selling(db, db_path, tmp_path) as term:
        os.close(term.fd)  # the terminal goes away: the kernel hangs the console up
        term.fd = os.open(os.devnull, os.O_RDONLY)  # (for _exit_status's reads and the cleanup)
        assert _exit_status(term) == -signal.SIGHUP
