"""Figure: the Z report (issue 14). How long the manager waits for the close of a 1,000-sale day
(close_day: the count, the Z number, the lock; then the report built and rendered at 80
columns), and the day report of the busiest day already in the store. Target: 300 ms each.

    python -m bench.zreport --db /tmp/demo.db [--sales 1000] [--runs 5]

Everything runs on a copy of --db; the 1,000 sales are rung at the bench's own terminal
(bench.commit.BENCH_TERMINAL) today, so the store's own days are left as they are."""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.commit import BENCH_TERMINAL, _cart, bench_till
from bench.databases import checkpointed_copy
from bench.report import MS, Figure, table
from bench.sale_inputs import accessory_pool, restock, sellable_units, selling_staff
from store.config.loader import Config
from store.dayclose import close, days, render, report
from store.db.connection import open_database
from store.kernel.auth import MANAGER_ROLES, actor_for_login
from store.models import Sale, Staff, database
from store.selling.checkout import commit_sale

TARGET_MS = 300.0


@dataclass
class ZBench:
    sales: int  # sales rung on the bench's day
    close_seconds: float  # close_day, once (a day closes once)
    reprint_seconds: list[float]  # day_report + render of the closed day, each run
    busiest: tuple[str, date, int] | None  # terminal, day, sales of the store's busiest day
    busiest_seconds: list[float]  # day_report + render of that day, each run


def busiest_day() -> tuple[str, date, int] | None:
    """The terminal and business day with the most sales in the store (before the bench's)."""
    row = database.obj.execute_sql(
        'SELECT "terminal_id", "business_date", COUNT(*) AS n FROM "sale" '
        'GROUP BY "terminal_id", "business_date" ORDER BY n DESC LIMIT 1'
    ).fetchone()
    return (str(row[0]), date.fromisoformat(str(row[1])), int(row[2])) if row else None


def _report(terminal: str, day: date, config: Config) -> float:
    start = time.perf_counter()
    render.render(report.day_report(terminal, day, config.tz), 80)
    return time.perf_counter() - start


def measure_zreport(source: Path, work: Path, sales: int = 1000, runs: int = 5, seed: int = 5) -> ZBench:
    """Ring ``sales`` sales at the bench terminal on a copy of ``source``, close the day (timed
    once), then build and render its Z report ``runs`` times; and the busiest day's report."""
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    copy = checkpointed_copy(source, work / "zreport-store.db")
    config = Config()
    db = open_database(copy)
    try:
        busiest = busiest_day()
        busiest_seconds = [_report(busiest[0], busiest[1], config) for _ in range(runs)] if busiest else []
        staff = selling_staff()
        pool = accessory_pool(10, rng)
        restock(sales, pool, staff.id, rng)
        staff = Staff.get_by_id(staff.id)
        till = bench_till()
        for unit in sellable_units(sales):
            commit_sale(_cart(staff, unit, tuple(rng.sample(pool, 2))), till)  # type: ignore[arg-type]
        manager = Staff.select().where(Staff.role.in_(MANAGER_ROLES)).order_by(Staff.code).first()
        day = days.current_day(
            BENCH_TERMINAL, Sale.select().order_by(Sale.created_at.desc()).first().created_at, config.tz
        )
        rung = Sale.select().where((Sale.terminal_id == BENCH_TERMINAL) & (Sale.business_date == day)).count()
        start = time.perf_counter()
        close.close_day(
            BENCH_TERMINAL,
            day,
            config.tz,
            counted=None,
            reason="bench",
            tolerance=config.drawer.tolerance,
            actor=actor_for_login(manager),
        )
        close_seconds = time.perf_counter() - start
        reprints = [_report(BENCH_TERMINAL, day, config) for _ in range(runs)]
    finally:
        db.close()
    return ZBench(rung, close_seconds, reprints, busiest, busiest_seconds)


def zreport_figures(result: ZBench) -> list[Figure]:
    best = min(result.reprint_seconds)
    figures = [
        Figure(
            f"Z report of a {result.sales:,}-sale day (close + build + render)",
            "ms",
            (result.close_seconds + best) * MS,
            None,
            TARGET_MS,
            "absolute",
            {"close_ms": result.close_seconds * MS, "report_ms": [s * MS for s in result.reprint_seconds]},
        ),
        Figure(
            "Z report reprint (build + render), best of runs", "ms", best * MS, None, TARGET_MS, "absolute"
        ),
    ]
    if result.busiest is not None:
        terminal, day, count = result.busiest
        figures.append(
            Figure(
                f"day report of the busiest day ({terminal} {day}, {count:,} sales), best",
                "ms",
                min(result.busiest_seconds) * MS,
                None,
                TARGET_MS,
                "absolute",
            )
        )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/zhanggui-bench-zreport"))
    args = parser.parse_args(argv)
    figures = zreport_figures(measure_zreport(args.db, args.work, args.sales, args.runs))
    print(table(figures))
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
