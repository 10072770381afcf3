"""The business day of a terminal, and which days are closed or left open.

A business day is the calendar day in the store's time zone (store.kernel.clock) unless that
day's Z report is already made at this terminal: then whatever is rung belongs to the next
day not closed (a sale after the close lands on tomorrow). A closed day is locked: the
triggers of schema 14 refuse any change to it, whoever writes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from store.kernel.clock import business_date
from store.kernel.errors import ValidationError
from store.kernel.i18n import _, ngettext
from store.models import CashSession, DayClose, database


def closed_days(terminal_id: str, since: date) -> set[date]:
    rows = DayClose.select(DayClose.business_date).where(
        (DayClose.terminal_id == terminal_id) & (DayClose.business_date >= since)
    )
    return {row.business_date for row in rows}


def current_day(terminal_id: str, stamp: datetime, tz: ZoneInfo) -> date:
    """The business day what is rung at ``stamp`` on this terminal belongs to."""
    day = business_date(stamp, tz)
    closed = closed_days(terminal_id, day)
    while day in closed:
        day += timedelta(days=1)
    return day


def closing(terminal_id: str, day: date) -> DayClose | None:
    """The Z report of a terminal's day, or None while the day is open."""
    return DayClose.get_or_none((DayClose.terminal_id == terminal_id) & (DayClose.business_date == day))


def refuse_closed(terminal_id: str, day: date) -> None:
    """A ValidationError when the day is closed: its Z report was made."""
    row = closing(terminal_id, day)
    if row is not None:
        raise ValidationError(
            _("{day} is closed (Z report {z}): nothing in it can be added or changed.").format(
                day=day.isoformat(), z=row.z_no
            )
        )


def last_closed(terminal_id: str) -> date | None:
    """The latest business day of this terminal with a Z report."""
    row = (
        DayClose.select(DayClose.business_date)
        .where(DayClose.terminal_id == terminal_id)
        .order_by(DayClose.business_date.desc())
        .first()
    )
    return row.business_date if row is not None else None


def open_days(terminal_id: str, today: date) -> list[date]:
    """Days before ``today`` on which this terminal sold or opened its drawer and that have no
    Z report yet: what the login reminds the manager of. Only days after the terminal's last
    close count (or, before its first, from the first day its drawer was opened), so a store
    that upgraded with years of history is not asked to close them."""
    last = last_closed(terminal_id)
    if last is not None:
        since = last + timedelta(days=1)
    else:
        first = (
            CashSession.select(CashSession.business_date)
            .where(CashSession.terminal_id == terminal_id)
            .order_by(CashSession.business_date)
            .first()
        )
        if first is None:
            return []
        since = first.business_date
    sql = (
        'SELECT DISTINCT "business_date" FROM "sale" WHERE "business_date" >= ? AND "business_date" < ? '
        'AND "terminal_id" = ? UNION SELECT DISTINCT "business_date" FROM "cash_session" '
        'WHERE "business_date" >= ? AND "business_date" < ? AND "terminal_id" = ?'
    )
    params = (since.isoformat(), today.isoformat(), terminal_id) * 2
    found = {date.fromisoformat(str(row[0])) for row in database.obj.execute_sql(sql, params)}
    return sorted(found - closed_days(terminal_id, since))


def open_days_notice(terminal_id: str, today: date) -> str:
    """What the login says while days before ``today`` are left open ('' when none): a
    manager closes them first (with the count, or not counted), or sells on and is told again
    at every login."""
    found = open_days(terminal_id, today)
    if not found:
        return ""
    return ngettext(
        "{n} day was not closed ({day}): a manager closes it (with the cash count, or not counted).",
        "{n} days were not closed, the first {day}: a manager closes them (counted, or not counted).",
        len(found),
    ).format(n=len(found), day=found[0].isoformat())
