"""The records of one closed business day as JSON Lines parts for its day file.

One line a record, keys sorted, no spaces, UTF-8; records in id order (audit rows in chain
order); ids as canonical UUID text, money as integer fen, dates as ISO dates, times as ISO
UTC ending in ``Z``. The same rows give the same bytes.

The products the day's lines, movements and counts name go with them (head office matches
them across stores by SKU), and so do the staff its records name (code, name and role only)
and the handsets (IMEI units) its lines and movements name: their id, product and IMEIs only,
which never change, so a unit sold one day and returned another is the same record in both
files (head office's brand sell-out feed reads the IMEIs).

``stock_levels``: the on-hand, at the day's last close, of every product the day's movements
name (one record a product and day, ``<date>/<product id>``); the store's first file (number
1) names every product with stock, as the store may have held stock long before it first
sent a file. Head office reads a store's stock on a day as each product's latest level up to
it, the store's own figure, instead of summing movements it may never have received.

Which rows belong to the day: those that carry the business date (sales with their lines and
tenders, referrals, cash sessions with their movements, Z rows, roster, time clock), and of
the rest those made or changed in the day's window: after the latest close of an earlier day
(or the day's local midnight, before the store's first close) up to the day's own last close.
Windows follow one another, so every such row goes to head office in exactly one day's file
(with its state at export). The audit rows are the chain's between the two closes' heads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peewee import Expression, Field, fn

from store.models import (
    AuditLog,
    CashMovement,
    CashSession,
    Customer,
    DayClose,
    ImeiUnit,
    LeaveRequest,
    Product,
    ProductStock,
    Referral,
    ReferralReward,
    RosterEntry,
    Sale,
    SaleLine,
    Staff,
    StockCount,
    StockCountEntry,
    StockCountItem,
    StockMovement,
    Tender,
    TimeEntry,
    VoucherUse,
)
from store.models.base import BaseModel, database

PHONES_HASHED = "hmac-sha256"
PHONES_FULL = "full"
# Customer columns left out when phones are hashed: derived from the number (its last four
# digits) or from the name (search keys head office can make again).
_DERIVED = ("phone_last4", "py", "py_initials", "py_alt", "py_alt_initials")


@dataclass(frozen=True)
class Window:
    """The span of a day's changes, naive UTC: after ``start`` up to and with ``end``;
    the audit rows after ``after_seq`` up to ``head_seq``."""

    start: datetime
    end: datetime
    after_seq: int
    head_seq: int
    head: str


def day_window(day: date, closes: list[DayClose], tz: ZoneInfo) -> Window:
    earlier = DayClose.select(fn.MAX(DayClose.closed_at), fn.MAX(DayClose.audit_seq)).where(
        DayClose.business_date < day
    )
    last_at, last_seq = earlier.scalar(as_tuple=True)
    if last_at is None:
        midnight = datetime.combine(day, time(0), tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        start = midnight - timedelta(microseconds=1)
        before = AuditLog.select(fn.MAX(AuditLog.seq)).where(AuditLog.at <= start).scalar()
        after_seq = int(before or 0)
    else:
        start = _naive(last_at)
        after_seq = int(last_seq)
    head = max(closes, key=lambda row: row.audit_seq)
    end = max(_naive(row.closed_at) for row in closes)
    return Window(start, end, after_seq, int(head.audit_seq), str(head.audit_head))


def _naive(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):  # a value that is not an id, kept as bytes: never expected
        return value.hex()
    return value


def _line(row: dict[str, Any]) -> bytes:
    return (
        json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    ).encode("utf-8")


def _rows(model: type[BaseModel], where: Expression, order: Field | None = None) -> list[dict[str, Any]]:
    fields = model._meta.sorted_fields
    names = [f.column_name for f in fields]
    query = model.select(*fields).where(where).order_by(order or model._meta.fields["id"])
    cursor = database.obj.execute(query)  # plain tuples, each value through its field
    out: list[dict[str, Any]] = []
    for row in cursor.fetchall():
        out.append({n: _json(f.python_value(v)) for n, f, v in zip(names, fields, row, strict=True)})
    return out


def _in(field: Field, window: Window) -> Expression:
    return (field > window.start) & (field <= window.end)


def _any_in(window: Window, *fields: Field) -> Expression:
    expression = _in(fields[0], window)
    for field in fields[1:]:
        expression = expression | _in(field, window)
    return expression


def phone_hasher(secret: str) -> Callable[[str], str]:
    key = secret.encode("utf-8")

    def hashed(phone: str) -> str:
        if phone.startswith("erased:"):
            return phone
        return PHONES_HASHED + ":" + hmac.new(key, phone.encode("utf-8"), hashlib.sha256).hexdigest()

    return hashed


def _customers(window: Window, hasher: Callable[[str], str] | None) -> list[dict[str, Any]]:
    rows = _rows(Customer, _any_in(window, Customer.created_at, Customer.updated_at, Customer.erased_at))
    if hasher is not None:
        for row in rows:
            row["phone"] = hasher(row["phone"])
            for name in _DERIVED:
                row.pop(name, None)
    return rows


def _ids(rows: Iterable[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def _products(*parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The products the day's lines, movements and counts name, so head office can match them
    across stores by SKU (each store has its own product ids). Without the search key, which
    is derived from the names."""
    ids = sorted({row["product_id"] for rows in parts for row in rows if row.get("product_id")})
    rows = _rows(Product, Product.id.in_(ids)) if ids else []
    for row in rows:
        row.pop("search_text", None)
    return rows


# What head office learns of a member of staff the day's records name: who they are in the
# store (for the promoter league and the roster), never their PIN, lock or approval counters.
_STAFF_SENT = ("id", "code", "name", "role", "brand", "home_store", "status")


def _staff(*parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The staff the day's sales, lines, movements, roster, clock and leave records name, so
    head office can show a promoter by code and name (each store has its own staff ids)."""
    keys = ("staff_id", "promoter_id")
    ids = sorted({row[k] for rows in parts for row in rows for k in keys if row.get(k)})
    rows = _rows(Staff, Staff.id.in_(ids)) if ids else []
    return [{k: row[k] for k in _STAFF_SENT} for row in rows]


def _units(*parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The handsets the day's lines and movements name, by the columns that never change
    (a unit's status and cost do: they stay in the store)."""
    ids = sorted({row["imei_unit_id"] for rows in parts for row in rows if row.get("imei_unit_id")})
    if not ids:
        return []
    keep = ("id", "product_id", "imei", "imei2")
    return [{k: row[k] for k in keep} for row in _rows(ImeiUnit, ImeiUnit.id.in_(ids))]


def _levels(
    day: date, window: Window, movements: list[dict[str, Any]], everything: bool
) -> list[dict[str, Any]]:
    """Each product's on-hand at the window's end: the running sum (product_stock) less what
    moved after the end, so the same day exported again says the same."""
    moved = sorted({str(row["product_id"]) for row in movements})
    stock = ProductStock.select(ProductStock.product_id, ProductStock.on_hand)
    if not everything:
        stock = stock.where(ProductStock.product_id.in_(moved))
    now = dict.fromkeys(moved, 0)
    now.update({str(row.product_id): int(row.on_hand) for row in stock})
    after = StockMovement.created_at > window.end
    if not everything:  # the table's key leads with the product: no scan of the whole ledger
        after &= StockMovement.product.in_(moved)
    later = (
        StockMovement.select(StockMovement.product, fn.SUM(StockMovement.qty).alias("qty"))
        .where(after)
        .group_by(StockMovement.product)
    )
    for row in later:
        if str(row.product_id) in now:
            now[str(row.product_id)] -= int(row.qty or 0)
    keep = set(moved)
    return [
        {"id": f"{day.isoformat()}/{product}", "product_id": product, "on_hand": qty}
        for product, qty in sorted(now.items())
        if product in keep or qty
    ]


def day_records(
    day: date, window: Window, hasher: Callable[[str], str] | None, *, first: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """Every part's records, by part name (without its .jsonl)."""
    sales = _rows(Sale, Sale.business_date == day)
    sale_ids = _ids(sales)
    sessions = _rows(CashSession, CashSession.business_date == day)
    counts = _rows(
        StockCount, _any_in(window, StockCount.created_at, StockCount.closed_at, StockCount.approved_at)
    )
    lines = _rows(SaleLine, SaleLine.sale.in_(sale_ids))
    movements = _rows(StockMovement, _in(StockMovement.created_at, window))
    items = _rows(StockCountItem, StockCountItem.count.in_(_ids(counts)))
    roster = _rows(RosterEntry, RosterEntry.day == day)
    clock = _rows(TimeEntry, TimeEntry.business_date == day)
    leave = _rows(
        LeaveRequest,
        _any_in(window, LeaveRequest.created_at, LeaveRequest.decided_at)
        | ((LeaveRequest.first_day <= day) & (LeaveRequest.last_day >= day)),
    )
    levels = _levels(day, window, movements, first)
    return {
        "sales": sales,
        "sale_lines": lines,
        "tenders": _rows(Tender, Tender.sale.in_(sale_ids)),
        "stock_movements": movements,
        "products": _products(lines, movements, items, levels),
        "imei_units": _units(lines, movements),
        "stock_levels": levels,
        "counts": counts,
        "count_items": items,
        "count_entries": _rows(StockCountEntry, _in(StockCountEntry.created_at, window)),
        "customers": _customers(window, hasher),
        "referrals": _rows(Referral, Referral.business_date == day),
        "referral_rewards": _rows(
            ReferralReward,
            _any_in(window, ReferralReward.created_at, ReferralReward.earned_at, ReferralReward.closed_at),
        ),
        "voucher_uses": _rows(VoucherUse, _in(VoucherUse.created_at, window)),
        "roster": roster,
        "time_entries": clock,
        "leave": leave,
        "staff": _staff(sales, lines, movements, roster, clock, leave),
        "cash_sessions": sessions,
        "cash_movements": _rows(CashMovement, CashMovement.session.in_(_ids(sessions))),
        "day_close": _rows(DayClose, DayClose.business_date == day),
        "audit": _rows(
            AuditLog, (AuditLog.seq > window.after_seq) & (AuditLog.seq <= window.head_seq), AuditLog.seq
        ),
    }


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(_line(row) for row in rows)
