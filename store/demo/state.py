"""The generator's working state, shared by the steps that build the demo store.

Each step (staff, catalog, IMEI units, customers, deliveries, sales, returns) is a mixin over
_State; the attributes are declared here once and set by the step that owns them, in the
order _Generator.run calls the steps.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from store.demo.sizes import DemoSize

if TYPE_CHECKING:
    from store.config.loader import Config
    from store.demo.bulk import _Ids
    from store.demo.catalog import _Item

Progress = Callable[[str, int, int], None]


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


class _State:
    """What the steps share. Only the run settings are set here; every other attribute is
    set by the step named above it."""

    # Set by _Generator.run for each attempt at the write transaction.
    rng: random.Random
    conn: Any
    counts: _Counts
    receipt_counters: list[tuple[str, int]]
    pool: dict[tuple[int, bool], list[_PastSale]]
    buffers: dict[str, list[tuple[Any, ...]]]
    ids: _Ids
    p_handset: float
    config: Config  # the default rules in the demo's time zone (build_demo)
    # The calendar (_Calendar._plan_days).
    days: list[date]
    midnights: list[int]
    end_us: int
    start_us: int
    hour_cum: list[float]
    limits: list[float]
    quota: list[int]
    return_quota: list[int]
    # Staff (_StaffSetup).
    staff_ids: list[str]
    manager_id: str
    cashier_id: str
    shop_promoters: list[str]
    promoter_cum: list[int]
    brand_promoter: dict[str, str]
    staff_by_code: dict[str, str]
    leaver_id: str
    # The catalog (_CatalogSetup): products by index, what sells, and the restock rules.
    items: list[_Item]
    on_hand: list[int]
    handsets: list[int]
    handset_cum: list[float]
    accessories: list[int]
    accessory_cum: list[float]
    walk_in_services: list[int]
    walk_in_cum: list[float]
    cases_for: dict[str, list[int]]
    protectors_for: dict[str, list[int]]
    service_by_sku: dict[str, int]
    reorder_at: dict[int, int]
    batch: dict[int, int]
    stocked: list[int]
    # IMEI units (_UnitSetup), by index.
    unit_ids: list[str]
    unit_product: list[int]
    unit_status: list[str]
    units_by_day: dict[int, list[int]]
    available: dict[int, deque[int]]
    handsets_in_stock: int
    # Customers (_Customers).
    cust_ids: list[str]
    cust_times: list[int]
    recent_span: int
    # Each customer's first sale (id, business date, created, staff, handset fen) in time
    # order, and the sales a return was written against, for the referrals (_Referrals).
    first_sales: dict[str, tuple[str, str, str, str, int]]
    returned_sales: set[str]
    # The day being written (_History._run_day).
    keep_p: float
    # Each day's cash into the drawer in time order: (moment, fen; a refund is negative).
    cash_flows: list[list[tuple[int, int]]]

    def __init__(
        self, spec: DemoSize, seed: int, end: datetime, tz: ZoneInfo, terminal_id: str, progress: Progress
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.end = end
        self.tz = tz
        self.terminal_id = terminal_id
        self.progress = progress
