"""Stock counts: blind entry, variance against the book, manager approval.

A count starts with a snapshot of the book (on-hand of every product in its scope). Counters
scan handsets by IMEI and enter accessories by quantity; they never see what the book says.
The shop keeps selling meanwhile, so a product's count is compared with the snapshot plus
the movements after it up to the moment that product was counted (its last entry; a product
nobody counted is compared as of closing). Handsets are compared unit by unit: a scanned
unit the book had in stock at that moment matched; one it did not is unexpected; a unit the
book had in stock when its model was last scanned, and nobody scanned, is missing.

Approval (manager PIN) turns the variances into 'count' movements against today's stock, in
one transaction with the IMEI statuses and an audit row. A unit sold since it was found
missing is not written off (the sale proves it was there)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from peewee import IntegrityError

from store.audit import chain as audit
from store.db.connection import insert_rows, write
from store.kernel import moment
from store.kernel.auth import MANAGER_ROLES, Actor, Approval, manager_authority
from store.kernel.errors import NotFound, PermissionDenied, ValidationError
from store.kernel.i18n import N_, _
from store.kernel.ids import new_id
from store.models import (
    ImeiUnit,
    Product,
    Staff,
    StockCount,
    StockCountEntry,
    StockCountItem,
    StockMovement,
    database,
)
from store.selling.sales import business_date
from store.stock import imei
from store.stock.catalog import lookup_code
from store.stock.ledger import MAX_QTY, SELLABLE
from store.stock.tac import models_for_tac

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
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－．", "0123456789-.")


def scope_name(kind: str) -> str:
    return _(SCOPES[kind]) if kind in SCOPES else kind


def status_name(status: str) -> str:
    return _(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def scope_label(count: StockCount) -> str:
    if count.scope_kind == "all":
        return scope_name("all")
    return f"{scope_name(count.scope_kind)} {count.scope_value}"


def _stamp(now: datetime | None) -> datetime:
    return moment(now)


def _text(moment: datetime) -> str:
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
    stamp = _stamp(now)

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
        held = _book(products, upto=stamp)
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
        audit.record(
            "stock_count.start",
            staff_id=staff_id,
            entity="stock_count",
            entity_id=count.id,
            after={"number": count.number, "scope": scope_kind, "value": value, "products": len(products)},
            at=stamp,
        )
        return count

    return write(_tx)


def _book(product_ids: Sequence[str], upto: datetime | None = None) -> dict[str, int]:
    """On-hand of ``product_ids`` from the ledger (as of ``upto``, or now)."""
    found: dict[str, int] = {}
    ids = list(product_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT product_id, SUM(qty) FROM stock_movement WHERE product_id IN ({marks})"
        params: list[str] = list(chunk)
        if upto is not None:
            sql += " AND created_at <= ?"
            params.append(_text(upto))
        sql += " GROUP BY product_id"
        found.update({row[0]: int(row[1]) for row in database.obj.execute_sql(sql, tuple(params))})
    return found


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
    stamp = _stamp(now)

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
    stamp = _stamp(now)

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
    stamp = _stamp(now)

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
        audit.record(
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
    stamp = _stamp(now)

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
        audit.record(
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


# ---- review ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitVariance:
    imei: str
    product_id: str
    name: str
    kind: str  # missing / unexpected / new
    unit_id: str | None
    applies: bool  # still so today: approval moves it


@dataclass(frozen=True)
class VarianceLine:
    product_id: str
    sku: str
    name: str
    serialized: bool
    cost: int
    expected: int
    counted: int
    adjust: int  # what approval moves (the variance, unless today's stock forbids)

    @property
    def variance(self) -> int:
        return self.counted - self.expected

    @property
    def value(self) -> int:
        return self.variance * self.cost


@dataclass
class Review:
    count: StockCount
    lines: list[VarianceLine]
    units: list[UnitVariance] = field(default_factory=list)

    @property
    def differences(self) -> list[VarianceLine]:
        return [ln for ln in self.lines if ln.variance or ln.adjust]

    @property
    def short_qty(self) -> int:
        return -sum(ln.variance for ln in self.lines if ln.variance < 0)

    @property
    def over_qty(self) -> int:
        return sum(ln.variance for ln in self.lines if ln.variance > 0)

    @property
    def short_value(self) -> int:
        return -sum(ln.value for ln in self.lines if ln.value < 0)

    @property
    def over_value(self) -> int:
        return sum(ln.value for ln in self.lines if ln.value > 0)

    @property
    def net_value(self) -> int:
        return sum(ln.value for ln in self.lines)


def review(count_id: str, now: datetime | None = None) -> Review:
    """The variance of every product in the count (as of now for a count still open)."""
    count = StockCount.get_or_none(StockCount.id == count_id)
    if count is None:
        raise NotFound(_("That count no longer exists."))
    with database.obj.atomic():  # one read snapshot
        return _review(count, _stamp(now))


def _review(count: StockCount, now: datetime) -> Review:
    db = database.obj
    items = db.execute_sql(
        "SELECT i.product_id, i.snapshot_qty, p.sku, p.brand, p.model, p.storage, p.colour, p.cost, "
        "p.serialized FROM stock_count_item i JOIN product p ON p.id = i.product_id WHERE i.count_id = ?",
        (count.id,),
    ).fetchall()
    entries: dict[str, list[tuple[int, str, str | None, str | None]]] = defaultdict(list)
    for pid, qty, at, unit_id, number in db.execute_sql(
        "SELECT product_id, qty, created_at, imei_unit_id, imei FROM stock_count_entry WHERE count_id = ?",
        (count.id,),
    ):
        entries[pid].append((int(qty), str(at), unit_id, number))
    default_time = _text(count.closed_at or now)
    as_of = {pid: max((e[1] for e in entries[pid]), default=default_time) for pid, *_rest in items}
    snapshot_text = _text(count.snapshot_at)
    moved: dict[str, int] = defaultdict(int)
    for pid, at, qty in db.execute_sql(
        "SELECT product_id, created_at, qty FROM stock_movement WHERE created_at > ?", (snapshot_text,)
    ):
        limit = as_of.get(pid)
        if limit is not None and str(at) <= limit:
            moved[pid] += int(qty)
    today = _book([row[0] for row in items])
    serialized = [row[0] for row in items if row[8]]
    unit_moves = _unit_moves(serialized)
    lines: list[VarianceLine] = []
    units: list[UnitVariance] = []
    for pid, snapshot_qty, sku, brand, model, storage, colour, cost, is_serialized in items:
        name = " ".join(x for x in (brand, model, storage, colour) if x)
        if is_serialized:
            found = _unit_variances(pid, name, entries[pid], as_of[pid], unit_moves.get(pid, {}))
            units.extend(found)
            matched = len(entries[pid]) - sum(1 for u in found if u.kind != MISSING)
            missing = sum(1 for u in found if u.kind == MISSING)
            adjust = sum((-1 if u.kind == MISSING else 1) for u in found if u.applies)
            lines.append(
                VarianceLine(pid, sku, name, True, int(cost), matched + missing, len(entries[pid]), adjust)
            )
            continue
        expected = int(snapshot_qty) + moved[pid]
        counted = sum(e[0] for e in entries[pid])
        variance = counted - expected
        adjust = max(variance, -max(today.get(pid, 0), 0))  # never below zero on the shelf
        lines.append(VarianceLine(pid, sku, name, False, int(cost), expected, counted, adjust))
    lines.sort(key=lambda ln: (ln.value, ln.name))
    units.sort(key=lambda u: (u.kind, u.name, u.imei))
    return Review(count, lines, units)


def _unit_moves(product_ids: Sequence[str]) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """product -> unit -> [(time, qty)] for every movement of a handset."""
    found: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    ids = list(product_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = (
            "SELECT product_id, imei_unit_id, created_at, qty FROM stock_movement "
            f"WHERE product_id IN ({', '.join('?' * len(chunk))}) AND imei_unit_id IS NOT NULL"
        )
        for pid, unit_id, at, qty in database.obj.execute_sql(sql, tuple(chunk)):
            found[pid][unit_id].append((str(at), int(qty)))
    return found


def _unit_variances(
    product_id: str,
    name: str,
    entries: list[tuple[int, str, str | None, str | None]],
    as_of: str,
    moves: dict[str, list[tuple[str, int]]],
) -> list[UnitVariance]:
    def held(unit_id: str, at: str | None = None) -> bool:
        return sum(q for t, q in moves.get(unit_id, []) if at is None or t <= at) > 0

    out: list[UnitVariance] = []
    scanned: set[str] = set()
    for _qty, at, unit_id, number in entries:
        if unit_id is None:
            known = ImeiUnit.select().where((ImeiUnit.imei == number) | (ImeiUnit.imei2 == number)).exists()
            out.append(UnitVariance(number or "", product_id, name, NEW, None, not known))
            continue
        scanned.add(unit_id)
        if not held(unit_id, at):
            out.append(UnitVariance(number or "", product_id, name, UNEXPECTED, unit_id, not held(unit_id)))
    missing = [u for u in moves if u not in scanned and held(u, as_of)]
    if missing:
        numbers = {unit.id: unit.imei for unit in ImeiUnit.select().where(ImeiUnit.id.in_(missing))}
        for unit_id in missing:
            out.append(
                UnitVariance(numbers.get(unit_id, "?"), product_id, name, MISSING, unit_id, held(unit_id))
            )
    return out


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
    stamp = _stamp(now)

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
        result = _review(count, stamp)
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
        audit.record(
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


# ---- reports ---------------------------------------------------------------------------------
def counts(limit: int = 100) -> list[StockCount]:
    return list(StockCount.select().order_by(StockCount.created_at.desc()).limit(limit))


def find_count(number: str) -> StockCount:
    count = StockCount.get_or_none((StockCount.number == number.strip()) | (StockCount.id == number.strip()))
    if count is None:
        raise NotFound(_("No count {number}.").format(number=number.strip()[:30]))
    return count


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
