"""Reorder suggestions as a table, a CSV and an XLSX workbook (a sheet per supplier), and as
purchase orders, one a supplier, which then count as stock on order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from store import audit
from store.auth import Actor, Approval, manager_authority
from store.db import insert_rows, write
from store.errors import ValidationError
from store.i18n import _
from store.ids import new_id
from store.kernel import moment
from store.models import PurchaseOrder, PurchaseOrderLine
from store.reorder import Plan, no_supplier_label
from store.velocity import class_name

_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


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


def yuan(fen: int) -> Decimal:
    """Fen as an exact number of yuan for a spreadsheet cell (never a float)."""
    return Decimal(fen) / 100


def yuan_text(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def supplier_label(plan: Plan) -> str:
    return plan.supplier_name or no_supplier_label()


def _row(plan: Plan) -> list[str | int]:
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
        yuan_text(plan.cost),
        yuan_text(plan.value),
    ]


def table_rows(plans: Iterable[Plan]) -> list[list[str | int]]:
    return [_row(p) for p in plans]


def to_csv(plans: Iterable[Plan]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers())
    for plan in plans:
        writer.writerow(_row(plan))
    return out.getvalue()


def write_csv(plans: Iterable[Plan], path: Path) -> Path:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads the names right."""
    _write_bytes(path, to_csv(plans).encode("utf-8-sig"))
    return path


def by_supplier(plans: Iterable[Plan]) -> dict[str, list[Plan]]:
    groups: dict[str, list[Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.supplier_id, []).append(plan)
    return groups


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (name.translate(_SHEET_FORBIDDEN).strip("'") or "-")[:28]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:25]}~{n}"
        n += 1
    taken.add(title.lower())
    return title


def write_xlsx(plans: Sequence[Plan], path: Path) -> Path:
    """A sheet a supplier: one header row, a row a product, a total row. Quantities are
    numbers, money is yuan with two decimals (exact: written from fen as a Decimal)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    groups = by_supplier(plans) or {"": []}
    for group in groups.values():
        sheet = book.create_sheet(_sheet_title(supplier_label(group[0]) if group else _("Reorder"), taken))
        sheet.append(headers())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for plan in group:
            row = _row(plan)
            row[9] = yuan(plan.cost)  # type: ignore[call-overload]
            row[10] = yuan(plan.value)  # type: ignore[call-overload]
            sheet.append(row)
        total = sum(p.value for p in group)
        sheet.append(
            ["", "", _("Total"), "", "", "", "", sum(p.suggested for p in group), "", "", yuan(total)]
        )
        for column in ("J", "K"):
            for cell in sheet[column][1:]:
                cell.number_format = "#,##0.00"
        for column, width in zip("ABCDEFGHIJK", (16, 18, 36, 8, 8, 8, 10, 10, 6, 12, 14), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    _write_bytes(path, buffer.getvalue())
    return path


def _write_bytes(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so a full disk never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc


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
    audit.record(
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
