"""The database handle every model binds to; initialised at start-up, never at import."""

from __future__ import annotations

from peewee import DatabaseProxy, Model

from store.kernel.clock import utcnow

database = DatabaseProxy()

__all__ = ["BaseModel", "database", "utcnow"]


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
