"""build_demo: the steps put together and run in one write transaction."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from store import setup
from store.audit import chain
from store.config.loader import Config
from store.db import summaries
from store.db.transaction import write
from store.demo.bulk import (
    SQL_LINE,
    SQL_MOVEMENT,
    SQL_SALE,
    SQL_TENDER,
    _Ids,
    indexes_built_after,
    load_pragmas,
    written_once,
)
from store.demo.catalog import _CatalogSetup
from store.demo.clock import DAYS, DEFAULT_TZ, _naive_utc
from store.demo.drawer_days import _DrawerDays
from store.demo.history import _History
from store.demo.imei_units import _UnitSetup
from store.demo.operations import _Operations
from store.demo.referrals import _Referrals
from store.demo.roster import DEMO_STORE_CODE
from store.demo.sizes import LINES_PER_SALE, SIZES
from store.demo.staff import _StaffSetup
from store.demo.state import Progress, _Counts
from store.demo.suppliers import _SupplierSetup
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import Customer, Product, Sale, Staff, StockMovement, database
from store.people.promoter_figures import summarise_recent


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


class _Generator(
    _StaffSetup, _CatalogSetup, _SupplierSetup, _UnitSetup, _History, _Referrals, _Operations, _DrawerDays
):
    """The demo store's history, day by day: deliveries and restocking in the morning, then
    the day's sales and returns in time order, each written as commit_sale would."""

    def run(self) -> _Counts:
        """Generate and write everything; called inside the one write transaction (and
        again from scratch should that transaction be retried)."""
        self.rng = random.Random(self.seed)
        self.conn = database.obj.connection()
        self.counts = _Counts()
        self.receipt_counters = []
        # Sales that later returns are drawn from, by day; phones apart so some returns are phones.
        self.pool = {}
        self.first_sales = {}
        self.returned_sales = set()
        self.buffers = {
            SQL_SALE: [],
            SQL_LINE: [],
            SQL_TENDER: [],
            SQL_MOVEMENT: [],
        }
        # One generator for sales, lines, tenders and movements: they are written in time
        # order, so every table's ids still ascend, and a sale's rows share one clock reading.
        self.ids = _Ids()
        self._plan_days()
        self.cash_flows = [[] for _day in self.days]
        self.progress(_("Staff"), 0, 1)
        self._create_staff()
        self.progress(_("Staff"), 1, 1)
        self.progress(_("Catalog and customers"), 0, 3)
        self._create_catalog()
        self._create_suppliers()
        self.progress(_("Catalog and customers"), 1, 3)
        self._create_units()
        self.progress(_("Catalog and customers"), 2, 3)
        self._create_customers()
        self._staff_left()
        self.progress(_("Catalog and customers"), 3, 3)
        # The running summaries (schema 12) are filled once from the history after the load,
        # not by their triggers a row at a time.
        with summaries.rebuilt_after(self.conn):
            self._opening_stock()
            # About seven phones in ten are sold by the end; the rest is the shop's stock.
            self.p_handset = min(0.9, self.spec.imei_units * 0.7 / (self.spec.sale_lines / LINES_PER_SALE))
            with indexes_built_after(self.conn):
                for d in range(DAYS):
                    self._run_day(d)
                    self.progress(_("Sales"), d + 1, DAYS)
                self._flush(force=True)
            self._create_referrals()
        self.progress(_("Rosters, targets and counts"), 0, 1)
        self._run_store(self.config)  # through the store's own writes: the triggers keep the summaries
        self.progress(_("Rosters, targets and counts"), 1, 1)
        self._finish()
        return self.counts

    def _finish(self) -> None:
        self.progress(_("Finishing"), 0, 1)
        changed = [
            (s, uid) for s, uid in zip(self.unit_status, self.unit_ids, strict=True) if s != "in_stock"
        ]
        # The drawer's shifts and Z reports last: a closed day refuses any later write to it.
        self._drawer_days()
        self.conn.executemany('UPDATE "imei_unit" SET "status" = ? WHERE "id" = ?', changed)
        self.conn.executemany(
            'INSERT INTO "receipt_counter" ("key", "last") VALUES (?, ?)', self.receipt_counters
        )
        chain.record(
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
    # The default rules (shifts, roster rules, ladder) in the demo's time zone.
    config = Config()
    config.store.timezone = str(generator.tz)
    generator.config = config
    with written_once(db), load_pragmas(db):
        counts = write(generator.run)
        # A store that has been open for these 90 days has its promoter day summary (day
        # close builds it); the demo has it too, so its month reports read like a real store's.
        summarise_recent(config, today=generator.days[-1])
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
