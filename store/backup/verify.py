"""Checking a backup file before it counts (a new backup) or is put back (a restore): it is a
whole SQLite file (integrity_check), of a schema this program knows, of this store, and its
audit chain verifies. The file is only read: nothing is created beside it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from store.audit import integrity
from store.db import migrations
from store.db.ids import IdConnection
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database

SQLITE_HEADER = b"SQLite format 3\x00"


class BadBackup(ValidationError):
    """The file is not a whole, checked backup of this store; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    store_code: str
    schema: int
    audit_rows: int
    size: int


def _refuse(path: Path, why: str) -> BadBackup:
    return BadBackup(_("{path} cannot be used as a backup: {why}").format(path=path, why=why))


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` as it is on the disk, creating no -wal, -shm or journal beside
    it (``immutable``: the file is ours, or a backup nobody writes to)."""
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def verify_backup(path: Path, store_code: str, *, exact_schema: bool = True) -> BackupInfo:
    """Check the backup at ``path`` and say what it holds, or raise BadBackup with the reason.
    ``exact_schema``: the file must be of this program's schema version (a backup just made);
    otherwise any version up to it (a restore: an older store is upgraded when opened)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError as exc:
        raise BadBackup(_("There is no file {path}.").format(path=path)) from exc
    except IsADirectoryError as exc:
        raise _refuse(path, _("it is a folder.")) from exc
    except OSError as exc:
        raise _refuse(path, str(exc.strerror or exc)) from exc
    if header != SQLITE_HEADER:
        raise _refuse(path, _("it is not a database file (another kind of file, or cut short)."))
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(5)")]
            if found != ["ok"]:
                raise _refuse(path, _("it is damaged ({problem}).").format(problem="; ".join(found)[:200]))
            schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
            code_row = _store_code(conn)
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, _("it is damaged or cut short ({error}).").format(error=exc)) from exc
    if schema < 1 or schema > migrations.LATEST or (exact_schema and schema != migrations.LATEST):
        raise _refuse(
            path,
            _("its schema version {found} is not one this zhanggui can use (it uses {ours}).").format(
                found=schema, ours=migrations.LATEST
            ),
        )
    if code_row is None:
        raise _refuse(path, _("it holds no zhanggui store."))
    if code_row != store_code:
        raise _refuse(
            path,
            _("it is a backup of store {theirs}, not of this store {ours}.").format(
                theirs=code_row, ours=store_code
            ),
        )
    with reading(path):
        report = integrity.check(saved_anchors=False)
    if not report.intact:
        first = report.problems[0]
        raise _refuse(
            path,
            _("its audit log does not verify (row {seq}: {problem}).").format(
                seq=first.seq, problem=first.problem
            ),
        )
    return BackupInfo(path, code_row, schema, report.rows, size)


def _store_code(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'store_code'").fetchone()
    except sqlite3.OperationalError:  # no meta table: another program's database
        return None
    return str(row[0]) if row and row[0] else None


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Within the block, this thread's model queries and SQL read ``path`` (read-only); other
    threads (a till selling while the day-close backup is checked) keep the store's database.
    Done with peewee's per-thread connection state, so nothing global is swapped."""
    conn = sqlite3.connect(
        read_only_uri(path), uri=True, factory=IdConnection, isolation_level=None, check_same_thread=False
    )
    db = database.obj
    if db is None:  # no store open in this process (a restore of a damaged store)
        own = SqliteDatabase(None, factory=IdConnection)
        own.init(str(path))
        database.initialize(own)
        _thread_state(own).set_connection(conn)
        try:
            yield
        finally:
            _thread_state(own).reset()
            database.initialize(None)
            conn.close()
        return
    state = _thread_state(db)
    saved = (state.closed, state.conn, state.ctx, state.transactions)
    state.reset()
    state.set_connection(conn)
    try:
        yield
    finally:
        state.closed, state.conn, state.ctx, state.transactions = saved
        conn.close()


def _thread_state(db: SqliteDatabase) -> Any:
    """peewee's per-thread connection state of ``db`` (its connection, transactions): what
    ``reading`` points at another file for one thread. peewee is pinned in constraints.txt;
    tests/unit/test_backup.py fails if this changes."""
    return db._state  # type: ignore[attr-defined]
