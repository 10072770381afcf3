"""Importing a store's signed day file at head office: one file, one transaction.

The file is verified whole first (store/exchange/reader.py: signature by a key registered for
its store, schema version, every part's hash); a refused file writes nothing. Then:

- the same file again (same SHA-256) adds nothing and says so; another file for a sequence
  number already imported (an older or equal one) is a no-op too;
- a day's own records (sales, lines, tenders, movements, cash, Z, audit …) never change once
  the day is closed: seen again they must be identical, and a record id with other content
  refuses the whole file, naming the records (nothing of it is written);
- customers, referral rewards, leave and stock counts may change after their day: they are
  kept by id in their newest state (a file with a lower sequence never overwrites a higher);
- products are matched across stores by SKU (hq_store_products maps each store's ids), and
  each store's staff ids are named by code and name (hq_staff);
- a gap in the store's sequence is imported all the same, and the numbers missing are listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from store.exchange.errors import FileRefused
from store.exchange.reader import read_signed
from store.hq.db import HqDb
from store.hq.stores import trusted_keys
from store.kernel.errors import ValidationError
from store.kernel.i18n import _

KIND = "day"
SCHEMA_VERSIONS = frozenset({1})
MUTABLE = frozenset({"customers", "referral_rewards", "leave", "counts", "count_items", "products", "staff"})
_CHUNK = 500  # ids a query: under SQLite's limit on parameters
_decode = json.JSONDecoder().raw_decode


class Outcome(StrEnum):
    IMPORTED = "imported"
    SAME_FILE = "same-file"  # this very file was imported before
    ALREADY = "already"  # the store's file of this sequence number was imported before
    REFUSED = "refused"  # not verified: nothing in it was used
    CONFLICT = "conflict"  # a closed day's record with other content than head office holds


@dataclass
class ImportResult:
    name: str
    outcome: Outcome
    message: str
    store: str = ""
    business_date: date | None = None
    sequence: int = 0
    records: int = 0
    missing: list[int] = field(default_factory=list)  # the store's sequence numbers not received


class _Conflict(Exception):
    def __init__(self, clashes: list[tuple[str, str]]) -> None:
        super().__init__(clashes)
        self.clashes = clashes


@dataclass(frozen=True)
class _Family:
    table: str
    columns: tuple[str, ...]  # after store_code and id; body last


_RECORDS = _Family("hq_records", ("family", "business_date", "seq", "body"))
_TABLES = {
    "sales": _Family("hq_sales", ("business_date", "terminal_id", "kind", "status", "total", "body")),
    "sale_lines": _Family(
        "hq_sale_lines", ("sale_id", "business_date", "product_id", "qty", "total", "promoter_id", "body")
    ),
    "stock_movements": _Family("hq_stock_movements", ("business_date", "product_id", "kind", "qty", "body")),
    "stock_levels": _Family("hq_stock_levels", ("business_date", "product_id", "on_hand", "body")),
}


def import_file(hq: HqDb, path: Path, *, now: datetime) -> ImportResult:
    """Import one day file; what happened, as an ImportResult (never a half-written file)."""
    try:
        signed = read_signed(path, trusted_keys(hq), kind=KIND, schema_versions=SCHEMA_VERSIONS)
    except FileRefused as exc:
        return ImportResult(path.name, Outcome.REFUSED, str(exc))
    try:
        store, day, sequence, records = _contents(signed.manifest, signed.parts)
    except ValidationError as exc:
        return ImportResult(path.name, Outcome.REFUSED, str(exc))
    net = signed.manifest.get("net_sales_fen", 0)
    if type(net) is not int:
        return ImportResult(path.name, Outcome.REFUSED, str(_unreadable()))
    result = ImportResult(path.name, Outcome.IMPORTED, "", store, day, sequence)
    try:
        with hq.transaction():
            if hq.execute("SELECT 1 FROM hq_files WHERE digest = %s", (signed.digest,)):
                result.outcome = Outcome.SAME_FILE
            elif hq.execute(
                "SELECT 1 FROM hq_files WHERE store_code = %s AND sequence = %s", (store, sequence)
            ):
                result.outcome = Outcome.ALREADY
            else:
                result.records = _write(hq, store, day, sequence, records)
                hq.execute(
                    "INSERT INTO hq_files (store_code, sequence, business_date, digest, file_name,"
                    " net_sales_fen, z_numbers, imported_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        store,
                        sequence,
                        day.isoformat(),
                        signed.digest,
                        path.name,
                        net,
                        json.dumps(signed.manifest.get("z_numbers", {}), sort_keys=True),
                        now.isoformat(),
                    ),
                )
    except ValidationError as exc:
        return ImportResult(path.name, Outcome.REFUSED, str(exc), store, day, sequence)
    except _Conflict as exc:
        shown = ", ".join(f"{family} {rid}" for family, rid in exc.clashes[:5])
        result.outcome = Outcome.CONFLICT
        result.message = _(
            "{file} was refused and nothing in it was used: {n} records of a closed day differ"
            " from what head office holds under the same id ({records})."
        ).format(file=path.name, n=len(exc.clashes), records=shown)
        return result
    result.missing = missing_sequences(hq, store)
    result.message = _message(result)
    return result


def _message(result: ImportResult) -> str:
    day = result.business_date.isoformat() if result.business_date else ""
    if result.outcome is Outcome.SAME_FILE:
        return _("{file}: imported before; nothing added.").format(file=result.name)
    if result.outcome is Outcome.ALREADY:
        return _("{file}: store {store}'s day file number {n} was imported before; nothing added.").format(
            file=result.name, store=result.store, n=result.sequence
        )
    return _("{file}: store {store}, {day} (number {n}), {records} records imported.").format(
        file=result.name, store=result.store, day=day, n=result.sequence, records=result.records
    )


def missing_sequences(hq: HqDb, store: str) -> list[int]:
    """The store's day-file numbers below its highest received that head office has not had."""
    have = {row[0] for row in hq.execute("SELECT sequence FROM hq_files WHERE store_code = %s", (store,))}
    return [n for n in range(1, max(have, default=0) + 1) if n not in have]


Records = dict[str, list[tuple[str, dict[str, Any]]]]


def _contents(manifest: dict[str, Any], parts: dict[str, bytes]) -> tuple[str, date, int, Records]:
    """The manifest's fields head office uses and every part's records (id, row), checked."""
    bad = _unreadable()
    try:
        day = date.fromisoformat(str(manifest["business_date"]))
        sequence = manifest["sequence"]
    except (KeyError, ValueError) as exc:
        raise bad from exc
    if type(sequence) is not int or sequence < 1:
        raise bad
    records: Records = {}
    for name, data in parts.items():
        family = name.removesuffix(".jsonl")
        rows: list[tuple[str, dict[str, Any]]] = []
        try:
            # Records end at "\n" only: str.splitlines also breaks at U+2028 and other separators
            # the export leaves unescaped inside a name (ensure_ascii=False).
            lines = data.decode("utf-8").split("\n")
            if lines[-1] == "":
                lines.pop()  # after the last record's "\n", or an empty part
            for line in lines:
                row, end = _decode(line)  # json.loads without its wrappers: a fifth of the parse
                if end != len(line) or type(row) is not dict or type(row.get("id")) is not str:
                    raise bad
                rows.append((line, row))
        except (UnicodeDecodeError, ValueError) as exc:
            raise bad from exc
        if len({row["id"] for _line, row in rows}) != len(rows):  # one record twice
            raise bad
        records[family] = rows
    return str(manifest["store"]), day, sequence, records


def _unreadable() -> ValidationError:
    return ValidationError(_("The day file's records cannot be read: it was not made by zhanggui's export."))


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _values(family: str, line: str, row: dict[str, Any], day: str, sequence: int) -> tuple[object, ...]:
    """A new record's columns after store_code and id; ``day`` is the file's date (ISO)."""
    if family == "sales":
        return (day, row["terminal_id"], row["kind"], row["status"], int(row["total"]), line)
    if family == "sale_lines":
        return (
            row["sale_id"],
            day,
            row["product_id"],
            int(row["qty"]),
            int(row["total"]),
            str(row["promoter_id"]),
            line,
        )
    if family == "stock_movements":
        return (day, str(row["product_id"]), str(row["kind"]), int(row["qty"]), line)
    if family == "stock_levels":
        return (day, str(row["product_id"]), int(row["on_hand"]), line)
    return (family, day, sequence, line)


def _existing(hq: HqDb, store: str, records: Records) -> dict[tuple[str, str], tuple[str, int]]:
    """The rows head office holds already of the file's records: (family, id) -> (body, seq;
    0 where not kept). On PostgreSQL one statement a table, the keys as arrays (a statement a
    family cost a round trip each, most of a small file's import); SQLite, in-process, asks a
    family at a time within its limit on parameters. Every query is by a table's full key."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    if hq.dialect == "postgresql":
        kept: tuple[list[str], list[str]] = ([], [])
        for family, rows in records.items():
            if family in _TABLES:
                ids = [row["id"] for _line, row in rows]
                sql = f"SELECT id, body FROM {_TABLES[family].table} WHERE store_code = %s AND id = ANY(%s)"
                for rid, body in hq.execute(sql, (store, ids)) if ids else ():
                    found[(family, rid)] = (body, 0)
            else:
                kept[0].extend([family] * len(rows))
                kept[1].extend(row["id"] for _line, row in rows)
        if kept[0]:
            for family, rid, body, seq in hq.execute(
                "SELECT r.family, r.id, r.body, r.seq FROM hq_records r"
                " JOIN unnest(%s::text[], %s::text[]) AS w (family, id)"
                " ON r.family = w.family AND r.id = w.id"
                " WHERE r.store_code = %s",
                (kept[0], kept[1], store),
            ):
                found[(family, rid)] = (body, int(seq))
        return found
    for family, rows in records.items():
        spec = _TABLES.get(family, _RECORDS)
        seq = "seq" if spec is _RECORDS else "0"
        where = " AND family = %s" if spec is _RECORDS else ""
        params: tuple[object, ...] = (store, family) if spec is _RECORDS else (store,)
        for chunk in _chunks([row["id"] for _line, row in rows]):
            marks = ", ".join(["%s"] * len(chunk))
            for rid, body, at in hq.execute(
                f"SELECT id, body, {seq} FROM {spec.table} WHERE store_code = %s{where} AND id IN ({marks})",
                (*params, *chunk),
            ):
                found[(family, rid)] = (body, int(at))
    return found


def _match_products(hq: HqDb, store: str, products: list[dict[str, Any]]) -> None:
    """Each of the store's product ids to its SKU; a SKU new to the chain joins its catalog
    (described as the first store to send it describes it)."""
    try:
        mapped = [(store, p["id"], str(p["sku"])) for p in products]
        described = [
            (
                str(p["sku"]),
                str(p.get("brand") or ""),
                str(p.get("model") or ""),
                str(p.get("category") or ""),
            )
            for p in products
        ]
    except KeyError as exc:
        raise _unreadable() from exc
    hq.executemany(
        "INSERT INTO hq_store_products (store_code, id, sku) VALUES (%s, %s, %s)"
        " ON CONFLICT (store_code, id) DO UPDATE SET sku = excluded.sku",
        mapped,
    )
    hq.executemany(
        "INSERT INTO hq_products (sku, brand, model, category) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (sku) DO NOTHING",
        described,
    )


def _match_staff(hq: HqDb, store: str, sequence: int, staff: list[dict[str, Any]]) -> None:
    """Each of the store's staff ids to its code and name, as the store's newest file says
    (a late older file does not bring back an old name)."""
    try:
        rows = [(store, s["id"], str(s["code"]), str(s["name"]), sequence) for s in staff]
    except KeyError as exc:
        raise _unreadable() from exc
    hq.executemany(
        "INSERT INTO hq_staff (store_code, id, code, name, seq) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (store_code, id) DO UPDATE SET code = excluded.code, name = excluded.name,"
        " seq = excluded.seq WHERE hq_staff.seq < excluded.seq",
        rows,
    )


def _write(hq: HqDb, store: str, day: date, sequence: int, records: Records) -> int:
    clashes: list[tuple[str, str]] = []
    inserts: dict[str, list[tuple[object, ...]]] = {}  # table -> new rows
    updates: list[tuple[object, ...]] = []
    # Only a product record new or newer than head office's can change its SKU (an unchanged
    # one, sent every day, was 40 statements a file on PostgreSQL for nothing).
    products: list[dict[str, Any]] = []
    iso_day = day.isoformat()
    existing = _existing(hq, store, records)
    for family, rows in sorted(records.items()):
        for line, row in rows:
            rid = row["id"]
            held = existing.get((family, rid))
            if held is None:
                try:
                    values = _values(family, line, row, iso_day, sequence)
                except (KeyError, TypeError, ValueError) as exc:
                    raise _unreadable() from exc
                inserts.setdefault(_TABLES.get(family, _RECORDS).table, []).append((store, rid, *values))
                if family == "products":
                    products.append(row)
            elif family in MUTABLE:
                body, seen = held
                if seen < sequence and body != line:
                    updates.append((line, iso_day, sequence, store, family, rid))
                    if family == "products":
                        products.append(row)
            elif held[0] != line:
                clashes.append((family, rid))
    if clashes:
        raise _Conflict(clashes)
    for spec in (*_TABLES.values(), _RECORDS):  # a statement a table (the families share one)
        hq.insert_rows(spec.table, ("store_code", "id", *spec.columns), inserts.get(spec.table, []))
    hq.executemany(
        "UPDATE hq_records SET body = %s, business_date = %s, seq = %s"
        " WHERE store_code = %s AND family = %s AND id = %s",
        updates,
    )
    _match_products(hq, store, products)
    _match_staff(hq, store, sequence, [row for _line, row in records.get("staff", [])])
    return sum(len(rows) for rows in inserts.values()) + len(updates)
