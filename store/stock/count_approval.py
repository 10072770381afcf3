"""Approving a count, and the lines approved counts wrote.

Approval (manager PIN) turns the variances into 'count' movements against today's stock, in
one transaction with the IMEI statuses and an audit row. A unit sold since it was found
missing is not written off (the sale proves it was there)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from store.audit import chain
from store.db.transaction import insert_rows, write
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import (
    ImeiUnit,
    Product,
    Staff,
    StockCount,
    StockCountItem,
    StockMovement,
    database,
)
from store.stock.count_review import Review, review_of
from store.stock.count_sessions import MISSING, UNEXPECTED, count_moment, status_name
from store.stock.ledger import SELLABLE


# ---- approval --------------------------------------------------------------------------------
def approve(
    count_id: str,
    *,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Review:
    """Turn the variances into 'count' movements, update IMEI statuses and keep the result,
    all in one transaction with an audit row. A manager's work: a manager ``actor``, or
    another person's PIN (an Approval)."""
    staff_id, approver = manager_authority(
        actor, approval, needed=_("Approving a count needs a manager's PIN.")
    )
    stamp = count_moment(now)

    def _tx() -> Review:
        manager = Staff.get_or_none(Staff.id == approver)
        if manager is None or manager.role not in MANAGER_ROLES:
            raise PermissionDenied(_("Approving a count needs a manager's PIN."))
        count = StockCount.get_or_none(StockCount.id == count_id)
        if count is None:
            raise NotFound(_("That count no longer exists."))
        if count.status != "review":
            if count.status in ("open", "paused"):
                raise ValidationError(
                    _("Close count {number} before approving it.").format(number=count.number)
                )
            raise ValidationError(
                _("Count {number} is {status}.").format(number=count.number, status=status_name(count.status))
            )
        result = review_of(count, stamp)
        reason = _("stock count {number}").format(number=count.number)
        movements: list[dict[str, object]] = []

        def move(product_id: str, qty: int, unit_id: str | None = None) -> None:
            movements.append(
                {
                    "id": new_id(),
                    "product": product_id,
                    "imei_unit": unit_id,
                    "kind": "count",
                    "qty": qty,
                    "staff": approver,
                    "created_at": stamp,
                    "document": count.id,
                    "reason": reason,
                }
            )

        for line in result.lines:
            if line.adjust and not line.serialized:
                move(line.product_id, line.adjust)
        costs = {ln.product_id: ln.cost for ln in result.lines}
        for unit in result.units:
            if not unit.applies:
                continue
            if unit.kind == MISSING:
                changed = (
                    ImeiUnit.update(status="missing")
                    .where((ImeiUnit.id == unit.unit_id) & (ImeiUnit.status.in_(SELLABLE)))
                    .execute()
                )
                if changed == 1:
                    move(unit.product_id, -1, unit.unit_id)
            elif unit.kind == UNEXPECTED:
                ImeiUnit.update(status="in_stock").where(ImeiUnit.id == unit.unit_id).execute()
                move(unit.product_id, 1, unit.unit_id)
            else:
                row = ImeiUnit.create(
                    product=unit.product_id,
                    imei=unit.imei,
                    cost=costs.get(unit.product_id, 0),
                    received_at=stamp,
                )
                move(unit.product_id, 1, row.id)
        insert_rows(StockMovement, movements)
        moved: dict[str, int] = defaultdict(int)
        for movement in movements:
            moved[str(movement["product"])] += int(str(movement["qty"]))
        database.obj.cursor().executemany(
            "UPDATE stock_count_item SET expected_qty = ?, counted_qty = ?, adjusted_qty = ? "
            "WHERE count_id = ? AND product_id = ?",
            [
                (ln.expected, ln.counted, moved.get(ln.product_id, 0), count.id, ln.product_id)
                for ln in result.lines
            ],
        )
        StockCount.update(status="approved", approved_at=stamp, approved_by=approver).where(
            StockCount.id == count.id
        ).execute()
        chain.record(
            "stock_count.approve",
            staff_id=staff_id,
            approved_by=approver,
            entity="stock_count",
            entity_id=count.id,
            after={
                "number": count.number,
                "products": len(result.differences),
                "moved": sum(moved.values()),
                "short_value": result.short_value,
                "over_value": result.over_value,
                "units": [[u.kind, u.imei] for u in result.units if u.applies],
            },
            at=stamp,
        )
        return result

    return write(_tx)


@dataclass(frozen=True)
class ReportLine:
    sku: str
    name: str
    expected: int
    counted: int
    adjusted: int
    cost: int

    @property
    def variance(self) -> int:
        return self.counted - self.expected

    @property
    def value(self) -> int:
        return self.variance * self.cost


def approved_lines(count: StockCount, *, all_lines: bool = False) -> list[ReportLine]:
    """What an approved count found and moved (kept at approval, so later sales never change
    it); only the products with a difference unless ``all_lines``."""
    rows = (
        StockCountItem.select(StockCountItem, Product)
        .join(Product)
        .where((StockCountItem.count == count.id) & StockCountItem.counted_qty.is_null(False))
        .order_by(Product.brand, Product.model, Product.sku)
    )
    out = [
        ReportLine(
            r.product.sku,
            r.product.display_name,
            r.expected_qty or 0,
            r.counted_qty or 0,
            int(r.adjusted_qty or 0),
            r.product.cost,
        )
        for r in rows
    ]
    return out if all_lines else [ln for ln in out if ln.variance or ln.adjusted]
