from __future__ import annotations

from peewee import CharField, IntegerField, TextField

from store.models.base import BaseModel


class Meta(BaseModel):
    """Store-wide settings kept in the database (store code, audit head, demo flag)."""

    key = CharField(primary_key=True)
    value = TextField()


class ReceiptCounter(BaseModel):
    """Last receipt sequence per terminal per business date."""

    key = CharField(primary_key=True)  # "T1|2026-11-27"
    last = IntegerField()
