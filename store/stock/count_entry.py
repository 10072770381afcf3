"""Blind count entry: counters scan handsets by IMEI and enter accessories by quantity, and
can recount a product; they never see what the book says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from peewee import IntegrityError

from store.audit import chain
from store.db.transaction import write
from store.kernel.errors import NotFound, ValidationError
from store.kernel.i18n import _
from store.models import (
    ImeiUnit,
    Product,
    StockCount,
    StockCountEntry,
    StockCountItem,
    database,
)
from store.stock import imei
from store.stock.catalog import lookup_code
from store.stock.count_sessions import count_moment, scope_label, status_name
from store.stock.ledger import MAX_QTY
from store.stock.tac import models_for_tac

_FULL_WIDTH = str.maketrans("０１２３４５６７８９－．", "0123456789-.")


# ---- entry -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entered:
    """What the counter sees after an entry: the product and how many of it they have
    counted so far (never what the book expects)."""

    product_id: str
    name: str
    serialized: bool
    counted: int
    message: str
    imei: str = ""
    model_only: bool = False  # a handset's barcode: its IMEIs come next, nothing was counted


def parse_counted(text: str) -> int:
    """A counted quantity: a whole number from 0 (looked, found none) up."""
    cleaned = text.strip().translate(_FULL_WIDTH)
    if re.fullmatch(r"-\s*[0-9]+(\.[0-9]*)?", cleaned):
        raise ValidationError(
            _("A counted quantity cannot be negative: {text}").format(text=text.strip()[:20])
        )
    if not re.fullmatch(r"[0-9]{1,9}", cleaned):
        raise ValidationError(
            _("A counted quantity is a whole number: {text}").format(text=text.strip()[:20])
        )
    qty = int(cleaned)
    if qty > MAX_QTY:
        raise ValidationError(_("A quantity of {n} is too large.").format(n=qty))
    return qty


def _open_count(count_id: str) -> StockCount:
    count = StockCount.get_or_none(StockCount.id == count_id)
    if count is None:
        raise NotFound(_("That count no longer exists."))
    if count.status == "paused":
        raise ValidationError(_("Count {number} is paused; resume it to go on.").format(number=count.number))
    if count.status != "open":
        raise ValidationError(
            _("Count {number} is {status}; nothing more can be counted.").format(
                number=count.number, status=status_name(count.status)
            )
        )
    return count


def _in_scope(count: StockCount, product: Product) -> None:
    if not product.active or product.category == "service":
        raise ValidationError(
            _("{name} is not a product this store carries.").format(name=product.display_name)
        )
    exists = (
        StockCountItem.select()
        .where((StockCountItem.count == count.id) & (StockCountItem.product == product.id))
        .exists()
    )
    if not exists:
        raise ValidationError(
            _("{name} is not part of this count ({scope}).").format(
                name=product.display_name, scope=scope_label(count)
            )
        )


def _counted(count_id: str, product_id: str) -> int:
    total = database.obj.execute_sql(
        "SELECT COALESCE(SUM(qty), 0) FROM stock_count_entry WHERE count_id = ? AND product_id = ?",
        (count_id, product_id),
    ).fetchone()[0]
    return int(total)


def enter(
    count_id: str, text: str, *, staff_id: str, model_id: str | None = None, now: datetime | None = None
) -> Entered:
    """One scan or typed line: an IMEI (one handset), a barcode or SKU (one accessory, or
    the handset model whose IMEIs follow) or 'N*code' (N of an accessory)."""
    raw = text.strip()
    if not raw:
        raise ValidationError(_("Scan an IMEI or a barcode."))
    qty: int | None = None
    if "*" in raw:
        left, raw = raw.split("*", 1)
        qty = parse_counted(left)
        raw = raw.strip()
    if imei.looks_like_imei(raw):
        if qty is not None:
            raise ValidationError(_("Scan handsets one IMEI at a time."))
        return record_imei(count_id, raw, staff_id=staff_id, model_id=model_id, now=now)
    found = lookup_code(raw)
    if found is None:
        raise NotFound(_("{code} is not a product this store carries.").format(code=raw[:40]))
    product = found.product
    if product.serialized:
        if qty is not None:
            raise ValidationError(_("Scan each {name} by its IMEI.").format(name=product.display_name))
        count = _open_count(count_id)
        _in_scope(count, product)
        return Entered(
            product.id,
            product.display_name,
            True,
            _counted(count.id, product.id),
            _("Counting {name}: scan their IMEIs.").format(name=product.display_name),
            model_only=True,
        )
    return record_qty(count_id, product.id, 1 if qty is None else qty, staff_id=staff_id, now=now)


def record_qty(
    count_id: str, product_id: str, qty: int, *, staff_id: str, now: datetime | None = None
) -> Entered:
    """Add ``qty`` counted of an accessory (several entries add up: two shelves)."""
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise ValidationError(_("A counted quantity is a whole number: {text}").format(text=str(qty)[:20]))
    if qty < 0:
        raise ValidationError(_("A counted quantity cannot be negative: {text}").format(text=qty))
    if qty > MAX_QTY:
        raise ValidationError(_("A quantity of {n} is too large.").format(n=qty))
    stamp = count_moment(now)

    def _tx() -> Entered:
        count = _open_count(count_id)
        product = Product.get_or_none(Product.id == product_id)
        if product is None:
            raise NotFound(_("That product no longer exists."))
        if product.serialized:
            raise ValidationError(_("Scan each {name} by its IMEI.").format(name=product.display_name))
        _in_scope(count, product)
        StockCountEntry.create(count=count.id, product=product.id, qty=qty, staff=staff_id, created_at=stamp)
        counted = _counted(count.id, product.id)
        return Entered(
            product.id,
            product.display_name,
            False,
            counted,
            _("{name}: {n} counted.").format(name=product.display_name, n=counted),
        )

    return write(_tx)


def record_imei(
    count_id: str, text: str, *, staff_id: str, model_id: str | None = None, now: datetime | None = None
) -> Entered:
    """Count one handset by its IMEI. With ``model_id`` (the model being counted) an IMEI of
    another model is refused. An IMEI the store does not know is counted as the model being
    counted, or as the only model in the count whose TAC (first 8 digits) it shares."""
    number = imei.validate(text)
    stamp = count_moment(now)

    def _tx() -> Entered:
        count = _open_count(count_id)
        unit = ImeiUnit.select().where((ImeiUnit.imei == number) | (ImeiUnit.imei2 == number)).first()
        note = ""
        if unit is not None:
            product = Product.get_by_id(unit.product_id)
            if model_id and product.id != model_id:
                model = Product.get_or_none(Product.id == model_id)
                raise ValidationError(
                    _("IMEI {imei} is a {other}, not a {model}.").format(
                        imei=number, other=product.display_name, model=model.display_name if model else "?"
                    )
                )
            key = unit.imei
        else:
            product = _model_for_unknown(count, number, model_id)
            key = number
            note = _("IMEI {imei} is not in the books; counted as {name}.").format(
                imei=number, name=product.display_name
            )
        _in_scope(count, product)
        earlier = StockCountEntry.get_or_none(
            (StockCountEntry.count == count.id) & (StockCountEntry.imei == key)
        )
        if earlier is not None:
            raise ValidationError(_("IMEI {imei} is counted already.").format(imei=number))
        try:
            StockCountEntry.create(
                count=count.id,
                product=product.id,
                imei_unit=unit.id if unit is not None else None,
                imei=key,
                qty=1,
                staff=staff_id,
                created_at=stamp,
            )
        except IntegrityError as exc:  # another terminal scanned it a moment ago
            raise ValidationError(_("IMEI {imei} is counted already.").format(imei=number)) from exc
        counted = _counted(count.id, product.id)
        message = note or _("{name}: {n} counted.").format(name=product.display_name, n=counted)
        return Entered(product.id, product.display_name, True, counted, message, imei=number)

    return write(_tx)


def _model_for_unknown(count: StockCount, number: str, model_id: str | None) -> Product:
    if model_id:
        model = Product.get_or_none(Product.id == model_id)
        if model is not None:
            return model
    in_scope = {
        row[0]
        for row in database.obj.execute_sql(
            "SELECT product_id FROM stock_count_item WHERE count_id = ?", (count.id,)
        ).fetchall()
    }
    candidates = [p for p in models_for_tac(number) if p.id in in_scope]
    if len(candidates) == 1:
        return candidates[0]
    raise ValidationError(
        _("IMEI {imei} is not known here: scan the model's barcode first, then its IMEIs.").format(
            imei=number
        )
    )


@dataclass(frozen=True)
class CountedLine:
    product_id: str
    name: str
    counted: int


def counted_so_far(count_id: str) -> list[CountedLine]:
    """What has been counted, product by product (the counter's own view: no book figures)."""
    rows = database.obj.execute_sql(
        "SELECT e.product_id, p.brand, p.model, p.storage, p.colour, SUM(e.qty), MAX(e.created_at) "
        "FROM stock_count_entry e JOIN product p ON p.id = e.product_id WHERE e.count_id = ? "
        "GROUP BY e.product_id ORDER BY MAX(e.created_at) DESC",
        (count_id,),
    ).fetchall()
    return [CountedLine(r[0], " ".join(x for x in r[1:5] if x), int(r[5])) for r in rows]


def recount(count_id: str, product_id: str, *, staff_id: str, now: datetime | None = None) -> int:
    """Throw away what was counted of one product, to count it again. Audited."""
    stamp = count_moment(now)

    def _tx() -> int:
        count = _open_count(count_id)
        entries = list(
            StockCountEntry.select().where(
                (StockCountEntry.count == count.id) & (StockCountEntry.product == product_id)
            )
        )
        if not entries:
            raise ValidationError(_("Nothing of it was counted yet."))
        StockCountEntry.delete().where(
            (StockCountEntry.count == count.id) & (StockCountEntry.product == product_id)
        ).execute()
        chain.record(
            "stock_count.recount",
            staff_id=staff_id,
            entity="stock_count",
            entity_id=count.id,
            before={
                "product": product_id,
                "qty": sum(e.qty for e in entries),
                "imeis": [e.imei for e in entries if e.imei],
            },
            at=stamp,
        )
        return len(entries)

    return write(_tx)
