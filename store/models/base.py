"""The database handle every model binds to; initialised at start-up, never at import."""

from __future__ import annotations

from datetime import UTC, datetime

from peewee import DatabaseProxy, Model

database = DatabaseProxy()


def utcnow() -> datetime:
    """Naive UTC, the form stored in every timestamp column."""
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
