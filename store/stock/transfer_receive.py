"""Receiving a transfer file from another store of the chain.

The file is checked whole (its shape, every SKU, every IMEI of every pair against this
store) before anything is written; then all of it is booked in, or nothing. A file already
taken in (by its transfer id) is refused."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from store.audit import chain
from store.db.transaction import write
from store.kernel import moment
from store.kernel.errors import StockError, ValidationError, ZhangguiError
from store.kernel.i18n import _, ngettext
from store.kernel.money import MAX_FEN
from store.models import ImeiUnit, Product, StockMovement, StockTransfer
from store.stock import imei
from store.stock import ledger as stock
from store.stock.transfer_send import FORMAT, VERSION, own_store_code

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
            ngettext(
                "The transfer file is damaged: line {n} lists {count} IMEI for a quantity of {qty}.",
                "The transfer file is damaged: line {n} lists {count} IMEIs for a quantity of {qty}.",
                len(pairs),
            ).format(n=position, count=len(pairs), qty=qty)
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
    here = own_store_code()
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
        chain.record(
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
