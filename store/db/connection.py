"""Opening the store database safely: never on a network filesystem, with its pragmas, an
integrity check after an unclean shutdown, and its schema migrated."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

from store.db import backfill, migrations
from store.db.ids import IdConnection
from store.db.sqlite_errors import translate_sqlite_error
from store.kernel.errors import DatabaseUnavailable
from store.kernel.i18n import _
from store.kernel.ids import to_db
from store.models import database

PRAGMAS = {
    "journal_mode": "wal",
    # FULL: a committed sale is on the platter before the receipt prints (power loss).
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -2000,
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
        raise translate_sqlite_error(path, exc) from exc
    if not version or not tables:
        raise DatabaseUnavailable(
            _("{path} holds no zhanggui store: it is empty or another program's file.").format(path=path)
        )


def open_database(
    path: Path,
    create: bool = True,
    *,
    full_check: bool = True,
    defer_check: bool = False,
    on_upgrade: Callable[[], None] | None = None,
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
        raise translate_sqlite_error(path, exc) from exc
    _check_location(path)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=5, check_same_thread=False, factory=IdConnection)
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
        if on_upgrade is not None and 0 < schema_version(db) < migrations.LATEST:
            on_upgrade()  # an upgrade can take a minute on a large store: say so before it starts
        migrate(db)
        backfill.run_all()  # what the domain packages registered (store.db.backfill)
    except DatabaseUnavailable:
        if not db.is_closed():
            db.close()  # refused (e.g. made by a newer version): leave no connection open on it
        raise
    except (OperationalError, DatabaseError, sqlite3.Error) as exc:
        if not db.is_closed():
            db.close()
        raise translate_sqlite_error(path, exc) from exc
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
            return str(translate_sqlite_error(self.path, exc))
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
    db = SqliteDatabase(
        ":memory:", pragmas={"foreign_keys": 1}, check_same_thread=False, factory=IdConnection
    )
    db.connect()
    database.initialize(db)
    migrate(db)
    return db


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
        rebuild = version in migrations.REBUILDS
        if rebuild:
            _rebuild(db, version)
        else:
            with db.atomic("IMMEDIATE"):
                for statement in migrations.MIGRATIONS[version - 1]:
                    db.execute_sql(statement)
                db.execute_sql(f"PRAGMA user_version = {version}")
    return migrations.LATEST


def _rebuild(db: SqliteDatabase, version: int) -> None:
    """A migration that copies tables into new ones: with foreign keys off (dropping a parent
    table would otherwise delete or check its children), in one transaction, and with the
    functions its SQL calls. A store that had rows is vacuumed after, so the file shrinks
    at once instead of keeping the old tables' pages free inside it."""
    db.connection().create_function("id_bytes", 1, to_db, deterministic=True)
    keys_on = int(db.execute_sql("PRAGMA foreign_keys").fetchone()[0])
    cache = int(db.execute_sql("PRAGMA cache_size").fetchone()[0])
    db.execute_sql("PRAGMA foreign_keys = OFF")
    # The copies and index builds of a million rows sort in memory, not in temporary files, and
    # the new pages stay in the cache until the commit instead of being spilled to the WAL twice.
    db.execute_sql(f"PRAGMA cache_size = {REBUILD_CACHE_KB}")
    try:
        with db.atomic("IMMEDIATE"):
            for statement in migrations.MIGRATIONS[version - 1]:
                db.execute_sql(statement)
            db.execute_sql(f"PRAGMA user_version = {version}")
    finally:
        db.execute_sql(f"PRAGMA foreign_keys = {keys_on}")
        db.execute_sql(f"PRAGMA cache_size = {cache}")
    free = int(db.execute_sql("PRAGMA freelist_count").fetchone()[0])
    if free > VACUUM_FREE_PAGES and db.database != ":memory:":
        # Only the file's size: the schema is already upgraded. Another program holding the
        # database, or too little disk for the copy, leaves the free pages for new rows.
        with contextlib.suppress(OperationalError):
            db.execute_sql("VACUUM")
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


REBUILD_CACHE_KB = -262_144  # 256 MB, as a demo load uses (store.demo.bulk.LOAD_PRAGMAS)
VACUUM_FREE_PAGES = 2048  # 8 MB of 4 KB pages left free by a rebuild: worth giving back
