"""Figure 3: sale commit, store.selling.checkout.commit_sale beside its floor, raw_commit: the same writes
in plain sqlite3. Each path runs on its own copy of the database, restocked identically."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.databases import checkpointed_copy, raw_connect
from bench.report import MS, Figure, median_ms
from bench.sale_inputs import accessory_pool, restock, sellable_units, selling_staff
from store.audit.keys import load_key
from store.config.loader import Config
from store.db.connection import open_database
from store.kernel.clock import business_date
from store.kernel.ids import new_id, to_db
from store.models import ImeiUnit, Product, Staff
from store.models.base import utcnow
from store.selling.cart import Cart
from store.selling.checkout import commit_sale
from store.selling.till import Till
from store.setup import get_meta
from store.stock.catalog import ScanResult

BENCH_TERMINAL = "BENCH"  # its own receipt counter, so demo receipt numbers never collide

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


@dataclass
class CommitResult:
    ours: list[float]  # seconds per commit, warm-up excluded
    floor: list[float]
    ours_rows: dict[str, int]  # what each path changed (FINGERPRINT keys)
    floor_rows: dict[str, int]
    store_copy: Path
    raw_copy: Path


def _cart(staff: Staff, unit: ImeiUnit, accessories: tuple[Product, Product]) -> Cart:
    """One IMEI handset and two accessories, paid in cash with a round note on top."""
    cart = Cart(staff_id=staff.id, staff_role=staff.role, discount_limit_percent=5)
    cart.add_scan(ScanResult(unit.product, unit))
    for product in accessories:
        cart.add_scan(ScanResult(product))
    due = cart.due
    cart.add_tender("cash", -(-due // 10000) * 10000)
    return cart


def _dump(value: Any) -> str:  # as store.audit.hashing.dump_value
    if value is None or value == "":
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def raw_commit(conn: sqlite3.Connection, cart: Cart, till: Till) -> None:
    """The floor: the writes of store.selling.checkout.commit_sale for a plain sale, in plain SQL in one
    BEGIN IMMEDIATE transaction, including the reads those writes need (receipt counter,
    audit head and key) and a keyed hash-chained audit row that store.audit.integrity.verify accepts.
    Ids are bound as the 16 bytes the store keeps (store.kernel.ids.to_db), as its connection does."""
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
                to_db(cart.id),
                receipt_no,
                till.store_code,
                till.terminal_id,
                day.isoformat(),
                at,
                to_db(cart.staff_id),
                to_db(cart.customer_id),
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
                    (to_db(line.imei_unit_id),),
                ).rowcount
                if changed != 1:
                    raise RuntimeError(f"IMEI unit {line.imei_unit_id} is not sellable")
            conn.execute(
                "INSERT INTO stock_movement (id, product_id, imei_unit_id, kind, qty, staff_id, created_at,"
                " document, reason) VALUES (?, ?, ?, 'sale', ?, ?, ?, ?, '')",
                (
                    to_db(new_id()),
                    to_db(line.product_id),
                    to_db(line.imei_unit_id),
                    -line.qty,
                    to_db(cart.staff_id),
                    at,
                    to_db(cart.id),
                ),
            )
            conn.execute(
                "INSERT INTO sale_line (id, sale_id, line_no, product_id, imei_unit_id, qty, list_price,"
                " unit_price, discount, total, promoter_id, original_line_id, override_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '')",
                (
                    to_db(line.id),
                    to_db(cart.id),
                    number,
                    to_db(line.product_id),
                    to_db(line.imei_unit_id),
                    line.qty,
                    line.list_price,
                    line.unit_price,
                    line.line_discount,
                    line.net,
                    to_db(line.promoter_id),
                ),
            )
        for tender in cart.tenders:
            conn.execute(
                "INSERT INTO tender (id, sale_id, kind, amount, tendered, change, reference)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    to_db(new_id()),
                    to_db(cart.id),
                    tender.kind,
                    tender.amount,
                    tender.tendered,
                    tender.change,
                    tender.reference,
                ),
            )
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_keys')").fetchall()
        )
        count, prev_hash = meta["audit_head"].split(":", 1)
        secret = load_key(json.loads(meta["audit_keys"])[-1][1]).secret  # cached, as store.audit.chain's
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
        digest = hmac.new(secret, (prev_hash + canonical).encode("utf-8"), hashlib.sha256).hexdigest()
        conn.execute(
            "INSERT INTO audit_log (id, at, staff_id, approved_by, action, entity, entity_id, before, after,"
            " prev_hash, hash) VALUES (?, ?, ?, '', 'sale.sale', 'sale', ?, '', ?, ?, ?)",
            (to_db(audit_id), at, to_db(cart.staff_id), to_db(cart.id), after, prev_hash, digest),
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
            (f"{int(count) + 1}:{digest}",),
        )
        conn.execute("DELETE FROM held_cart WHERE id = ?", (to_db(cart.id),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def bench_till() -> Till:
    return Till(store_code=get_meta("store_code") or "S001", terminal_id=BENCH_TERMINAL, tz=Config().tz)


def measure_commit(
    source: Path, workdir: Path, n: int, batch: int = 25, warmup: int = 5, seed: int = 7
) -> CommitResult:
    """``n`` timed commits through store.selling.checkout.commit_sale and ``n`` through raw_commit, in
    alternating batches, each on its own copy of ``source`` (restocked identically first)."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    store_copy = checkpointed_copy(source, workdir / "commit-store.db")
    total = n + warmup
    db = open_database(store_copy)
    try:
        staff = selling_staff()
        pool = accessory_pool(10, rng)
        restock(total, pool, staff.id, rng)
    finally:
        db.close()
    raw_copy = checkpointed_copy(store_copy, workdir / "commit-raw.db")

    db = open_database(store_copy)
    conn = raw_connect(raw_copy)
    try:
        staff = Staff.get_by_id(staff.id)
        pool = [Product.get_by_id(p.id) for p in pool]
        units = sellable_units(total)
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


def commit_figure(commits: CommitResult) -> Figure:
    """The median commit as a ratio to the floor's, once both paths are seen to have changed
    the same tables by the same row counts."""
    if commits.ours_rows != commits.floor_rows:
        raise RuntimeError(f"the floor wrote {commits.floor_rows}, store/ wrote {commits.ours_rows}")
    return Figure(
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
