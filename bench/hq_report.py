"""Head office's chain sales report (issue 15) over 100 stores × 365 days in PostgreSQL.

    .venv/bin/python -m bench.hq_report [--pg URL] [--stores 100] [--days 365] [--sales 40] [--runs 5]

The PostgreSQL is --pg or ZHANGGUI_TEST_PG (``.ci/run`` sets it); without one the bench says
so and exits 0. It works in a schema of its own, made with head office's own DDL
(store.hq.db.connect: the same tables and indexes) and dropped after (--keep leaves it).

The chain is generated inside PostgreSQL (generate_series, draws from hashes): ``--stores`` stores,
each with one day file a day for ``--days`` days and ``--sales`` receipts a day (3 % returns,
1 % voided, totals 10–4,000 yuan, each with a JSON record of the size a store sends, about
520 bytes), then VACUUM ANALYZE, as autovacuum leaves a head office between imports. Sale
lines are not generated: the report does not read them.

Figures, median of --runs each, ours and the floor alternating after one warm-up of each:
- ours: store.hq.reports.sales_by_store_day over every day (a row per store and day, built
  into the Table the report writers print);
- floor: a hand-written single SQL over the same table (count and sum by store and day),
  fetched with psycopg and nothing else done with the rows.
The two must give the same figures. Target: ours ≤ 2 s. The machine's load (uptime) is
printed before and after: the machine may be shared.

With --mix, the chain's lines are generated too (200 SKUs of 8 brands, each store's own
product ids for them, 5 promoters a store, one line a receipt and a second one on about half,
the lines adding up to the receipt), and the brand mix and the promoter league over every day
are measured the same way beside the same figures by hand-written SQL: shown, not judged (the
issue sets no target for them)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

FIRST_DAY = date(2025, 12, 8)
TARGET_S = 2.0
# The hand-written floor: what the report must at least do.
FLOOR_SQL = (
    "SELECT store_code, business_date, COUNT(*) FILTER (WHERE kind <> 'return'),"
    " COUNT(*) FILTER (WHERE kind = 'return'), SUM(total) FROM hq_sales"
    " WHERE business_date BETWEEN %s AND %s AND status = 'completed'"
    " GROUP BY store_code, business_date ORDER BY store_code, business_date"
)


@dataclass(frozen=True)
class Result:
    sales: int
    rows: int
    table_bytes: int
    load_seconds: float
    ours: list[float]
    floor: list[float]
    mix: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime not available: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def generate(hq: Any, stores: int, days: int, sales: int) -> None:
    """The chain's stores, files and sales, made by PostgreSQL itself in one transaction."""
    with hq.transaction():
        hq.execute(
            "INSERT INTO hq_stores (code, name, franchise, added_at)"
            " SELECT 'S' || lpad(s::text, 3, '0'), 'Store ' || s, mod(s, 10) = 0, '2025-12-01T00:00:00'"
            " FROM generate_series(1, %s) s",
            (stores,),
        )
        hq.execute(
            "INSERT INTO hq_files (store_code, sequence, business_date, digest, file_name,"
            " net_sales_fen, z_numbers, imported_at)"
            " SELECT 'S' || lpad(s::text, 3, '0'), d + 1, %s::date + d,"
            " md5(s || '/' || d) || md5(d || '/' || s),"
            " 'S' || lpad(s::text, 3, '0') || '-' || (%s::date + d) || '.day.zip', 0, '{\"T1\": 1}',"
            " '2026-12-07T02:00:00' FROM generate_series(1, %s) s, generate_series(0, %s) d",
            (FIRST_DAY.isoformat(), FIRST_DAY.isoformat(), stores, days - 1),
        )
        # A record's body as a store sends it (sorted keys, about 520 bytes of JSON).
        hq.execute(
            "INSERT INTO hq_sales (store_code, id, business_date, terminal_id, kind, status, total, body)"
            " SELECT store_code, id, business_date, 'T1', kind, status, total,"
            ' \'{"acknowledged_at":"\' || business_date || \'T06:00:00.000000Z","business_date":"\''
            ' || business_date || \'","created_at":"\' || business_date || \'T05:59:59.000000Z",'
            '"customer_id":null,"discount":0,"fingerprint":"\' || md5(id) || md5(id || \'f\') || \'",'
            '"id":"\' || id || \'","kind":"\' || kind || \'","note":"","original_id":null,'
            '"receipt_no":"\' || store_code || \'-T1-\' || n || \'","return_reason":"",'
            '"staff_id":"0193c0de-0000-7000-8000-000000000001","status":"\' || status || \'",'
            '"store_code":"\' || store_code || \'","subtotal":\' || total || \',"terminal_id":"T1",'
            '"total":\' || total || \',"voided_at":null}\''
            " FROM (SELECT 'S' || lpad(s::text, 3, '0') AS store_code, %s::date + d AS business_date,"
            " d * %s + k AS n, uuid_in(md5(s || '-' || d || '-' || k)::cstring)::text AS id,"
            " CASE WHEN r < 0.03 THEN 'return' ELSE 'sale' END AS kind,"
            " CASE WHEN r >= 0.03 AND r < 0.04 THEN 'voided' ELSE 'completed' END AS status,"
            " (CASE WHEN r < 0.03 THEN -1 ELSE 1 END) * (1000 + mod(abs(hashtext(s || ':' || d || ':' || k)),"
            " 399000))::bigint AS total"
            " FROM generate_series(1, %s) s, generate_series(0, %s) d, generate_series(1, %s) k,"
            # A draw a receipt from a hash of its place (random() in a LATERAL was drawn once a
            # store-day: every day had one return and no void).
            " LATERAL (SELECT mod(abs(hashtext(s || '-' || d || '-' || k)), 10000) / 10000.0 AS r) x) g",
            (FIRST_DAY.isoformat(), sales, stores, days - 1, sales),
        )
        hq.execute("ANALYZE hq_sales")  # without its figures the join below runs as nested loops
        hq.execute(
            "UPDATE hq_files f SET net_sales_fen = x.net FROM (SELECT store_code, business_date,"
            " SUM(total) AS net FROM hq_sales WHERE status = 'completed'"
            " GROUP BY store_code, business_date) x"
            " WHERE f.store_code = x.store_code AND f.business_date = x.business_date"
        )
    hq.raw.autocommit = True
    try:
        hq.execute(
            "VACUUM ANALYZE hq_stores, hq_files, hq_sales"
        )  # these tables only: the database is shared
    finally:
        hq.raw.autocommit = False


BRANDS = ("Apple", "Huawei", "Xiaomi", "OPPO", "vivo", "Honor", "Samsung", "Generic")
# A store's own id for the chain's SKU n, and for its promoter i: the same on every call.
_PRODUCT_ID = "uuid_in(md5('product/' || {store} || '/' || {n})::cstring)::text"
_STAFF_ID = "uuid_in(md5('staff/' || {store} || '/' || {i})::cstring)::text"


def generate_lines(hq: Any, stores: int) -> None:
    """The chain's products, each store's ids for them, its promoters and every receipt's lines
    (one, or two on about half: the second a fifth of the total), made by PostgreSQL."""
    brands = "ARRAY[" + ", ".join(f"'{b}'" for b in BRANDS) + "]"
    number = "substr(s.store_code, 2)::int"
    product = _PRODUCT_ID.format(store=number, n="mod(abs(hashtext(s.id || k)), 200)")
    promoter = _STAFF_ID.format(store=number, i="1 + mod(abs(hashtext(s.id)), 5)")
    with hq.transaction():
        hq.execute(
            "INSERT INTO hq_products (sku, brand, model, category)"
            f" SELECT 'SKU' || n, ({brands})[1 + mod(n, 8)], ({brands})[1 + mod(n, 8)] || ' M' || (n / 8),"
            " CASE WHEN mod(n, 4) = 0 THEN 'accessory' ELSE 'handset' END FROM generate_series(0, 199) n"
        )
        hq.execute(
            "INSERT INTO hq_store_products (store_code, id, sku)"
            f" SELECT 'S' || lpad(s::text, 3, '0'), {_PRODUCT_ID.format(store='s', n='n')}, 'SKU' || n"
            " FROM generate_series(1, %s) s, generate_series(0, 199) n",
            (stores,),
        )
        hq.execute(
            "INSERT INTO hq_staff (store_code, id, code, name, seq)"
            f" SELECT 'S' || lpad(s::text, 3, '0'), {_STAFF_ID.format(store='s', i='i')}, 'P' || i,"
            " '促销员' || s || '-' || i, 1 FROM generate_series(1, %s) s, generate_series(1, 5) i",
            (stores,),
        )
        hq.execute(
            "INSERT INTO hq_sale_lines (store_code, id, sale_id, business_date, product_id, qty, total,"
            " body, promoter_id)"
            " SELECT store_code, sale_id || '/' || k, sale_id, business_date, product_id, qty, line_total,"
            ' \'{"id":"\' || sale_id || \'/\' || k || \'","line_no":\' || k || \',"product_id":"\''
            ' || product_id || \'","promoter_id":"\' || promoter_id || \'","qty":\' || qty'
            ' || \',"sale_id":"\' || sale_id || \'","total":\' || line_total || \',"unit_price":\''
            " || abs(line_total) || ',\"list_price\":' || abs(line_total) || ',\"discount\":0}', promoter_id"
            " FROM (SELECT s.store_code, s.id AS sale_id, s.business_date, k,"
            f" {product} AS product_id, {promoter} AS promoter_id,"
            " CASE WHEN s.kind = 'return' THEN -1 ELSE 1 END AS qty,"
            " CASE WHEN n = 1 THEN s.total WHEN k = 1 THEN s.total - s.total / 5 ELSE s.total / 5 END"
            " AS line_total"
            " FROM hq_sales s, LATERAL (SELECT 1 + mod(abs(hashtext(s.id)), 2) AS n) c,"
            " LATERAL generate_series(1, c.n) k) g"
        )
    hq.raw.autocommit = True
    try:
        hq.execute("VACUUM ANALYZE hq_products, hq_store_products, hq_staff, hq_sale_lines")
    finally:
        hq.raw.autocommit = False


# The floors of the mix reports: their figures in one hand-written SQL each, shaped as the
# reports' (lines summed per store and product first, voided sales left out by a hashed NOT
# IN); the plain join of every line to its sale took 4× as long (bench/README.md).
_VOIDED = (
    " AND (l.store_code, l.sale_id) NOT IN (SELECT store_code, id FROM hq_sales"
    " WHERE status <> 'completed' AND business_date BETWEEN %(first)s AND %(last)s)"
)
BRAND_FLOOR = (
    "SELECT p.brand, p.model, SUM(x.u), SUM(x.n) FROM (SELECT l.store_code, l.product_id,"
    " SUM(l.qty) AS u, SUM(l.total) AS n FROM hq_sale_lines l"
    " WHERE l.business_date BETWEEN %(first)s AND %(last)s"
    + _VOIDED
    + " GROUP BY l.store_code, l.product_id) x"
    " JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
    " JOIN hq_products p ON p.sku = sp.sku GROUP BY p.brand, p.model"
)
PROMOTER_FLOOR = (
    "SELECT x.store_code, st.code, SUM(x.u), SUM(x.n),"
    " SUM(CASE WHEN p.category = 'handset' THEN x.u ELSE 0 END) FROM (SELECT l.store_code,"
    " l.promoter_id, l.product_id, SUM(l.qty) AS u, SUM(l.total) AS n FROM hq_sale_lines l"
    " WHERE l.business_date BETWEEN %(first)s AND %(last)s" + _VOIDED + ""
    " GROUP BY l.store_code, l.promoter_id, l.product_id) x"
    " JOIN hq_store_products sp ON sp.store_code = x.store_code AND sp.id = x.product_id"
    " JOIN hq_products p ON p.sku = sp.sku"
    " LEFT JOIN hq_staff st ON st.store_code = x.store_code AND st.id = x.promoter_id"
    " GROUP BY x.store_code, x.promoter_id, st.code"
)


def _alternate(
    hq: Any, ours: Callable[[], object], floor: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """``runs`` of each, alternating which goes first, each in a snapshot of its own."""
    mine: list[float] = []
    base: list[float] = []
    for n in range(runs):
        pair = (ours, floor) if n % 2 == 0 else (floor, ours)
        for fn in pair:
            seconds, _out = _timed(fn)
            hq.raw.rollback()
            (mine if fn is ours else base).append(seconds)
    return mine, base


def _fetch(hq: Any, sql: str, params: Any) -> list[tuple[Any, ...]]:
    cursor = hq.raw.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def measure_mix(hq: Any, days: int, runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """The brand mix and the promoter league over every day beside their hand-written SQL,
    after checking that each gives the same figures."""
    from store.hq.reports import brand_mix, promoter_league

    last = FIRST_DAY + timedelta(days=days - 1)
    span = (FIRST_DAY, last)
    named = {"first": FIRST_DAY, "last": last}
    brands = sorted((r[0], r[1], r[2], r[3]) for r in brand_mix(hq, *span).rows)
    raw = sorted((b, m, int(u), int(n)) for b, m, u, n in _fetch(hq, BRAND_FLOOR, named))
    league = sorted((r[1], r[2], r[4], r[5], r[6]) for r in promoter_league(hq, *span).rows)
    raw_league = sorted((s, c, int(u), int(n), int(h)) for s, c, u, n, h in _fetch(hq, PROMOTER_FLOOR, named))
    hq.raw.rollback()
    if brands != raw or league != raw_league:
        raise SystemExit("a mix report and its floor disagree: the bench's figures would mean nothing")
    return {
        "brand mix": _alternate(
            hq, lambda: brand_mix(hq, *span), lambda: _fetch(hq, BRAND_FLOOR, named), runs
        ),
        "promoter league": _alternate(
            hq, lambda: promoter_league(hq, *span), lambda: _fetch(hq, PROMOTER_FLOOR, named), runs
        ),
    }


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    out = fn()
    return time.perf_counter() - began, out


def measure(hq: Any, days: int, runs: int) -> tuple[list[float], list[float], int]:
    """Ours and the floor alternating, after a warm-up of each; checks they agree."""
    from store.hq.reports import sales_by_store_day

    last = FIRST_DAY + timedelta(days=days - 1)

    def ours() -> list[tuple[object, ...]]:
        table = sales_by_store_day(hq, FIRST_DAY, last)
        return [tuple(row) for row in table.rows]

    def floor() -> list[tuple[object, ...]]:
        cursor = hq.raw.cursor()
        try:
            cursor.execute(FLOOR_SQL, (FIRST_DAY, last))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    got, want = ours(), floor()
    hq.raw.rollback()  # each run its own snapshot, as a command's
    if [(s, d, int(a), int(b), int(n)) for s, d, a, b, n in want] != got:
        raise SystemExit("the report and the floor disagree: the bench's figures would mean nothing")
    mine, base = _alternate(hq, ours, floor, runs)
    return mine, base, len(got)


def run(
    url: str, stores: int, days: int, sales: int, runs: int, keep: bool = False, mix: bool = False
) -> Result:
    import psycopg

    from store.hq.db import connect

    schema = "hq_bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        hq = connect(url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}")
        try:
            seconds, _ = _timed(lambda: generate(hq, stores, days, sales))
            count = int(hq.execute("SELECT COUNT(*) FROM hq_sales")[0][0])
            size = int(hq.execute("SELECT pg_total_relation_size('hq_sales')")[0][0])
            hq.raw.rollback()
            mine, base, rows = measure(hq, days, runs)
            mixed: dict[str, tuple[list[float], list[float]]] = {}
            if mix:
                seconds_lines, _ = _timed(lambda: generate_lines(hq, stores))
                lines = int(hq.execute("SELECT COUNT(*) FROM hq_sale_lines")[0][0])
                hq.raw.rollback()
                print(f"generated {lines:,} sale lines in {seconds_lines:.1f} s")
                mixed = measure_mix(hq, days, runs)
        finally:
            hq.close()
    finally:
        if keep:
            print(f"kept schema {schema}")
        else:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
    return Result(count, rows, size, seconds, mine, base, mixed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default=os.environ.get("ZHANGGUI_TEST_PG", ""), help="a PostgreSQL URL")
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sales", type=int, default=40, help="receipts a store makes a day")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the generated schema")
    parser.add_argument("--mix", action="store_true", help="also the brand mix and promoter league")
    args = parser.parse_args(argv)
    if not args.pg:
        print(
            "No PostgreSQL given (--pg URL or ZHANGGUI_TEST_PG): the chain report bench needs one; skipped."
        )
        return 0
    print(f"load before: {load()}")
    result = run(args.pg, args.stores, args.days, args.sales, args.runs, args.keep, args.mix)
    print(
        f"generated {args.stores} stores × {args.days} days × {args.sales} receipts:"
        f" {result.sales:,} sales, hq_sales {result.table_bytes / 1e6:,.0f} MB with its indexes,"
        f" in {result.load_seconds:.1f} s"
    )
    verdict = "PASS" if result.ours_median <= TARGET_S else "FAIL"
    ratio = result.ours_median / result.floor_median if result.floor_median else float("inf")
    print(
        f"sales by store and day ({result.rows:,} rows): ours median {result.ours_median * 1000:.0f} ms"
        f" (runs: {', '.join(f'{s * 1000:.0f}' for s in result.ours)} ms),"
        f" floor median {result.floor_median * 1000:.0f} ms"
        f" (runs: {', '.join(f'{s * 1000:.0f}' for s in result.floor)} ms), {ratio:.2f}× the floor"
    )
    for name, (mine, base) in result.mix.items():
        ours_ms, floor_ms = statistics.median(mine) * 1000, statistics.median(base) * 1000
        print(
            f"{name} (shown, not judged): ours median {ours_ms:.0f} ms"
            f" (runs: {', '.join(f'{s * 1000:.0f}' for s in mine)} ms), floor median {floor_ms:.0f} ms"
            f" (runs: {', '.join(f'{s * 1000:.0f}' for s in base)} ms), {ours_ms / floor_ms:.2f}× the floor"
        )
    print(f"load after: {load()}")
    print(f"target: ours <= {TARGET_S:.0f} s: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
