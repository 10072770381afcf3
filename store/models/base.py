"""The database handle every model binds to; initialised at start-up, never at import."""

from __future__ import annotations

from typing import Any

from peewee import DatabaseProxy, Field, Model

from store.kernel.clock import utcnow
from store.kernel.ids import from_db, to_db

database = DatabaseProxy()

__all__ = ["BaseModel", "IdField", "database", "utcnow"]


class IdField(Field):
    """An id (or a reference to one): text in Python, its 16 bytes in the file
    (store.kernel.ids). A value that is not an id in canonical form, such as '' for "nobody"
    or a delivery note number in a document column, is kept as the text it is. Foreign keys
    to an IdField take its type and conversion."""

    field_type = "BLOB"

    def db_value(self, value: Any) -> Any:
        return to_db(value)

    def python_value(self, value: Any) -> Any:
        return from_db(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
