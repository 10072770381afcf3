"""Figure 5: scanner burst in the console, the time from each Enter until the scanned line is in
the CartTable, with the console under Textual's Pilot."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.report import MS, Figure
from bench.sale_inputs import selling_staff
from store.config.loader import Config
from store.context import StoreContext
from store.db.connection import open_database
from store.kernel import SystemClock
from store.models import ImeiUnit, Product
from store.stock import ledger as stock


def _burst_codes(n: int, rng: random.Random) -> list[str]:
    """Distinct codes that each add a new cart line: barcodes of accessories in stock and
    sellable IMEIs, about two to one (more IMEIs where accessories run short), shuffled."""
    candidates = list(
        Product.select()
        .where(
            (Product.serialized == False) & (Product.active == True) & Product.barcode.is_null(False)  # noqa: E712
        )
        .order_by(Product.sku)
    )
    rng.shuffle(candidates)
    barcodes: list[str] = []
    for product in candidates:
        if len(barcodes) >= n - n // 3:
            break
        if product.barcode and stock.on_hand(product.id) > 0:
            barcodes.append(product.barcode)
    units = list(
        ImeiUnit.select(ImeiUnit.imei)
        .join(Product)
        .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
        .order_by(ImeiUnit.imei)
    )
    wanted = n - len(barcodes)
    if len(units) < wanted:
        raise RuntimeError(f"only {len(barcodes) + len(units)} distinct sellable codes, {n} needed")
    codes = barcodes + [u.imei for u in rng.sample(units, wanted)]
    rng.shuffle(codes)
    return codes


def _send_key(app: Any, key: str) -> None:
    """Post a key as Pilot.press does (a Key event through the driver), minus Pilot's wait
    for the app to go idle after it: that wait is about 65 ms a key, which would turn a
    5-20 ms scanner into a slow typist and measure the test harness instead of the app."""
    from textual import events

    char = "\r" if key == "enter" else key
    if key != "enter" and not (len(key) == 1 and key.isalnum()):
        raise ValueError(f"the burst types letters and digits only, not {key!r}")
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def _burst(app: Any, codes: list[str], rng: random.Random) -> list[float]:
    from tui.screens.sale import SaleScreen
    from tui.widgets.cart_table import CartTable

    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(3):  # a pending-receipts question on top of the sale screen: dismiss it
            if isinstance(app.screen, SaleScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        screen = app.screen
        if not isinstance(screen, SaleScreen):
            raise RuntimeError(f"expected the sale screen, got {type(screen).__name__}")
        table = screen.query_one(CartTable)
        for code in codes:
            expected = table.row_count + 1
            for ch in code:
                _send_key(app, ch)
                await asyncio.sleep(rng.uniform(0.005, 0.020))
            start = time.perf_counter()
            _send_key(app, "enter")
            deadline = start + 5.0
            while table.row_count < expected:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"scan {code}: no new cart line after 5 s")
                await asyncio.sleep(0.0002)
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(rng.uniform(0.2, 0.4))  # the cashier picks up the next item
        await pilot.pause()
        if len(screen.cart.lines) != len(codes):
            raise RuntimeError(f"{len(codes)} scans made {len(screen.cart.lines)} lines")
    return latencies


def measure_burst(db_path: Path, n: int, workdir: Path, seed: int = 13) -> list[float]:
    """Seconds from each Enter until the scanned line is in the CartTable, ``n`` scans."""
    from tui.app import ZhangguiApp

    rng = random.Random(seed)
    db = open_database(db_path)
    try:
        codes = _burst_codes(n, rng)
        config = Config()
        config.ui.idle_lock_minutes = 0
        config.paths.receipts = str(workdir / "receipts")
        app = ZhangguiApp(
            StoreContext(config=config, db_path=db_path, db=db, clock=SystemClock(config.tz)),
            staff=selling_staff(),
        )
        return asyncio.run(_burst(app, codes, rng))
    finally:
        db.close()


def burst_figures(latencies: list[float]) -> list[Figure]:
    """The median latency against its target, and the slowest scan for information."""
    lat_ms = [s * MS for s in latencies]
    return [
        Figure(
            "scan Enter → cart line (median)",
            "ms",
            statistics.median(lat_ms),
            None,
            30,
            "absolute",
            {"n": len(lat_ms), "all_ms": lat_ms},
        ),
        Figure("scan Enter → cart line (max)", "ms", max(lat_ms), None, None, "info"),
    ]
