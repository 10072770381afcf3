"""Figure 4: scan lookup, store.stock.catalog.lookup_code of existing barcodes and IMEIs beside one
indexed SELECT of the same row."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.databases import raw_connect
from bench.report import MS, Figure, median_ms
from store.db.connection import open_database
from store.kernel.ids import from_db
from store.stock.catalog import lookup_code


@dataclass
class LookupResult:
    ours: list[float]
    floor: list[float]


def measure_lookups(db_path: Path, n: int, seed: int = 11) -> dict[str, LookupResult]:
    """``n`` lookups of random existing barcodes and ``n`` of random existing IMEIs through
    store.stock.catalog.lookup_code, each followed (or preceded, alternating) by the floor: one raw
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
                        got[1] = str(from_db(row[0]))  # the id as the store's text
                if got[0] != got[1]:
                    raise RuntimeError(f"{kind} {code}: lookup_code found {got[0]}, the floor {got[1]}")
            out[kind] = result
        return out
    finally:
        conn.close()
        db.close()


def lookup_figures(lookups: dict[str, LookupResult]) -> list[Figure]:
    """One figure a kind of code: the median lookup, against an absolute target."""
    return [
        Figure(
            f"lookup_code {kind} (median)",
            "ms",
            median_ms(result.ours),
            median_ms(result.floor),
            1.0,
            "absolute",
            {"n": len(result.ours), "ours_p95_ms": statistics.quantiles(result.ours, n=20)[-1] * MS},
        )
        for kind, result in lookups.items()
    ]
