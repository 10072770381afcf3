"""Care lists (客户关怀): birthdays and holidays in a date range, for customers who gave
marketing consent only, with the configured message filled in; exported as SMS-ready text
or CSV (no SMS gateway: the shop sends them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from store.crm.config import CustomersSection
from store.crm.holidays import holidays_between
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import database
from store.reports import writers
from store.reports.table import text_table

MAX_DAYS = 31
_CONSENTING = 'FROM "customer" WHERE "consent_at" IS NOT NULL AND "erased_at" IS NULL'


@dataclass(frozen=True)
class CareItem:
    day: date
    occasion: str  # "birthday" or a holiday key
    occasion_name: str
    customer_id: str
    name: str
    phone: str
    message: str


def _birthday_keys(day: date) -> list[tuple[int, int]]:
    """Whose birthday is on ``day``: Feb 29 birthdays are greeted on Feb 28 of other years."""
    keys = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not _is_leap(day.year):
        keys.append((2, 29))
    return keys


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def care_list(first: date, rules: CustomersSection, store_name: str, days: int = 1) -> list[CareItem]:
    """Greetings due from ``first`` for ``days`` days (1: that day; 7: the week)."""
    days = max(1, min(days, MAX_DAYS))
    last = first + timedelta(days=days - 1)
    items: list[CareItem] = []
    db = database.obj
    fallback = _("customer")
    for offset in range(days):
        day = first + timedelta(days=offset)
        for month, mday in _birthday_keys(day):
            rows = db.execute_sql(
                f'SELECT "id", "name", "phone" {_CONSENTING} AND "birth_month" = ? AND "birth_day" = ? '
                'ORDER BY "name", "phone"',
                (month, mday),
            ).fetchall()
            for cid, name, phone in rows:
                message = rules.birthday_message.format(name=name or fallback, store=store_name, holiday="")
                items.append(
                    CareItem(day, "birthday", _("Birthday"), str(cid), str(name), str(phone), message)
                )
    for holiday in holidays_between(first, last):
        rows = db.execute_sql(
            f'SELECT "id", "name", "phone" {_CONSENTING} ORDER BY "name", "phone"'
        ).fetchall()
        for cid, name, phone in rows:
            message = rules.holiday_message.format(
                name=name or fallback, store=store_name, holiday=holiday.name
            )
            items.append(
                CareItem(holiday.day, holiday.key, holiday.name, str(cid), str(name), str(phone), message)
            )
    items.sort(key=lambda i: (i.day, i.occasion != "birthday", i.occasion))
    return items


def to_csv(items: list[CareItem]) -> str:
    table = text_table(
        [_("Date"), _("Occasion"), _("Name"), _("Phone"), _("Message")],
        [(i.day.isoformat(), i.occasion_name, i.name, i.phone, i.message) for i in items],
    )
    return writers.to_csv(table)


def to_sms(items: list[CareItem]) -> str:
    """One line a message: the number, a tab, the text (what bulk-SMS tools and phones import)."""
    lines = []
    for item in items:
        text = " ".join(item.message.split())  # one line each, whatever the name held
        lines.append(f"{item.phone}\t{text}")
    return "\n".join(lines) + ("\n" if lines else "")


def export(items: list[CareItem], folder: Path, first: date, days: int = 1) -> tuple[Path, Path]:
    """Write care-DATE.csv (UTF-8 with BOM, so Excel reads it) and care-DATE.txt (SMS lines)."""
    stem = f"care-{first.isoformat()}" + (f"-{days}d" if days > 1 else "")
    csv_path, sms_path = folder / f"{stem}.csv", folder / f"{stem}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        csv_path.write_text(to_csv(items), encoding="utf-8", newline="")
        sms_path.write_text(to_sms(items), encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(_("Cannot write {path}: {error}").format(path=folder, error=exc)) from exc
    return csv_path, sms_path
