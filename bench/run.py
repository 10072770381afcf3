"""Benchmarks on the large demo store, each beside a floor measured in the same run.

    python -m bench.run [--db PATH] [--skip-demo] [--history-db PATH] [--quick] [--profile] [--startup-only]

Prints a table (figure, ours, floor, ratio, target, PASS/FAIL) and writes the same to
bench/results/latest.json. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import burst_pty, cli_commands, footprint, hq_import, startup_pty
from bench.backup import backup_figures, measure_backup
from bench.burst import burst_figures, measure_burst
from bench.commit import commit_figure, measure_commit
from bench.databases import database_size, size_figure
from bench.demo_build import build_demo, demo_figure
from bench.lookup import lookup_figures, measure_lookups
from bench.paths import RESULTS
from bench.report import Figure, sort_for_table, table, versions, write_results
from bench.startup_profile import print_profile, profile_startup
from bench.summaries import measure_sizes, stores
from bench.zreport import measure_zreport, zreport_figures

DEFAULT_DB = Path("/tmp/zhanggui-large.db")


@dataclass
class Plan:
    startup_runs: int
    commits: int
    commit_batch: int
    lookups: int
    scans: int
    history_runs: int
    z_sales: int = 1000  # the sales of the day closed for figure 9 (issue 14: a 1,000-sale day)
    z_runs: int = 5
    hq_stores: int = 10  # figure 10: head office's import of stores × days day files (issue 15:
    hq_days: int = 10  # 100 store-days of 1,000 sales)
    hq_sales: int = 1000
    cli_runs: int = 5  # figure 11: each read-only command and its floor

    @classmethod
    def for_run(cls, quick: bool) -> Plan:
        if quick:
            return cls(
                startup_runs=2,
                commits=30,
                commit_batch=10,
                lookups=200,
                scans=10,
                history_runs=2,
                z_sales=200,
                z_runs=2,
                hq_stores=2,
                hq_days=5,
                hq_sales=100,
                cli_runs=1,
            )
        return cls(startup_runs=7, commits=300, commit_batch=25, lookups=2000, scans=50, history_runs=7)


@contextmanager
def step(title: str) -> Iterator[None]:
    print(f"· {title} …", flush=True)
    start = time.perf_counter()
    yield
    print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)


def run(args: argparse.Namespace) -> list[Figure]:
    plan = Plan.for_run(args.quick)
    figures: list[Figure] = []
    work = Path(tempfile.mkdtemp(prefix="zhanggui-bench-"))
    meta: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "plan": asdict(plan),
        "versions": versions(),
    }
    try:
        if args.skip_demo:
            db_path = Path(args.db or DEFAULT_DB)
            if not db_path.exists():
                raise SystemExit(f"no database at {db_path}; drop --skip-demo to build one")
        else:
            db_path = work / "demo-large.db"
            with step("1. zhanggui demo --size large into a fresh file"):
                seconds = build_demo(db_path)
            figures.append(demo_figure(seconds))
        meta["db"] = str(db_path)
        meta["db_size"] = database_size(db_path)
        print(f"  database {db_path}: {meta['db_size']}", flush=True)
        figures.append(size_figure(meta["db_size"]))

        with step(f"2. start-up in a pty, {plan.startup_runs} runs each of bare Textual and zhanggui"):
            copy = work / "startup.db"
            shutil.copyfile(db_path, copy)  # the crash runs leave a -wal beside it
            found = startup_pty.figures(startup_pty.measure(copy, plan.startup_runs, work, crash=True))
            copy.unlink()
        startup_time = found[0]
        figures += found
        if args.profile or not startup_time.passed:
            with step("   start-up missed its target (or --profile): profiling one zhanggui start-up"):
                profile = profile_startup(db_path, work)
            startup_time.detail["profile"] = profile
            print_profile(profile)
        with step("7. what the console costs to install and to import, beside Textual alone"):
            rss = next(f for f in found if f.name == startup_pty.RSS_AFTER_PIN)
            figures += footprint.figures(plan.startup_runs, rss_after_pin=rss)
        if not args.startup_only:
            figures += after_startup(db_path, plan, work)
            history_db = Path(args.history_db) if args.history_db else None
            found = stores(db_path, history_db)
            with step(f"6. reorder and RFM at {' and '.join(found)} history, on copies"):
                figures += measure_sizes(found, work, plan.history_runs)
            if history_db is None:
                print(
                    "  (2× history not measured: build it with python -m bench.history --factor 2, give it "
                    "as --history-db)",
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sort_for_table(figures)
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    write_results(figures, meta)
    return figures


def after_startup(db_path: Path, plan: Plan, work: Path) -> list[Figure]:
    figures: list[Figure] = []
    with step(f"4. scan lookups, {plan.lookups} barcodes and {plan.lookups} IMEIs"):
        lookups = measure_lookups(db_path, plan.lookups)
    figures += lookup_figures(lookups)

    with step(f"5. scanner burst in the console, {plan.scans} scans"):
        latencies = measure_burst(db_path, plan.scans, work)
    figures += burst_figures(latencies)

    with step(f"5. the same scans drawn by the real console in a pty, {plan.scans} scans, beside a bare app"):
        figures += burst_pty.figures(burst_pty.measure(db_path, plan.scans, work / "burst-pty"))

    with step(f"3. sale commits, {plan.commits} through store/ and {plan.commits} raw, on copies"):
        commits = measure_commit(db_path, work, plan.commits, batch=plan.commit_batch)
    figures.append(commit_figure(commits))

    with step(f"8. backups, and {plan.commits} sale commits each without and beside them, on a copy"):
        figures += backup_figures(measure_backup(db_path, work, plan.commits))

    figures += z_reports(db_path, plan, work)
    figures += hq_imports(plan, work)

    with step(f"11. read-only CLI commands, {plan.cli_runs} runs each, beside the interpreter's start"):
        figures += cli_commands.figures(cli_commands.measure(db_path, plan.cli_runs, work / "cli"))
    return figures


def hq_imports(plan: Plan, work: Path) -> list[Figure]:
    """Figure 10: head office's import of ``plan.hq_stores`` × ``plan.hq_days`` day files into
    SQLite and (with $ZHANGGUI_BENCH_PG or $ZHANGGUI_TEST_PG) PostgreSQL, each beside a raw
    bulk load of the same rows. Its own store, not the demo: the files are made in ``work``."""
    days = plan.hq_stores * plan.hq_days
    pg = hq_import.pg_url()
    where = "SQLite and PostgreSQL" if pg else "SQLite (no PostgreSQL URL: set ZHANGGUI_BENCH_PG)"
    with step(f"10. head office import of {days} store-days of {plan.hq_sales:,} sales into {where}"):
        (work / "hq").mkdir()
        found = hq_import.measure(
            work / "hq", stores=plan.hq_stores, days=plan.hq_days, sales=plan.hq_sales, pg=pg
        )
    shutil.rmtree(work / "hq", ignore_errors=True)
    return hq_import.hq_import_figures(found)


def z_reports(db_path: Path, plan: Plan, work: Path) -> list[Figure]:
    """Figure 9: the close and Z report of a day of ``plan.z_sales`` sales, its reprint, and
    the report of the store's busiest day, beside the same rows read in plain sqlite3."""
    with step(f"9. Z report of a {plan.z_sales:,}-sale day and of the busiest day, on a copy"):
        found = measure_zreport(db_path, work / "zreport", plan.z_sales, plan.z_runs)
    figures = zreport_figures(found)
    (work / "zreport" / "zreport-store.db").unlink(missing_ok=True)  # a copy of the demo: give the space back
    return figures


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--db", help=f"large demo database to measure with --skip-demo (default {DEFAULT_DB})"
    )
    parser.add_argument(
        "--skip-demo",
        action="store_true",
        help="do not time `zhanggui demo --size large`; measure --db instead",
    )
    parser.add_argument(
        "--history-db",
        help="the large demo with twice its history (python -m bench.history --factor 2), for figure 6 at 2×",
    )
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke check, not a verdict")
    parser.add_argument("--profile", action="store_true", help="profile one start-up even if it passes")
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="measure figure 2 (start-up) only: for work on start-up time and memory",
    )
    args = parser.parse_args(argv)
    if args.db and not args.skip_demo:
        parser.error("--db names an existing database to measure: use it with --skip-demo")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    figures = run(args)
    print()
    print(table(figures))
    print(
        f"\nwritten to {RESULTS / 'latest.json'}"
        + ("  (--quick: too few repetitions for a verdict)" if args.quick else "")
    )
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
