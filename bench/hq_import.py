"""Head office's import (issue 15): 100 store-days of 1,000 sales each (100,000 sales) into
PostgreSQL and into SQLite, beside a raw bulk load of the same rows in the same run.

    .venv/bin/python -m bench.hq_import [--stores 10] [--days 10] [--sales 1000] [--pg URL]

The day files: one store closes a day of ``--sales`` sales (bench/export.py's day: two lines
a sale, paid by WeChat, a new customer every tenth sale) and exports it; from that file come
``--stores`` × ``--days`` files, each store's days under its own code and key, numbered 1, 2, …:
the business date moved a day at a time, and every id of a day's records (sales, lines,
tenders, movements, cash, Z, audit) given the day in its last group, so no two days share a
record. The changeable records (products, customers) are sent unchanged every day, as a
store sends what it has not changed: head office finds them the same and keeps one row.

Ours: ``store.hq.importer.import_file`` of every file in turn into a new head office (SQLite
file, or a new schema of the PostgreSQL at ``--pg``, else $ZHANGGUI_BENCH_PG or
$ZHANGGUI_TEST_PG): each file verified (signature, hashes), its records parsed, checked against
what head office holds, and written in one transaction. Floor: the very rows that import
leaves in head office's tables (sales, lines, other records, files, products and their
mapping), prepared beforehand, loaded into another new head office with the same schema and
indexes, one transaction a file as the import does: COPY on PostgreSQL, executemany on SQLite.
Targets: each ≤ 60 s and ≤ 3× its floor. The load (uptime) is printed before and after."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.report import Figure

if TYPE_CHECKING:
    from store.exchange.keys import PublicKey

TARGET_S = 60.0
TARGET_RATIO = 3.0
NOW = datetime(2027, 1, 1, 2, 0)
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STORE_CODE = re.compile(rb'"store_code":"[^"]*"')


@dataclass(frozen=True)
class StoreFiles:
    code: str
    public_key: str
    files: list[Path]


@dataclass
class Measured:
    backend: str
    files: int
    sales: int
    seconds: float
    floor_seconds: float
    rows: dict[str, int] = field(default_factory=dict)  # ours, table by table
    floor_rows: dict[str, int] = field(default_factory=dict)


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return f"load average: {os.getloadavg()}"


def build_source(root: Path, sales: int) -> tuple[Path, PublicKey]:
    """One store's closed day of ``sales`` sales, exported: its day file and the key's public half."""
    from bench import export as bench_export
    from store.config.hq import HqSection
    from store.db.connection import open_database
    from store.exchange import day_export
    from store.exchange.keys import create_signing_key
    from store.kernel import FixedClock, set_process_clock

    os.environ["XDG_CONFIG_HOME"] = str(root / "config")  # the bench's own audit and signing keys
    set_process_clock(FixedClock(bench_export.START, bench_export.TZ, tick=timedelta(milliseconds=1)))
    database = open_database(root / "source.db")
    try:
        day = bench_export.build_day(sales)
        key = create_signing_key("S001").key
        hq = HqSection(central_crm=False, phone_secret="bench-chain-secret-0123")
        return day_export.export_day(day, root, key=key, hq=hq, tz=bench_export.TZ).path, key.public
    finally:
        database.close()


def make_chain(source: Path, signer: PublicKey, root: Path, stores: int, days: int) -> list[StoreFiles]:
    """``stores`` × ``days`` day files made from ``source`` (see the module's doc)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from store.exchange.container import encode_signed
    from store.exchange.keys import SigningKey
    from store.exchange.reader import read_signed
    from store.hq.importer import MUTABLE

    signed = read_signed(source, lambda _code: [signer], kind="day", schema_versions={1})
    own = ("format", "format_version", "signer", "parts")
    manifest = {k: v for k, v in signed.manifest.items() if k not in own}
    first = date.fromisoformat(manifest["business_date"])
    day_ids = {
        json.loads(line)["id"].encode()
        for name, data in signed.parts.items()
        if name.removesuffix(".jsonl") not in MUTABLE
        for line in data.splitlines()
    }
    keys = [
        SigningKey(f"B{n:03d}", root / "keys", Ed25519PrivateKey.generate()) for n in range(1, stores + 1)
    ]
    files: dict[str, list[Path]] = {key.store_code: [] for key in keys}
    for key in keys:
        (root / key.store_code).mkdir(parents=True)
    for d in range(days):
        day = first + timedelta(days=d)
        mark = f"{d:04x}".encode()
        moved = {rid: rid[:24] + mark + rid[28:] for rid in day_ids if _UUID.fullmatch(rid)}
        assert len(set(moved.values())) == len(moved), "two ids of a day differ only where the day goes"

        def swap(match: re.Match[bytes], moved: dict[bytes, bytes] = moved) -> bytes:
            return moved.get(match.group(), match.group())

        then, now = first.isoformat().encode(), day.isoformat().encode()
        parts = {
            name: data if name.removesuffix(".jsonl") in MUTABLE else _UUID.sub(swap, data).replace(then, now)
            for name, data in signed.parts.items()
        }
        for key in keys:
            code = f'"store_code":"{key.store_code}"'.encode()
            own_parts = {name: _STORE_CODE.sub(code, data) for name, data in parts.items()}
            fields = {"store": key.store_code, "sequence": d + 1, "business_date": day.isoformat()}
            target = root / key.store_code / f"{key.store_code}-{day.isoformat()}.day.zip"
            target.write_bytes(encode_signed(manifest | fields, own_parts, key))
            files[key.store_code].append(target)
    return [StoreFiles(key.store_code, key.public.text, files[key.store_code]) for key in keys]


def floor_rows(chain: list[StoreFiles]) -> list[dict[str, list[tuple[object, ...]]]]:
    """For each file (in import order), the rows the import leaves in each table."""
    from store.exchange.keys import parse_public_key
    from store.exchange.reader import read_signed
    from store.hq.importer import _RECORDS, _TABLES, MUTABLE, _values

    keys = {s.code: s.public_key for s in chain}

    out: list[dict[str, list[tuple[object, ...]]]] = []
    skus: set[str] = set()
    mapped: set[tuple[str, str]] = set()
    kept: set[tuple[str, str, str]] = set()  # a changeable record, the same each day: one row
    for store in chain:
        for path in store.files:
            signed = read_signed(path, lambda c: [parse_public_key(keys[c])], kind="day", schema_versions={1})
            m = signed.manifest
            day, seq = date.fromisoformat(m["business_date"]), int(m["sequence"])
            tables: dict[str, list[tuple[object, ...]]] = {}
            for name, data in sorted(signed.parts.items()):
                family = name.removesuffix(".jsonl")
                table = _TABLES.get(family, _RECORDS).table
                for line in data.decode().splitlines():
                    row = json.loads(line)
                    if family == "products":
                        if (store.code, row["id"]) not in mapped:
                            mapped.add((store.code, row["id"]))
                            tables.setdefault("hq_store_products", []).append(
                                (store.code, row["id"], row["sku"])
                            )
                        if row["sku"] not in skus:
                            skus.add(row["sku"])
                            tables.setdefault("hq_products", []).append(
                                (row["sku"], row["brand"] or "", row["model"] or "", row["category"] or "")
                            )
                    if family == "staff" and (store.code, "staff", row["id"]) not in kept:
                        tables.setdefault("hq_staff", []).append(
                            (store.code, row["id"], str(row["code"]), str(row["name"]), seq)
                        )
                    if family in MUTABLE:
                        if (store.code, family, row["id"]) in kept:
                            continue
                        kept.add((store.code, family, row["id"]))
                    values = _values(family, line, row, day.isoformat(), seq)
                    tables.setdefault(table, []).append((store.code, row["id"], *values))
            tables["hq_files"] = [
                (
                    store.code,
                    seq,
                    day.isoformat(),
                    signed.digest,
                    path.name,
                    m["net_sales_fen"],
                    json.dumps(m["z_numbers"], sort_keys=True),
                    NOW.isoformat(),
                )
            ]
            out.append(tables)
    return out


def _columns() -> dict[str, tuple[str, ...]]:
    """Each table the import writes and its columns: the record tables as the importer names
    them (so the floor loads exactly its rows), and the ones it fills beside them."""
    from store.hq.importer import _RECORDS, _TABLES

    columns = {spec.table: ("store_code", "id", *spec.columns) for spec in (*_TABLES.values(), _RECORDS)}
    columns.update(
        {
            "hq_files": (
                "store_code",
                "sequence",
                "business_date",
                "digest",
                "file_name",
                "net_sales_fen",
                "z_numbers",
                "imported_at",
            ),
            "hq_store_products": ("store_code", "id", "sku"),
            "hq_products": ("sku", "brand", "model", "category"),
            "hq_staff": ("store_code", "id", "code", "name", "seq"),
        }
    )
    return columns


COLUMNS = _columns()


def _register(url: str, chain: list[StoreFiles]) -> Any:
    from store.hq.db import connect
    from store.hq.stores import add_store

    hq = connect(url, create=True)
    for store in chain:
        add_store(hq, store.code, store.public_key, now=NOW)
    return hq


def import_all(url: str, chain: list[StoreFiles]) -> tuple[float, dict[str, int]]:
    """Ours: every file imported in turn into the head office at ``url``; seconds, and rows."""
    from store.hq.importer import Outcome, import_file

    hq = _register(url, chain)
    try:
        began = time.perf_counter()
        for store in chain:
            for path in store.files:
                result = import_file(hq, path, now=NOW)
                if result.outcome is not Outcome.IMPORTED:
                    raise RuntimeError(result.message)
        seconds = time.perf_counter() - began
        return seconds, _counts(hq)
    finally:
        hq.close()


def load_raw(
    url: str, chain: list[StoreFiles], rows: list[dict[str, list[tuple[object, ...]]]]
) -> tuple[float, dict[str, int]]:
    """The floor: ``rows`` loaded file by file into a new head office at ``url``."""
    hq = _register(url, chain)
    raw = hq.raw
    try:
        began = time.perf_counter()
        for tables in rows:
            if hq.dialect == "sqlite":
                raw.execute("BEGIN IMMEDIATE")
                for table, batch in tables.items():
                    columns = COLUMNS[table]
                    marks = ", ".join("?" * len(columns))
                    raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
                raw.commit()
            else:
                with raw.cursor() as cursor:
                    for table, batch in tables.items():
                        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                            for row in batch:
                                copy.write_row(row)
                raw.commit()
        seconds = time.perf_counter() - began
        return seconds, _counts(hq)
    finally:
        hq.close()


def _counts(hq: Any) -> dict[str, int]:
    return {t: int(hq.execute(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in COLUMNS}


@contextmanager
def pg_schemas(base: str, n: int) -> Iterator[list[str]]:
    """``n`` new schemas in the PostgreSQL at ``base``, dropped after: a URL for each."""
    import psycopg

    names = ["hq_bench_" + uuid.uuid4().hex[:12] for _ in range(n)]
    with psycopg.connect(base, autocommit=True) as admin:
        for name in names:
            admin.execute(f"CREATE SCHEMA {name}")
    try:
        yield [base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{name}" for name in names]
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP SCHEMA {name} CASCADE")


def measure(root: Path, *, stores: int, days: int, sales: int, pg: str | None) -> list[Measured]:
    """Build the files under ``root`` and time ours and the floor on SQLite and (given a URL)
    PostgreSQL."""
    began = time.perf_counter()
    source, signer = build_source(root, sales)
    print(f"  a {sales:,}-sale day built and exported in {time.perf_counter() - began:.1f} s", flush=True)
    began = time.perf_counter()
    chain = make_chain(source, signer, root / "chain", stores, days)
    rows = floor_rows(chain)
    print(f"  {stores * days} day files made in {time.perf_counter() - began:.1f} s", flush=True)
    found = []
    n_files, n_sales = stores * days, stores * days * sales
    ours, ours_rows = import_all(str(root / "hq-ours.db"), chain)
    floor, floor_rows_ = load_raw(str(root / "hq-floor.db"), chain, rows)
    found.append(Measured("SQLite", n_files, n_sales, ours, floor, ours_rows, floor_rows_))
    if pg:
        with pg_schemas(pg, 2) as (url_ours, url_floor):
            ours, ours_rows = import_all(url_ours, chain)
            floor, floor_rows_ = load_raw(url_floor, chain, rows)
        found.append(Measured("PostgreSQL", n_files, n_sales, ours, floor, ours_rows, floor_rows_))
    for m in found:
        if m.rows != m.floor_rows:
            raise RuntimeError(
                f"{m.backend}: the import and the floor left other rows: {m.rows} {m.floor_rows}"
            )
    return found


def pg_url(given: str | None = None) -> str | None:
    return given or os.environ.get("ZHANGGUI_BENCH_PG") or os.environ.get("ZHANGGUI_TEST_PG") or None


def hq_import_figures(found: list[Measured]) -> list[Figure]:
    figures = []
    for m in found:
        detail = {"files": m.files, "sales": m.sales, "rows": m.rows, "floor_seconds": m.floor_seconds}
        name = f"hq import of {m.files} store-days ({m.sales:,} sales) into {m.backend}"
        figures.append(Figure(name, "s", m.seconds, m.floor_seconds, TARGET_RATIO, "ratio", detail))
        figures.append(Figure(f"{name}, wall time", "s", m.seconds, m.floor_seconds, TARGET_S, "absolute"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stores", type=int, default=10)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--sales", type=int, default=1000, help="sales a day file (default 1000)")
    parser.add_argument("--pg", help="PostgreSQL URL (default $ZHANGGUI_BENCH_PG or $ZHANGGUI_TEST_PG)")
    args = parser.parse_args(argv)
    pg = pg_url(args.pg)
    print(uptime(), flush=True)
    if pg is None:
        print("  no PostgreSQL URL: SQLite only", flush=True)
    with tempfile.TemporaryDirectory(prefix="zhanggui-hq-import-") as folder:
        found = measure(Path(folder), stores=args.stores, days=args.days, sales=args.sales, pg=pg)
    print(uptime(), flush=True)
    figures = hq_import_figures(found)
    from bench.report import table

    print(table(figures))
    return 0 if all(f.passed is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
