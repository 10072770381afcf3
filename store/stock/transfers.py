"""Transfers between the stores of a chain. The sending store books the goods out (its
handsets become 'transferred') and writes a transfer file; the receiving store books the
file in. Between the two the goods are in transit and on no store's books, so nothing is
ever counted twice; the transfer's id travels in the file, so the same file is never taken
in twice.

The file is on the disk before the booking out commits (a file that cannot be written books
nothing out), and a sent transfer's file can be written again from the ledger. A file that
comes in is checked whole (its shape, every SKU, every IMEI of every pair against this
store) before anything is written; then all of it is booked in, or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from peewee import SQL

from store.audit import chain as audit
from store.db.connection import write
from store.kernel import files, moment
from store.kernel.errors import NotFound, StockError, ValidationError, ZhangguiError
from store.kernel.i18n import _
from store.kernel.ids import new_id
from store.kernel.money import MAX_FEN
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


def _store_code() -> str:
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
        audit.record(
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
    store), from the ledger: the same id, so the other store still takes it in only once."""
    transfer = StockTransfer.get_or_none(
        (StockTransfer.number == number.strip()) & (StockTransfer.direction == "out")
    )
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
        .order_by(SQL("rowid"))  # the order they were booked out in, as the file had them
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


# ---- receiving ---------------------------------------------------------------------------------
MAX_LINES = 5000


@dataclass(frozen=True)
class _Line:
    """One line of a transfer file, its shape checked and its IMEIs valid."""

    position: int  # 1-based, for the messages
    sku: str
    qty: int
    cost: int
    pairs: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class _File:
    id: str
    number: str
    from_store: str
    to_store: str
    note: str
    lines: tuple[_Line, ...]


def _damaged(key: str) -> ValidationError:
    return ValidationError(_("The transfer file is damaged ({key} is missing).").format(key=key))


def _text_field(payload: dict[str, Any], key: str, limit: int = 64) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _damaged(key)
    return value.strip()


def _read(text: str) -> _File:
    """The file's shape, field by field, and every IMEI's digits, before the database is
    touched: a damaged or hand-edited file is one sentence, never a traceback."""
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(_("This is not a transfer file.")) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValidationError(_("This is not a transfer file."))
    if payload.get("version") != VERSION:
        raise ValidationError(_("This transfer file was made by another version of zhanggui."))
    header = {key: _text_field(payload, key) for key in ("id", "number", "from_store", "to_store")}
    note = payload.get("note", "")
    if not isinstance(note, str):
        raise _damaged("note")
    entries = payload.get("lines")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_LINES:
        raise _damaged("lines")
    lines: list[_Line] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        lines.append(_read_line(position, entry, seen))
    return _File(note=note[:60], lines=tuple(lines), **header)


def _bad_line(position: int, key: str) -> ValidationError:
    return ValidationError(
        _("The transfer file is damaged: line {n} has no valid {key}.").format(n=position, key=key)
    )


def _read_line(position: int, entry: object, seen: set[str]) -> _Line:
    if not isinstance(entry, dict):
        raise _bad_line(position, "sku")
    sku = entry.get("sku")
    if not isinstance(sku, str) or not sku.strip() or len(sku) > 64:
        raise _bad_line(position, "sku")
    qty = entry.get("qty")
    if type(qty) is not int or not 1 <= qty <= stock.MAX_QTY:
        raise _bad_line(position, "qty")
    cost = entry.get("cost")
    if type(cost) is not int or not 0 <= cost <= MAX_FEN:
        raise _bad_line(position, "cost")
    raw_pairs = entry.get("imeis", [])
    if not isinstance(raw_pairs, list):
        raise _bad_line(position, "imeis")
    pairs: list[tuple[str, str | None]] = []
    for raw in raw_pairs:
        if (
            not isinstance(raw, list)
            or not 1 <= len(raw) <= 2
            or not isinstance(raw[0], str)
            or not raw[0]
            or not (len(raw) == 1 or raw[1] is None or isinstance(raw[1], str))
        ):
            raise _bad_line(position, "imeis")
        numbers: list[str] = []
        for text in raw:
            if not text:  # a single-SIM handset's second IMEI: null or ""
                continue
            try:
                number = imei.validate(text)
            except ZhangguiError as exc:
                raise ValidationError(
                    _("Line {n} of the transfer file: {error}").format(n=position, error=exc)
                ) from exc
            if number in seen:
                raise ValidationError(
                    _("IMEI {imei} appears twice in the transfer file.").format(imei=number)
                )
            seen.add(number)
            numbers.append(number)
        pairs.append((numbers[0], numbers[1] if len(numbers) > 1 else None))
    if pairs and len(pairs) != qty:
        raise ValidationError(
            _("The transfer file is damaged: line {n} lists {count} IMEIs for a quantity of {qty}.").format(
                n=position, count=len(pairs), qty=qty
            )
        )
    return _Line(position, sku.strip(), qty, cost, tuple(pairs))


@dataclass
class _Plan:
    """What booking a line in will write, worked out before anything is written."""

    product: Product
    line: _Line
    new_units: list[tuple[str, str | None]] = field(default_factory=list)
    back_units: list[ImeiUnit] = field(default_factory=list)  # sent from here, coming back


def _plan(line: _Line) -> _Plan:
    product = Product.get_or_none(Product.sku == line.sku)
    if product is None:
        raise ValidationError(
            _("SKU {sku} is not in this store's catalog; import it first.").format(sku=line.sku)
        )
    plan = _Plan(product, line)
    if product.serialized and not line.pairs:
        raise ValidationError(
            _("{name} is sold by IMEI here, but the transfer file lists no IMEIs for it.").format(
                name=product.display_name
            )
        )
    if not product.serialized and line.pairs:
        raise ValidationError(
            _("{name} is not sold by IMEI here, but the transfer file lists IMEIs for it.").format(
                name=product.display_name
            )
        )
    for first, second in line.pairs:
        numbers = [n for n in (first, second) if n]
        known = list(ImeiUnit.select().where(ImeiUnit.imei.in_(numbers) | ImeiUnit.imei2.in_(numbers)))
        if not known:
            plan.new_units.append((first, second))
            continue
        unit = known[0]
        came_back = (
            len(known) == 1
            and unit.status == "transferred"
            and unit.product_id == product.id
            and (unit.imei, unit.imei2 or None) == (first, second)
        )
        if not came_back:
            # Either IMEI of the pair, in whichever column: a handset is in stock only once.
            clash = next(n for n in numbers if n in (unit.imei, unit.imei2))
            raise StockError(
                _("IMEI {imei} is already known (status: {status}).").format(
                    imei=clash, status=stock.status_name(unit.status)
                )
            )
        plan.back_units.append(unit)
    return plan


def receive(text: str, *, staff_id: str, now: datetime | None = None) -> StockTransfer:
    """Book a transfer file in: all of it or nothing."""
    payload = _read(text)
    here = _store_code()
    stamp = moment(now)
    if payload.to_store.upper() != here.upper():
        raise ValidationError(
            _("Transfer {number} is for store {code}, not this one.").format(
                number=payload.number, code=payload.to_store
            )
        )

    def _tx() -> StockTransfer:
        if StockTransfer.get_or_none(StockTransfer.id == payload.id) is not None:
            raise ValidationError(_("Transfer {number} was received already.").format(number=payload.number))
        plans = [_plan(line) for line in payload.lines]  # every check first, then the writes
        transfer = StockTransfer.create(
            id=payload.id,
            number=payload.number,
            direction="in",
            from_store=payload.from_store,
            to_store=here,
            status="received",
            created_at=stamp,
            created_by=staff_id,
            received_at=stamp,
            note=payload.note,
        )
        for plan in plans:
            _book_in(plan, transfer, staff_id, stamp)
        audit.record(
            "transfer.receive",
            staff_id=staff_id,
            entity="stock_transfer",
            entity_id=transfer.id,
            after={
                "number": transfer.number,
                "from": transfer.from_store,
                "lines": [[plan.product.sku, plan.line.qty] for plan in plans],
            },
            at=stamp,
        )
        return transfer

    return write(_tx)


def _book_in(plan: _Plan, transfer: StockTransfer, staff_id: str, stamp: datetime) -> None:
    product = plan.product
    unit_ids: list[str | None] = []
    for first, second in plan.new_units:
        unit = ImeiUnit.create(
            product=product.id, imei=first, imei2=second, cost=plan.line.cost, received_at=stamp
        )
        unit_ids.append(unit.id)
    for unit in plan.back_units:
        ImeiUnit.update(status="in_stock").where(ImeiUnit.id == unit.id).execute()  # it came back
        unit_ids.append(unit.id)
    if not product.serialized:
        unit_ids = [None]
    for unit_id in unit_ids:
        StockMovement.create(
            product=product.id,
            imei_unit=unit_id,
            kind="transfer_in",
            qty=1 if unit_id is not None else plan.line.qty,
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
