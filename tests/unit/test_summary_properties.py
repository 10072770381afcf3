"""The running summaries of schema 12 (product_stock, product_day_demand, customer_totals)
against the history they summarise: random receipts, sales with and without a customer,
returns, voids, adjustments, counts and transfers out, on a clock that crosses the store's
midnight, and attempts that are refused. After every step each summary equals what the raw
ledgers give when recomputed here in Python (the business day of a sale, return or void taken
from its timestamp in the store's time zone), and reorder's and RFM's reads of the summaries
equal the whole-history queries they replaced."""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from store import setup
from store.crm import value
from store.db.connection import open_memory_database
from store.kernel.clock import business_date
from store.kernel.errors import ZhangguiError
from store.models import Customer, Product, Sale, SaleLine, Staff, StockMovement, database
from store.selling import checkout, sale_lookup, sale_voids
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import (
    adjustments,
    catalog,
    count_approval,
    count_entry,
    count_sessions,
    reorder,
    transfer_send,
)
from store.stock import ledger as stock
from store.stock.catalog import ScanResult
from tests.store_helpers import forge_approval, with_text_ids

TZ = ZoneInfo("Asia/Shanghai")
TILL = Till(store_code="S001", terminal_id="T1", tz=TZ)
MAX_EXAMPLES = int(os.environ.get("ZHANGGUI_PROPERTY_EXAMPLES", "15"))
START = datetime(2026, 3, 1, 14, 0)  # 22:00 in Shanghai: the first hours cross midnight


def scan(code: str) -> ScanResult:
    result = catalog.lookup_code(code)
    assert result is not None, code
    return result


def _stamp(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# ---- the summaries recomputed from the raw history, in Python ---------------------------------
def recomputed_stock() -> dict[str, tuple[int, datetime, datetime | None]]:
    out: dict[str, tuple[int, datetime, datetime | None]] = {}
    for m in StockMovement.select():
        qty, first, last = out.get(m.product_id, (0, m.created_at, None))
        if m.kind == "sale":
            last = m.created_at if last is None else max(last, m.created_at)
        out[m.product_id] = (qty + m.qty, min(first, m.created_at), last)
    return out


def recomputed_demand() -> dict[tuple[date, str], int]:
    out: dict[tuple[date, str], int] = defaultdict(int)
    for m in StockMovement.select().where(StockMovement.kind.in_(("sale", "return", "void"))):
        out[(business_date(m.created_at, TZ), m.product_id)] -= m.qty
    return dict(out)


def recomputed_customers() -> dict[str, tuple[int, date | None, date | None, int]]:
    out: dict[str, tuple[int, date | None, date | None, int]] = {}
    for s in Sale.select().where(Sale.customer.is_null(False) & (Sale.status == "completed")):
        n, first, last, total = out.get(s.customer_id, (0, None, None, 0))
        if s.kind != "return":
            n += 1
            first = s.business_date if first is None else min(first, s.business_date)
            last = s.business_date if last is None else max(last, s.business_date)
        out[s.customer_id] = (n, first, last, total + s.total)
    return out


def stored_stock() -> dict[str, tuple[int, datetime, datetime | None]]:
    rows = database.obj.execute_sql(
        'SELECT "product_id", "on_hand", "first_movement_at", "last_sale_at" FROM "product_stock"'
    )
    return {r[0]: (r[1], _stamp(r[2]), None if r[3] is None else _stamp(r[3])) for r in rows}


def stored_demand() -> dict[tuple[date, str], int]:
    rows = database.obj.execute_sql('SELECT "business_date", "product_id", "sold" FROM "product_day_demand"')
    return {(date.fromisoformat(r[0]), r[1]): r[2] for r in rows}


def stored_customers() -> dict[str, tuple[int, date | None, date | None, int]]:
    rows = database.obj.execute_sql(
        'SELECT "customer_id", "purchases", "first_purchase", "last_purchase", "total" FROM "customer_totals"'
    )
    return {
        r[0]: (
            r[1],
            None if r[2] is None else date.fromisoformat(r[2]),
            None if r[3] is None else date.fromisoformat(r[3]),
            r[4],
        )
        for r in rows
    }


# ---- the whole-history reads that reorder and RFM made before schema 12 -----------------------
def old_ledger() -> dict[str, tuple[int, Any, Any]]:
    sql = (
        "SELECT product_id, SUM(qty), MAX(CASE WHEN kind = 'sale' THEN created_at END), MIN(created_at) "
        "FROM stock_movement GROUP BY product_id"
    )
    return {r[0]: (int(r[1]), r[2], r[3]) for r in database.obj.execute_sql(sql)}


def old_demand(window: reorder.Window) -> dict[str, tuple[int, int]]:
    sql = (
        "SELECT product_id, SUM(units), SUM(units * units) FROM ("
        "  SELECT product_id, MAX(-SUM(qty), 0) AS units FROM stock_movement"
        "  WHERE kind IN ('sale', 'return', 'void') AND created_at >= ? AND created_at < ?"
        "  GROUP BY product_id, date(created_at, ?)"
        ") GROUP BY product_id"
    )
    params = (str(window.start_utc), str(window.end_utc), f"{window.offset_minutes:+d} minutes")
    return {r[0]: (int(r[1]), int(r[2])) for r in database.obj.execute_sql(sql, params)}


def old_rfm(today: date, since: date) -> list[tuple[Any, ...]]:
    return [
        tuple(r) for r in database.obj.execute_sql(value._AGGREGATE, (str(since), str(since), str(today)))
    ]


class SummaryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = open_memory_database()
        self.now = START
        self.manager = setup.initialise_store(
            store_code="S001", store_name="Prop", manager_code="M1", manager_name="Boss", pin="1234"
        )
        self.approval = forge_approval(self.manager.id, "Boss")
        self.cashier = Staff.create(code="C1", name="Cashier", role="cashier", pin_hash="")
        self.products: list[Product] = [
            catalog.create_product(sku=sku, brand="G", model=sku, category="accessory", price=price)
            for sku, price in (("CASE", 3900), ("CABLE", 1257), ("FILM", 990))
        ]
        self.customers = [
            Customer.create(phone=f"1380000000{i}", name=f"客户{i}", created_at=START) for i in range(3)
        ]
        self.sales: list[str] = []

    def teardown(self) -> None:
        self.db.close()

    def _cart(self) -> Cart:
        return Cart(staff_id=self.cashier.id, staff_role="cashier", discount_limit_percent=5)

    def _try(self, action: Any) -> None:
        """An action the shop may refuse (too few in stock, a void of another day): refused
        is fine, as long as the books still agree (the invariants check after every step)."""
        with contextlib.suppress(ZhangguiError):
            action()

    @rule(hours=st.integers(0, 30), minutes=st.integers(0, 59))
    def time_passes(self, hours: int, minutes: int) -> None:
        self.now += timedelta(hours=hours, minutes=minutes)

    @rule(i=st.integers(0, 2), qty=st.integers(1, 6))
    def receive(self, i: int, qty: int) -> None:
        stock.receive(self.products[i], staff_id=self.manager.id, qty=qty, document="DN", now=self.now)

    @rule(data=st.data())
    def sell(self, data: st.DataObject) -> None:
        cart = self._cart()
        for i in data.draw(st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True), label="items"):
            qty = data.draw(st.integers(1, 3), label="qty")
            if stock.on_hand(self.products[i].id) < qty:
                return  # the till refuses it at the scan
            cart.add_scan(scan(self.products[i].sku), qty)
        who = data.draw(st.sampled_from([None, *self.customers]), label="customer")
        if who is not None:
            cart.attach_customer(who.id, who.name)
        cart.add_tender("cash", cart.due)

        def _commit() -> None:
            self.sales.append(checkout.commit_sale(cart, TILL, now=self.now).id)

        self._try(_commit)

    @precondition(lambda self: bool(self.sales))
    @rule(data=st.data())
    def return_some(self, data: st.DataObject) -> None:
        sale = Sale.get_by_id(data.draw(st.sampled_from(self.sales), label="sale"))
        lines = [ln for ln in SaleLine.select().where(SaleLine.sale == sale.id) if ln.qty > 0]
        if sale.status != "completed" or not lines:
            return
        line = data.draw(st.sampled_from(lines), label="line")
        already = sale_lookup.returned_qty(line.id)
        if already >= line.qty:
            return
        cart = self._cart()
        if sale.customer_id is not None:
            cart.attach_customer(sale.customer_id, "")
        cart.add_return_line(line, data.draw(st.integers(1, line.qty - already), label="qty"), already)
        cart.approve_return(self.approval)
        if cart.due:
            cart.add_tender("cash", abs(cart.due))  # a refund

        def _commit() -> None:
            self.sales.append(checkout.commit_sale(cart, TILL, now=self.now).id)

        self._try(_commit)

    @precondition(lambda self: bool(self.sales))
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        sale_id = data.draw(st.sampled_from(self.sales), label="sale")
        self._try(lambda: sale_voids.void_sale(sale_id, approval=self.approval, till=TILL, now=self.now))

    @rule(i=st.integers(0, 2), qty=st.integers(-4, 4).filter(bool))
    def adjust(self, i: int, qty: int) -> None:
        self._try(
            lambda: adjustments.adjust(
                self.products[i], qty=qty, reason="damaged", approval=self.approval, now=self.now
            )
        )

    @rule(counted=st.lists(st.integers(0, 8), min_size=3, max_size=3))
    def count_everything(self, counted: list[int]) -> None:
        count = count_sessions.start_count(scope_kind="all", staff_id=self.manager.id, now=self.now, tz=TZ)
        for product, qty in zip(self.products, counted, strict=True):
            count_entry.record_qty(count.id, product.id, qty, staff_id=self.manager.id, now=self.now)
        count_sessions.close(count.id, staff_id=self.manager.id, now=self.now)
        count_approval.approve(count.id, approval=self.approval, now=self.now)

    @rule(i=st.integers(0, 2), qty=st.integers(1, 3))
    def transfer_out(self, i: int, qty: int) -> None:
        line = transfer_send.TransferLine(product=self.products[i], qty=qty)
        self._try(
            lambda: transfer_send.send(
                to_store="S002", lines=[line], staff_id=self.manager.id, tz=TZ, now=self.now
            )
        )

    @invariant()
    def summaries_equal_the_history(self) -> None:
        assert stored_stock() == recomputed_stock()
        assert stored_demand() == {k: v for k, v in recomputed_demand().items()}
        assert stored_customers() == recomputed_customers()
        assert stock.on_hand_all() == {pid: row[0] for pid, row in recomputed_stock().items()}
        assert not self.db.in_transaction()

    @invariant()
    def reorder_and_rfm_read_what_the_history_says(self) -> None:
        later = self.now + timedelta(days=1)  # yesterday's sales are in the window
        for days in (1, 7):
            window = reorder.demand_window(later, TZ, days)
            assert reorder._demand(window, None) == old_demand(window)
            some = [p.id for p in self.products[1:]]  # the reorder panel: a sale's products
            assert reorder._demand(window, some) == {k: v for k, v in old_demand(window).items() if k in some}
        assert reorder._ledger(None) == old_ledger()
        ids = [p.id for p in self.products[:2]]
        assert reorder._ledger(ids) == {k: v for k, v in old_ledger().items() if k in ids}
        today = business_date(self.now, TZ)
        for window_days in (0, 2):
            since = today - timedelta(days=window_days) if window_days else date.min
            assert with_text_ids(value._aggregate(today, since)) == old_rfm(today, since)
        past = today - timedelta(days=1)  # a score of a past day: receipts after it left out
        assert with_text_ids(value._aggregate(past, date.min)) == old_rfm(past, date.min)


def test_random_ledgers_keep_their_summaries_equal_to_the_history() -> None:
    run_state_machine_as_test(
        SummaryMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
