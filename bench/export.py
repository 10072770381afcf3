"""The day file for head office (issue 15): export of a closed 1,000-sale day.

    .venv/bin/python -m bench.export [--sales 1000] [--runs 5]

Builds a new store in the temp dir on a fixed clock: 20 accessories, one shift, ``--sales``
receipts of two lines each (3 units), paid by WeChat with a transaction number, one new
customer every tenth sale; then the day's Z report. Figures: store.exchange.day_export.export_day
of that day (the records read, packed, signed and written crash-safely), median of --runs
(the day exported again: the same sequence, the same bytes), and the file's size.
Targets: ≤ 1 s and ≤ ~1 MB (1,048,576 bytes) for 1,000 sales."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 7, 2, 0)  # naive UTC: 10:00 in Shanghai
TARGET_S = 1.0
TARGET_BYTES = 1 << 20


@dataclass(frozen=True)
class Result:
    sales: int
    seconds: list[float]
    size: int
    counts: dict[str, int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def build_day(n: int) -> date:
    """A store with one closed day of ``n`` sales, in the open database (empty, clock set);
    the day it closed."""
    from store import setup
    from store.crm import sale_customer
    from store.dayclose import close, drawer
    from store.kernel.auth import actor_for_login
    from store.kernel.clock import business_date, utcnow
    from store.people import staff
    from store.selling import checkout
    from store.selling.cart import Cart
    from store.selling.till import Till
    from store.stock import catalog
    from store.stock import ledger as stock

    day = business_date(utcnow(), TZ)
    manager = setup.initialise_store(
        store_code="S001", store_name="基准店", manager_code="M1", manager_name="王店长", pin="1234"
    )
    promoter = staff.create_staff("P1", "李小红", "promoter", "1111")
    products = [
        catalog.create_product(
            sku=f"ACC{i:03d}",
            brand="Generic",
            model=f"Accessory {i}",
            category="accessory",
            price=1000 + 100 * i,
        )
        for i in range(20)
    ]
    for product in products:
        stock.receive(product, staff_id=manager.id, qty=3 * n)
    till = Till(store_code="S001", terminal_id="T1", tz=TZ)
    drawer.open_session("T1", TZ, actor=actor_for_login(promoter), counts={10000: 1})
    codes = [catalog.lookup_code(p.sku) for p in products]
    for k in range(n):
        cart = Cart(staff_id=promoter.id, staff_role="promoter", discount_limit_percent=5)
        if k % 10 == 0:
            customer = sale_customer.find_or_create(f"139{k:08d}", f"顾客{k}", by=promoter.id)
            cart.attach_customer(customer.id, customer.name)
        cart.add_scan(codes[k % 20])  # type: ignore[arg-type]
        cart.add_scan(codes[(k + 7) % 20], 2)  # type: ignore[arg-type]
        cart.add_tender("wechat", cart.due, f"4200{k:024d}")
        checkout.commit_sale(cart, till)
    close.close_day("T1", day, TZ, counted=10000, tolerance=500, actor=actor_for_login(manager))
    return day


def measure(day: date, out_dir: Path, runs: int) -> Result:
    """export_day of the built day ``runs`` times into ``out_dir`` (the store's key made)."""
    from store.config.hq import HqSection
    from store.exchange import day_export
    from store.exchange.keys import create_signing_key, load_signing_key
    from store.models import Sale

    try:
        key = load_signing_key("S001")
    except Exception:
        key = create_signing_key("S001").key
    hq = HqSection(central_crm=False, phone_secret="bench-chain-secret-0123")
    seconds: list[float] = []
    done = None
    for _ in range(runs):
        began = time.perf_counter()
        done = day_export.export_day(day, out_dir, key=key, hq=hq, tz=TZ)
        seconds.append(time.perf_counter() - began)
    assert done is not None
    return Result(Sale.select().count(), seconds, done.path.stat().st_size, done.counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from store.db.connection import open_database
    from store.kernel import FixedClock, set_process_clock

    with tempfile.TemporaryDirectory(prefix="zhanggui-export-") as folder:
        root = Path(folder)
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")  # the bench's own audit and signing keys
        set_process_clock(FixedClock(START, TZ, tick=timedelta(milliseconds=1)))
        db = open_database(root / "store.db")
        try:
            began = time.perf_counter()
            day = build_day(args.sales)
            print(f"built {args.sales} sales in {time.perf_counter() - began:.1f} s")
            result = measure(day, root, args.runs)
        finally:
            db.close()
    verdict = "PASS" if result.median <= TARGET_S and result.size <= TARGET_BYTES else "FAIL"
    print(
        f"export of a {result.sales}-sale day: median {result.median * 1000:.0f} ms"
        f" (runs: {', '.join(f'{s * 1000:.0f}' for s in result.seconds)} ms), file {result.size:,} bytes"
    )
    print("records: " + ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items())))
    print(f"targets: <= {TARGET_S:.0f} s, <= {TARGET_BYTES:,} bytes: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
