"""Monthly sales targets for the store and for each promoter, in handset units and amount,
for all brands or one brand."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from store.audit import chain
from store.db.transaction import write
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.dates import check_year
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.kernel.money import MAX_FEN, format_fen
from store.models import SalesTarget, Staff

# A month's handsets for a whole store: far above any real target, far below what SQLite holds.
MAX_UNITS = 100_000
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> str:
    """'2026-11' (or '2026-1') -> '2026-11'; anything else is refused."""
    match = _MONTH_RE.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_("A month is written like 2026-11: {text}").format(text=text.strip()[:20]))
    return f"{check_year(int(match.group(1)), text):04d}-{int(match.group(2)):02d}"


def parse_units(text: str) -> int:
    """A number of handsets typed at the console ('' is none; full-width digits count)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return 0
    if not (folded.isascii() and folded.isdigit()) or len(folded) > 6:
        raise ValidationError(_("Not a number of handsets: {text}").format(text=folded[:20]))
    return int(folded)


def month_days(month: str) -> tuple[date, date]:
    month = parse_month(month)
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def set_target(
    month: str,
    staff_id: str | None,
    *,
    units: int,
    amount: int,
    brand: str = "",
    actor: Actor | None = None,
    approval: Approval | None = None,
    today: date,
) -> SalesTarget:
    """Set (or replace) the target of ``staff_id`` (None: the whole store) for one brand
    ("" = all brands). A month already over cannot get a target. A manager's work: a manager
    ``actor`` or another person's ``approval``."""
    by, approver = manager_authority(actor, approval)
    month = parse_month(month)
    if month < month_of(today):
        raise ValidationError(
            _("{month} is over: targets are set for this month or later.").format(month=month)
        )
    if units < 0 or amount < 0:
        raise ValidationError(_("A target cannot be negative."))
    if units == 0 and amount == 0:
        raise ValidationError(_("A target needs units or an amount."))
    if units > MAX_UNITS:
        raise ValidationError(_("A target is at most {n:,} handsets.").format(n=MAX_UNITS))
    if amount > MAX_FEN:
        raise ValidationError(_("A target is at most {amount}.").format(amount=format_fen(MAX_FEN)))
    brand = brand.strip()
    if len(brand) > 40:
        raise ValidationError(_("A brand is at most 40 characters."))

    def _tx() -> SalesTarget:
        if staff_id is not None:
            member = Staff.get_or_none(Staff.id == staff_id)
            if member is None:
                raise NotFound(_("No such staff member."))
            if member.status == "left":
                raise ValidationError(_("{name} has left the store.").format(name=member.name))
        query = SalesTarget.select().where(SalesTarget.month == month, SalesTarget.brand == brand)
        query = query.where(
            SalesTarget.staff.is_null() if staff_id is None else SalesTarget.staff == staff_id
        )
        existing = query.first()
        before = {"units": existing.units, "amount": existing.amount} if existing is not None else None
        if existing is None:
            target = SalesTarget.create(
                month=month, staff=staff_id, brand=brand, units=units, amount=amount, created_by=by
            )
        else:
            existing.units, existing.amount, existing.created_by = units, amount, by
            existing.save()
            target = existing
        chain.record(
            "target.set",
            staff_id=by,
            approved_by=approver,
            entity="target",
            entity_id=target.id,
            before=before,
            after={"month": month, "staff": staff_id or "", "brand": brand, "units": units, "amount": amount},
        )
        return target

    return write(_tx)


def targets_for(month: str) -> dict[tuple[str | None, str], SalesTarget]:
    """(staff id or None for the store, brand) -> target."""
    month = parse_month(month)
    return {(t.staff_id, t.brand): t for t in SalesTarget.select().where(SalesTarget.month == month)}


def percent(done: int, target: int) -> int | None:
    """Whole percent of a target reached (rounded down); None without a target."""
    if target <= 0:
        return None
    return done * 100 // target


def projected(done: int, days_gone: int, days_in_month: int) -> int:
    """Where the month ends at today's pace: done x days in month / days gone, rounded down."""
    if days_gone <= 0:
        return 0
    return done * days_in_month // days_gone
