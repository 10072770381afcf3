from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, IntegerField

from store.ids import new_id
from store.models.base import BaseModel, utcnow


class Staff(BaseModel):
    id = CharField(primary_key=True, default=new_id)
    code = CharField(unique=True)
    name = CharField()
    role = CharField()  # promoter / cashier / manager / admin
    pin_hash = CharField()
    failed_pins = IntegerField(default=0)
    locked = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
