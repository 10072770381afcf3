"""A connection of its own for a console's worker thread: peewee keeps one connection a thread,
and a worker that ends without closing it leaves an open file handle behind. A screen wraps
its background store calls in ``own_connection()`` instead of reaching for the database."""

from __future__ import annotations

from contextlib import AbstractContextManager

from store.models import database


def own_connection() -> AbstractContextManager[object]:
    """Opens this thread's connection (if it has none) and closes it on the way out."""
    context: AbstractContextManager[object] = database.obj.connection_context()
    return context
