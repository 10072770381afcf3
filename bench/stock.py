"""Stock counts and reorder on the large demo (5,000 SKUs, 20,000 IMEI units, a million
sale lines).

    /work/venv/bin/python -m bench.stock --db /tmp/zhanggui-large.db [--quick]

Everything runs on a copy of --db in the temp dir (opening it upgrades the schema, and the
count and the sales write); the demo file is never written. Figures:

- reorder suggestions: store.stock.reorder.plans for every stocked product (velocity class,
  safety stock, reorder point, suggested order), median of several runs; target <= 1 s. The
  floor is the same reads in plain sqlite3 (the products, the ledger's running summaries of
  schema 12: on hand and last sale, the window's daily demand; open orders, suppliers): the
  least any such report reads. bench/summaries.py takes it at 1x and 2x history.
- IMEI scan during a count: the console under Textual's Pilot at 80x24 with a count of
  everything open; in-stock IMEIs typed 5-20 ms a key, then Enter; the time until the
  counted line is on screen. Target: median <= 30 ms. No floor.
- reorder panel after a sale: sales committed one after another; the sale screen's panel is
  told of each (ReorderPanel.after_sale, as the sale screen does once paid) and the time is
  taken until its worker's result is on the panel. Target: median <= 50 ms. Beside it, the
  time after_sale itself holds the event loop (it only starts the worker): that is all the
  checkout ever waits for it.
Also shown for information: upgrading the copy, starting a count of everything (the
snapshot), and the variance review of that count."""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tabulate import tabulate

from bench.databases import checkpointed_copy, raw_connect

PLANS_TARGET_MS = 1000.0
SCAN_TARGET_MS = 30.0
PANEL_TARGET_MS = 50.0


def verdict(ours: float, target: float) -> str:
    return "PASS" if ours <= target else "FAIL"


def _ms(seconds: float) -> float:
    return seconds * 1000.0


# ---- reorder suggestions --------------------------------------------------------------------
def floor_reads(conn: sqlite3.Connection, window: Any) -> int:
    """The reads store.stock.reorder.plans makes, in plain sqlite3 (bench/summaries.py)."""
    from bench.summaries import reorder_floor

    return reorder_floor(conn, window)


def measure_plans(db_path: Path, runs: int) -> tuple[list[float], list[float], int, int]:
    from store.config.loader import Config
    from store.models.base import utcnow
    from store.stock import reorder

    config = Config()
    conn = raw_connect(db_path)
    ours: list[float] = []
    floor: list[float] = []
    try:
        window = reorder.demand_window(utcnow(), config.tz, config.stock.velocity_days)
        plans = reorder.plans(config.stock, config.tz)  # warm-up: the pages in the OS cache
        floor_reads(conn, window)
        for i in range(runs):
            for which in (0, 1) if i % 2 == 0 else (1, 0):
                start = time.perf_counter()
                if which == 0:
                    plans = reorder.plans(config.stock, config.tz)
                    ours.append(time.perf_counter() - start)
                else:
                    floor_reads(conn, window)
                    floor.append(time.perf_counter() - start)
    finally:
        conn.close()
    return ours, floor, len(plans), len(reorder.suggestions(plans))


# ---- IMEI scans in a count --------------------------------------------------------------------
def _send_key(app: Any, key: str) -> None:
    """A Key event through the driver, as Pilot.press sends it, without Pilot's wait for
    idle after each key (about 65 ms, which would measure the harness)."""
    from textual import events

    event = events.Key(key, "\r" if key == "enter" else key)
    event.set_sender(app)
    app._driver.send_message(event)


async def _scan_in_count(app: Any, imeis: list[str], rng: random.Random) -> list[float]:
    from tui.screens.stock_count import StockCountScreen

    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(3):  # a pending-receipts question on top of the sale screen: dismiss it
            if app.screen.__class__.__name__ == "SaleScreen":
                break
            await pilot.press("escape")
            await pilot.pause()
        app.push_screen(StockCountScreen())
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, StockCountScreen) or screen.count is None:
            raise RuntimeError(f"expected the count screen with a count open, got {type(screen).__name__}")
        for number in imeis:
            expected = sum(screen.totals.values()) + 1
            for ch in number:
                _send_key(app, ch)
                await asyncio.sleep(rng.uniform(0.005, 0.020))
            start = time.perf_counter()
            _send_key(app, "enter")
            deadline = start + 5.0
            while sum(screen.totals.values()) < expected:
                if time.perf_counter() > deadline:
                    from tui.widgets.message_bar import MessageBar

                    said = app.screen.query_one(MessageBar).render()
                    raise RuntimeError(f"scan {number}: not counted on screen after 5 s ({said})")
                await asyncio.sleep(0.0002)
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(rng.uniform(0.2, 0.4))  # the counter reaches for the next box
    return latencies


def measure_count(db_path: Path, n: int, workdir: Path, seed: int = 17) -> dict[str, Any]:
    from store.config.loader import Config
    from store.context import StoreContext
    from store.db.connection import open_database
    from store.kernel import SystemClock
    from store.models import ImeiUnit, Product, Staff
    from store.stock import count_review, count_sessions
    from store.stock import ledger as stock
    from tui.app import ZhangguiApp

    rng = random.Random(seed)
    db = open_database(db_path)
    try:
        manager = Staff.get(Staff.code == "M1")
        started = time.perf_counter()
        count = count_sessions.start_count(scope_kind="all", staff_id=manager.id)
        start_s = time.perf_counter() - started
        units = [
            u.imei
            for u in ImeiUnit.select(ImeiUnit.imei)
            .join(Product)
            .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
            .order_by(ImeiUnit.imei)
        ]
        if len(units) < n:
            raise RuntimeError(f"only {len(units)} handsets in stock, {n} needed")
        sample = rng.sample(units, n)
        config = Config()
        config.ui.idle_lock_minutes = 0
        config.stock.panel_items = 0  # this figure is the count screen alone
        config.paths.receipts = str(workdir / "receipts")
        app = ZhangguiApp(
            StoreContext(config=config, db_path=db_path, db=db, clock=SystemClock(config.tz)), staff=manager
        )
        latencies = asyncio.run(_scan_in_count(app, sample, rng))
        count_sessions.close(count.id, staff_id=manager.id)
        started = time.perf_counter()
        review = count_review.review(count.id)
        review_s = time.perf_counter() - started
        return {
            "latencies": latencies,
            "start_s": start_s,
            "review_s": review_s,
            "products": len(review.lines),
            "missing": sum(1 for u in review.units if u.kind == count_sessions.MISSING),
        }
    finally:
        db.close()


# ---- the reorder panel after a sale ---------------------------------------------------------
async def _panel_after_sales(
    app: Any, sales_to_ring: list[list[tuple[Any, int]]]
) -> tuple[list[float], list[float]]:
    from store.selling import checkout
    from store.selling.cart import Cart
    from store.stock.catalog import ScanResult
    from tui.screens.sale import SaleScreen
    from tui.widgets.reorder_panel import ReorderPanel

    refresh: list[float] = []
    on_loop: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(3):
            if isinstance(app.screen, SaleScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        screen = app.screen
        if not isinstance(screen, SaleScreen):
            raise RuntimeError(f"expected the sale screen, got {type(screen).__name__}")
        panel = screen.query_one(ReorderPanel)
        await app.workers.wait_for_complete()  # the first full refresh
        staff = app.staff
        for lines in sales_to_ring:
            cart = Cart(staff_id=staff.id, staff_role=staff.role, discount_limit_percent=100)
            for product, qty in lines:
                cart.add_scan(ScanResult(product), qty)
            cart.add_tender("cash", cart.due)
            sale = checkout.commit_sale(cart, app.ctx.till)
            start = time.perf_counter()
            panel.after_sale(sale.id)
            on_loop.append(time.perf_counter() - start)
            deadline = start + 5.0
            wanted = panel._seq  # the request after_sale made: refreshed once its result is merged
            while panel.last_applied < wanted:
                if time.perf_counter() > deadline:
                    raise RuntimeError("the reorder panel did not refresh within 5 s")
                await asyncio.sleep(0.0002)
            refresh.append(time.perf_counter() - start)
            await asyncio.sleep(0.3)
    return refresh, on_loop


def measure_panel(db_path: Path, n: int, workdir: Path, seed: int = 19) -> tuple[list[float], list[float]]:
    from store.config.loader import Config
    from store.context import StoreContext
    from store.db.connection import open_database
    from store.kernel import SystemClock
    from store.models import Product, Staff
    from store.stock import ledger as stock
    from tui.app import ZhangguiApp

    rng = random.Random(seed)
    db = open_database(db_path)
    try:
        manager = Staff.get(Staff.code == "M1")
        held = stock.on_hand_all()
        accessories = [
            p
            for p in Product.select().where(
                (Product.serialized == False) & (Product.active == True) & (Product.category == "accessory")  # noqa: E712
            )
            if held.get(p.id, 0) >= 3
        ]
        rng.shuffle(accessories)
        if len(accessories) < 2 * n:
            raise RuntimeError("not enough accessories in stock")
        baskets = [[(accessories[2 * i], 1), (accessories[2 * i + 1], 2)] for i in range(n)]
        config = Config()
        config.ui.idle_lock_minutes = 0
        config.paths.receipts = str(workdir / "receipts")
        app = ZhangguiApp(
            StoreContext(config=config, db_path=db_path, db=db, clock=SystemClock(config.tz)), staff=manager
        )
        return asyncio.run(_panel_after_sales(app, baskets))
    finally:
        db.close()


# ---- the run ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--db", type=Path, required=True, help="the large demo database (read only)")
    parser.add_argument("--quick", action="store_true", help="few repetitions, for a smoke check")
    args = parser.parse_args(argv)
    plan_runs, scans, panel_sales = (2, 10, 5) if args.quick else (7, 50, 30)

    from store.db.connection import open_database
    from store.kernel.i18n import set_language

    set_language("en")
    with tempfile.TemporaryDirectory(prefix="zhanggui-stock-bench-") as tmp:
        work = Path(tmp)
        copy = checkpointed_copy(args.db, work / "stock.db")
        started = time.perf_counter()
        open_database(copy).close()  # upgrade the copy's schema once, outside every figure
        upgrade_s = time.perf_counter() - started

        ours, floor, products, wanted = measure_plans(copy, plan_runs)
        counted = measure_count(copy, scans, work)
        refresh, on_loop = measure_panel(copy, panel_sales, work)

    plans_ms, floor_ms = _ms(statistics.median(ours)), _ms(statistics.median(floor))
    scan_ms = [_ms(s) for s in counted["latencies"]]
    refresh_ms, loop_ms = [_ms(s) for s in refresh], [_ms(s) for s in on_loop]
    scan_median, refresh_median = statistics.median(scan_ms), statistics.median(refresh_ms)
    rows = [
        [
            f"reorder suggestions, {products:,} SKUs ({wanted:,} to order)",
            f"{plans_ms:.0f} ms (max {_ms(max(ours)):.0f})",
            f"{floor_ms:.0f} ms",
            f"{plans_ms / floor_ms:.2f}×",
            f"≤ {PLANS_TARGET_MS:g} ms",
            verdict(plans_ms, PLANS_TARGET_MS),
        ],
        [
            f"IMEI scan during a count → on screen ({len(scan_ms)} scans)",
            f"{scan_median:.1f} ms (max {max(scan_ms):.1f})",
            "—",
            "—",
            f"≤ {SCAN_TARGET_MS:g} ms",
            verdict(scan_median, SCAN_TARGET_MS),
        ],
        [
            f"reorder panel after a sale ({len(refresh_ms)} sales)",
            f"{refresh_median:.1f} ms (max {max(refresh_ms):.1f})",
            "—",
            "—",
            f"≤ {PANEL_TARGET_MS:g} ms",
            verdict(refresh_median, PANEL_TARGET_MS),
        ],
        [
            "  of which on the event loop (after_sale)",
            f"{statistics.median(loop_ms):.2f} ms (max {max(loop_ms):.2f})",
            "—",
            "—",
            "—",
            "—",
        ],
        ["upgrade the copy to this schema (once)", f"{upgrade_s:.1f} s", "—", "—", "—", "—"],
        [
            f"start a count of everything ({counted['products']:,} products)",
            f"{_ms(counted['start_s']):.0f} ms",
            "—",
            "—",
            "—",
            "—",
        ],
        [
            f"variance review of that count ({counted['missing']:,} IMEIs missing)",
            f"{_ms(counted['review_s']):.0f} ms",
            "—",
            "—",
            "—",
            "—",
        ],
    ]
    print(tabulate(rows, headers=["figure", "ours", "floor", "ratio", "target", "PASS/FAIL"]))
    failed = plans_ms > PLANS_TARGET_MS or scan_median > SCAN_TARGET_MS or refresh_median > PANEL_TARGET_MS
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
