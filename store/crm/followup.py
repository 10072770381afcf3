"""Keeping in touch: the contact log, follow-up tasks with a due date and an owner, the
rules that make tasks (config [customers]), and "my tasks today"."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from store.audit import chain
from store.crm.config import CustomersSection
from store.crm.records import get_customer
from store.db.transaction import write
from store.kernel import moment
from store.kernel.clock import business_date
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import N_, _
from store.kernel.ids import new_id
from store.kernel.text import drop_invisible
from store.models import Customer, CustomerContact, CustomerTask, Staff, database
from store.stock.catalog import clean_text

CHANNELS = {
    "call": N_("call"),
    "sms": N_("SMS"),
    "wechat": N_("WeChat"),
    "visit": N_("visit"),
    "note": N_("note"),
}
MAX_NOTE = 500
MAX_TITLE = 60
# Rule ids stored with the tasks they made; titles are msgids shown in the user's language.
RULE_TITLES = {
    "call_after_handset": N_("Call: how is the new phone?"),
    "accessories": N_("Offer accessories for the phone"),
    "winback": N_("Win back: dormant valued customer"),
}


def channel_name(channel: str) -> str:
    return _(CHANNELS[channel]) if channel in CHANNELS else channel


def task_title(task: CustomerTask) -> str:
    return _(RULE_TITLES[task.rule]) if task.rule in RULE_TITLES else str(task.title)


def _clean_note(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").strip()
    folded = drop_invisible(folded, keep="\n")
    if len(folded) > MAX_NOTE:
        raise ValidationError(
            _("{field} is too long (at most {n} characters).").format(field=_("Note"), n=MAX_NOTE)
        )
    return folded


def _live_customer(customer_id: str) -> Customer:
    customer = get_customer(customer_id)
    if customer.erased_at is not None:
        raise ValidationError(_("This customer was erased."))
    return customer


def log_contact(
    customer_id: str, channel: str, note: str, *, staff_id: str, now: datetime | None = None
) -> CustomerContact:
    if channel not in CHANNELS:
        raise ValidationError(_("Contact by one of: {ways}.").format(ways=", ".join(CHANNELS)))
    text = _clean_note(note)
    stamp = moment(now)

    def _tx() -> CustomerContact:
        _live_customer(customer_id)
        return CustomerContact.create(
            customer=customer_id, staff=staff_id, at=stamp, channel=channel, note=text
        )

    return write(_tx)


def contacts(customer_id: str, limit: int = 100) -> list[CustomerContact]:
    return list(
        CustomerContact.select()
        .where(CustomerContact.customer == customer_id)
        .order_by(CustomerContact.at.desc())
        .limit(limit)
    )


def add_task(
    customer_id: str, title: str, due: date, *, owner_id: str, by: str, now: datetime | None = None
) -> CustomerTask:
    clean = clean_text(title, _("Task"), limit=MAX_TITLE)
    stamp = moment(now)

    def _tx() -> CustomerTask:
        _live_customer(customer_id)
        owner = Staff.get_or_none(Staff.id == owner_id)
        if owner is None or not owner.active:
            raise ValidationError(_("The owner must be an active staff member."))
        task_id = new_id()
        return CustomerTask.create(
            id=task_id,
            customer=customer_id,
            owner=owner_id,
            due=due,
            title=clean,
            source=task_id,
            created_at=stamp,
            created_by=by,
        )

    return write(_tx)


def finish_task(task_id: str, *, by: str, done: bool = True, now: datetime | None = None) -> CustomerTask:
    """Mark an open task done (or cancelled)."""
    stamp = moment(now)

    def _tx() -> CustomerTask:
        task = CustomerTask.get_or_none(CustomerTask.id == task_id)
        if task is None:
            raise NotFound(_("No such task."))
        if task.status != "open":
            raise ValidationError(_("This task is already closed."))
        status = "done" if done else "cancelled"
        CustomerTask.update(status=status, done_at=stamp, done_by=by).where(
            CustomerTask.id == task.id
        ).execute()
        chain.record(f"task.{status}", staff_id=by, entity="customer_task", entity_id=task.id, at=stamp)
        return CustomerTask.get_by_id(task.id)

    return write(_tx)


def parse_due(text: str, today: date) -> date:
    """'3' is in three days, '0' today, '2026-06-01' that day; never in the past."""
    cleaned = text.strip()
    try:
        due = (
            today + timedelta(days=int(cleaned))
            if cleaned.lstrip("-").isdigit()
            else date.fromisoformat(cleaned)
        )
    except (ValueError, OverflowError) as exc:
        raise ValidationError(_("Not a date: {text} (write YYYY-MM-DD)").format(text=cleaned[:40])) from exc
    if due < today:
        raise ValidationError(_("A task cannot be due in the past."))
    if due > today + timedelta(days=3660):
        raise ValidationError(_("A task is due within ten years."))
    return due


def tasks_of(customer_id: str) -> list[CustomerTask]:
    return list(
        CustomerTask.select()
        .where(CustomerTask.customer == customer_id)
        .order_by(CustomerTask.status != "open", CustomerTask.due.desc())
    )


@dataclass(frozen=True)
class DueTask:
    task: CustomerTask
    customer: Customer


def my_tasks(staff_id: str, today: date) -> list[DueTask]:
    """Open tasks of this staff member due today or earlier, oldest first."""
    query = (
        CustomerTask.select(CustomerTask, Customer)
        .join(Customer)
        .where(
            (CustomerTask.owner == staff_id) & (CustomerTask.status == "open") & (CustomerTask.due <= today)
        )
        .order_by(CustomerTask.due, CustomerTask.created_at)
    )
    return [DueTask(t, t.customer) for t in query]


# ---- rules ------------------------------------------------------------------------------
_HANDSET_SALES = """
SELECT s."id", s."customer_id", s."business_date", COALESCE(c."owner_id", s."staff_id")
FROM "sale" s
JOIN "customer" c ON c."id" = s."customer_id"
WHERE s."business_date" >= ? AND s."business_date" <= ? AND s."status" = 'completed'
  AND s."kind" != 'return' AND c."erased_at" IS NULL {consent}
  AND EXISTS (SELECT 1 FROM "sale_line" l WHERE l."sale_id" = s."id" AND l."imei_unit_id" IS NOT NULL
              AND l."qty" > 0)
"""
_WINBACK = """
SELECT sc."customer_id", sc."last_purchase", c."owner_id"
FROM "customer_score" sc JOIN "customer" c ON c."id" = sc."customer_id"
WHERE sc."tier" = ? AND sc."state" = 'dormant' AND c."erased_at" IS NULL AND c."consent_at" IS NOT NULL
"""
_INSERT_TASK = (
    'INSERT OR IGNORE INTO "customer_task" ("id", "customer_id", "owner_id", "due", "title", "rule", '
    '"source", "status", "created_at", "created_by", "done_at", "done_by") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, NULL, '')"
)
LOOKBACK_DAYS = 14  # a handset sale this long after a rule's day still gets its task


def run_rules(
    rules: CustomersSection, tz: ZoneInfo, *, fallback_owner: str, now: datetime | None = None
) -> int:
    """Make the tasks the rules call for; a rule makes a task for a sale or a dormancy once
    (the rule and source are unique), so running this again adds nothing. Win-back reads the
    stored scores (value.refresh). Returns how many tasks were made."""
    stamp = moment(now)
    today = business_date(stamp, tz)
    created = stamp.isoformat(sep=" ")
    rows: list[tuple[object, ...]] = []
    # The call after a sale is service: everyone. Offers and win-back are marketing: only
    # customers who consented.
    for rule, days, consent in (
        ("call_after_handset", rules.call_after_handset_days, ""),
        ("accessories", rules.accessories_after_days, 'AND c."consent_at" IS NOT NULL'),
    ):
        if days <= 0:
            continue
        first = today - timedelta(days=days + LOOKBACK_DAYS)
        last = today - timedelta(days=days)
        sql = _HANDSET_SALES.format(consent=consent)
        sold = database.obj.execute_sql(sql, (first.isoformat(), last.isoformat())).fetchall()
        for sale_id, customer_id, day, owner in sold:
            due = date.fromisoformat(str(day)) + timedelta(days=days)
            rows.append(
                (new_id(), customer_id, owner, due.isoformat(), RULE_TITLES[rule], rule, sale_id, created)
            )
    if rules.winback_tier:
        for customer_id, last_purchase, owner in database.obj.execute_sql(_WINBACK, (rules.winback_tier,)):
            rows.append(
                (
                    new_id(),
                    customer_id,
                    owner or fallback_owner,
                    today.isoformat(),
                    RULE_TITLES["winback"],
                    "winback",
                    f"{customer_id}:{last_purchase}",
                    created,
                )
            )
    if not rows:
        return 0

    def _tx() -> int:
        before = database.obj.execute_sql('SELECT COUNT(*) FROM "customer_task"').fetchone()[0]
        database.obj.cursor().executemany(_INSERT_TASK, [(*r, "rules") for r in rows])
        after = database.obj.execute_sql('SELECT COUNT(*) FROM "customer_task"').fetchone()[0]
        return int(after) - int(before)

    return write(_tx)
