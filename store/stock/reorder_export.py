"""Reorder suggestions as a table, a CSV and an XLSX workbook (a sheet per supplier), and as
purchase orders, one a supplier, which then count as stock on order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from store.audit import chain
from store.db.transaction import insert_rows, write
from store.kernel import moment
from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import ValidationError
from store.kernel.i18n import _, ngettext
from store.kernel.ids import new_id
from store.kernel.money import format_fen
from store.models import PurchaseOrder, PurchaseOrderLine
from store.reports import writers
from store.reports.table import Column, Kind, Table
from store.stock.reorder import Plan, no_supplier_label
from store.stock.velocity import class_name

TEXT, INT, YUAN = Kind.TEXT, Kind.INT, Kind.YUAN


def headers() -> list[str]:
    return [
        _("Supplier"),
        _("SKU"),
        _("Product"),
        _("Class"),
        _("On hand"),
        _("On order"),
        _("Reorder point"),
        _("Order qty"),
        _("Pack"),
        _("Unit cost"),
        _("Value"),
    ]


def supplier_label(plan: Plan) -> str:
    return plan.supplier_name or no_supplier_label()


_KINDS = (TEXT, TEXT, TEXT, TEXT, INT, INT, INT, INT, INT, YUAN, YUAN)


def _row(plan: Plan) -> list[object]:
    return [
        supplier_label(plan),
        plan.sku,
        plan.name,
        class_name(plan.velocity),
        plan.on_hand,
        plan.on_order,
        plan.reorder_at,
        plan.suggested,
        plan.pack_size,
        plan.cost,
        plan.value,
    ]


def table(plans: Iterable[Plan], title: str = "") -> Table:
    columns = [Column(h, k) for h, k in zip(headers(), _KINDS, strict=True)]
    return Table(columns, [_row(p) for p in plans], title)


def as_text(plans: Sequence[Plan]) -> str:
    """The suggestions aligned for a terminal, then how many and what they cost."""
    text = writers.as_text(table(plans)) if plans else ""
    return (
        text
        + ("\n\n" if text else "")
        + ngettext(
            "{n} product to order, {value} at cost.", "{n} products to order, {value} at cost.", len(plans)
        ).format(n=len(plans), value=format_fen(sum(p.value for p in plans)))
    )


def to_csv(plans: Iterable[Plan]) -> str:
    return writers.to_csv(table(plans))


def write_csv(plans: Iterable[Plan], path: Path) -> Path:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads the names right."""
    return writers.write_csv(path, table(plans))


def by_supplier(plans: Iterable[Plan]) -> dict[str, list[Plan]]:
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.supplier_id, []).append(plan)
    return groups


def write_xlsx(plans: Sequence[Plan], path: Path) -> Path:
    """A sheet a supplier: one header row, a row a product, a total row. Quantities are
    numbers, money is yuan with two decimals (exact: written from fen as a Decimal)."""
    sheets = []
    for group in (by_supplier(plans) or {"": []}).values():
        sheet = table(group, supplier_label(group[0]) if group else _("Reorder"))
        total: list[object] = [None] * len(_KINDS)
        total[2], total[7], total[10] = (
            _("Total"),
            sum(p.suggested for p in group),
            sum(p.value for p in group),
        )
        sheet.rows.append(total)
        sheets.append(sheet)
    return writers.write_xlsx(path, *sheets, widths=(16, 18, 36, 8, 8, 8, 10, 10, 6, 12, 14))


def order_number(supplier_code: str, now: datetime) -> str:
    return f"PO{now:%Y%m%d%H%M%S}-{supplier_code or 'NA'}"


@dataclass(frozen=True)
class Placed:
    orders: list[PurchaseOrder]
    files: list[Path]
    unassigned: list[Plan]  # wanted, but no supplier: written to a file of their own, not ordered


def place_orders(
    plans: Sequence[Plan],
    *,
    folder: Path,
    actor: Actor | None = None,
    approval: Approval | None = None,
    now: datetime | None = None,
) -> Placed:
    """One open purchase order a supplier for the plans with a quantity (from then on it is
    stock on order), each written as CSV and XLSX into ``folder``. Products without a
    supplier are written to a file of their own. Files first, then the orders in one
    transaction; if that fails the files are removed again. A manager places orders (a
    manager ``actor``, or another person's ``approval``)."""
    staff_id, approver = manager_authority(actor, approval)
    stamp = moment(now)
    wanted = [p for p in plans if p.suggested > 0]
    if not wanted:
        raise ValidationError(_("Nothing to order."))
    ordered = [p for p in wanted if p.supplier_id]
    unassigned = [p for p in wanted if not p.supplier_id]
    groups = by_supplier(ordered)
    numbers = {sid: order_number(group[0].supplier_code, stamp) for sid, group in groups.items()}
    files: list[Path] = []
    try:
        for sid, group in groups.items():
            files.append(write_csv(group, folder / f"{numbers[sid]}.csv"))
            files.append(write_xlsx(group, folder / f"{numbers[sid]}.xlsx"))
        if unassigned:
            base = folder / f"reorder-no-supplier-{stamp:%Y%m%d%H%M%S}"
            files.append(write_csv(unassigned, base.with_suffix(".csv")))
            files.append(write_xlsx(unassigned, base.with_suffix(".xlsx")))
        by = (staff_id, approver)
        orders = write(lambda: [_create_order(numbers[sid], grp, by, stamp) for sid, grp in groups.items()])
    except Exception:
        for path in files:
            path.unlink(missing_ok=True)
        raise
    return Placed(orders, files, unassigned)


def _create_order(number: str, group: list[Plan], by: tuple[str, str], stamp: datetime) -> PurchaseOrder:
    staff_id, approver = by
    if PurchaseOrder.select().where(PurchaseOrder.number == number).exists():
        raise ValidationError(_("Order {number} exists already; try again.").format(number=number))
    order = PurchaseOrder.create(
        number=number, supplier=group[0].supplier_id, status="open", created_at=stamp, created_by=staff_id
    )
    insert_rows(
        PurchaseOrderLine,
        [
            {
                "id": new_id(),
                "order": order.id,
                "product": p.product_id,
                "qty": p.suggested,
                "received": 0,
                "cost": p.cost,
            }
            for p in group
        ],
    )
    chain.record(
        "purchase_order.create",
        staff_id=staff_id,
        approved_by=approver,
        entity="purchase_order",
        entity_id=order.id,
        after={
            "number": number,
            "supplier": group[0].supplier_name,
            "lines": [[p.sku, p.suggested] for p in group],
        },
        at=stamp,
    )
    return order
