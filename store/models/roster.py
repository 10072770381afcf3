"""Rosters, leave, the time clock and sales targets (schema version 5)."""

from __future__ import annotations

from peewee import CharField, CompositeKey, DateField, DateTimeField, ForeignKeyField, IntegerField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.staff import Staff


class RosterWeek(BaseModel):
    """The state of one ISO week's roster: draft until a manager publishes it."""

    week = CharField(primary_key=True)  # "2026-W48"
    status = CharField(default="draft")  # draft / published
    published_at = DateTimeField(null=True)
    published_by = IdField(default="")
    updated_at = DateTimeField(default=utcnow)


class RosterEntry(BaseModel):
    """One person on one shift on one day. The times are copied from the shift template, so
    a later change to config.toml does not rewrite past rosters."""

    id = IdField(primary_key=True, default=new_id)
    day = DateField(index=True)
    staff = ForeignKeyField(Staff, index=True)
    shift_code = CharField()
    start_minute = IntegerField()  # minutes after local midnight
    end_minute = IntegerField()
    created_at = DateTimeField(default=utcnow)

    staff_id: str


class LeaveRequest(BaseModel):
    id = IdField(primary_key=True, default=new_id)
    staff = ForeignKeyField(Staff, index=True)
    first_day = DateField()
    last_day = DateField()
    reason = CharField(default="")
    status = CharField(default="requested")  # requested / approved / refused / withdrawn
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")
    decided_by = IdField(default="")
    decided_at = DateTimeField(null=True)

    staff_id: str


class TimeEntry(BaseModel):
    """A clock-in and (once done) its clock-out, naive UTC."""

    id = IdField(primary_key=True, default=new_id)
    staff = ForeignKeyField(Staff, index=True)
    business_date = DateField(index=True)
    clock_in = DateTimeField()
    clock_out = DateTimeField(null=True)
    corrected_by = IdField(default="")  # the manager who last corrected it
    note = CharField(default="")

    staff_id: str


class SalesTarget(BaseModel):
    """A month's target for the store (no staff) or one promoter, for one brand or all ("")."""

    id = IdField(primary_key=True, default=new_id)
    month = CharField(index=True)  # "2026-11"
    staff = ForeignKeyField(Staff, null=True, index=True)
    brand = CharField(default="")
    units = IntegerField(default=0)  # handsets
    amount = IntegerField(default=0)  # fen
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")

    staff_id: str | None


class PromoterDaySales(BaseModel):
    """Sales credited per day, promoter and product, kept for days that can no longer change
    (store.people.promoter_figures fills it the first time a report needs a day). A row with an empty
    promoter and product marks a day as summarised, sold or not. Returns are not in it."""

    business_date = DateField()
    promoter_id = IdField()
    product_id = IdField()
    amount = IntegerField()  # fen
    qty = IntegerField()

    class Meta:
        primary_key = CompositeKey("business_date", "promoter_id", "product_id")
        without_rowid = True
