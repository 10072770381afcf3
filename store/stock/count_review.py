"""Variance of a closed count against the book.

The shop keeps selling meanwhile, so a product's count is compared with the snapshot plus
the movements after it up to the moment that product was counted (its last entry; a product
nobody counted is compared as of closing). Handsets are compared unit by unit: a scanned
unit the book had in stock at that moment matched; one it did not is unexpected; a unit the
book had in stock when its model was last scanned, and nobody scanned, is missing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from store.kernel.errors import NotFound
from store.kernel.i18n import _
from store.models import (
    ImeiUnit,
    StockCount,
    database,
)
from store.stock.count_sessions import MISSING, NEW, UNEXPECTED, book_on_hand, count_moment, timestamp_text


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
        return review_of(count, count_moment(now))


def review_of(count: StockCount, now: datetime) -> Review:
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
    default_time = timestamp_text(count.closed_at or now)
    as_of = {pid: max((e[1] for e in entries[pid]), default=default_time) for pid, *_rest in items}
    snapshot_text = timestamp_text(count.snapshot_at)
    moved: dict[str, int] = defaultdict(int)
    for pid, at, qty in db.execute_sql(
        "SELECT product_id, created_at, qty FROM stock_movement WHERE created_at > ?", (snapshot_text,)
    ):
        limit = as_of.get(pid)
        if limit is not None and str(at) <= limit:
            moved[pid] += int(qty)
    today = book_on_hand([row[0] for row in items])
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
