"""Sending a transfer to another store of the chain: the goods are booked out (handsets become
'transferred') and a transfer file is written; a sent transfer's file can be written again
from the ledger, and what was sent and not yet received is in transit.

Between the two stores the goods are on no store's books, so nothing is ever counted twice;
the transfer's id travels in the file, so the same file is never taken in twice. The file is
on the disk before the booking out commits: a file that cannot be written books nothing out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from store.audit import chain
from store.db.transaction import write
from store.kernel import files, moment
from store.kernel.errors import NotFound, StockError, ValidationError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.models import AuditLog, ImeiUnit, Product, StockMovement, StockTransfer
from store.setup import get_meta
from store.stock import imei
from store.stock import ledger as stock

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


def own_store_code() -> str:
    code = get_meta("store_code")
    if not code:
        raise ValidationError(_("This database holds no store yet."))
    return code


def send(
    *,
    to_store: str,
    lines: list[TransferLine],
    staff_id: str,
    tz: ZoneInfo,
    note: str = "",
    now: datetime | None = None,
    out: Path | None = None,
) -> tuple[StockTransfer, str]:
    """Book goods out to another store; returns the transfer and the file's text (JSON).
    With ``out`` the file is written there (whole, fsynced) before the booking commits: if
    it cannot be written nothing is booked out, and if the commit fails the file is removed.
    Its number carries the store's local time (``tz``), as the shop reads it."""
    target = to_store.strip().upper()
    here = own_store_code()
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
    if out is not None:
        _check_new_file(out)
    stamp = moment(now)
    written: list[Path] = []

    def _tx() -> tuple[StockTransfer, str]:
        transfer = StockTransfer.create(
            id=new_id(),
            number=f"TR{stamp.replace(tzinfo=UTC).astimezone(tz):%Y%m%d%H%M%S}-{here}-{target}",
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
            payload_lines.append(_file_line(product, line.count, product.cost, units))
        chain.record(
            "transfer.send",
            staff_id=staff_id,
            entity="stock_transfer",
            entity_id=transfer.id,
            after={
                "number": transfer.number,
                "to": target,
                "lines": [[ln["sku"], ln["qty"]] for ln in payload_lines],
                "costs": {ln["sku"]: ln["cost"] for ln in payload_lines},
            },
            at=stamp,
        )
        text = _file_text(transfer, stamp, payload_lines)
        if out is not None:  # last, so that only the commit can still fail after it
            _write_file(out, text)
            written.append(out)
        return transfer, text

    try:
        return write(_tx)
    except BaseException:
        for path in written:  # the commit failed: no file may claim goods still on our books
            files.remove_durably(path)
        raise


def _file_line(product: Product, qty: int, cost: int, units: list[list[str | None]]) -> dict[str, Any]:
    return {"sku": product.sku, "name": product.display_name, "qty": qty, "cost": cost, "imeis": units}


def _file_text(transfer: StockTransfer, stamp: datetime, lines: list[dict[str, Any]]) -> str:
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "id": transfer.id,
        "number": transfer.number,
        "from_store": transfer.from_store,
        "to_store": transfer.to_store,
        "created_at": stamp.isoformat(),
        "note": transfer.note,
        "lines": lines,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def _check_new_file(out: Path) -> None:
    if out.exists():
        raise ValidationError(_("{path} exists already; choose another file.").format(path=out))
    if not out.parent.is_dir():
        raise ValidationError(_("Cannot write {path}: {error}").format(path=out, error=_("no such folder")))


def _write_file(out: Path, text: str) -> None:
    try:
        files.write_durably(out, text.encode("utf-8"))
    except OSError as exc:
        raise ValidationError(
            _("Cannot write {path}: {error}").format(path=out, error=exc.strerror or exc)
        ) from exc


def write_again(number: str, out: Path) -> StockTransfer:
    """Write a sent transfer's file again (the first copy was lost, or never reached the other
    store), from the ledger: the same id, so the other store still takes it in only once. An
    empty ``number`` is the newest transfer sent."""
    outgoing = StockTransfer.select().where(StockTransfer.direction == "out")
    transfer: StockTransfer | None
    if number.strip():
        transfer = outgoing.where(StockTransfer.number == number.strip()).first()
    else:  # the newest one sent
        transfer = outgoing.order_by(StockTransfer.created_at.desc(), StockTransfer.number.desc()).first()
        if transfer is None:
            raise NotFound(_("No transfer was sent from this store yet."))
    if transfer is None:
        raise NotFound(_("No transfer {number} was sent from this store.").format(number=number.strip()))
    _check_new_file(out)
    sent = AuditLog.get_or_none((AuditLog.action == "transfer.send") & (AuditLog.entity_id == transfer.id))
    after = json.loads(sent.after) if sent is not None and sent.after else {}
    order = [str(row[0]) for row in after.get("lines", [])]
    costs: dict[str, int] = after.get("costs", {})
    by_product: dict[str, tuple[Product, list[StockMovement]]] = {}
    moves = list(
        StockMovement.select()
        .where((StockMovement.document == transfer.id) & (StockMovement.kind == "transfer_out"))
        .order_by(StockMovement.id)  # the order they were booked out in, as the file had them
    )
    products = {p.id: p for p in Product.select().where(Product.id.in_({m.product_id for m in moves}))}
    for move in moves:
        product = products[move.product_id]
        by_product.setdefault(product.sku, (product, []))[1].append(move)
    skus = [sku for sku in order if sku in by_product] + [sku for sku in by_product if sku not in order]
    lines: list[dict[str, Any]] = []
    for sku in skus:
        product, rows = by_product[sku]
        units: list[list[str | None]] = []
        for move in rows:
            if move.imei_unit_id is not None:
                unit = ImeiUnit.get_by_id(move.imei_unit_id)
                units.append([unit.imei, unit.imei2])
        qty = -sum(move.qty for move in rows)
        lines.append(_file_line(product, qty, int(costs.get(sku, product.cost)), units))
    _write_file(out, _file_text(transfer, transfer.created_at, lines))
    return transfer


def in_transit() -> list[StockTransfer]:
    """Transfers this store sent (their goods are on no store's books until received)."""
    return list(
        StockTransfer.select().where(StockTransfer.direction == "out").order_by(StockTransfer.created_at)
    )
