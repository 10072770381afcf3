from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, TextField

from store.models.base import BaseModel, IdField, utcnow


class AuditLog(BaseModel):
    """Hash-chained: each row's hash covers its fields and the previous row's hash."""

    seq = AutoField()
    id = IdField(unique=True)
    at = DateTimeField(default=utcnow)
    staff_id = IdField(default="")
    approved_by = IdField(default="")
    action = CharField()
    entity = CharField(default="")
    entity_id = IdField(default="")
    before = TextField(default="")
    after = TextField(default="")
    prev_hash = CharField()
    hash = CharField()
