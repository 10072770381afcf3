"""Benchmarks on the large demo store, each beside a floor measured in the same run.

    python -m bench.run [--db PATH] [--skip-demo] [--quick] [--profile]

Prints a table (figure, ours, floor, ratio, target, PASS/FAIL) and writes the same to
bench/results/latest.json. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from tabulate import tabulate

from store import stock
from store.cart import Cart
from store.catalog import ScanResult, lookup_code
from store.config import Config
from store.context import StoreContext
from store.db import PRAGMAS, open_database
from store.ids import new_id
from store.imei import with_check_digit
from store.models import ImeiUnit, Product, Staff
from store.models.base import utcnow
from store.sales import Till, business_date, commit_sale
from store.setup import get_meta
from store.stock import ReceivedUnit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEFAULT_DB = Path("/tmp/zhanggui-large.db")
BENCH_TERMINAL = "BENCH"  # its own receipt counter, so demo receipt numbers never collide
MS = 1000.0


# ---- results ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the table. ``kind`` says how PASS/FAIL is decided: 'ratio' compares
    ours/floor with the target, 'absolute' compares ours with it, 'info' has no target."""

    name: str
    unit: str
    ours: float
    floor: float | None
    target: float | None
    kind: str  # ratio / absolute / info
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.ours / self.floor

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.kind == "info":
            return None
        if self.kind == "ratio":
            return self.ratio is not None and self.ratio <= self.target
        return self.ours <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        if self.kind == "ratio":
            return f"≤ {self.target:g}×"
        return f"≤ {self.target:g} {self.unit}"

    def row(self) -> list[str]:
        def number(value: float | None) -> str:
            if value is None:
                return "—"
            digits = 3 if abs(value) < 1 else 2 if abs(value) < 100 else 1
            return f"{value:,.{digits}f} {self.unit}"

        ratio = self.ratio
        verdict = {True: "PASS", False: "FAIL", None: "—"}[self.passed]
        return [
            self.name,
            number(self.ours),
            number(self.floor),
            "—" if ratio is None else f"{ratio:.2f}×",
            self.target_text(),
            verdict,
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": self.ours,
            "floor": self.floor,
            "ratio": self.ratio,
            "target": self.target,
            "target_kind": self.kind,
            "pass": self.passed,
            "detail": self.detail,
        }


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * MS


# ---- database copies -------------------------------------------------------------------------


def raw_connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with exactly the pragmas store.db.open_database sets."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    return conn


def checkpointed_copy(source: Path, target: Path) -> Path:
    """Fold the WAL into ``source`` and copy the file: a clean, self-contained copy."""
    conn = sqlite3.connect(str(source), isolation_level=None)
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        raise RuntimeError(f"{source} is in use by another writer; cannot take a clean copy")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


# What a sale writes, counted before and after: the raw floor must change these exactly as the
# store path does (the smoke test checks it).
FINGERPRINT = {
    "sale": "SELECT COUNT(*) FROM sale",
    "sale_line": "SELECT COUNT(*) FROM sale_line",
    "tender": "SELECT COUNT(*) FROM tender",
    "stock_movement": "SELECT COUNT(*) FROM stock_movement",
    "stock_movement.qty": "SELECT COALESCE(SUM(qty), 0) FROM stock_movement",
    "imei_unit.sold": "SELECT COUNT(*) FROM imei_unit WHERE status = 'sold'",
    "receipt_counter.last": "SELECT COALESCE(SUM(last), 0) FROM receipt_counter",
    "audit_log": "SELECT COUNT(*) FROM audit_log",
    "audit_head": "SELECT COALESCE(CAST(substr(value, 1, instr(value, ':') - 1) AS INTEGER), 0) "
    "FROM meta WHERE key = 'audit_head'",
    "held_cart": "SELECT COUNT(*) FROM held_cart",
    "meta": "SELECT COUNT(*) FROM meta",
}


def fingerprint(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        out: dict[str, int] = {}
        for key, sql in FINGERPRINT.items():
            row = conn.execute(sql).fetchone()
            out[key] = int(row[0]) if row and row[0] is not None else 0
        return out
    finally:
        conn.close()


def diff(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before[key] for key in after}


# ---- figure 1: demo generation ---------------------------------------------------------------


def zhanggui_command() -> list[str]:
    script = Path(sys.executable).parent / "zhanggui"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from tui.cli import main; main()"]


def build_demo(target: Path, size: str = "large") -> float:
    """Wall time of `zhanggui demo --db TARGET --size SIZE` into a fresh file, in seconds."""
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run([*zhanggui_command(), "demo", "--db", str(target), "--size", size], check=True)
    return time.perf_counter() - start


# ---- figure 2: start-up ----------------------------------------------------------------------


@dataclass
class ChildRun:
    seconds: float
    max_rss_kb: int


def child_env(home: Path) -> dict[str, str]:
    """No developer config or data dir leaks into a child; the same for bare and ours."""
    env = {k: v for k, v in os.environ.items() if k not in ("ZHANGGUI_CONFIG", "ZHANGGUI_DB")}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("TERM", "xterm-256color")
    return env


def spawn(args: Sequence[str], env: dict[str, str]) -> ChildRun:
    """Run a child; wall time from spawn to reaped exit, peak RSS from its own rusage."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}:\n{err.read().decode()[-3000:]}")
    return ChildRun(seconds, int(usage.ru_maxrss))  # KiB on Linux


@dataclass
class StartupResult:
    bare: list[ChildRun]
    ours: list[ChildRun]


def measure_startup(db_path: Path, runs: int, home: Path) -> StartupResult:
    """``runs`` start-ups of each, interleaved (order alternating), after one discarded warm-up
    of each so that both find the .pyc files and the database pages in the OS cache."""
    env = child_env(home)
    bare_args = ["-m", "bench.startup_child", "bare"]
    ours_args = ["-m", "bench.startup_child", "ours", str(db_path)]
    spawn(bare_args, env)
    spawn(ours_args, env)
    result = StartupResult([], [])
    for i in range(runs):
        pairs = [(bare_args, result.bare), (ours_args, result.ours)]
        for args, into in pairs if i % 2 == 0 else reversed(pairs):
            into.append(spawn(args, env))
    return result


def profile_startup(db_path: Path, home: Path, top: int = 12) -> dict[str, Any]:
    """Where one 'ours' start-up goes: its slowest SQL statements, its slowest imports
    (-X importtime, cumulative) and a cProfile (by own time, and the project's functions)."""
    from bench.startup_child import TRACE_ENV, TRACE_PREFIX

    env = child_env(home)
    child = ["-m", "bench.startup_child", "ours", str(db_path)]
    traced = subprocess.run(
        [sys.executable, *child],
        cwd=REPO,
        env={**env, TRACE_ENV: "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    statements: list[tuple[str, float]] = []
    for line in traced.stderr.splitlines():
        if line.startswith(TRACE_PREFIX):
            statements = [(sql, ms) for sql, ms in json.loads(line[len(TRACE_PREFIX) :])]
    slow_sql = sorted(statements, key=lambda item: -item[1])[:top]

    done = subprocess.run(
        [sys.executable, "-X", "importtime", *child],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    imports: list[tuple[str, float]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2  # two spaces a level below the top
        if depth <= 1:  # what the start-up imports and what those import directly
            imports.append(("  " * depth + name.strip(), int(cumulative) / 1000))
    slow_imports = sorted(imports, key=lambda item: -item[1])[:top]

    with tempfile.TemporaryDirectory() as tmp:
        prof = Path(tmp) / "startup.prof"
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(prof), *child],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
        )
        by_own = io.StringIO()
        pstats.Stats(str(prof), stream=by_own).sort_stats("tottime").print_stats(top)
        project = io.StringIO()
        pstats.Stats(str(prof), stream=project).sort_stats("cumulative").print_stats(
            f"{REPO}/(store|tui)/", top
        )
    return {
        "sql_ms": slow_sql,
        "sql_total_ms": sum(ms for _sql, ms in statements),
        "imports_ms": slow_imports,
        "cprofile_tottime": by_own.getvalue(),
        "cprofile_project": project.getvalue(),
    }


def _stats_table(text: str) -> str:
    """The table part of a pstats listing (from its 'ncalls' header on)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


def print_profile(profile: dict[str, Any]) -> None:
    print(
        tabulate(
            [(sql if len(sql) <= 80 else sql[:77] + "...", ms) for sql, ms in profile["sql_ms"]],
            headers=["slowest SQL at start-up", "ms"],
            floatfmt=".1f",
        )
    )
    print(f"  all SQL: {profile['sql_total_ms']:.0f} ms\n")
    print(tabulate(profile["imports_ms"], headers=["slowest imports", "cumulative ms"], floatfmt=".1f"))
    print("\ncProfile, by own time:\n" + _stats_table(profile["cprofile_tottime"]))
    print("\ncProfile, store/ and tui/ by cumulative time:\n" + _stats_table(profile["cprofile_project"]))


# ---- figure 3: sale commit -------------------------------------------------------------------


@dataclass
class CommitResult:
    ours: list[float]  # seconds per commit, warm-up excluded
    floor: list[float]
    ours_rows: dict[str, int]  # what each path changed (FINGERPRINT keys)
    floor_rows: dict[str, int]
    store_copy: Path
    raw_copy: Path


def _selling_staff() -> Staff:
    for roles in (("promoter", "cashier"), ("manager", "admin")):
        member: Staff | None = (
            Staff.select()
            .where((Staff.active == True) & Staff.role.in_(roles))  # noqa: E712
            .order_by(Staff.code)
            .first()
        )
        if member is not None:
            return member
    raise RuntimeError("no active staff in the database")


def _fresh_imeis(count: int, rng: random.Random) -> list[str]:
    """IMEIs under a TAC no demo or test uses, skipping any already known."""
    out: list[str] = []
    serial = rng.randrange(0, 10**6) * 100
    while len(out) < count:
        batch = [with_check_digit(f"990012{(serial + i) % 10**8:08d}") for i in range(count - len(out))]
        serial += len(batch)
        clash = ImeiUnit.select(ImeiUnit.imei, ImeiUnit.imei2).where(
            ImeiUnit.imei.in_(batch) | ImeiUnit.imei2.in_(batch)
        )
        known = {number for unit in clash for number in (unit.imei, unit.imei2) if number}
        out.extend(i for i in batch if i not in known)
    return out


def _restock(needed: int, accessories: list[Product], staff_id: str, rng: random.Random) -> None:
    """Enough sellable handsets and accessory stock for ``needed`` sales (untimed)."""
    sellable = (
        ImeiUnit.select()
        .join(Product)
        .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
        .count()
    )
    if sellable < needed:
        handset = (
            Product.select()
            .where((Product.serialized == True) & (Product.active == True))  # noqa: E712
            .order_by(Product.sku)
            .first()
        )
        if handset is None:
            raise RuntimeError("no handset product to receive units of")
        missing = needed - sellable
        for start in range(0, missing, 1000):
            chunk = _fresh_imeis(min(1000, missing - start), rng)
            stock.receive(
                handset, staff_id=staff_id, units=[ReceivedUnit(i) for i in chunk], document="bench"
            )
    for product in accessories:
        have = stock.on_hand(product.id)
        if have < needed:
            stock.receive(
                product, staff_id=staff_id, qty=min(needed - have + 1, stock.MAX_QTY), document="bench"
            )


def _accessory_pool(size: int, rng: random.Random) -> list[Product]:
    products = list(
        Product.select()
        .where((Product.category == "accessory") & (Product.serialized == False) & (Product.active == True))  # noqa: E712
        .order_by(Product.sku)
    )
    if len(products) < 2:
        raise RuntimeError("the database needs at least two active accessories")
    return rng.sample(products, min(size, len(products)))


def _sellable_units(count: int) -> list[ImeiUnit]:
    units = list(
        ImeiUnit.select(ImeiUnit, Product)
        .join(Product)
        .where(ImeiUnit.status.in_(stock.SELLABLE) & (Product.active == True))  # noqa: E712
        .order_by(ImeiUnit.received_at, ImeiUnit.id)
        .limit(count)
    )
    if len(units) < count:
        raise RuntimeError(f"only {len(units)} sellable IMEI units, {count} needed")
    return units


def _cart(staff: Staff, unit: ImeiUnit, accessories: tuple[Product, Product]) -> Cart:
    """One IMEI handset and two accessories, paid in cash with a round note on top."""
    cart = Cart(staff_id=staff.id, staff_role=staff.role, discount_limit_percent=5)
    cart.add_scan(ScanResult(unit.product, unit))
    for product in accessories:
        cart.add_scan(ScanResult(product))
    due = cart.due
    cart.add_tender("cash", -(-due // 10000) * 10000)
    return cart


def _dump(value: Any) -> str:  # as store.audit._dump
    if value is None or value == "":
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def raw_commit(conn: sqlite3.Connection, cart: Cart, till: Till) -> None:
    """The floor: the writes of store.sales.commit_sale for a plain sale, in plain SQL in one
    BEGIN IMMEDIATE transaction, including the reads those writes need (receipt counter,
    audit head) and a hash-chained audit row that store.audit.verify accepts."""
    stamp = utcnow()
    day = business_date(stamp, till.tz)
    at = stamp.isoformat(" ")
    conn.execute("BEGIN IMMEDIATE")
    try:
        key = f"{till.terminal_id}|{day.isoformat()}"
        row = conn.execute("SELECT last FROM receipt_counter WHERE key = ?", (key,)).fetchone()
        seq = 1 if row is None else row[0] + 1
        conn.execute("INSERT OR REPLACE INTO receipt_counter (key, last) VALUES (?, ?)", (key, seq))
        receipt_no = f"{till.store_code}-{till.terminal_id}-{day:%Y%m%d}-{seq:04d}"
        conn.execute(
            "INSERT INTO sale (id, receipt_no, store_code, terminal_id, business_date, created_at, kind,"
            " status, staff_id, customer_id, original_id, subtotal, discount, total, note)"
            " VALUES (?, ?, ?, ?, ?, ?, 'sale', 'completed', ?, ?, NULL, ?, ?, ?, '')",
            (
                cart.id,
                receipt_no,
                till.store_code,
                till.terminal_id,
                day.isoformat(),
                at,
                cart.staff_id,
                cart.customer_id,
                cart.subtotal,
                cart.discount_total,
                cart.total,
            ),
        )
        for number, line in enumerate(cart.lines, 1):
            if line.imei_unit_id:
                changed = conn.execute(
                    "UPDATE imei_unit SET status = 'sold'"
                    " WHERE id = ? AND status IN ('in_stock', 'returned')",
                    (line.imei_unit_id,),
                ).rowcount
                if changed != 1:
                    raise RuntimeError(f"IMEI unit {line.imei_unit_id} is not sellable")
            conn.execute(
                "INSERT INTO stock_movement (id, product_id, imei_unit_id, kind, qty, staff_id, created_at,"
                " document, reason) VALUES (?, ?, ?, 'sale', ?, ?, ?, ?, '')",
                (new_id(), line.product_id, line.imei_unit_id, -line.qty, cart.staff_id, at, cart.id),
            )
            conn.execute(
                "INSERT INTO sale_line (id, sale_id, line_no, product_id, imei_unit_id, qty, list_price,"
                " unit_price, discount, total, promoter_id, original_line_id, override_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
                (
                    line.id,
                    cart.id,
                    number,
                    line.product_id,
                    line.imei_unit_id,
                    line.qty,
                    line.list_price,
                    line.unit_price,
                    line.line_discount,
                    line.net,
                    line.promoter_id,
                ),
            )
        for tender in cart.tenders:
            conn.execute(
                "INSERT INTO tender (id, sale_id, kind, amount, tendered, change, reference)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    new_id(),
                    cart.id,
                    tender.kind,
                    tender.amount,
                    tender.tendered,
                    tender.change,
                    tender.reference,
                ),
            )
        head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        count, prev_hash = (0, "0" * 64) if head is None else head[0].split(":", 1)
        audit_id = new_id()
        after = _dump({"receipt_no": receipt_no, "total": cart.total, "lines": len(cart.lines)})
        fields = {
            "id": audit_id,
            "at": stamp.isoformat(timespec="microseconds"),
            "staff_id": cart.staff_id,
            "approved_by": "",
            "action": "sale.sale",
            "entity": "sale",
            "entity_id": cart.id,
            "before": "",
            "after": after,
        }
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
        conn.execute(
            "INSERT INTO audit_log (id, at, staff_id, approved_by, action, entity, entity_id, before, after,"
            " prev_hash, hash) VALUES (?, ?, ?, '', 'sale.sale', 'sale', ?, '', ?, ?, ?)",
            (audit_id, at, cart.staff_id, cart.id, after, prev_hash, digest),
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
            (f"{int(count) + 1}:{digest}",),
        )
        conn.execute("DELETE FROM held_cart WHERE id = ?", (cart.id,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def bench_till() -> Till:
    return Till(store_code=get_meta("store_code") or "S001", terminal_id=BENCH_TERMINAL, tz=Config().tz)


def measure_commit(
    source: Path, workdir: Path, n: int, batch: int = 25, warmup: int = 5, seed: int = 7
) -> CommitResult:
    """``n`` timed commits through store.sales.commit_sale and ``n`` through raw_commit, in
    alternating batches, each on its own copy of ``source`` (restocked identically first)."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    store_copy = checkpointed_copy(source, workdir / "commit-store.db")
    total = n + warmup
    db = open_database(store_copy)
    try:
        staff = _selling_staff()
        pool = _accessory_pool(10, rng)
        _restock(total, pool, staff.id, rng)
    finally:
        db.close()
    raw_copy = checkpointed_copy(store_copy, workdir / "commit-raw.db")

    db = open_database(store_copy)
    conn = raw_connect(raw_copy)
    try:
        staff = Staff.get_by_id(staff.id)
        pool = [Product.get_by_id(p.id) for p in pool]
        units = _sellable_units(total)
        pairs: list[tuple[Product, Product]] = []
        for _ in range(total):
            first_product, second_product = rng.sample(pool, 2)
            pairs.append((first_product, second_product))
        till = bench_till()
        store_before, raw_before = fingerprint(store_copy), fingerprint(raw_copy)

        ours: list[float] = []
        floor: list[float] = []

        def ours_one(i: int) -> float:
            cart = _cart(staff, units[i], pairs[i])
            start = time.perf_counter()
            commit_sale(cart, till)
            return time.perf_counter() - start

        def floor_one(i: int) -> float:
            cart = _cart(staff, units[i], pairs[i])
            start = time.perf_counter()
            raw_commit(conn, cart, till)
            return time.perf_counter() - start

        for first in range(0, total, batch):
            indexes = range(first, min(first + batch, total))
            steps: list[tuple[Callable[[int], float], list[float]]] = [(ours_one, ours), (floor_one, floor)]
            if (first // batch) % 2:
                steps.reverse()
            for one, into in steps:
                for i in indexes:
                    into.append(one(i))
    finally:
        conn.close()
        db.close()
    return CommitResult(
        ours=ours[warmup:],
        floor=floor[warmup:],
        ours_rows=diff(fingerprint(store_copy), store_before),
        floor_rows=diff(fingerprint(raw_copy), raw_before),
        store_copy=store_copy,
        raw_copy=raw_copy,
    )


# ---- figure 4: scan lookup -------------------------------------------------------------------


@dataclass
class LookupResult:
    ours: list[float]
    floor: list[float]


def measure_lookups(db_path: Path, n: int, seed: int = 11) -> dict[str, LookupResult]:
    """``n`` lookups of random existing barcodes and ``n`` of random existing IMEIs through
    store.catalog.lookup_code, each followed (or preceded, alternating) by the floor: one raw
    indexed SELECT of the same row, which must come back with the same id."""
    rng = random.Random(seed)
    db = open_database(db_path)
    conn = raw_connect(db_path)
    try:
        barcodes = [
            row[0]
            for row in conn.execute(
                "SELECT barcode FROM product WHERE barcode IS NOT NULL AND active = 1 ORDER BY barcode"
            )
        ]
        imeis = [row[0] for row in conn.execute("SELECT imei FROM imei_unit ORDER BY imei")]
        if not barcodes or not imeis:
            raise RuntimeError("the database needs products with barcodes and IMEI units")
        barcode_sql = "SELECT * FROM product WHERE barcode = ? AND active = 1"
        imei_sql = (
            "SELECT imei_unit.*, product.* FROM imei_unit JOIN product ON product.id = imei_unit.product_id"
            " WHERE imei_unit.imei = ?"
        )

        def ours_id(code: str, kind: str) -> str:
            found = lookup_code(code)
            if found is None:
                raise RuntimeError(f"lookup_code({code!r}) found nothing")
            return found.unit.id if kind == "imei" and found.unit is not None else found.product.id

        out: dict[str, LookupResult] = {}
        for kind, codes, sql in (("barcode", barcodes, barcode_sql), ("imei", imeis, imei_sql)):
            result = LookupResult([], [])
            sample = [rng.choice(codes) for _ in range(n)]
            for i, code in enumerate(sample):
                order = (0, 1) if i % 2 == 0 else (1, 0)
                got: dict[int, str] = {}
                for which in order:
                    start = time.perf_counter()
                    if which == 0:
                        got[0] = ours_id(code, kind)
                        result.ours.append(time.perf_counter() - start)
                    else:
                        row = conn.execute(sql, (code,)).fetchone()
                        result.floor.append(time.perf_counter() - start)
                        got[1] = row[0]
                if got[0] != got[1]:
                    raise RuntimeError(f"{kind} {code}: lookup_code found {got[0]}, the floor {got[1]}")
            out[kind] = result
        return out
    finally:
        conn.close()
        db.close()


# ---- figure 5: scanner burst in the console --------------------------------------------------


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
        app = ZhangguiApp(StoreContext(config=config, db_path=db_path, db=db), staff=_selling_staff())
        return asyncio.run(_burst(app, codes, rng))
    finally:
        db.close()


# ---- the run ---------------------------------------------------------------------------------


@dataclass
class Plan:
    startup_runs: int
    commits: int
    commit_batch: int
    lookups: int
    scans: int

    @classmethod
    def for_run(cls, quick: bool) -> Plan:
        if quick:
            return cls(startup_runs=2, commits=30, commit_batch=10, lookups=200, scans=10)
        return cls(startup_runs=7, commits=300, commit_batch=25, lookups=2000, scans=50)


@contextmanager
def step(title: str) -> Iterator[None]:
    print(f"· {title} …", flush=True)
    start = time.perf_counter()
    yield
    print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)


def versions() -> dict[str, str]:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        rev = ""
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": metadata.version("textual"),
        "peewee": metadata.version("peewee"),
        "git": rev,
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
    }


def database_size(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = ("customer", "product", "imei_unit", "sale", "sale_line", "stock_movement")
        sizes = {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    finally:
        conn.close()
    sizes["bytes"] = db_path.stat().st_size
    return sizes


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
            figures.append(Figure("demo --size large (wall)", "s", seconds, None, 60, "absolute"))
        meta["db"] = str(db_path)
        meta["db_size"] = database_size(db_path)
        print(f"  database {db_path}: {meta['db_size']}", flush=True)

        with step(f"2. start-up, {plan.startup_runs} runs each of bare Textual and zhanggui"):
            start_up = measure_startup(db_path, plan.startup_runs, work)
        ours_s = [r.seconds for r in start_up.ours]
        bare_s = [r.seconds for r in start_up.bare]
        ours_rss = [r.max_rss_kb / 1024 for r in start_up.ours]
        bare_rss = [r.max_rss_kb / 1024 for r in start_up.bare]
        startup_time = Figure(
            "start-up to sale screen (median)",
            "s",
            statistics.median(ours_s),
            statistics.median(bare_s),
            1.5,
            "ratio",
            {"ours_s": ours_s, "bare_s": bare_s},
        )
        figures.append(startup_time)
        figures.append(
            Figure(
                "start-up peak RSS (median)",
                "MiB",
                statistics.median(ours_rss),
                statistics.median(bare_rss),
                1.5,
                "ratio",
                {"ours_mib": ours_rss, "bare_mib": bare_rss},
            )
        )
        if args.profile or not startup_time.passed:
            with step("   start-up missed its target (or --profile): profiling one zhanggui start-up"):
                profile = profile_startup(db_path, work)
            startup_time.detail["profile"] = profile
            print_profile(profile)

        with step(f"4. scan lookups, {plan.lookups} barcodes and {plan.lookups} IMEIs"):
            lookups = measure_lookups(db_path, plan.lookups)
        for kind, result in lookups.items():
            figures.append(
                Figure(
                    f"lookup_code {kind} (median)",
                    "ms",
                    median_ms(result.ours),
                    median_ms(result.floor),
                    1.0,
                    "absolute",
                    {"n": len(result.ours), "ours_p95_ms": statistics.quantiles(result.ours, n=20)[-1] * MS},
                )
            )

        with step(f"5. scanner burst in the console, {plan.scans} scans"):
            latencies = measure_burst(db_path, plan.scans, work)
        lat_ms = [s * MS for s in latencies]
        figures.append(
            Figure(
                "scan Enter → cart line (median)",
                "ms",
                statistics.median(lat_ms),
                None,
                30,
                "absolute",
                {"n": len(lat_ms), "all_ms": lat_ms},
            )
        )
        figures.append(Figure("scan Enter → cart line (max)", "ms", max(lat_ms), None, None, "info"))

        with step(f"3. sale commits, {plan.commits} through store/ and {plan.commits} raw, on copies"):
            commits = measure_commit(db_path, work, plan.commits, batch=plan.commit_batch)
        if commits.ours_rows != commits.floor_rows:
            raise RuntimeError(f"the floor wrote {commits.floor_rows}, store/ wrote {commits.ours_rows}")
        figures.append(
            Figure(
                "commit_sale 3 lines + cash (median)",
                "ms",
                median_ms(commits.ours),
                median_ms(commits.floor),
                3.0,
                "ratio",
                {
                    "n": len(commits.ours),
                    "rows_written": commits.ours_rows,
                    "ours_p95_ms": statistics.quantiles(commits.ours, n=20)[-1] * MS,
                    "floor_p95_ms": statistics.quantiles(commits.floor, n=20)[-1] * MS,
                },
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    order = [
        "demo",
        "start-up to",
        "start-up peak",
        "commit_sale",
        "lookup_code barcode",
        "lookup_code imei",
        "scan Enter → cart line (median)",
        "scan Enter → cart line (max)",
    ]
    figures.sort(key=lambda f: next(i for i, prefix in enumerate(order) if f.name.startswith(prefix)))
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    write_results(figures, meta)
    return figures


def write_results(figures: list[Figure], meta: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "latest.json"
    payload = {**meta, "figures": [f.to_json() for f in figures]}
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return target


def table(figures: Sequence[Figure]) -> str:
    headers = ["figure", "ours", "floor", "ratio", "target", "PASS/FAIL"]
    text: str = tabulate([f.row() for f in figures], headers=headers, disable_numparse=True)
    return text


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
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke check, not a verdict")
    parser.add_argument("--profile", action="store_true", help="profile one start-up even if it passes")
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
