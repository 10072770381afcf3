"""Promoters: checking a month's roster for 20 staff, and the promoter month report on the
large demo.

    /work/venv/bin/python -m bench.promoters --db /tmp/zhanggui-large.db [--quick]

The report writes its day summary (store.people.promoter_figures), so it runs on a copy of --db in
the temp dir; the demo file is never written. Figures:

- roster check: store.people.roster_rules.check over 20 people x 28 days (two shifts a day, a day
  off a week, a few real conflicts), median of many runs; target <= 100 ms. No floor: it is
  pure Python over data in memory.
- month report on the large demo as built: store.people.report.month_report for the last
  full month of the demo on a fresh copy (median); target <= 500 ms. The demo has its day
  summary (promoter_day_sales) as a store in use does: the console builds it in the
  background, as day close will.
- month report, first run with the summary emptied each time (median): a database that
  never summarised, e.g. just upgraded; shown, not judged.
- month report, next runs: the same again (median), each call summarising a few more days.
- summarising the whole month at once (store.people.promoter_figures.summarise_all): not a target,
  it shows what a report that settled every day first would add.
- month report, month summarised: the report once every settled day is in the summary
  (median), as a store whose promoter screens are opened daily sees it; target <= 500 ms.
The report figures show two floors. Lines: one raw sqlite3 query summing that month's sale
lines per promoter (the least a report that reads no summary must read), beside the runs that
read lines. Summary: the same reads the report makes once the month is summarised (the
month's promoter_day_sales grouped by product and promoter, the products' category, brand
and model, the returns found through the original-line index) in plain sqlite3, beside the
runs that read the summary: ours against the least work of the same kind, not against a
query that reads ten times the rows."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tabulate import tabulate

from store.config.loader import Config
from store.people.roster_rules import Person, Rules, Shift, check

ROSTER_TARGET_MS = 100.0
REPORT_TARGET_MS = 500.0


def month_roster(staff: int = 20, days: int = 28) -> tuple[list[Shift], dict[str, Person], list[date]]:
    """A realistic month: early/late in turn, one day off in seven, a few conflicts."""
    first = date(2026, 11, 2)  # a Monday
    span = [first + timedelta(days=i) for i in range(days)]
    people = {f"s{i}": Person(f"s{i}", f"员工{i}") for i in range(staff)}
    shifts: list[Shift] = []
    for i in range(staff):
        for n, day in enumerate(span):
            if (i + n) % 7 == 0:
                continue
            early = (i + n // 7) % 2 == 0
            shifts.append(Shift(f"s{i}", day, 540 if early else 900, 900 if early else 1260))
    shifts.append(Shift("s0", span[3], 540, 1260))  # double booking
    shifts.append(Shift("s1", span[5], 1260, 1380))  # 21-23, then an early shift: short rest
    return shifts, people, span


def roster_check_ms(runs: int) -> list[float]:
    shifts, people, span = month_roster()
    rules = Rules(min_staff=3)
    found = check(shifts, people, rules, span)
    if not any(c.kind == "double_booking" for c in found):
        raise RuntimeError("the bench roster lost its double booking")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        check(shifts, people, rules, span)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def last_full_month(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        last = conn.execute("SELECT MAX(business_date) FROM sale").fetchone()[0]
    finally:
        conn.close()
    if not last:
        raise RuntimeError("the database has no sales")
    first_of_month = date.fromisoformat(str(last)[:10]).replace(day=1)
    previous = first_of_month - timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


def floor_ms(db_path: Path, month: str) -> float:
    from store.people.targets import month_days

    first, last = month_days(month)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        conn.execute(
            "SELECT sl.promoter_id, SUM(sl.total) FROM sale s JOIN sale_line sl ON sl.sale_id = s.id "
            "WHERE s.business_date BETWEEN ? AND ? AND s.status = 'completed' GROUP BY 1",
            (first.isoformat(), last.isoformat()),
        ).fetchall()
        return (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def summary_floor_ms(db_path: Path, month: str) -> float:
    """The summarised report's own reads, raw: what month_report cannot do without."""
    from store.people.targets import month_days

    first, last = month_days(month)
    span = (first.isoformat(), last.isoformat())
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        conn.execute(
            "SELECT product_id, promoter_id, SUM(amount), SUM(qty) FROM promoter_day_sales "
            "WHERE business_date BETWEEN ? AND ? AND promoter_id != '' GROUP BY 1, 2",
            span,
        ).fetchall()
        conn.execute('SELECT "id", "category", "brand", "model" FROM "product"').fetchall()
        conn.execute(
            "SELECT sl.product_id, sl.promoter_id, SUM(sl.total), SUM(sl.qty) "
            "FROM sale s CROSS JOIN sale_line sl ON sl.sale_id = s.id "
            "JOIN sale_line ol ON ol.id = sl.original_line_id JOIN sale os ON os.id = ol.sale_id "
            "WHERE s.original_id > '' AND +s.business_date BETWEEN ? AND ? AND s.status = 'completed' "
            "AND +sl.original_line_id IS NOT NULL GROUP BY 1, 2",
            span,
        ).fetchall()
        return (time.perf_counter() - start) * 1000
    finally:
        conn.close()


@dataclass
class ReportTimes:
    month: str
    built: list[float]  # ms, the demo as built (its day summary made as day close would)
    first: list[float]  # ms, the summary emptied each time: a database never summarised
    later: list[float]  # ms, the runs after it
    summarise: float  # ms, summarising the rest of the month at once
    summarised: list[float]  # ms, with every settled day summarised
    floor: float  # ms, the month's lines summed raw
    summary_floor: float  # ms, the summarised report's reads made raw


def report_ms(db_path: Path, runs: int) -> ReportTimes:
    """The report timings on a copy of ``db_path``."""
    from store.db.connection import open_database
    from store.people import promoter_figures
    from store.people import report as promoter_report
    from store.people.targets import month_days

    month = last_full_month(db_path)
    with tempfile.TemporaryDirectory(prefix="zhanggui-promoters-") as folder:
        copy = Path(folder) / "store.db"
        shutil.copyfile(db_path, copy)
        db = open_database(copy, full_check=False)  # upgrades the copy's schema first
        try:
            config = Config()
            floor = statistics.median(floor_ms(copy, month) for _ in range(3))
            built = []
            report = None
            for _ in range(runs):
                start = time.perf_counter()
                again = promoter_report.month_report(month, config)
                built.append((time.perf_counter() - start) * 1000)
                if report is not None and again != report:
                    raise RuntimeError("another run of the report gave other figures")
                report = again
            assert report is not None
            if not report.rows or report.store_amount <= 0:
                raise RuntimeError(f"the report for {month} is empty")
            first = []
            for _ in range(runs):  # an empty summary each time, for a median
                db.execute_sql("DELETE FROM promoter_day_sales")
                start = time.perf_counter()
                again = promoter_report.month_report(month, config)
                first.append((time.perf_counter() - start) * 1000)
                if again != report:
                    raise RuntimeError("the report without a summary gave other figures")
            later = []
            for _ in range(runs):
                start = time.perf_counter()
                again = promoter_report.month_report(month, config)
                later.append((time.perf_counter() - start) * 1000)
                if again != report:
                    raise RuntimeError("a later run of the report gave other figures")
            start = time.perf_counter()
            promoter_figures.summarise_all(*month_days(month), config)
            summarise = (time.perf_counter() - start) * 1000
            summarised = []
            for _ in range(runs):
                start = time.perf_counter()
                again = promoter_report.month_report(month, config)
                summarised.append((time.perf_counter() - start) * 1000)
                if again != report:
                    raise RuntimeError("the report from the summary gave other figures")
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the raw reader sees the summary
            summary_floor = statistics.median(summary_floor_ms(copy, month) for _ in range(max(runs, 3)))
        finally:
            db.close()
    return ReportTimes(month, built, first, later, summarise, summarised, floor, summary_floor)


def verdict(ours: float, target: float) -> str:
    return "PASS" if ours <= target else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--db", type=Path, required=True, help="the large demo database (read only)")
    parser.add_argument("--quick", action="store_true", help="few repetitions, for a smoke check")
    args = parser.parse_args(argv)
    roster_runs, report_runs = (5, 2) if args.quick else (50, 7)

    roster = roster_check_ms(roster_runs)
    times = report_ms(args.db, report_runs)
    month, floor, summary_floor = times.month, times.floor, times.summary_floor
    first = statistics.median(times.first)
    built = statistics.median(times.built)
    roster_median, later_median = statistics.median(roster), statistics.median(times.later)
    summarised_median = statistics.median(times.summarised)
    rows = [
        [
            "roster check: 20 staff x 28 days",
            f"{roster_median:.1f} ms (max {max(roster):.1f})",
            "—",
            "—",
            f"≤ {ROSTER_TARGET_MS:g} ms",
            verdict(roster_median, ROSTER_TARGET_MS),
        ],
        [
            f"promoter month report {month}, the large demo as built",
            f"{built:.0f} ms (max {max(times.built):.0f})",
            f"{summary_floor:.0f} ms (summary)",
            f"{built / summary_floor:.1f}×",
            f"≤ {REPORT_TARGET_MS:g} ms",
            verdict(built, REPORT_TARGET_MS),
        ],
        [
            f"promoter month report {month}, first run, summary emptied",
            f"{first:.0f} ms (max {max(times.first):.0f})",
            f"{floor:.0f} ms (lines)",
            f"{first / floor:.1f}×",
            "—",
            "—",
        ],
        [
            f"promoter month report {month}, next runs",
            f"{later_median:.0f} ms (max {max(times.later):.0f})",
            f"{floor:.0f} ms (lines)",
            f"{later_median / floor:.1f}×",
            "—",
            "—",
        ],
        [
            f"summarising the rest of {month} at once",
            f"{times.summarise:.0f} ms",
            "—",
            "—",
            "—",
            "—",
        ],
        [
            f"promoter month report {month}, month summarised",
            f"{summarised_median:.0f} ms (max {max(times.summarised):.0f})",
            f"{summary_floor:.0f} ms (summary)",
            f"{summarised_median / summary_floor:.1f}×",
            f"≤ {REPORT_TARGET_MS:g} ms",
            verdict(summarised_median, REPORT_TARGET_MS),
        ],
    ]
    print(tabulate(rows, headers=["figure", "ours", "floor", "ratio", "target", "verdict"]))
    report_medians = (built, summarised_median)
    failed = roster_median > ROSTER_TARGET_MS or max(report_medians) > REPORT_TARGET_MS
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
