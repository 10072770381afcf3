"""The one way to write to the store database (``write``: one immediate transaction that waits
for another writer's lock as long as it is told), reading with errors as messages, and
inserting many rows with one prepared statement."""

from __future__ import annotations

import contextlib
import contextvars
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError, IntegrityError, InterfaceError, Model, OperationalError

from store.db.connection import PRAGMAS
from store.db.sqlite_errors import busy_error, is_busy, translate_sqlite_error
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database

T = TypeVar("T")


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


def write(fn: Callable[[], T], *, patience: Patience | None = None) -> T:
    """Run ``fn`` in one immediate transaction. Nested calls join the outer transaction.

    While another writer holds the lock it tries again every WAIT_SLICE_MS, telling
    ``patience.on_wait`` how long it has waited, and gives up after ``patience.give_up_after``
    seconds (GIVE_UP_AFTER by default, or what an enclosing ``waiting`` block says) with a
    DatabaseBusy. A busy or read-only database becomes a DatabaseUnavailable with a message,
    never a traceback."""
    try:
        return _write(fn, patience)
    except IntegrityError as exc:
        if DAY_LOCKED in str(exc):
            raise day_locked() from exc
        raise


# What the day-lock triggers of schema 14 (store.db.migrations.drawer) abort with.
DAY_LOCKED = "zhanggui: business day closed"


def day_locked() -> ValidationError:
    return ValidationError(
        _("That business day is closed: nothing in it can be added or changed. Make corrections today.")
    )


def _write(fn: Callable[[], T], patience: Patience | None) -> T:
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
                if not is_busy(exc):
                    raise translate_sqlite_error(Path(db.database), exc) from exc
                waited = clock() - started
                if waited >= wait.give_up_after:
                    raise busy_error() from exc
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


def rows_as_stored(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` as SQLite keeps them, ids as their 16 bytes (store.kernel.ids.id_text
    makes text of them): for reads of a row a customer or a product over the whole store, where
    the connection's row conversion (store.db.ids) cost more than the read itself. RFM's 89,944
    customer totals: 0.23 s through it, 0.08 s as stored. Parameters are converted as always."""
    cursor = database.obj.cursor()
    cursor.row_factory = None
    try:
        rows: list[tuple[Any, ...]] = cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
    return rows


def read(fn: Callable[[], T]) -> T:
    """Run a read; a database that cannot be read becomes a DatabaseUnavailable with a
    message, never a traceback."""
    db = database.obj
    try:
        return fn()
    except (DatabaseError, InterfaceError, sqlite3.Error) as exc:
        raise translate_sqlite_error(Path(str(db.database)), exc) from exc


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
