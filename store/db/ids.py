"""Ids at the connection: text in Python, 16 bytes in the file (store.kernel.ids).

Every sqlite3 connection to a store is an IdConnection. A parameter that is an id in its
canonical text form is bound as its 16 bytes, and 16-byte values read back come out as that
text again, whatever runs the statement: a model query, plain SQL, or a bulk load's
executemany. So the rule "an id is kept as 16 bytes" holds in every column of the file,
joins and comparisons between columns work as before, and no caller converts anything.

What this cannot see is SQL that treats an id as text inside the database: LIKE, substr(),
||, length(), JSON functions or an id written as a literal in the statement. None of the
store's statements do; a new one that must, converts with store.kernel.ids itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from store.kernel.ids import from_db, to_db
from store.kernel.ids import is_id as _is_id


def _params(params: Any) -> Any:
    # The hot path of every statement (a sale's commit, a bulk load's executemany): a loop
    # that copies the parameters only when one of them is an id.
    if params.__class__ is tuple or params.__class__ is list:
        out = None
        for i, value in enumerate(params):
            if value.__class__ is str and len(value) == 36 and _is_id(value):
                if out is None:
                    out = list(params)
                out[i] = bytes.fromhex(value.replace("-", ""))
        return params if out is None else out
    if isinstance(params, Mapping):
        return {key: to_db(value) for key, value in params.items()}
    if isinstance(params, Sequence) and not isinstance(params, str | bytes):
        return [to_db(value) for value in params]
    return params


def _row(_cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> tuple[Any, ...]:
    for value in row:
        if value.__class__ is bytes:
            return tuple([from_db(v) if v.__class__ is bytes else v for v in row])
    return row


class IdCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> IdCursor:
        return super().execute(sql, _params(parameters))

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> IdCursor:
        return super().executemany(sql, (_params(p) for p in seq_of_parameters))


class IdConnection(sqlite3.Connection):
    """Pass as ``factory`` to sqlite3.connect (peewee's SqliteDatabase passes it through)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_factory = _row

    def cursor(self, factory: Any = IdCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> IdCursor:
        cursor: IdCursor = self.cursor()
        return cursor.execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> IdCursor:
        cursor: IdCursor = self.cursor()
        return cursor.executemany(sql, seq_of_parameters)


def connect(path: str, **kwargs: Any) -> IdConnection:
    """A plain sqlite3 connection that speaks ids as the store does."""
    conn: IdConnection = sqlite3.connect(path, factory=IdConnection, **kwargs)
    return conn
