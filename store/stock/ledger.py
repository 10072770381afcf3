"""The stock ledger: every change is a movement; on-hand is their sum."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.errors import ValidationError
from store.kernel.i18n import N_, _
from store.models import ImeiUnit, Product, StockMovement, database
from store.stock import imei

SELLABLE = ("in_stock", "returned")
STATUS_NAMES = {
    "in_stock": N_("in stock"),
    "sold": N_("sold"),
    "returned": N_("returned"),
    "missing": N_("missing at a stock count"),
    "transferred": N_("sent to another store"),
}
MAX_QTY = 9999


def status_name(status: str) -> str:
    """An IMEI unit's status in the user's language."""
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def on_hand(product_id: str) -> int:
    """The sum of the product's movements, read from its running summary (product_stock, kept
    by the ledger's triggers in every movement's transaction): one row, however old the shop."""
    row = database.obj.execute_sql(
        'SELECT "on_hand" FROM "product_stock" WHERE "product_id" = ?', (product_id,)
    ).fetchone()
    return int(row[0]) if row else 0


def on_hand_of(product_ids: list[str]) -> dict[str, int]:
    """On-hand of each of a few products (a picker's rows), every id in the answer."""
    wanted = list(dict.fromkeys(product_ids))
    found: dict[str, int] = dict.fromkeys(wanted, 0)
    for start in range(0, len(wanted), 500):  # well under SQLite's limit of bound parameters
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = database.obj.execute_sql(
            f'SELECT "product_id", "on_hand" FROM "product_stock" WHERE "product_id" IN ({marks})',
            chunk,
        ).fetchall()
        for product_id, qty in rows:
            found[str(product_id)] = int(qty or 0)
    return found


def on_hand_all() -> dict[str, int]:
    """Every product that has movements -> the sum of them (product_stock)."""
    rows = database.obj.execute_sql('SELECT "product_id", "on_hand" FROM "product_stock"')
    return {str(product_id): int(qty) for product_id, qty in rows}


def validate_qty(qty: object) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise ValidationError(_("A quantity is a whole number."))
    if qty <= 0:
        raise ValidationError(_("A quantity must be at least 1."))
    if qty > MAX_QTY:
        raise ValidationError(_("A quantity of {n} is too large.").format(n=qty))
    return qty


# Full-width digits and minus from a Chinese input method; nothing else is folded, so '²' or
# another script's digits stay refused (str.isdigit() accepts them but int() does not).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_QTY_RE = re.compile(r"-?[0-9]+")


def parse_qty(text: str) -> int:
    cleaned = text.strip().translate(_FULL_WIDTH)
    if not _QTY_RE.fullmatch(cleaned):
        raise ValidationError(_("A quantity is a whole number: {text}").format(text=text.strip()[:20]))
    if len(cleaned.lstrip("-")) > 9:  # far past MAX_QTY; int() of thousands of digits even raises
        if cleaned.startswith("-"):
            raise ValidationError(_("A quantity must be at least 1."))
        raise ValidationError(_("A quantity of {n} is too large.").format(n=cleaned[:20]))
    return validate_qty(int(cleaned))


@dataclass(frozen=True)
class ReceivedUnit:
    imei: str
    imei2: str | None = None


def receive(
    product: Product,
    *,
    staff_id: str,
    qty: int = 0,
    units: list[ReceivedUnit] | None = None,
    document: str = "",
    cost: int | None = None,
    now: datetime | None = None,
) -> int:
    """Receive stock: accessories by quantity, handsets by IMEI. Returns the quantity."""
    unit_cost = product.cost if cost is None else cost
    if product.serialized:
        if not units:
            raise ValidationError(_("Scan the IMEI of every handset received."))
        seen: set[str] = set()
        clean: list[ReceivedUnit] = []
        for unit in units:
            first = imei.validate(unit.imei)
            second = imei.validate(unit.imei2) if unit.imei2 else None
            for number in (first, second):
                if number is None:
                    continue
                if number in seen:
                    raise ValidationError(_("IMEI {imei} is scanned twice.").format(imei=number))
                seen.add(number)
            clean.append(ReceivedUnit(first, second))
        count = len(clean)
    else:
        count = validate_qty(qty)
        clean = []

    stamp = moment(now)

    def _receive() -> int:
        for unit in clean:
            numbers = [n for n in (unit.imei, unit.imei2) if n]
            known = ImeiUnit.select().where(ImeiUnit.imei.in_(numbers) | ImeiUnit.imei2.in_(numbers)).first()
            if known is not None:
                raise ValidationError(
                    _("IMEI {imei} is already known (status: {status}).").format(
                        imei=known.imei, status=status_name(known.status)
                    )
                )
            row = ImeiUnit.create(
                product=product.id,
                imei=unit.imei,
                imei2=unit.imei2,
                cost=unit_cost,
                received_at=stamp,
            )
            StockMovement.create(
                product=product.id,
                imei_unit=row.id,
                kind="receive",
                qty=1,
                staff=staff_id,
                created_at=stamp,
                document=document,
            )
        if not clean:
            StockMovement.create(
                product=product.id,
                kind="receive",
                qty=count,
                staff=staff_id,
                created_at=stamp,
                document=document,
            )
        chain.record(
            "stock.receive",
            staff_id=staff_id,
            entity="product",
            entity_id=product.id,
            after={"qty": count, "document": document, "imeis": [u.imei for u in clean]},
            at=stamp,
        )
        return count

    return write(_receive)


def units_in_stock(product_id: str, limit: int = 50) -> list[ImeiUnit]:
    """Sellable handsets of a model, oldest first (sell what came in first)."""
    return list(
        ImeiUnit.select()
        .where((ImeiUnit.product == product_id) & (ImeiUnit.status.in_(SELLABLE)))
        .order_by(ImeiUnit.received_at)
        .limit(limit)
    )
