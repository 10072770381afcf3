"""Velocity, dead stock and reorder suggestions for every product the store stocks, from the
stock ledger's running summaries (product_stock: on hand, last sale, first movement;
product_day_demand: units sold a business day; both kept by the ledger's triggers, schema
version 12, so a plan costs a row a product and a window's days, not the whole history),
suppliers and open purchase orders. The arithmetic is in store.stock.velocity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.kernel import moment
from store.kernel.clock import business_date
from store.kernel.i18n import _
from store.models import database
from store.stock.config import StockSection
from store.stock.velocity import (
    Demand,
    classify,
    order_up_to,
    reorder_point,
    suggested_order,
    z_score,
)

# Movements that are a customer taking goods or bringing them back.
DEMAND_KINDS = ("sale", "return", "void")
STOCKED = "category != 'service'"  # a service (screen fitting, data transfer) has no stock


@dataclass(frozen=True, slots=True)
class Plan:
    """One product's velocity, stock position and what to order."""

    product_id: str
    sku: str
    name: str
    brand: str
    category: str
    cost: int  # fen a unit
    supplier_id: str  # "" when no supplier is set
    supplier_name: str
    supplier_code: str
    pack_size: int
    lead_days: int
    velocity: str  # hot / regular / slow
    demand: Demand
    on_hand: int
    on_order: int
    reorder_at: int
    up_to: int
    suggested: int
    last_sale: datetime | None
    idle_days: int  # days since the last sale, or since it first came in when never sold
    dead: bool

    @property
    def below(self) -> bool:
        """At or under its reorder point (stock on hand plus on order)."""
        return self.reorder_at > 0 and self.on_hand + self.on_order <= self.reorder_at

    @property
    def value(self) -> int:
        """The suggested order at cost, fen."""
        return self.suggested * self.cost

    @property
    def tied_up(self) -> int:
        """Money in the stock on hand, at cost, fen."""
        return max(self.on_hand, 0) * self.cost


@dataclass(frozen=True)
class Window:
    """The demand window: ``days`` whole business days ending yesterday, as UTC bounds, and
    the store's offset from UTC used to cut the movements into local days."""

    first_day: date
    days: int
    start_utc: datetime
    end_utc: datetime
    offset_minutes: int


def _utc(day: date, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(0), tzinfo=tz)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def demand_window(now: datetime, tz: ZoneInfo, days: int) -> Window:
    today = business_date(now, tz)
    first = today - timedelta(days=days)
    offset = datetime.combine(today, time(12), tzinfo=tz).utcoffset() or timedelta(0)
    return Window(first, days, _utc(first, tz), _utc(today, tz), int(offset.total_seconds() // 60))


def _marks(ids: Sequence[str]) -> str:
    return ", ".join("?" for _ in ids)


def _products(product_ids: Sequence[str] | None) -> list[tuple[str, str, str, str, str, str, str, int]]:
    sql = (
        "SELECT id, sku, brand, model, storage, colour, category, cost FROM product "
        f"WHERE active = 1 AND {STOCKED}"
    )
    params: tuple[str, ...] = ()
    if product_ids is not None:
        sql += f" AND id IN ({_marks(product_ids)})"
        params = tuple(product_ids)
    return list(database.obj.execute_sql(sql, params).fetchall())


def _ledger(product_ids: Sequence[str] | None) -> dict[str, tuple[int, str | None, str | None]]:
    """product -> (on hand, last sale, first movement): the ledger's running summary
    (product_stock, kept by its triggers), a row a product however long the history."""
    sql = 'SELECT "product_id", "on_hand", "last_sale_at", "first_movement_at" FROM "product_stock"'
    params: tuple[str, ...] = ()
    if product_ids is not None:
        sql += f' WHERE "product_id" IN ({_marks(product_ids)})'
        params = tuple(product_ids)
    return {row[0]: (int(row[1]), row[2], row[3]) for row in database.obj.execute_sql(sql, params)}


def _demand(window: Window, product_ids: Sequence[str] | None) -> dict[str, tuple[int, int]]:
    """product -> (units, sum of squared daily units) over the window's business days, from
    the units sold net a product and day (product_day_demand, kept by the ledger's triggers;
    read in date order, so only the window's days). A day's net units never count below 0
    (returns of earlier sales are not negative demand)."""
    last = window.first_day + timedelta(days=window.days)
    where = '"business_date" >= ? AND "business_date" < ?'
    params: list[object] = [window.first_day.isoformat(), last.isoformat()]
    if product_ids is not None:
        where += f' AND "product_id" IN ({_marks(product_ids)})'
        params.extend(product_ids)
    sql = (
        'SELECT "product_id", SUM(MAX("sold", 0)), SUM(MAX("sold", 0) * MAX("sold", 0)) '
        f'FROM "product_day_demand" WHERE {where} GROUP BY "product_id"'
    )
    return {row[0]: (int(row[1]), int(row[2])) for row in database.obj.execute_sql(sql, tuple(params))}


def _on_order(product_ids: Sequence[str] | None) -> dict[str, int]:
    sql = (
        "SELECT l.product_id, SUM(l.qty - l.received) FROM purchase_order_line l "
        "JOIN purchase_order o ON o.id = l.order_id WHERE o.status IN ('open', 'partial')"
    )
    params: tuple[str, ...] = ()
    if product_ids is not None:
        sql += f" AND l.product_id IN ({_marks(product_ids)})"
        params = tuple(product_ids)
    sql += " GROUP BY l.product_id"
    return {row[0]: max(int(row[1]), 0) for row in database.obj.execute_sql(sql, params)}


def _suppliers(product_ids: Sequence[str] | None) -> dict[str, tuple[str, str, str, int, int]]:
    """product -> (supplier id, name, code, pack size, lead time)."""
    sql = (
        "SELECT i.product_id, s.id, s.name, s.code, i.pack_size, s.lead_time_days FROM supplier_item i "
        "JOIN supplier s ON s.id = i.supplier_id WHERE s.active = 1"
    )
    params: tuple[str, ...] = ()
    if product_ids is not None:
        sql += f" AND i.product_id IN ({_marks(product_ids)})"
        params = tuple(product_ids)
    return {
        row[0]: (row[1], row[2], row[3], int(row[4]), int(row[5]))
        for row in database.obj.execute_sql(sql, params)
    }


def _when(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def plans(
    settings: StockSection,
    tz: ZoneInfo,
    now: datetime | None = None,
    product_ids: Iterable[str] | None = None,
) -> list[Plan]:
    """Every stocked product's plan (or only ``product_ids``'), ordered by supplier, then hot
    sellers first, then name."""
    stamp = moment(now)
    ids = None if product_ids is None else sorted(set(product_ids))
    if ids is not None and not ids:
        return []
    window = demand_window(stamp, tz, settings.velocity_days)
    with database.obj.atomic():  # one read snapshot: stock and orders from the same moment
        products = _products(ids)
        ledger = _ledger(ids)
        demand = _demand(window, ids)
        on_order = _on_order(ids)
        suppliers = _suppliers(ids)
    z = {velocity: z_score(settings.service_level(velocity)) for velocity in ("hot", "regular", "slow")}
    dead_before = stamp - timedelta(days=settings.dead_days)
    out: list[Plan] = []
    for pid, sku, brand, model, storage, colour, category, cost in products:
        units, squares = demand.get(pid, (0, 0))
        daily = Demand.from_sums(window.days, units, squares)
        velocity = classify(units, settings.hot_min_units, settings.slow_max_units)
        supplier_id, supplier_name, supplier_code, pack, lead = suppliers.get(
            pid, ("", "", "", 1, settings.default_lead_days)
        )
        held, last_sale_text, first_text = ledger.get(pid, (0, None, None))
        last_sale = _when(last_sale_text)
        since = last_sale or _when(first_text)
        ordered = on_order.get(pid, 0)
        at = reorder_point(daily, lead, z[velocity])
        up_to = order_up_to(daily, lead, settings.cover_days, z[velocity])
        out.append(
            Plan(
                product_id=pid,
                sku=sku,
                name=" ".join(p for p in (brand, model, storage, colour) if p),
                brand=brand,
                category=category,
                cost=int(cost),
                supplier_id=supplier_id,
                supplier_name=supplier_name,
                supplier_code=supplier_code,
                pack_size=pack,
                lead_days=lead,
                velocity=velocity,
                demand=daily,
                on_hand=held,
                on_order=ordered,
                reorder_at=at,
                up_to=up_to,
                suggested=suggested_order(
                    on_hand=held, on_order=ordered, reorder_at=at, up_to=up_to, pack_size=pack
                ),
                last_sale=last_sale,
                idle_days=(stamp - since).days if since is not None else 0,
                dead=held > 0 and since is not None and since < dead_before,
            )
        )
    rank = {"hot": 0, "regular": 1, "slow": 2}
    out.sort(key=lambda p: (p.supplier_name == "", p.supplier_name, rank[p.velocity], p.name, p.sku))
    return out


# Products a chunk of below_reorder_point: small enough that a chunk's rows and plans stay well
# under a megabyte, large enough that the queries a chunk are few (20 on the large demo).
BELOW_CHUNK = 250


def below_reorder_point(
    settings: StockSection,
    tz: ZoneInfo,
    now: datetime | None = None,
    chunk: int = BELOW_CHUNK,
) -> list[Plan]:
    """The plans of every stocked product at or under its reorder point (Plan.below), as
    ``plans`` works them out, but ``chunk`` products at a time with only those below kept: the
    console's reorder line needs a few hundred of them, and building all 5,000 plans at once
    left the till ~10 MiB larger for the rest of the day (bench/README.md)."""
    below: list[str] = []
    with database.obj.atomic():  # one read snapshot for every chunk, as plans() reads
        sql = f"SELECT id FROM product WHERE active = 1 AND {STOCKED} ORDER BY id"
        ids = [row[0] for row in database.obj.execute_sql(sql)]
        step = max(chunk, 1)
        for start in range(0, len(ids), step):
            below.extend(p.product_id for p in plans(settings, tz, now, ids[start : start + step]) if p.below)
        del ids
        # The plans kept are made again once the chunks' rows are gone: made among them, they
        # held on to most of the memory the chunks had used (2.1 MiB of the large demo's).
        return [p for p in plans(settings, tz, now, product_ids=below) if p.below]


def suggestions(all_plans: Iterable[Plan]) -> list[Plan]:
    """The products to order now."""
    return [p for p in all_plans if p.suggested > 0]


def dead_stock(all_plans: Iterable[Plan]) -> list[Plan]:
    """Dead stock, the most money tied up first."""
    return sorted((p for p in all_plans if p.dead), key=lambda p: (-p.tied_up, p.name))


def with_quantity(plan: Plan, qty: int) -> Plan:
    """A suggestion the manager changed (0 drops it from the order)."""
    return replace(plan, suggested=qty)


def no_supplier_label() -> str:
    return _("(no supplier)")
