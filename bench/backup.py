"""Figure 8: backups (issue 14). How long `zhanggui backup` takes on the store (VACUUM INTO, fsync,
integrity_check, schema, store code, audit chain, rename) beside its floor, a bare VACUUM INTO;
and the worst sale commit while backups run beside the till, next to the worst without them.
Target: a backup never holds a sale for more than 50 ms.

    python -m bench.backup --db /tmp/b.db [--sales 200]

The backups run back to back in another process (`zhanggui backup` from a terminal or a cron
job) and, as a second figure, in a thread of the selling process (the backup after a Z report
in the console). Everything runs on a copy of --db."""

from __future__ import annotations

import argparse
import contextlib
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.commit import _cart, bench_till
from bench.databases import checkpointed_copy
from bench.report import MS, Figure, table
from bench.sale_inputs import accessory_pool, restock, sellable_units, selling_staff
from store.backup.create import make_backup
from store.config.loader import Config
from store.db.connection import open_database
from store.kernel import SystemClock
from store.models import Product, Staff
from store.selling.checkout import commit_sale
from store.setup import get_meta

TARGET_MS = 50.0


@dataclass
class BackupBench:
    size: int  # bytes of the backup
    seconds: list[float]  # one make_backup each
    floor_seconds: list[float]  # one bare VACUUM INTO each
    quiet: list[float]  # commit latencies without a backup
    beside_process: list[float]  # while backups ran in another process
    beside_thread: list[float]  # while backups ran in a thread of this process
    backups_beside: dict[str, int] = field(default_factory=dict)


def _back_up(db_path: Path, folder: Path, store_code: str) -> None:
    """One backup as `zhanggui backup` makes it (the rotation keeps the folder small)."""
    taken = SystemClock(Config().tz).local_now()
    make_backup(db_path, folder, store_code=store_code, taken=taken, daily=2, weekly=0, create_folder=True)


def child(db_path: Path, folder: Path, store_code: str, run: Path, stop: Path, ready: Path) -> int:
    """The other process: back up while ``run`` exists, until ``stop`` does; prints how many."""
    made = 0
    ready.touch()
    while not stop.exists():
        if run.exists():
            _back_up(db_path, folder, store_code)
            made += 1
        else:
            time.sleep(0.005)
    print(made)
    return 0


class _Process:
    """Backups back to back in another process, switched on and off between batches of sales."""

    def __init__(self, db_path: Path, folder: Path, store_code: str, work: Path) -> None:
        self.run, self.stop, ready = work / "run", work / "stop", work / "ready"
        for flag in (self.run, self.stop, ready):
            flag.unlink(missing_ok=True)
        args = [str(db_path), str(folder), store_code, str(self.run), str(self.stop), str(ready)]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.backup", "--child", *args], stdout=subprocess.PIPE, text=True
        )
        while not ready.exists():
            if self.proc.poll() is not None:
                raise RuntimeError("the backup process ended before it started")
            time.sleep(0.01)
        self.made = 0

    def on(self) -> None:
        self.run.touch()
        time.sleep(0.02)  # into a backup

    def off(self) -> None:
        self.run.unlink()

    def close(self) -> int:
        self.stop.touch()
        output, _err = self.proc.communicate(timeout=600)
        return int(output.strip() or 0)


class _Thread:
    """Backups back to back in a thread of the selling process (the console after a Z report)."""

    def __init__(self, db_path: Path, folder: Path, store_code: str) -> None:
        self.running, self.stop = threading.Event(), threading.Event()
        self.made = 0

        def loop() -> None:
            while not self.stop.is_set():
                if self.running.wait(0.01) and not self.stop.is_set():
                    _back_up(db_path, folder, store_code)
                    self.made += 1

        self.worker = threading.Thread(target=loop)
        self.worker.start()

    def on(self) -> None:
        self.running.set()
        time.sleep(0.02)

    def off(self) -> None:
        self.running.clear()

    def close(self) -> int:
        self.stop.set()
        self.running.set()
        self.worker.join()
        return self.made


def measure_backup(
    source: Path,
    work: Path,
    sales: int = 200,
    batch: int = 20,
    runs: int = 3,
    seed: int = 11,
    *,
    other_process: bool = True,
) -> BackupBench:
    """``runs`` timed backups and bare VACUUM INTOs; then ``sales`` sales in each of three
    phases (no backup, backups in another process, backups in a thread), in alternating
    batches of ``batch`` so that all three see the same load on the machine.
    ``other_process=False`` leaves the other process out (the smoke test: no interpreter start)."""
    rng = random.Random(seed)
    work.mkdir(parents=True, exist_ok=True)
    store_copy = checkpointed_copy(source, work / "backup-store.db")
    folder = work / "backups"
    total = 3 * sales + 3
    db = open_database(store_copy)
    try:
        staff = selling_staff()
        pool = accessory_pool(10, rng)
        restock(total, pool, staff.id, rng)
        store_code = get_meta("store_code")
    finally:
        db.close()

    seconds, floor = [], []
    size = 0
    for n in range(runs):
        start = time.perf_counter()
        _back_up(store_copy, folder, store_code)
        seconds.append(time.perf_counter() - start)
        bare = work / f"bare-{n}.db"
        start = time.perf_counter()
        with contextlib.closing(sqlite3.connect(str(store_copy), isolation_level=None)) as conn:
            conn.execute("VACUUM INTO ?", (str(bare),))
        floor.append(time.perf_counter() - start)
        size = bare.stat().st_size
        bare.unlink()

    db = open_database(store_copy)
    process = _Process(store_copy, folder, store_code, work) if other_process else None
    thread = _Thread(store_copy, folder, store_code)
    phases: dict[str, list[float]] = {"quiet": [], "process": [], "thread": []}
    try:
        staff = Staff.get_by_id(staff.id)
        pool = [Product.get_by_id(p.id) for p in pool]
        units = iter(sellable_units(total))
        till = bench_till()

        def sell(count: int) -> list[float]:
            latencies = []
            for _ in range(count):
                first, second = rng.sample(pool, 2)
                cart = _cart(staff, next(units), (first, second))
                start = time.perf_counter()
                commit_sale(cart, till)
                latencies.append(time.perf_counter() - start)
            return latencies

        sell(3)  # warm-up
        runners: dict[str, _Process | _Thread | None] = {"quiet": None, "thread": thread}
        if process is not None:
            runners["process"] = process
        for first in range(0, sales, batch):
            order = list(runners.items())
            rng.shuffle(order)
            for name, runner in order:
                if runner is not None:
                    runner.on()
                try:
                    phases[name] += sell(min(batch, sales - first))
                finally:
                    if runner is not None:
                        runner.off()
    finally:
        made = {"process": process.close() if process is not None else 0, "thread": thread.close()}
        db.close()
    return BackupBench(size, seconds, floor, phases["quiet"], phases["process"], phases["thread"], made)


def backup_figures(result: BackupBench) -> list[Figure]:
    best, bare = min(result.seconds), min(result.floor_seconds)
    mb = result.size / 1e6
    worst_quiet = max(result.quiet) * MS
    figures = [
        Figure(
            "backup (VACUUM INTO + checks), best of runs",
            "s",
            best,
            bare,
            None,
            "info",
            {
                "mb": round(mb, 2),
                "mb_per_s": round(mb / best, 1),
                "floor_mb_per_s": round(mb / bare, 1),
                "runs": result.seconds,
            },
        )
    ]
    for name, key, latencies in (
        ("backup in another process", "process", result.beside_process),
        ("backup in a thread of the till", "thread", result.beside_thread),
    ):
        if not latencies:
            continue
        worst = max(latencies) * MS
        figures.append(
            Figure(
                f"worst sale commit, {name}",
                "ms",
                worst,
                worst_quiet,
                TARGET_MS,
                "absolute",
                {
                    "sales": len(latencies),
                    "backups_beside": result.backups_beside.get(key, 0),
                    "median_ms": sorted(latencies)[len(latencies) // 2] * MS,
                    "p99_ms": sorted(latencies)[int(len(latencies) * 0.99)] * MS,
                    "quiet_p99_ms": sorted(result.quiet)[int(len(result.quiet) * 0.99)] * MS,
                    "quiet_median_ms": sorted(result.quiet)[len(result.quiet) // 2] * MS,
                },
            )
        )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        db_path, folder, code, run, stop, ready = args[1:7]
        return child(Path(db_path), Path(folder), code, Path(run), Path(stop), Path(ready))
    parser = argparse.ArgumentParser(
        prog="python -m bench.backup", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--db", required=True, help="the store to measure (a copy is used)")
    parser.add_argument("--sales", type=int, default=200, help="sales timed in each of the three phases")
    parsed = parser.parse_args(args)
    with tempfile.TemporaryDirectory(prefix="zhanggui-bench-backup-") as work:
        figures = backup_figures(measure_backup(Path(parsed.db), Path(work), parsed.sales))
    print(table(figures))
    for figure in figures:
        print(figure.name, figure.detail)
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
