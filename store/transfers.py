"""Transfers between the stores of a chain. The sending store books the goods out (its
handsets become 'transferred') and writes a transfer file; the receiving store books the
file in. Between the two the goods are in transit and on no store's books, so nothing is
ever counted twice; the transfer's id travels in the file, so the same file is never taken
in twice."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from store import audit, imei, stock
from store.db import write
from store.errors import StockError, ValidationError
from store.i18n import _
from store.ids import new_id
from store.models import ImeiUnit, Product, StockMovement, StockTransfer
from store.models.base import utcnow
from store.setup import get_meta

FORMAT = "zhanggui-transfer"
VERSION = 1


@dataclass
class TransferLine:
    product: Product
    qty: int = 0  # accessories
    imeis: list[str] = field(default_factory=list)  # handsets

    @property
    def count(self) -> int:
        return len(self.imeis) if self.product.serialized else self.qty


def _store_code() -> str:
    code = get_meta("store_code")
    if not code:
        raise ValidationError(_("This database holds no store yet."))
    return code


def send(
    *, to_store: str, lines: list[TransferLine], staff_id: str, note: str = "", now: datetime | None = None
) -> tuple[StockTransfer, str]:
    """Book goods out to another store; returns the transfer and the file's text (JSON)."""
    target = to_store.strip().upper()
    here = _store_code()
    if not target.isalnum() or len(target) > 12:
        raise ValidationError(_("A store code is letters and digits only."))
    if target == here.upper():
        raise ValidationError(_("A transfer goes to another store, not to {code}.").format(code=here))
    wanted = [ln for ln in lines if ln.imeis or ln.qty]
    if not wanted:
        raise ValidationError(_("The transfer is empty."))
    for line in wanted:
        if line.product.serialized:
            if line.qty and not line.imeis:
                raise ValidationError(
                    _("Scan each {name} by its IMEI.").format(name=line.product.display_name)
                )
        else:
            stock.validate_qty(line.qty)
    stamp = now or utcnow()

    def _tx() -> tuple[StockTransfer, str]:
        transfer = StockTransfer.create(
            id=new_id(),
            number=f"TR{stamp:%Y%m%d%H%M%S}-{here}-{target}",
            direction="out",
            from_store=here,
            to_store=target,
            status="sent",
            created_at=stamp,
            created_by=staff_id,
            note=note[:60],
        )
        payload_lines: list[dict[str, Any]] = []
        seen: set[str] = set()
        for line in wanted:
            product = line.product
            units: list[list[str | None]] = []
            for text in line.imeis:
                number = imei.validate(text)
                unit = ImeiUnit.select().where((ImeiUnit.imei == number) | (ImeiUnit.imei2 == number)).first()
                if unit is None or unit.product_id != product.id:
                    raise StockError(
                        _("IMEI {imei} is not a {name} of this store.").format(
                            imei=number, name=product.display_name
                        )
                    )
                if unit.id in seen:
                    raise ValidationError(_("IMEI {imei} is scanned twice.").format(imei=number))
                seen.add(unit.id)
                changed = (
                    ImeiUnit.update(status="transferred")
                    .where((ImeiUnit.id == unit.id) & ImeiUnit.status.in_(stock.SELLABLE))
                    .execute()
                )
                if changed != 1:
                    raise StockError(
                        _("IMEI {imei} is not in stock (status: {status}).").format(
                            imei=number, status=stock.status_name(unit.status)
                        )
                    )
                StockMovement.create(
                    product=product.id,
                    imei_unit=unit.id,
                    kind="transfer_out",
                    qty=-1,
                    staff=staff_id,
                    created_at=stamp,
                    document=transfer.id,
                    reason=target,
                )
                units.append([unit.imei, unit.imei2])
            if not product.serialized:
                StockMovement.create(
                    product=product.id,
                    kind="transfer_out",
                    qty=-line.qty,
                    staff=staff_id,
                    created_at=stamp,
                    document=transfer.id,
                    reason=target,
                )
                left = stock.on_hand(product.id)
                if left < 0:
                    raise StockError(
                        _("Only {n} of {name} in stock.").format(n=left + line.qty, name=product.display_name)
                    )
            payload_lines.append(
                {
                    "sku": product.sku,
                    "name": product.display_name,
                    "qty": line.count,
                    "cost": product.cost,
                    "imeis": units,
                }
            )
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "id": transfer.id,
            "number": transfer.number,
            "from_store": here,
            "to_store": target,
            "created_at": stamp.isoformat(),
            "note": transfer.note,
            "lines": payload_lines,
        }
        audit.record(
            "transfer.send",
            staff_id=staff_id,
            entity="stock_transfer",
            entity_id=transfer.id,
            after={
                "number": transfer.number,
                "to": target,
                "lines": [[ln["sku"], ln["qty"]] for ln in payload_lines],
            },
            at=stamp,
        )
        return transfer, json.dumps(payload, ensure_ascii=False, indent=1)

    return write(_tx)


def _read(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise ValidationError(_("This is not a transfer file.")) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValidationError(_("This is not a transfer file."))
    if payload.get("version") != VERSION:
        raise ValidationError(_("This transfer file was made by another version of zhanggui."))
    for key in ("id", "number", "from_store", "to_store", "lines"):
        if key not in payload:
            raise ValidationError(_("The transfer file is damaged ({key} is missing).").format(key=key))
    return payload


def receive(text: str, *, staff_id: str, now: datetime | None = None) -> StockTransfer:
    """Book a transfer file in: all of it or nothing."""
    payload = _read(text)
    here = _store_code()
    stamp = now or utcnow()
    if str(payload["to_store"]).upper() != here.upper():
        raise ValidationError(
            _("Transfer {number} is for store {code}, not this one.").format(
                number=payload["number"], code=payload["to_store"]
            )
        )

    def _tx() -> StockTransfer:
        if StockTransfer.get_or_none(StockTransfer.id == str(payload["id"])) is not None:
            raise ValidationError(
                _("Transfer {number} was received already.").format(number=payload["number"])
            )
        transfer = StockTransfer.create(
            id=str(payload["id"]),
            number=str(payload["number"]),
            direction="in",
            from_store=str(payload["from_store"]),
            to_store=here,
            status="received",
            created_at=stamp,
            created_by=staff_id,
            received_at=stamp,
            note=str(payload.get("note", ""))[:60],
        )
        booked: list[list[object]] = []
        for entry in payload["lines"]:
            product = Product.get_or_none(Product.sku == str(entry.get("sku", "")))
            if product is None:
                raise ValidationError(
                    _("SKU {sku} is not in this store's catalog; import it first.").format(
                        sku=entry.get("sku")
                    )
                )
            if product.serialized:
                for pair in entry.get("imeis", []):
                    _receive_unit(
                        product, pair, transfer, staff_id, stamp, int(entry.get("cost", product.cost))
                    )
            else:
                qty = stock.validate_qty(entry.get("qty"))
                StockMovement.create(
                    product=product.id,
                    kind="transfer_in",
                    qty=qty,
                    staff=staff_id,
                    created_at=stamp,
                    document=transfer.id,
                    reason=transfer.from_store,
                )
            booked.append([product.sku, entry.get("qty")])
        audit.record(
            "transfer.receive",
            staff_id=staff_id,
            entity="stock_transfer",
            entity_id=transfer.id,
            after={"number": transfer.number, "from": transfer.from_store, "lines": booked},
            at=stamp,
        )
        return transfer

    return write(_tx)


def _receive_unit(
    product: Product, pair: Any, transfer: StockTransfer, staff_id: str, stamp: datetime, cost: int
) -> None:
    if not isinstance(pair, list) or not pair:
        raise ValidationError(_("The transfer file is damaged ({key} is missing).").format(key="imeis"))
    first = imei.validate(str(pair[0]))
    second = imei.validate(str(pair[1])) if len(pair) > 1 and pair[1] else None
    unit = ImeiUnit.select().where((ImeiUnit.imei == first) | (ImeiUnit.imei2 == first)).first()
    if unit is None:
        unit = ImeiUnit.create(product=product.id, imei=first, imei2=second, cost=cost, received_at=stamp)
    elif unit.status == "transferred" and unit.product_id == product.id:
        ImeiUnit.update(status="in_stock").where(ImeiUnit.id == unit.id).execute()  # it came back
    else:
        raise StockError(
            _("IMEI {imei} is already known (status: {status}).").format(
                imei=first, status=stock.status_name(unit.status)
            )
        )
    StockMovement.create(
        product=product.id,
        imei_unit=unit.id,
        kind="transfer_in",
        qty=1,
        staff=staff_id,
        created_at=stamp,
        document=transfer.id,
        reason=transfer.from_store,
    )


def in_transit() -> list[StockTransfer]:
    """Transfers this store sent (their goods are on no store's books until received)."""
    return list(
        StockTransfer.select().where(StockTransfer.direction == "out").order_by(StockTransfer.created_at)
    )
