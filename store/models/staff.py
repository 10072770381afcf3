from __future__ import annotations

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow


class Staff(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    code = CharField(unique=True)
    name = CharField()
    role = CharField()  # promoter / cashier / manager / admin
    pin_hash = CharField()
    failed_pins = IntegerField(default=0)
    locked = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)  # the hire date for tenure on the promotion ladder
    # Added in schema version 5 (promoters):
    level = CharField(default="")  # a [ladder] level code; "" = not on the ladder yet
    brand = CharField(default="")  # a brand promoter's maker (paid by it, sells its phones)
    home_store = CharField(default="")  # the store code this person belongs to
    status = CharField(default="active")  # active / on_leave / left (left: cannot log in)
    # Added in schema version 8 (staff administration):
    locked_at = DateTimeField(null=True)  # when wrong PINs locked the account
    failed_approvals = IntegerField(default=0)  # wrong PINs typed for this person in approval dialogs
    discount_limit = IntegerField(null=True)  # percent; None: the role's limit in [discounts]


class TrainingRecord(BaseModel):
    """A course a staff member took, and how it went."""

    id = IdField(primary_key=True, default=new_id)
    staff = ForeignKeyField(Staff, backref="training", index=True)
    course = CharField()
    taken_on = DateField()
    result = CharField()  # passed / failed / attended
    note = CharField(default="")
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")

    staff_id: str
