"""The cash drawer (schema version 14): shifts at a terminal's drawer, the cash paid in, paid
out and dropped to the safe during them, and the close (Z report) of a business day."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.staff import Staff


class CashSession(BaseModel):
    """One shift at one terminal's drawer: opened with a float counted by denomination, ended
    by a handover to the next shift or by the day's close."""

    id = IdField(primary_key=True, default=new_id)
    terminal_id = CharField()
    business_date = DateField()
    seq = IntegerField()  # the shift's number in its business day, from 1
    opened_at = DateTimeField(default=utcnow)
    opened_by = ForeignKeyField(Staff, index=False)  # who counted or confirmed the float
    float = IntegerField()  # fen
    float_counts = TextField()  # JSON {denomination in fen: pieces}
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(Staff, null=True, index=False)
    end_kind = CharField(default="")  # '' open / handover / close
    expected = IntegerField(null=True)  # fen, worked out when the shift ends
    counted = IntegerField(null=True)  # fen; null: not counted
    counts = TextField(default="")  # JSON of the count by denomination; '' not counted
    over_short = IntegerField(null=True)  # counted - expected (negative: short)
    reason = TextField(default="")

    opened_by_id: str
    closed_by_id: str | None

    class Meta:
        table_name = "cash_session"


CashSession.add_index(
    CashSession.terminal_id,
    CashSession.business_date,
    CashSession.seq,
    unique=True,
    name="cash_session_terminal_day_seq",
)
# At most one open shift a terminal.
CashSession.add_index(
    CashSession.terminal_id, unique=True, where=CashSession.closed_at.is_null(), name="cash_session_open"
)


class CashMovement(BaseModel):
    """Cash put into or taken out of the drawer other than by a sale: paid-in, paid-out (a
    manager's approval above the limit) and a drop to the safe. ``amount`` is positive."""

    id = IdField(primary_key=True, default=new_id)
    session = ForeignKeyField(CashSession, backref="movements", index=True)
    kind = CharField()  # paid_in / paid_out / drop
    amount = IntegerField()
    reason = TextField(default="")
    staff = ForeignKeyField(Staff, index=False)
    approved_by = IdField(default="")
    created_at = DateTimeField(default=utcnow)

    session_id: str
    staff_id: str

    class Meta:
        table_name = "cash_movement"


class DayClose(BaseModel):
    """The Z report of one terminal's business day: once it exists, the day is locked."""

    id = IdField(primary_key=True, default=new_id)
    terminal_id = CharField()
    business_date = DateField()
    z_no = IntegerField()  # in sequence per terminal, from 1
    closed_at = DateTimeField(default=utcnow)
    closed_by = ForeignKeyField(Staff, index=False)
    approved_by = IdField(default="")
    expected = IntegerField()  # fen
    counted = IntegerField(null=True)  # null: not counted
    over_short = IntegerField(null=True)
    reason = TextField(default="")
    audit_seq = IntegerField()  # the audit chain's head at close: the close's own row
    audit_head = CharField()

    closed_by_id: str

    class Meta:
        table_name = "day_close"


DayClose.add_index(DayClose.terminal_id, DayClose.business_date, unique=True, name="day_close_terminal_day")
DayClose.add_index(DayClose.terminal_id, DayClose.z_no, unique=True, name="day_close_terminal_z")
