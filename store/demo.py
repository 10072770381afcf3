"""The demo store: a phone shop with real brands, stock, customers and 90 days of sales.

Everything is drawn from one ``random.Random(seed)`` and bulk-inserted through the raw
sqlite3 connection in a single transaction, so a demo store appears whole or not at all and
the large size (a million sale lines) loads within a minute. The rows are the ones
``store.sales.commit_sale`` and ``store.stock.receive`` would have written; only the
per-sale audit rows are left out (one ``demo.generate`` row stands for them).

Services are stock-tracked like accessories, because the cart checks on-hand for every
product that is not sold by IMEI: the demo receives a large quantity of each service.
"""

from __future__ import annotations

import math
import os
import random
import time
import zlib
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from stdnum import ean

from store import audit, demo_data, setup
from store.catalog import search_text_for
from store.db import write
from store.errors import ValidationError
from store.i18n import _
from store.imei import with_check_digit
from store.models import Customer, Product, Sale, Staff, StockMovement, database
from store.models.base import utcnow
from store.staff import create_staff

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class DemoStaff:
    code: str
    name: str
    role: str
    pin: str
    brand: str = ""  # a brand promoter is paid by one maker and sells its phones


# Shown in the README and on the demo login screen: keep them stable. M1 opens the store,
# which makes it the admin (initialise_store gives the first staff member that role).
DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("M1", "王店长", "admin", "1234"),
    DemoStaff("P1", "李小红", "promoter", "1111"),
    DemoStaff("P2", "张伟", "promoter", "2222"),
    DemoStaff("P3", "曾静", "promoter", "3333"),
    DemoStaff("C1", "陈芳", "cashier", "4444"),
    DemoStaff("B1", "周婷", "promoter", "5555", brand="Huawei"),
)
DEMO_STORE_CODE = "DEMO"
DEMO_STORE_NAME = "掌柜演示手机店"
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
DAYS = 90


@dataclass(frozen=True)
class DemoSize:
    products: int
    handsets: int  # handset SKUs; services as given, accessories fill the rest
    services: int
    imei_units: int
    customers: int
    sale_lines: int
    returns: int


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        products=120, handsets=42, services=10, imei_units=300, customers=300, sale_lines=3300, returns=8
    ),
    # The benchmark data set of the design notes; every handset variant in demo_data is stocked.
    "large": DemoSize(
        products=5000,
        handsets=sum(len(m.variants) * len(m.colours) for m in demo_data.HANDSETS),
        services=len(demo_data.SERVICES),
        imei_units=20_000,
        customers=100_000,
        sale_lines=1_000_000,
        returns=1500,
    ),
}


@dataclass
class DemoSummary:
    customers: int
    products: int
    imei_units: int
    sales: int
    sale_lines: int
    seconds: float
    returns: int = 0
    stock_movements: int = 0


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)
_DAY_US = 86_400_000_000
_HOUR_US = 3_600_000_000

# Trading from 09:30 to 21:30 local time: relative footfall per hour, busiest after work.
OPEN_MINUTES = 9 * 60 + 30
HOUR_WEIGHTS = (0.4, 0.7, 0.9, 1.0, 0.8, 0.7, 0.8, 0.9, 1.0, 1.3, 1.5, 1.2)
WEEKDAY_WEIGHTS = (1.0, 0.9, 0.9, 0.95, 1.05, 1.25, 1.2)  # Monday first
TENDER_WEIGHTS_SMALL = (("wechat", 45), ("alipay", 28), ("cash", 17), ("card", 10))
TENDER_WEIGHTS_HANDSET = (("wechat", 35), ("alipay", 28), ("card", 27), ("cash", 10))
GROUP_SHARES = (
    ("case", 0.45),
    ("protector", 0.2),
    ("cable", 0.1),
    ("charger", 0.08),
    ("earphones", 0.07),
    ("power_bank", 0.05),
    ("other", 0.05),
)
GROUP_WEIGHT = {
    "case": 3.0,
    "protector": 4.0,
    "cable": 2.0,
    "charger": 1.5,
    "earphones": 0.8,
    "power_bank": 0.8,
    "other": 0.8,
}


def _us(moment: datetime) -> int:
    """Naive UTC datetime -> microseconds since the epoch (integers keep the maths exact)."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_DATES: dict[int, str] = {}


def _stamp(us: int) -> str:
    """The text peewee stores for a naive UTC datetime (str(datetime) is too slow here)."""
    seconds, micro = divmod(us, 1_000_000)
    days, rest = divmod(seconds, 86_400)
    day = _DATES.get(days)
    if day is None:
        day = _DATES[days] = (_EPOCH + timedelta(days=days)).date().isoformat()
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{day} {hours:02d}:{minutes:02d}:{secs:02d}.{micro:06d}"


def _pick(rng: random.Random, population: Sequence[T], cum_weights: Sequence[float]) -> T:
    """rng.choices(population, cum_weights=...)[0] without the list it builds."""
    return population[bisect_right(cum_weights, rng.random() * cum_weights[-1], 0, len(population) - 1)]


def _naive_utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _local_midnight_us(day: date, tz: ZoneInfo) -> int:
    return _us(datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC).replace(tzinfo=None))


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _storage_code(storage: str) -> str:
    return storage.replace("GB", "").replace("+", "-")


def _colour_code(colour: str, index: int) -> str:
    return demo_data.COLOUR_CODES.get(colour, f"C{index + 1:02d}")


def _share(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class _Ids:
    """UUIDv7 strings made in bulk (new_id's os.urandom per call is too slow for millions).

    The top 48 bits are the record's own time, so each table's primary-key b-tree grows at
    its end as the history is written in time order; a counter keeps ids made in the same
    millisecond ordered, and 62 random bits per id (seeded from the OS, not from the demo
    seed) keep two demo stores' ids apart at head office."""

    def __init__(self) -> None:
        self._rand = random.Random(os.urandom(16))
        self._ms = -1
        self._seq = 0
        self._head = ""

    def _set_ms(self, ms: int) -> None:
        self._ms = ms
        text = f"{ms & 0xFFFFFFFFFFFF:012x}"
        self._head = f"{text[:8]}-{text[8:]}-7"

    def make(self, ms: int) -> str:
        if ms > self._ms:
            self._set_ms(ms)
            self._seq = self._rand.getrandbits(9)
        else:
            self._seq += 1
            if self._seq > 0xFFF:
                self._set_ms(self._ms + 1)
                self._seq = 0
        tail = self._rand.getrandbits(62)
        return f"{self._head}{self._seq:03x}-{0x8000 | (tail >> 48):04x}-{tail & 0xFFFFFFFFFFFF:012x}"


# ---------------------------------------------------------------------------------------
# The catalog
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    sku: str
    brand: str
    model: str
    colour: str
    storage: str
    category: str
    group: str  # handset / case / protector / ... / service kind
    price: int  # fen
    cost: int  # fen
    weight: float  # relative sales weight
    priority: float  # lower is stocked first by a smaller shop
    fits: str = ""  # the handset model code a case or protector is made for
    id: str = ""
    barcode: str = ""


def _handset_pool() -> list[_Item]:
    models = sorted(demo_data.HANDSETS, key=lambda m: -m.popularity)
    items: list[_Item] = []
    for pos, m in enumerate(models):
        cost_percent = 93 if m.brand == "Apple" else 87  # Apple leaves a shop the thinnest margin
        for s_idx, (storage, yuan) in enumerate(m.variants):
            for c_idx, colour in enumerate(m.colours):
                price = yuan * 100
                items.append(
                    _Item(
                        sku=f"{m.code}-{_storage_code(storage)}-{_colour_code(colour, c_idx)}",
                        brand=m.brand,
                        model=m.model,
                        colour=colour,
                        storage=storage,
                        category="handset",
                        group="handset",
                        price=price,
                        cost=price * cost_percent // 10000 * 100,  # whole yuan
                        weight=m.popularity * 0.55**s_idx * 0.8**c_idx,
                        priority=s_idx + 0.8 * c_idx + 0.04 * pos,
                        fits=m.code,
                    )
                )
    return items


def _accessory_pool() -> dict[str, list[_Item]]:
    models = sorted(demo_data.HANDSETS, key=lambda m: -m.popularity)
    pools: dict[str, list[_Item]] = {group: [] for group, _s in GROUP_SHARES}
    for pos, m in enumerate(models):
        for st_idx, (brand, name, code, yuan, colours) in enumerate(demo_data.CASE_STYLES):
            for c_idx, colour in enumerate(colours):
                pools["case"].append(
                    _Item(
                        sku=f"CASE-{m.code}-{code}-{_colour_code(colour, c_idx)}",
                        brand=brand,
                        model=f"{m.model} {name}",
                        colour=colour,
                        storage="",
                        category="accessory",
                        group="case",
                        price=yuan * 100,
                        cost=yuan * 30,
                        weight=m.popularity / 10 * 0.75**c_idx * (60 / (yuan + 20)),
                        priority=st_idx + c_idx + 0.35 * pos,
                        fits=m.code,
                    )
                )
        for st_idx, (name, code, yuan, weight) in enumerate(demo_data.PROTECTOR_STYLES):
            pools["protector"].append(
                _Item(
                    sku=f"FILM-{m.code}-{code}",
                    brand="SmartDevil",
                    model=f"{m.model} {name}",
                    colour="",
                    storage="",
                    category="accessory",
                    group="protector",
                    price=yuan * 100,
                    cost=yuan * 20,
                    weight=m.popularity / 10 * weight,
                    priority=st_idx + 0.35 * pos,
                    fits=m.code,
                )
            )
    for a_idx, kind in enumerate(demo_data.ACCESSORIES):
        for c_idx, colour in enumerate(kind.colours):
            suffix = "" if len(kind.colours) == 1 else f"-{_colour_code(colour, c_idx)}"
            pools[kind.group].append(
                _Item(
                    sku=f"{kind.code}{suffix}",
                    brand=kind.brand,
                    model=kind.name,
                    colour=colour,
                    storage="",
                    category="accessory",
                    group=kind.group,
                    price=kind.price * 100,
                    cost=kind.price * (60 if kind.brand in ("Apple", "Huawei", "Sony") else 45),
                    weight=kind.weight * 0.6**c_idx,
                    priority=c_idx + 0.01 * a_idx,
                )
            )
    return pools


def _take_accessories(pools: dict[str, list[_Item]], count: int) -> list[_Item]:
    """``count`` accessories, each group getting its share, the best-selling of each first."""
    for items in pools.values():
        items.sort(key=lambda it: it.priority)
    groups = [g for g, _s in GROUP_SHARES]
    quota = dict(zip(groups, _share(count, [s for _g, s in GROUP_SHARES]), strict=True))
    spare = 0
    for g in groups:
        if quota[g] > len(pools[g]):
            spare += quota[g] - len(pools[g])
            quota[g] = len(pools[g])
    for g in groups:  # a group that runs out hands its share to the next with room
        room = len(pools[g]) - quota[g]
        moved = min(room, spare)
        quota[g] += moved
        spare -= moved
    return [it for g in groups for it in pools[g][: quota[g]]]


def _build_catalog(spec: DemoSize) -> list[_Item]:
    handsets = sorted(_handset_pool(), key=lambda it: it.priority)[: spec.handsets]
    services = [
        _Item(
            sku=s.code,
            brand="门店服务",
            model=s.name,
            colour="",
            storage="",
            category="service",
            group=s.kind,
            price=s.price * 100,
            cost=s.price * 40 if s.kind in ("warranty", "screen") else 0,
            weight=s.weight,
            priority=0,
        )
        for s in demo_data.SERVICES[: spec.services]
    ]
    accessories = _take_accessories(_accessory_pool(), spec.products - len(handsets) - len(services))
    items = handsets + accessories + services
    counters: dict[str, int] = {}
    for item in items:
        prefix = demo_data.BARCODE_PREFIXES.get(item.brand, "6970000")
        serial = counters.get(prefix, _crc(prefix) % 40_000)
        counters[prefix] = serial + 1
        body = f"{prefix}{serial:05d}"
        item.barcode = body + ean.calc_check_digit(body)
    return items


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


def _make_phones(rng: random.Random, count: int) -> list[str]:
    prefixes = [p for p, _w in demo_data.MOBILE_PREFIXES]
    cum = list(accumulate(w for _p, w in demo_data.MOBILE_PREFIXES))
    seen: set[str] = set()
    phones: list[str] = []
    while len(phones) < count:
        number = f"{_pick(rng, prefixes, cum)}{rng.randrange(100_000_000):08d}"
        if number not in seen:
            seen.add(number)
            phones.append(number)
    return phones


def _make_names(rng: random.Random, count: int) -> list[str]:
    surnames = [s for s, _w in demo_data.SURNAMES]
    cum = list(accumulate(w for _s, w in demo_data.SURNAMES))
    names: list[str] = []
    for _i in range(count):
        if rng.random() < 0.03:  # some people only leave a phone number
            names.append("")
            continue
        pool = demo_data.GIVEN_MALE if rng.random() < 0.5 else demo_data.GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")
        names.append(_pick(rng, surnames, cum) + given)
    return names


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------

SQL_PRODUCT = (
    'INSERT INTO "product" ("id", "sku", "barcode", "brand", "model", "colour", "storage", "category", '
    '"price", "cost", "serialized", "search_text", "active", "created_at") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
)
SQL_UNIT = (
    'INSERT INTO "imei_unit" ("id", "product_id", "imei", "imei2", "status", "cost", "received_at") '
    "VALUES (?, ?, ?, ?, 'in_stock', ?, ?)"
)
SQL_CUSTOMER = 'INSERT INTO "customer" ("id", "phone", "name", "created_at") VALUES (?, ?, ?, ?)'
SQL_SALE = (
    'INSERT INTO "sale" ("id", "receipt_no", "store_code", "terminal_id", "business_date", "created_at", '
    '"kind", "status", "staff_id", "customer_id", "original_id", "subtotal", "discount", "total", "note", '
    '"acknowledged_at", "voided_at") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, NULL)"
)
SQL_LINE = (
    'INSERT INTO "sale_line" ("id", "sale_id", "line_no", "product_id", "imei_unit_id", "qty", "list_price", '
    '"unit_price", "discount", "total", "promoter_id", "original_line_id", "override_reason") '
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')"
)
SQL_TENDER = (
    'INSERT INTO "tender" ("id", "sale_id", "kind", "amount", "tendered", "change", "reference") '
    "VALUES (?, ?, ?, ?, ?, ?, '')"
)
SQL_MOVEMENT = (
    'INSERT INTO "stock_movement" ("id", "product_id", "imei_unit_id", "kind", "qty", "staff_id", '
    '"created_at", "document", "reason") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'
)

FLUSH_ROWS = 50_000
LINES_PER_SALE = 2.0  # what the mix of phone, accessory and service sales averages

# Only for the bulk load, restored afterwards. synchronous: nothing is durable before the one
# commit anyway, so fsyncs in between only cost time. foreign_keys: every key is made here and
# points at a row written before it (the tests run foreign_key_check); the look-ups would
# double the insert time. cache_size: a million-line transaction that spills its dirty pages
# to the WAL before commit writes them twice.
LOAD_PRAGMAS = {"synchronous": 0, "foreign_keys": 0, "cache_size": -262_144}


# A sold line as a return needs it: id, product, unit (-1: none), qty, list price, unit price,
# total paid, promoter.
_SoldLine = tuple[str, int, int, int, int, int, int, str]


@dataclass
class _PastSale:
    """A sale kept in the pool that later returns are drawn from."""

    sale_id: str
    customer_id: str | None
    tender_kind: str
    lines: list[_SoldLine]


@dataclass
class _Counts:
    sales: int = 0
    returns: int = 0
    lines: int = 0
    movements: int = 0


class _Generator:
    """The demo store's history, day by day: deliveries and restocking in the morning, then
    the day's sales and returns in time order, each written as commit_sale would."""

    def __init__(
        self, spec: DemoSize, seed: int, end: datetime, tz: ZoneInfo, terminal_id: str, progress: Progress
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.end = end
        self.tz = tz
        self.terminal_id = terminal_id
        self.progress = progress

    def run(self) -> _Counts:
        """Generate and write everything; called inside the one write transaction (and
        again from scratch should that transaction be retried)."""
        self.rng = random.Random(self.seed)
        self.conn: Any = database.obj.connection()
        self.counts = _Counts()
        self.receipt_counters: list[tuple[str, int]] = []
        # Sales that later returns are drawn from, by day; phones apart so some returns are phones.
        self.pool: dict[tuple[int, bool], list[_PastSale]] = {}
        self.buffers: dict[str, list[tuple[Any, ...]]] = {
            SQL_SALE: [],
            SQL_LINE: [],
            SQL_TENDER: [],
            SQL_MOVEMENT: [],
        }
        # One generator for sales, lines, tenders and movements: they are written in time
        # order, so every table's ids still ascend, and a sale's rows share one clock reading.
        self.ids = _Ids()
        self._plan_days()
        self.progress(_("Staff"), 0, 1)
        self._create_staff()
        self.progress(_("Staff"), 1, 1)
        self.progress(_("Catalog and customers"), 0, 3)
        self._create_catalog()
        self.progress(_("Catalog and customers"), 1, 3)
        self._create_units()
        self.progress(_("Catalog and customers"), 2, 3)
        self._create_customers()
        self.progress(_("Catalog and customers"), 3, 3)
        self._opening_stock()
        # About seven phones in ten are sold by the end; the rest is the shop's stock.
        self.p_handset = min(0.9, self.spec.imei_units * 0.7 / (self.spec.sale_lines / LINES_PER_SALE))
        for d in range(DAYS):
            self._run_day(d)
            self.progress(_("Sales"), d + 1, DAYS)
        self._flush(force=True)
        self._finish()
        return self.counts

    # ---- calendar ----------------------------------------------------------
    def _plan_days(self) -> None:
        end_us = _us(self.end)
        today = (self.end.replace(tzinfo=UTC)).astimezone(self.tz).date()
        self.days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
        self.midnights = [_local_midnight_us(d, self.tz) for d in self.days]
        self.end_us = end_us
        open_us = OPEN_MINUTES * 60_000_000
        self.hour_cum = list(accumulate(HOUR_WEIGHTS))
        full = self.hour_cum[-1]
        limits: list[float] = []
        for midnight in self.midnights:
            elapsed = (end_us - midnight - open_us) / _HOUR_US  # trading hours gone by at `end`
            if elapsed >= len(HOUR_WEIGHTS):
                limits.append(full)
            elif elapsed <= 0:
                limits.append(0.0)
            else:
                hour = int(elapsed)
                before = self.hour_cum[hour - 1] if hour else 0.0
                limits.append(before + HOUR_WEIGHTS[hour] * (elapsed - hour))
        self.limits = limits
        weights = [
            WEEKDAY_WEIGHTS[d.weekday()] * lim / full for d, lim in zip(self.days, limits, strict=True)
        ]
        self.quota = _share(self.spec.sale_lines, weights)
        # Returns come within seven days of the sale, so none on the first day; the days are
        # drawn (not shared out) so that a handful of returns does not bunch up in one month.
        self.return_quota = [0] * DAYS
        later = list(range(1, DAYS))
        later_cum = list(accumulate(weights[1:]))
        for _n in range(self.spec.returns if later_cum[-1] > 0 else 0):
            self.return_quota[_pick(self.rng, later, later_cum)] += 1
        self.start_us = self.midnights[0]

    def _time_in_day(self, d: int) -> int:
        """A moment of trading on day ``d``, never later than ``end``."""
        u = self.rng.random() * self.limits[d]
        hour = bisect_right(self.hour_cum, u)
        hour = min(hour, len(HOUR_WEIGHTS) - 1)
        before = self.hour_cum[hour - 1] if hour else 0.0
        within = (u - before) / HOUR_WEIGHTS[hour]
        moment = self.midnights[d] + OPEN_MINUTES * 60_000_000 + int((hour + within) * _HOUR_US)
        return min(moment, self.end_us - 1)

    def _at_local(self, d: int, minutes: int) -> int:
        return self.midnights[d] + minutes * 60_000_000

    # ---- staff, catalog, units, customers ----------------------------------
    def _create_staff(self) -> None:
        first, *others = DEMO_STAFF
        manager = setup.initialise_store(
            store_code=DEMO_STORE_CODE,
            store_name=DEMO_STORE_NAME,
            manager_code=first.code,
            manager_name=first.name,
            pin=first.pin,
            demo=True,
        )
        ids = [manager.id]
        for member in others:
            ids.append(create_staff(member.code, member.name, member.role, member.pin, by=manager.id).id)
        # Staff who rang up 90 days of sales were hired before them.
        hired = _EPOCH + timedelta(microseconds=self.start_us - 200 * _DAY_US)
        Staff.update(created_at=hired).where(Staff.id.in_(ids)).execute()
        self.staff_ids = ids
        self.manager_id = ids[0]
        by_code = {m.code: sid for m, sid in zip(DEMO_STAFF, ids, strict=True)}
        self.shop_promoters = [by_code["P1"], by_code["P2"], by_code["P3"]]
        self.promoter_cum = list(accumulate((35, 35, 30)))
        self.cashier_id = by_code["C1"]
        self.brand_promoter = {m.brand: by_code[m.code] for m in DEMO_STAFF if m.brand}

    def _create_catalog(self) -> None:
        items = _build_catalog(self.spec)
        created = self.start_us - 30 * _DAY_US
        ids = _Ids()
        for item in items:
            item.id = ids.make(created // 1000)
        stamp = _stamp(created)
        self.conn.executemany(
            SQL_PRODUCT,
            [
                (
                    it.id,
                    it.sku,
                    it.barcode,
                    it.brand,
                    it.model,
                    it.colour,
                    it.storage,
                    it.category,
                    it.price,
                    it.cost,
                    1 if it.category == "handset" else 0,
                    search_text_for(it.brand, it.model, it.storage, it.colour, it.sku),
                    stamp,
                )
                for it in items
            ],
        )
        self.items = items
        self.on_hand = [0] * len(items)
        handsets = [i for i, it in enumerate(items) if it.category == "handset"]
        accessories = [i for i, it in enumerate(items) if it.category == "accessory"]
        services = [i for i, it in enumerate(items) if it.category == "service"]
        self.handsets = handsets
        self.handset_cum = list(accumulate(items[i].weight for i in handsets))
        self.accessories = accessories
        self.accessory_cum = list(
            accumulate(items[i].weight * GROUP_WEIGHT[items[i].group] for i in accessories)
        )
        walk_in = [i for i in services if items[i].group in ("film", "care", "data")]
        self.walk_in_services = walk_in
        self.walk_in_cum = list(accumulate(items[i].weight for i in walk_in))
        self.cases_for: dict[str, list[int]] = {}
        self.protectors_for: dict[str, list[int]] = {}
        for i in accessories:
            it = items[i]
            if it.group == "case":
                self.cases_for.setdefault(it.fits, []).append(i)
            elif it.group == "protector":
                self.protectors_for.setdefault(it.fits, []).append(i)
        self.service_by_sku = {items[i].sku: i for i in services}
        # Restock rules: enough for about two weeks at the expected pace, reordered at four days.
        stocked = accessories + services
        lines_per_day = self.spec.sale_lines / DAYS
        weights = [items[i].weight * GROUP_WEIGHT.get(items[i].group, 1.0) for i in accessories]
        whole = sum(weights) or 1.0
        self.reorder_at: dict[int, int] = {}
        self.batch: dict[int, int] = {}
        for i, w in zip(accessories, weights, strict=True):
            daily = lines_per_day * 0.8 * 1.2 * w / whole
            self.reorder_at[i] = max(2, math.ceil(daily * 4))
            self.batch[i] = max(5, math.ceil(daily * 14 / 5) * 5)
        for i in services:
            self.reorder_at[i] = max(50, math.ceil(lines_per_day))
            self.batch[i] = max(500, math.ceil(lines_per_day * 30 / 100) * 100)
        self.stocked = stocked

    def _create_units(self) -> None:
        """IMEI units, each with the delivery day it arrives on (-1: the opening stock)."""
        rng = self.rng
        items = self.items
        counts = _share(self.spec.imei_units, [items[i].weight for i in self.handsets])
        # A product that gets no unit from the split still gets one, taken from the biggest.
        for k, n in enumerate(counts):
            if n == 0:
                biggest = max(range(len(counts)), key=counts.__getitem__)
                counts[biggest] -= 1
                counts[k] = 1
        tacs: dict[str, str] = {}
        used_tacs: set[str] = set()
        serials: dict[str, int] = {}
        delivery_days = [
            d
            for d in range(DAYS - 5)
            if self.days[d].weekday() in (0, 3) and self._at_local(d, 9 * 60) < self.end_us
        ]
        units_by_day: dict[int, list[int]] = {}
        unit_product: list[int] = []
        unit_ids: list[str] = []
        unit_rows: list[tuple[Any, ...]] = []
        ids = _Ids()
        for i, n in zip(self.handsets, counts, strict=True):
            it = items[i]
            model_key = f"{it.brand}|{it.model}"
            tac = tacs.get(model_key)
            if tac is None:
                heads = demo_data.TAC_HEADS.get(it.brand, ("8600",))
                h = _crc(model_key)
                tac = f"{heads[h % len(heads)]}{h // 7 % 10000:04d}"
                while tac in used_tacs:
                    tac = f"{tac[:4]}{(int(tac[4:]) + 1) % 10000:04d}"
                used_tacs.add(tac)
                tacs[model_key] = tac
                serials[tac] = 100_000 + _crc(tac) % 400_000 * 2
            dual = demo_data.DUAL_SIM.get(it.brand, demo_data.DUAL_SIM_DEFAULT)
            opening = math.ceil(n * 0.4)
            for k in range(n):
                day = -1 if k < opening or not delivery_days else rng.choice(delivery_days)
                serial = serials[tac]
                serials[tac] = serial + 2  # the second SIM's IMEI takes the next serial
                imei = with_check_digit(f"{tac}{serial:06d}")
                imei2 = with_check_digit(f"{tac}{serial + 1:06d}") if rng.random() < dual else None
                received = self._delivery_us(day)
                uid = ids.make(received // 1000)
                unit_rows.append((uid, it.id, imei, imei2, it.cost, _stamp(received)))
                units_by_day.setdefault(day, []).append(len(unit_ids))
                unit_ids.append(uid)
                unit_product.append(i)
        self.conn.executemany(SQL_UNIT, unit_rows)
        self.unit_ids = unit_ids
        self.unit_product = unit_product
        self.unit_status = ["in_stock"] * len(unit_ids)
        self.units_by_day = units_by_day
        self.available: dict[int, deque[int]] = {i: deque() for i in self.handsets}
        self.handsets_in_stock = 0

    def _delivery_us(self, day: int) -> int:
        if day < 0:
            return self.start_us - _DAY_US + 18 * _HOUR_US  # the evening before the first day
        return self._at_local(day, 9 * 60)

    def _create_customers(self) -> None:
        rng = self.rng
        n = self.spec.customers
        phones = _make_phones(rng, n)
        names = _make_names(rng, n)
        span_before = 730 * _DAY_US
        window = self.end_us - self.start_us
        times = sorted(
            self.start_us - int(rng.random() * span_before)
            if rng.random() < 0.6
            else self.start_us + int(rng.random() * window)
            for _i in range(n)
        )
        ids = _Ids()
        cust_ids = [ids.make(t // 1000) for t in times]
        self.conn.executemany(
            SQL_CUSTOMER,
            [
                (cid, phone, name, _stamp(t))
                for cid, phone, name, t in zip(cust_ids, phones, names, times, strict=True)
            ],
        )
        self.cust_ids = cust_ids
        self.cust_times = times
        self.recent_span = max(5, n // 200)

    def _customer_at(self, moment: int) -> str | None:
        k = bisect_right(self.cust_times, moment)
        if k == 0:
            return None
        rng = self.rng
        if rng.random() < 0.25:  # someone who signed up lately
            return self.cust_ids[k - 1 - int(rng.random() * min(k, self.recent_span))]
        # Long-standing customers come back more often: the 80/20 a CRM should find.
        return self.cust_ids[int(k * rng.random() ** 2.5)]

    # ---- stock ---------------------------------------------------------------
    def _move(
        self,
        product: int,
        unit: str | None,
        kind: str,
        qty: int,
        staff: str,
        us: int,
        doc: str,
        stamp: str = "",
    ) -> None:
        self.buffers[SQL_MOVEMENT].append(
            (
                self.ids.make(us // 1000),
                self.items[product].id,
                unit,
                kind,
                qty,
                staff,
                stamp or _stamp(us),
                doc,
                "",
            )
        )

    def _opening_stock(self) -> None:
        self._deliver_units(-1)
        at = self._delivery_us(-1)
        for i in self.stocked:
            qty = self.batch[i] + self.reorder_at[i]
            self.on_hand[i] += qty
            self._move(i, None, "receive", qty, self.manager_id, at, "OPENING")

    def _deliver_units(self, day: int) -> None:
        arriving = self.units_by_day.get(day)
        if not arriving:
            return
        at = self._delivery_us(day)
        doc = "OPENING" if day < 0 else f"DN-{self.days[day]:%Y%m%d}"
        for u in arriving:
            product = self.unit_product[u]
            self.available[product].append(u)
            self.on_hand[product] += 1
            self._move(product, self.unit_ids[u], "receive", 1, self.manager_id, at, doc)
        self.handsets_in_stock += len(arriving)

    def _restock(self, d: int) -> None:
        at = self._at_local(d, 9 * 60 + 5)
        if at >= self.end_us:
            return
        doc = f"PO-{self.days[d]:%Y%m%d}"
        on_hand, reorder_at, batch = self.on_hand, self.reorder_at, self.batch
        for i in self.stocked:
            if on_hand[i] < reorder_at[i]:
                on_hand[i] += batch[i]
                self._move(i, None, "receive", batch[i], self.manager_id, at, doc)

    # ---- composing sales ---------------------------------------------------
    def _pick_unit(self) -> int | None:
        if not self.handsets_in_stock:
            return None
        rng = self.rng
        for _try in range(8):
            product = _pick(rng, self.handsets, self.handset_cum)
            stock = self.available[product]
            if stock:
                break
        else:
            product = next(p for p in self.handsets if self.available[p])
            stock = self.available[product]
        self.handsets_in_stock -= 1
        self.on_hand[product] -= 1
        return stock.popleft()

    def _pick_accessory(self, qty: int, taken: set[int]) -> int | None:
        rng = self.rng
        for _try in range(6):
            i = _pick(rng, self.accessories, self.accessory_cum)
            if i not in taken and self.on_hand[i] >= qty:
                return i
        return None

    def _take(self, product: int, qty: int, lines: list[list[int]], taken: set[int]) -> None:
        self.on_hand[product] -= qty
        taken.add(product)
        item = self.items[product]
        discount = 0
        if item.price >= 5000 and self.rng.random() < 0.08:  # a few yuan off, within a promoter's 5%
            discount = min(item.price * qty * 5 // 100, self.rng.choice((500, 1000, 2000)))
        lines.append([product, -1, qty, discount])

    def _compose(self, max_lines: int, p_handset: float) -> tuple[list[list[int]], str]:
        """The lines of one sale ([product, unit, qty, line discount]) and its promoter."""
        rng = self.rng
        lines: list[list[int]] = []
        taken: set[int] = set()
        promoter = self.shop_promoters[bisect_right(self.promoter_cum, rng.random() * self.promoter_cum[-1])]
        r = rng.random()
        unit = self._pick_unit() if r < p_handset else None
        if unit is not None:
            product = self.unit_product[unit]
            item = self.items[product]
            if item.brand in self.brand_promoter and rng.random() < 0.7:
                promoter = self.brand_promoter[item.brand]
            discount = 0
            roll = rng.random()
            if roll < 0.3:  # 5999 -> 5900: the odd yuan taken off the phone
                discount = item.price % 10000
            elif roll < 0.4:
                discount = 10000
            if discount * 100 > item.price * 5:
                discount = 0
            lines.append([product, unit, 1, discount])
            taken.add(product)
            for extra in self._extras(item):
                if len(lines) >= max_lines:
                    break
                if extra not in taken and self.on_hand[extra] >= 1:
                    self._take(extra, 1, lines, taken)
            return lines, promoter
        if r < p_handset + 0.1:
            i = _pick(rng, self.walk_in_services, self.walk_in_cum)
            if self.on_hand[i] >= 1:
                self._take(i, 1, lines, taken)
        else:
            roll = rng.random()
            wanted = 1 if roll < 0.3 else (2 if roll < 0.7 else 3)
            for _n in range(min(wanted, max_lines)):
                q = rng.random()
                qty = 1 if q < 0.88 else (2 if q < 0.98 else 3)
                pick = self._pick_accessory(qty, taken)
                if pick is not None:
                    self._take(pick, qty, lines, taken)
        if not lines:  # everything picked was sold out: a cable always sells
            fallback = self._pick_accessory(1, taken)
            if fallback is None:
                fallback = max(self.accessories, key=self.on_hand.__getitem__)
            self._take(fallback, 1, lines, taken)
        return lines, promoter

    def _extras(self, phone: _Item) -> list[int]:
        rng = self.rng
        extras: list[int] = []
        cases = self.cases_for.get(phone.fits)
        if cases and rng.random() < 0.55:
            extras.append(rng.choice(cases))
        protectors = self.protectors_for.get(phone.fits)
        if protectors and rng.random() < 0.45:
            extras.append(rng.choice(protectors))
        wanted: list[str] = []
        if rng.random() < 0.25:
            wanted.append("SVC-FILM")
        yuan = phone.price // 100
        if rng.random() < 0.2:
            wanted.append("SVC-EW1-A" if yuan < 3000 else ("SVC-EW1-B" if yuan < 6000 else "SVC-EW1-C"))
        if rng.random() < 0.12:
            wanted.append("SVC-DATA")
        if rng.random() < 0.08:
            wanted.append("SVC-SCR-A" if yuan < 4000 else "SVC-SCR-B")
        extras.extend(self.service_by_sku[s] for s in wanted if s in self.service_by_sku)
        return extras

    def _tenders(self, total: int, has_handset: bool) -> list[tuple[str, int, int, int]]:
        """(kind, amount, tendered, change); cash, the only tender that gives change, goes last."""
        rng = self.rng
        weights = TENDER_WEIGHTS_HANDSET if has_handset else TENDER_WEIGHTS_SMALL
        kinds = [k for k, _w in weights]
        cum = list(accumulate(w for _k, w in weights))
        first = _pick(rng, kinds, cum)
        if total >= 50000 and rng.random() < 0.07:  # split: part by card or QR code, the rest
            second = rng.choice([k for k in kinds if k != first])
            if first == "cash":
                first, second = second, first
            part = total * rng.randint(30, 80) // 100 // 10000 * 10000 or 10000
            if part < total:
                return [(first, part, part, 0), self._tender(second, total - part)]
        return [self._tender(first, total)]

    def _tender(self, kind: str, amount: int) -> tuple[str, int, int, int]:
        if kind != "cash" or self.rng.random() < 0.3:
            return (kind, amount, amount, 0)
        step = self.rng.choice((1000, 5000, 10000))  # handed over: the next 10, 50 or 100 yuan
        tendered = -(-amount // step) * step
        return (kind, amount, tendered, tendered - amount)

    # ---- one day -----------------------------------------------------------
    def _run_day(self, d: int) -> None:
        rng = self.rng
        self._deliver_units(d)
        self._restock(d)
        returns = self._pick_returns(d)
        self.keep_p = self._keep_probability(d)
        plans: list[tuple[list[list[int]], str] | _PastSale] = []
        left = self.quota[d] - len(returns)
        while left > 0:
            lines, promoter = self._compose(min(3, left), self.p_handset)
            plans.append((lines, promoter))
            left -= len(lines)
        returned_stock: list[tuple[int, int]] = []
        for past in returns:
            plans.append(past)
        rng.shuffle(plans)
        times = sorted(self._time_in_day(d) for _p in plans)
        prefix = f"{DEMO_STORE_CODE}-{self.terminal_id}-{self.days[d]:%Y%m%d}-"
        business_date = self.days[d].isoformat()
        for seq, (plan, moment) in enumerate(zip(plans, times, strict=True), 1):
            receipt = f"{prefix}{seq:04d}"
            if isinstance(plan, _PastSale):
                returned_stock.append(self._emit_return(d, plan, moment, receipt, business_date))
            else:
                self._emit_sale(d, plan[0], plan[1], moment, receipt, business_date)
        # Returned goods go back on the shelf after the day's sales were planned, so that a
        # sale earlier in the day never took stock that only came back later.
        for product, qty in returned_stock:
            if self.items[product].category != "handset":
                self.on_hand[product] += qty
        if plans:
            self.receipt_counters.append((f"{self.terminal_id}|{business_date}", len(plans)))
        self._flush()

    def _emit_sale(
        self, d: int, lines: list[list[int]], promoter: str, moment: int, receipt: str, business_date: str
    ) -> None:
        rng = self.rng
        items = self.items
        ms = moment // 1000
        sale_id = self.ids.make(ms)
        created = _stamp(moment)
        staff = promoter if rng.random() < 0.65 else self.cashier_id
        has_handset = lines[0][1] >= 0
        nets = [items[p].price * q - disc for p, _u, q, disc in lines]
        base = sum(nets)
        sale_discount = 0
        # 抹零: the total rounded down to ten yuan, on a sale without line discounts (together
        # they could pass a promoter's 5 % and would have needed a manager's PIN).
        if base >= 20000 and not any(line[3] for line in lines) and rng.random() < 0.2:
            sale_discount = base % 1000
            if sale_discount * 100 > base * 5:
                sale_discount = 0
        shares = [0] * len(lines)
        if sale_discount:  # split as Cart.allocations does: largest remainder over positive nets
            eligible = [k for k, net in enumerate(nets) if net > 0]
            remainders = {}
            for k in eligible:
                shares[k], remainders[k] = divmod(sale_discount * nets[k], base)
            left = sale_discount - sum(shares)
            for k in sorted(eligible, key=lambda k: (-remainders[k], -nets[k], k))[:left]:
                shares[k] += 1
        subtotal = 0
        line_discounts = 0
        line_buf = self.buffers[SQL_LINE]
        move_buf = self.buffers[SQL_MOVEMENT]
        make = self.ids.make
        keep = rng.random() < (self.keep_p * 3 if has_handset else self.keep_p)
        kept: list[_SoldLine] = []
        for n, ((product, unit, qty, disc), net, share) in enumerate(
            zip(lines, nets, shares, strict=True), 1
        ):
            item = items[product]
            line_id = make(ms)
            unit_id = self.unit_ids[unit] if unit >= 0 else None
            total = net - share
            line_buf.append(
                (
                    line_id,
                    sale_id,
                    n,
                    item.id,
                    unit_id,
                    qty,
                    item.price,
                    item.price,
                    disc + share,
                    total,
                    promoter,
                    None,
                )
            )
            subtotal += item.price * qty
            line_discounts += disc
            move_buf.append((make(ms), item.id, unit_id, "sale", -qty, staff, created, sale_id, ""))
            if unit >= 0:
                self.unit_status[unit] = "sold"
            if keep:
                kept.append((line_id, product, unit, qty, item.price, item.price, total, promoter))
        discount = line_discounts + sale_discount
        total = subtotal - discount
        customer = self._customer_at(moment) if rng.random() < (0.85 if has_handset else 0.3) else None
        tenders = self._tenders(total, has_handset)
        tender_buf = self.buffers[SQL_TENDER]
        for kind, amount, tendered, change in tenders:
            tender_buf.append((self.ids.make(ms), sale_id, kind, amount, tendered, change))
        self.buffers[SQL_SALE].append(
            (
                sale_id,
                receipt,
                DEMO_STORE_CODE,
                self.terminal_id,
                business_date,
                created,
                "sale",
                staff,
                customer,
                None,
                subtotal,
                discount,
                total,
                "",
                created,  # the receipt printed as the sale was committed
            )
        )
        self.counts.sales += 1
        self.counts.lines += len(lines)
        if keep:
            self.pool.setdefault((d, has_handset), []).append(
                _PastSale(sale_id, customer, tenders[0][0], kept)
            )

    def _keep_probability(self, d: int) -> float:
        """The share of day ``d``'s sales kept for the coming week's returns to draw from."""
        upcoming = sum(self.return_quota[d + 1 : d + 8])
        per_day = self.quota[d] / LINES_PER_SALE or 1.0
        return min(1.0, 30 * upcoming / 7 / per_day)

    def _pick_returns(self, d: int) -> list[_PastSale]:
        rng = self.rng
        picked: list[_PastSale] = []
        for _k in range(self.return_quota[d]):
            phone = rng.random() < 0.4  # phones come back more often than their share of sales
            keys = [(p, phone) for p in range(max(0, d - 7), d) if self.pool.get((p, phone))]
            keys = keys or [(p, not phone) for p in range(max(0, d - 7), d) if self.pool.get((p, not phone))]
            if not keys:
                break
            for _attempt in range(20):  # a service (a film put on, data moved) is not taken back
                bucket = self.pool[rng.choice(keys)]
                if not bucket:
                    continue
                k = rng.randrange(len(bucket))
                bucket[k], bucket[-1] = bucket[-1], bucket[k]
                past = bucket.pop()
                goods = [ln for ln in past.lines if self.items[ln[1]].category != "service"]
                if goods:
                    past.lines = [goods[0] if goods[0][2] >= 0 and rng.random() < 0.6 else rng.choice(goods)]
                    picked.append(past)
                    break
        for key in [key for key in self.pool if key[0] < d - 7]:
            del self.pool[key]
        return picked

    def _emit_return(
        self, d: int, past: _PastSale, moment: int, receipt: str, business_date: str
    ) -> tuple[int, int]:
        """A full refund of one line, to the way it was paid, as store.sales writes a return."""
        line_id, product, unit, qty, list_price, unit_price, paid, promoter = past.lines[0]
        ms = moment // 1000
        sale_id = self.ids.make(ms)
        created = _stamp(moment)
        staff = self.cashier_id if self.rng.random() < 0.7 else self.manager_id
        refund = paid  # returning the whole line refunds exactly what was paid for it
        discount = refund - unit_price * qty  # as Cart.add_return_line: net of the line is -refund
        unit_id = self.unit_ids[unit] if unit >= 0 else None
        self.buffers[SQL_LINE].append(
            (
                self.ids.make(ms),
                sale_id,
                1,
                self.items[product].id,
                unit_id,
                -qty,
                list_price,
                unit_price,
                discount,
                -refund,
                promoter,
                line_id,
            )
        )
        self._move(product, unit_id, "return", qty, staff, moment, sale_id, created)
        if unit >= 0:
            self.unit_status[unit] = "returned"
        self.buffers[SQL_TENDER].append((self.ids.make(ms), sale_id, past.tender_kind, -refund, -refund, 0))
        self.buffers[SQL_SALE].append(
            (
                sale_id,
                receipt,
                DEMO_STORE_CODE,
                self.terminal_id,
                business_date,
                _stamp(moment),
                "return",
                staff,
                past.customer_id,
                past.sale_id,
                -unit_price * qty,
                discount,
                -refund,
                self.rng.choice(demo_data.RETURN_REASONS),
                created,
            )
        )
        self.counts.sales += 1
        self.counts.returns += 1
        self.counts.lines += 1
        return product, qty

    # ---- writing -----------------------------------------------------------
    def _flush(self, force: bool = False) -> None:
        if not force and sum(len(rows) for rows in self.buffers.values()) < FLUSH_ROWS:
            return
        for sql, rows in self.buffers.items():  # parents first: sales, then lines and tenders
            if rows:
                self.conn.executemany(sql, rows)
                if sql == SQL_MOVEMENT:
                    self.counts.movements += len(rows)
                rows.clear()

    def _finish(self) -> None:
        self.progress(_("Finishing"), 0, 1)
        changed = [
            (s, uid) for s, uid in zip(self.unit_status, self.unit_ids, strict=True) if s != "in_stock"
        ]
        self.conn.executemany('UPDATE "imei_unit" SET "status" = ? WHERE "id" = ?', changed)
        self.conn.executemany(
            'INSERT INTO "receipt_counter" ("key", "last") VALUES (?, ?)', self.receipt_counters
        )
        audit.record(
            "demo.generate",
            staff_id=self.manager_id,
            entity="store",
            entity_id=DEMO_STORE_CODE,
            after={
                "seed": self.seed,
                "products": len(self.items),
                "imei_units": len(self.unit_ids),
                "customers": len(self.cust_ids),
                "sales": self.counts.sales,
                "sale_lines": self.counts.lines,
            },
        )
        self.progress(_("Finishing"), 1, 1)


def _require_empty() -> None:
    if setup.is_initialised():
        raise ValidationError(_("This database already holds a store."))
    for model in (Staff, Product, Customer, Sale, StockMovement):
        if model.select().exists():
            raise ValidationError(_("This database is not empty; a demo store needs a new database."))


def _no_progress(stage: str, done: int, total: int) -> None:
    """Progress is optional; tests and the first-start screen may not show it."""


def build_demo(
    size: str = "small",
    seed: int = 1,
    now: datetime | None = None,
    progress: Progress | None = None,
    *,
    tz: ZoneInfo | None = None,
    terminal_id: str = "T1",
) -> DemoSummary:
    """Fill an empty, opened database with a demo store whose history ends at ``now``.

    The content (catalog, units, customers, sales) depends only on ``size``, ``seed`` and
    ``now``; record ids are fresh each time so demo data never collides at head office."""
    spec = SIZES.get(size)
    if spec is None:
        raise ValidationError(
            _("Unknown demo size {size}; choose one of: {sizes}.").format(size=size, sizes=", ".join(SIZES))
        )
    started = time.perf_counter()
    _require_empty()
    db = database.obj
    end = _naive_utc(now)
    generator = _Generator(spec, seed, end, tz or DEFAULT_TZ, terminal_id, progress or _no_progress)
    saved = {name: int(db.execute_sql(f"PRAGMA {name}").fetchone()[0]) for name in LOAD_PRAGMAS}
    for name, value in LOAD_PRAGMAS.items():
        db.execute_sql(f"PRAGMA {name} = {value}")
    try:
        counts = write(generator.run)
    finally:
        for name, value in saved.items():
            db.execute_sql(f"PRAGMA {name} = {value}")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return DemoSummary(
        customers=len(generator.cust_ids),
        products=len(generator.items),
        imei_units=len(generator.unit_ids),
        sales=counts.sales,
        sale_lines=counts.lines,
        seconds=time.perf_counter() - started,
        returns=counts.returns,
        stock_movements=counts.movements,
    )
