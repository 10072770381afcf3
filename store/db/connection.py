"""Opening the store database safely, and the one way to write to it."""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError, InterfaceError, Model, OperationalError, SqliteDatabase

from store.db import migrations
from store.kernel.errors import DatabaseBusy, DatabaseUnavailable, DiskFull
from store.kernel.i18n import _
from store.models import database

T = TypeVar("T")

PRAGMAS = {
    "journal_mode": "wal",
    # FULL: a committed sale is on the platter before the receipt prints (power loss).
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -16000,
}
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smbfs",
    "smb3",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "davfs",
    "fuse.rclone",
}
MOUNTS_FILE = Path("/proc/mounts")  # a seam: tests point it at a fake mount table


def filesystem_type(path: Path, mounts_text: str | None = None) -> str:
    """The filesystem type holding ``path``, from /proc/mounts ('' where unknown)."""
    if mounts_text is None:
        try:
            mounts_text = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = str(path.resolve())
    best, best_type = "", ""
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _check_location(path: Path) -> None:
    fstype = filesystem_type(path.parent)
    if fstype in NETWORK_FILESYSTEMS:
        raise DatabaseUnavailable(
            _(
                "The database {path} is on a network drive ({fstype}). SQLite can lose data "
                "there; keep the store database on this computer's own disk."
            ).format(path=path, fstype=fstype)
        )
    writable = os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK)
    if path.exists() and not writable:
        raise DatabaseUnavailable(
            _("The database {path} is read-only; sales could not be saved.").format(path=path)
        )


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


def _translate_sqlite_error(path: Path, exc: Exception) -> DatabaseUnavailable:
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
        return _busy_error()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseUnavailable(
            _("The database {path} is damaged. Restore the last backup.").format(path=path)
        )
    return DatabaseUnavailable(_("The database {path} cannot be used: {error}").format(path=path, error=exc))


def _integrity_failure(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        _("The database {path} failed its integrity check. Restore the last backup.").format(path=path)
    )


def unclean_shutdown(path: Path) -> bool:
    """A non-empty -wal file left behind means the last program did not close the database
    (a crash or a power cut), or another terminal has it open right now."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def require_store(path: Path) -> None:
    """Refuse ``path`` unless it is a file holding a zhanggui store's schema: a missing file, a
    folder, an empty file or another program's database. Reads only: nothing is created,
    converted to WAL or migrated, so a mistyped --db leaves no trace."""
    if not path.exists():
        raise DatabaseUnavailable(
            _(
                "No store database at {path}. Check the file name; a new store is set up by "
                "starting zhanggui, a demo store made by zhanggui demo."
            ).format(path=path)
        )
    if not path.is_file():
        raise DatabaseUnavailable(_("{path} is a folder, not a store database.").format(path=path))
    try:
        # A plain connection: no pragmas, so a foreign file is not switched to WAL.
        with contextlib.closing(sqlite3.connect(str(path), timeout=5)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc).lower():  # a price list or a photo given as --db
            raise DatabaseUnavailable(
                _("{path} is not a store database (another kind of file, or damaged beyond use).").format(
                    path=path
                )
            ) from exc
        raise _translate_sqlite_error(path, exc) from exc
    if not version or not tables:
        raise DatabaseUnavailable(
            _("{path} holds no zhanggui store: it is empty or another program's file.").format(path=path)
        )


def open_database(
    path: Path, create: bool = True, *, full_check: bool = True, defer_check: bool = False
) -> SqliteDatabase:
    """Open (and create or upgrade) the store database; refuse one that is unsafe to use.
    ``create=False`` opens only an existing store (see require_store).

    ``full_check=False`` skips quick_check after a clean shutdown: on a large store it reads
    the whole file, which the console does in the background instead (integrity_problem).
    After an unclean shutdown the check runs before anything is written, unless the caller
    runs it itself at once in the background (``defer_check``: the console, which must reach
    its login screen quickly after a power cut and stops selling if the check fails)."""
    path = Path(path)
    check_now = full_check or (unclean_shutdown(path) and not defer_check)
    if not create:
        require_store(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _translate_sqlite_error(path, exc) from exc
    _check_location(path)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=5, check_same_thread=False)
    try:
        db.connect(reuse_if_open=True)
        if check_now:
            result = db.execute_sql("PRAGMA quick_check").fetchone()
            if not result or result[0] != "ok":
                raise _integrity_failure(path)
        else:
            db.execute_sql("PRAGMA schema_version").fetchone()  # "not a database" shows here
        mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            db.close()
            raise DatabaseUnavailable(
                _("The database {path} cannot use write-ahead logging here.").format(path=path)
            )
        database.initialize(db)
        migrate(db)
        _fill_derived_columns()
    except DatabaseUnavailable:
        if not db.is_closed():
            db.close()  # refused (e.g. made by a newer version): leave no connection open on it
        raise
    except (OperationalError, DatabaseError, sqlite3.Error) as exc:
        if not db.is_closed():
            db.close()
        raise _translate_sqlite_error(path, exc) from exc
    return db


class IntegrityCheck:
    """quick_check on a read-only connection of its own, so it can run in a worker thread
    while the shop sells. ``cancel`` (from any thread) interrupts it: quitting the console
    never waits for a check of a large file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._cancelled = threading.Event()

    def run(self) -> str | None:
        """The message to show, or None when the file is sound or the check was cancelled."""
        if self._cancelled.is_set():
            return None
        try:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False)
            try:
                row = self._conn.execute("PRAGMA quick_check").fetchone()
            finally:
                self._conn.close()
        except sqlite3.Error as exc:
            if self._cancelled.is_set():
                return None
            return str(_translate_sqlite_error(self.path, exc))
        if not row or row[0] != "ok":
            return str(_integrity_failure(self.path))
        return None

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` before ``run`` (in the worker thread); False when cancelled
        meanwhile, so quitting the console never waits for the pause either."""
        return not self._cancelled.wait(seconds)

    def cancel(self) -> None:
        self._cancelled.set()
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # already closed: nothing to stop
                conn.interrupt()


def integrity_problem(path: Path) -> str | None:
    """Run quick_check to the end; see IntegrityCheck."""
    return IntegrityCheck(path).run()


def open_memory_database() -> SqliteDatabase:
    """An in-memory database with the full schema, for tests and previews."""
    db = SqliteDatabase(":memory:", pragmas={"foreign_keys": 1}, check_same_thread=False)
    db.connect()
    database.initialize(db)
    migrate(db)
    return db


def _fill_derived_columns() -> None:
    """Columns a migration added but SQL cannot compute (customer search keys in pinyin,
    random referral codes), for rows written by an older version or a bulk load."""
    from store.crm import search  # the crm package writes through this module

    if search.missing_keys():
        search.fill_search_keys()
    from store.referrals import codes

    if codes.missing_codes():
        codes.fill_codes()


def schema_version(db: SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: SqliteDatabase) -> int:
    """Bring the schema to the latest version, each step in its own immediate transaction."""
    current = schema_version(db)
    if current > migrations.LATEST:
        raise DatabaseUnavailable(
            _("This database was made by a newer zhanggui (schema {found}); please upgrade.").format(
                found=current
            )
        )
    for version in range(current + 1, migrations.LATEST + 1):
        with db.atomic("IMMEDIATE"):
            for statement in migrations.MIGRATIONS[version - 1]:
                db.execute_sql(statement)
            db.execute_sql(f"PRAGMA user_version = {version}")
    return migrations.LATEST


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


WAIT_SLICE_MS = 250  # each try waits this long for the lock, so the wait can be reported
SAY_AFTER = 1.5  # seconds waited before on_wait is called: the cashier hears why it waits
GIVE_UP_AFTER = 3.0  # seconds a write waits unless told otherwise (the console's event loop)
SALE_GIVE_UP_AFTER = 60.0  # a sale committing in a worker, which says why it waits
clock: Callable[[], float] = time.monotonic  # a seam: tests hand in a fake clock


class Patience:
    """How long a write waits for another writer's lock, and whom it tells while it waits:
    ``on_wait(seconds_waited)`` is called (from the writing thread) after each try that found
    the database busy once SAY_AFTER seconds have passed."""

    def __init__(
        self, give_up_after: float = GIVE_UP_AFTER, on_wait: Callable[[float], None] | None = None
    ) -> None:
        self.give_up_after = give_up_after
        self.on_wait = on_wait


_patience: contextvars.ContextVar[Patience | None] = contextvars.ContextVar("patience", default=None)


@contextlib.contextmanager
def waiting(patience: Patience) -> Iterator[None]:
    """Writes made inside the block (on this thread) wait as ``patience`` says."""
    token = _patience.set(patience)
    try:
        yield
    finally:
        _patience.reset(token)


def _busy_error() -> DatabaseBusy:
    return DatabaseBusy(_("The database is busy (another program holds it). Try again in a moment."))


def write(fn: Callable[[], T], *, patience: Patience | None = None) -> T:
    """Run ``fn`` in one immediate transaction. Nested calls join the outer transaction.

    While another writer holds the lock it tries again every WAIT_SLICE_MS, telling
    ``patience.on_wait`` how long it has waited, and gives up after ``patience.give_up_after``
    seconds (GIVE_UP_AFTER by default, or what an enclosing ``waiting`` block says) with a
    DatabaseBusy. A busy or read-only database becomes a DatabaseUnavailable with a message,
    never a traceback."""
    db = database.obj
    if db.in_transaction():
        with db.atomic():
            return fn()
    wait = patience or _patience.get() or Patience()
    started = clock()
    db.execute_sql(f"PRAGMA busy_timeout = {WAIT_SLICE_MS}")
    try:
        while True:
            try:
                with db.atomic("IMMEDIATE"):
                    return fn()
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise _translate_sqlite_error(Path(db.database), exc) from exc
                waited = clock() - started
                if waited >= wait.give_up_after:
                    raise _busy_error() from exc
                if waited >= SAY_AFTER and wait.on_wait is not None:
                    wait.on_wait(waited)
                time.sleep(0.01 + random.random() * 0.02)  # a lock that is not waited on: no spin
    finally:
        with contextlib.suppress(OperationalError, InterfaceError):
            db.execute_sql(f"PRAGMA busy_timeout = {PRAGMAS['busy_timeout']}")


def release_thread_connection() -> None:
    """Close the connection peewee opened for this worker thread (never the main one's), so
    short-lived workers leave no connection behind."""
    if threading.current_thread() is not threading.main_thread():
        database.obj.close()


def read(fn: Callable[[], T]) -> T:
    """Run a read; a database that cannot be read becomes a DatabaseUnavailable with a
    message, never a traceback."""
    db = database.obj
    try:
        return fn()
    except (DatabaseError, InterfaceError, sqlite3.Error) as exc:
        raise _translate_sqlite_error(Path(str(db.database)), exc) from exc


_INSERT_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Insert rows of ``model`` with one prepared statement. Values go through each field's
    db_value, so peewee reads them back exactly as if it had written them; the SQL text is
    built once per column set instead of once per row, which is most of a sale commit's cost."""
    if not rows:
        return
    meta = model._meta
    columns = tuple(rows[0])
    key = (meta.table_name, columns)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        names = ", ".join(f'"{meta.fields[c].column_name}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = _INSERT_SQL[key] = f'INSERT INTO "{meta.table_name}" ({names}) VALUES ({marks})'
    fields = [meta.fields[c] for c in columns]
    values = [tuple(f.db_value(row[c]) for f, c in zip(fields, columns, strict=True)) for row in rows]
    cursor = database.obj.cursor()
    cursor.executemany(sql, values)
