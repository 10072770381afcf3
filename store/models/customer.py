from __future__ import annotations

from typing import Any

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from store.kernel.ids import new_id
from store.models.base import BaseModel, IdField, utcnow
from store.models.staff import Staff


class Customer(BaseModel):
    """A customer of the company, not of one salesperson (the owner can be reassigned)."""

    id = IdField(primary_key=True, default=new_id)
    phone = CharField(unique=True)  # 11-digit mainland mobile, normalised ("erased:<id>" once erased)
    name = CharField(default="", index=True)
    created_at = DateTimeField(default=utcnow)
    # Search keys (store.crm.names): NULL py means "not computed yet"; filled on create and
    # update, and for rows written by older versions or bulk loads by fill_search_keys().
    py = CharField(null=True, index=True)  # full pinyin, surname in its surname reading: zengjing
    py_initials = CharField(null=True, index=True)  # zj
    py_alt = CharField(null=True, index=True)  # the other reading of a polyphonic surname: cengjing
    py_alt_initials = CharField(null=True, index=True)  # cj
    phone_last4 = CharField(null=True, index=True)
    birth_year = IntegerField(null=True)  # NULL: only month and day were given
    birth_month = IntegerField(null=True)
    birth_day = IntegerField(null=True)
    gender = CharField(default="")  # "" / female / male
    tags = CharField(default="")  # comma-separated
    notes = TextField(default="")
    consent_at = DateTimeField(null=True)  # marketing consent; NULL: none
    consent_how = CharField(default="")  # paper / verbal / wechat / sms
    owner = ForeignKeyField(Staff, null=True, index=True, backref="customers")
    store_code = CharField(default="")  # the store that created the record
    updated_at = DateTimeField(null=True)
    erased_at = DateTimeField(null=True)  # personal fields anonymised; sales kept
    # 老带新 code (store.referrals.codes); NULL on rows of older versions until filled at open.
    referral_code = CharField(null=True, unique=True)

    owner_id: str | None
    sales: Any


# Birthday care lists read one month and day.
Customer.add_index(Customer.birth_month, Customer.birth_day, name="customer_birthday")


class CustomerContact(BaseModel):
    """One touch: a call, SMS, WeChat message, visit or note, by whom and when."""

    id = IdField(primary_key=True, default=new_id)
    customer = ForeignKeyField(Customer, index=True, backref="contacts")
    staff = ForeignKeyField(Staff, index=True)
    at = DateTimeField(default=utcnow)
    channel = CharField()  # call / sms / wechat / visit / note
    note = TextField(default="")

    customer_id: str
    staff_id: str


class CustomerTask(BaseModel):
    """A follow-up with a due date and an owner; rules make some (rule + source is unique)."""

    id = IdField(primary_key=True, default=new_id)
    customer = ForeignKeyField(Customer, index=True, backref="tasks")
    owner = ForeignKeyField(Staff, index=False)  # the owner/status/due index serves it
    due = DateField()
    title = CharField()
    rule = CharField(default="")  # "" for a task made by hand
    source = IdField()  # what made it: a sale id, a customer and date, or the task's own id
    status = CharField(default="open")  # open / done / cancelled
    created_at = DateTimeField(default=utcnow)
    created_by = IdField(default="")
    done_at = DateTimeField(null=True)
    done_by = IdField(default="")

    customer_id: str
    owner_id: str


CustomerTask.add_index(CustomerTask.rule, CustomerTask.source, unique=True, name="customer_task_rule_source")
CustomerTask.add_index(
    CustomerTask.owner, CustomerTask.status, CustomerTask.due, name="customer_task_owner_status_due"
)


class CustomerScore(BaseModel):
    """The last RFM scoring of a customer with purchases (store.crm.value.refresh_scores)."""

    customer = ForeignKeyField(Customer, primary_key=True, backref="score")
    first_purchase = DateField()
    last_purchase = DateField()
    recency_days = IntegerField()
    frequency = IntegerField()
    monetary = IntegerField()  # net fen in the scoring window
    lifetime = IntegerField()  # net fen of all time
    r = IntegerField()
    f = IntegerField()
    m = IntegerField()
    tier = CharField()  # A / B / C
    state = CharField()  # active / dormant / lost
    computed_at = DateTimeField(default=utcnow)

    customer_id: str
