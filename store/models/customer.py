from __future__ import annotations

from peewee import CharField, DateTimeField

from store.ids import new_id
from store.models.base import BaseModel, utcnow


class Customer(BaseModel):
    id = CharField(primary_key=True, default=new_id)
    phone = CharField(unique=True)  # 11-digit mainland mobile, normalised
    name = CharField(default="")
    created_at = DateTimeField(default=utcnow)
