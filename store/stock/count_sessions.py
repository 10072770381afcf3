"""Stock count sessions: scopes and statuses, starting a count against a snapshot of the book,
finding counts, and pausing, resuming, closing, reopening or cancelling one.

A count starts with a snapshot of the book (on-hand of every product in its scope); counters
never see what the book says (store.stock.count_entry)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from store.audit import chain
from store.db.transaction import insert_rows, write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.clock import business_date
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import N_, _
from store.kernel.ids import new_id
from store.models import (
    StockCount,
    StockCountEntry,
    StockCountItem,
    database,
)

SCOPES = {
    "all": N_("everything"),
    "brand": N_("brand"),
    "category": N_("category"),
    "shelf": N_("shelf"),
}


STATUS_NAMES = {
    "open": N_("counting"),
    "paused": N_("paused"),
    "review": N_("closed, to approve"),
    "approved": N_("approved"),
    "cancelled": N_("cancelled"),
}


UNFINISHED = ("open", "paused", "review")


MISSING, UNEXPECTED, NEW = "missing", "unexpected", "new"


_SCOPE_COLUMNS = {"brand": "brand", "category": "category", "shelf": "shelf"}


def scope_name(kind: str) -> str:
    return _(SCOPES[kind]) if kind in SCOPES else kind


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def scope_label(count: StockCount) -> str:
    if count.scope_kind == "all":
        return scope_name("all")
    return f"{scope_name(count.scope_kind)} {count.scope_value}"


def count_moment(now: datetime | None) -> datetime:
    return moment(now)


def timestamp_text(moment: datetime) -> str:
    """The form a timestamp column holds, so SQL compares like with like."""
    return str(moment)


# ---- scope -----------------------------------------------------------------------------------
def scope_choices(kind: str) -> list[str]:
    """The brands, categories or shelves there are to count."""
    column = _SCOPE_COLUMNS.get(kind)
    if column is None:
        return []
    rows = database.obj.execute_sql(
        f"SELECT DISTINCT \"{column}\" FROM product WHERE active = 1 AND category != 'service' "
        f'AND "{column}" != \'\' ORDER BY "{column}"'
    ).fetchall()
    return [row[0] for row in rows]


def _scope_products(kind: str, value: str) -> list[str]:
    sql = "SELECT id FROM product WHERE active = 1 AND category != 'service'"
    params: tuple[str, ...] = ()
    if kind != "all":
        sql += f' AND "{_SCOPE_COLUMNS[kind]}" = ?'
        params = (value,)
    return [row[0] for row in database.obj.execute_sql(sql, params)]


def unfinished() -> list[StockCount]:
    """Counts still being counted, paused, or waiting for approval, newest first."""
    return list(
        StockCount.select().where(StockCount.status.in_(UNFINISHED)).order_by(StockCount.created_at.desc())
    )


def start_count(
    *,
    scope_kind: str,
    scope_value: str = "",
    staff_id: str,
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
) -> StockCount:
    """Open a count of everything, a brand, a category or a shelf, with the book's snapshot.
    Its number carries the store's local date (``tz``; UTC when not given)."""
    if scope_kind not in SCOPES:
        raise ValidationError(_("Count everything, a brand, a category or a shelf."))
    value = scope_value.strip() if scope_kind != "all" else ""
    if scope_kind != "all" and not value:
        raise ValidationError(_("Choose which {scope} to count.").format(scope=scope_name(scope_kind)))
    stamp = count_moment(now)

    def _tx() -> StockCount:
        busy = unfinished()
        if busy:
            raise ValidationError(
                _("Count {number} is not finished; go on with it or approve it first.").format(
                    number=busy[0].number
                )
            )
        products = _scope_products(scope_kind, value)
        if not products:
            raise ValidationError(
                _("Nothing to count in {scope}.").format(scope=f"{scope_name(scope_kind)} {value}")
            )
        day = f"{business_date(stamp, tz or ZoneInfo('UTC')):%Y%m%d}"
        same_day = StockCount.select().where(StockCount.number.startswith(f"PD{day}-")).count()
        count = StockCount.create(
            number=f"PD{day}-{same_day + 1:02d}",
            scope_kind=scope_kind,
            scope_value=value,
            status="open",
            created_at=stamp,
            created_by=staff_id,
            snapshot_at=stamp,
        )
        held = book_on_hand(products, upto=stamp)
        insert_rows(
            StockCountItem,
            [
                {
                    "id": new_id(),
                    "count": count.id,
                    "product": pid,
                    "snapshot_qty": held.get(pid, 0),
                    "expected_qty": None,
                    "counted_qty": None,
                    "adjusted_qty": None,
                }
                for pid in products
            ],
        )
        chain.record(
            "stock_count.start",
            staff_id=staff_id,
            entity="stock_count",
            entity_id=count.id,
            after={"number": count.number, "scope": scope_kind, "value": value, "products": len(products)},
            at=stamp,
        )
        return count

    return write(_tx)


def book_on_hand(product_ids: Sequence[str], upto: datetime | None = None) -> dict[str, int]:
    """On-hand of ``product_ids`` from the ledger (as of ``upto``, or now)."""
    found: dict[str, int] = {}
    ids = list(product_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        params: list[str] = list(chunk)
        if upto is None:  # the ledger's running sums (product_stock), a row a product
            sql = f'SELECT "product_id", "on_hand" FROM "product_stock" WHERE "product_id" IN ({marks})'
        else:
            sql = f"SELECT product_id, SUM(qty) FROM stock_movement WHERE product_id IN ({marks})"
            sql += " AND created_at <= ? GROUP BY product_id"
            params.append(timestamp_text(upto))
        found.update({row[0]: int(row[1]) for row in database.obj.execute_sql(sql, tuple(params))})
    return found


def _set_status(
    count_id: str,
    allowed: tuple[str, ...],
    target: str,
    *,
    staff_id: str,
    now: datetime | None,
    action: str,
    approved_by: str = "",
) -> StockCount:
    stamp = count_moment(now)

    def _tx() -> StockCount:
        count = StockCount.get_or_none(StockCount.id == count_id)
        if count is None:
            raise NotFound(_("That count no longer exists."))
        if count.status not in allowed:
            raise ValidationError(
                _("Count {number} is {status}.").format(number=count.number, status=status_name(count.status))
            )
        changes: dict[str, object] = {"status": target}
        if target == "review":
            if not StockCountEntry.select().where(StockCountEntry.count == count.id).exists():
                raise ValidationError(
                    _("Nothing has been counted in {number}; an empty count cannot be closed.").format(
                        number=count.number
                    )
                )
            changes.update(closed_at=stamp, closed_by=staff_id)
        if target == "open" and count.status == "review":
            changes.update(closed_at=None, closed_by="")
        StockCount.update(**changes).where(StockCount.id == count.id).execute()
        chain.record(
            action,
            staff_id=staff_id,
            approved_by=approved_by,
            entity="stock_count",
            entity_id=count.id,
            before={"status": count.status},
            after={"status": target},
            at=stamp,
        )
        return StockCount.get_by_id(count.id)

    return write(_tx)


def pause(count_id: str, *, staff_id: str, now: datetime | None = None) -> StockCount:
    return _set_status(count_id, ("open",), "paused", staff_id=staff_id, now=now, action="stock_count.pause")


def resume(count_id: str, *, staff_id: str, now: datetime | None = None) -> StockCount:
    return _set_status(
        count_id, ("paused", "open"), "open", staff_id=staff_id, now=now, action="stock_count.resume"
    )


def close(count_id: str, *, staff_id: str, now: datetime | None = None) -> StockCount:
    """Counting is done: the count waits for a manager to review and approve it."""
    return _set_status(
        count_id, ("open", "paused"), "review", staff_id=staff_id, now=now, action="stock_count.close"
    )


def reopen(count_id: str, *, staff_id: str, now: datetime | None = None) -> StockCount:
    """Back to counting from review (something was forgotten)."""
    return _set_status(count_id, ("review",), "open", staff_id=staff_id, now=now, action="stock_count.reopen")


def cancel(
    count_id: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> StockCount:
    """Give up a count (a manager ``actor``, or another person's approval); nothing moves."""
    staff_id, approver = manager_authority(
        actor, approval, needed=_("Cancelling a count needs a manager's PIN.")
    )
    return _set_status(
        count_id,
        UNFINISHED,
        "cancelled",
        staff_id=staff_id,
        now=now,
        action="stock_count.cancel",
        approved_by=approver,
    )


# ---- reports ---------------------------------------------------------------------------------
def counts(limit: int = 100) -> list[StockCount]:
    return list(StockCount.select().order_by(StockCount.created_at.desc()).limit(limit))


def find_count(number: str) -> StockCount:
    """The count with this number (or id); an empty number is the newest count."""
    if not number.strip():
        newest: StockCount | None = (
            StockCount.select().order_by(StockCount.created_at.desc(), StockCount.number.desc()).first()
        )
        if newest is None:
            raise NotFound(_("No counts yet."))
        return newest
    count = StockCount.get_or_none((StockCount.number == number.strip()) | (StockCount.id == number.strip()))
    if count is None:
        raise NotFound(_("No count {number}.").format(number=number.strip()[:30]))
    return count
