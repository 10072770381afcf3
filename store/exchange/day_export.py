"""The store's end-of-day file for head office: one signed file (store/exchange/container.py)
per closed business day, with the day's records (day_records.py) as JSON Lines parts.

The manifest says: the store, ``kind`` "day", the records' ``schema_version``, the business
date, the store's ``sequence`` number (1, 2, … in the order days are first exported; a day
exported again keeps its number, so it gives the very same bytes), the terminals and their Z
numbers, the audit chain's head at the day's close, the record count of every part, the day's
net sales in fen and how phone numbers are sent (``phones``: "hmac-sha256" or "full").

What was exported is kept in the store's meta table: ``export_sequence`` (the last number
given) and ``export:<date>`` (JSON: sequence, file name, SHA-256 of the file).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from peewee import fn

from store.config.hq import HqSection
from store.db import migrations
from store.db.transaction import read, write
from store.exchange.container import write_signed
from store.exchange.day_records import (
    PHONES_FULL,
    PHONES_HASHED,
    Window,
    day_records,
    day_window,
    jsonl,
    phone_hasher,
)
from store.exchange.keys import SigningKey
from store.kernel.errors import ValidationError
from store.kernel.i18n import _
from store.models import CashSession, DayClose, Meta, Sale, database
from store.setup import get_meta, set_meta

KIND = "day"
SCHEMA_VERSION = 1  # of the day file's records; head office reads the versions it knows
_SEQUENCE = "export_sequence"
_EXPORTED = "export:"


@dataclass(frozen=True)
class DayExport:
    business_date: date
    path: Path
    sequence: int
    digest: str  # SHA-256 of the file (hex)
    counts: dict[str, int]
    again: bool  # the day had been exported before (same sequence number)


def file_name(store_code: str, day: date) -> str:
    return f"{store_code}-{day.isoformat()}.day.zip"


def closed_days() -> list[date]:
    """Every business day with a Z report at some terminal, oldest first."""
    query = DayClose.select(DayClose.business_date).distinct().order_by(DayClose.business_date)
    return [row.business_date for row in query]


def exported_days() -> dict[date, dict[str, object]]:
    rows = Meta.select().where(Meta.key.startswith(_EXPORTED))
    return {date.fromisoformat(row.key[len(_EXPORTED) :]): json.loads(row.value) for row in rows}


def days_not_exported() -> list[date]:
    """The closed days whose file has not been written yet, oldest first (what the console
    shows and ``export --pending`` writes)."""
    done = exported_days()
    return [day for day in closed_days() if day not in done]


def _closes(day: date) -> list[DayClose]:
    """The Z rows of the store's day, or a ValidationError while the day is not closed at
    every terminal that sold or opened its drawer on it."""
    closes = list(DayClose.select().where(DayClose.business_date == day).order_by(DayClose.terminal_id))
    if not closes:
        raise ValidationError(
            _(
                "{day} is not closed: only a closed day is exported. Close it first with its Z"
                " report (zhanggui day close)."
            ).format(day=day.isoformat())
        )
    closed = {row.terminal_id for row in closes}
    traded = {r.terminal_id for r in Sale.select(Sale.terminal_id).where(Sale.business_date == day)}
    shifts = CashSession.select(CashSession.terminal_id).where(CashSession.business_date == day)
    traded |= {r.terminal_id for r in shifts}
    open_at = sorted(traded - closed)
    if open_at:
        raise ValidationError(
            _(
                "{day} is still open at terminal {terminals}: the day is exported once every"
                " terminal has made its Z report."
            ).format(day=day.isoformat(), terminals=", ".join(open_at))
        )
    return closes


def _hasher(hq: HqSection) -> Callable[[str], str] | None:
    if hq.central_crm:
        return None
    if not hq.phone_secret:
        raise ValidationError(
            _(
                "Phone numbers are sent to head office as a keyed hash: set [hq] phone_secret in"
                " config.toml (the chain's secret, the same at every store), or [hq] central_crm"
                " = true to send them in full."
            )
        )
    return phone_hasher(hq.phone_secret)


def phones_problem(hq: HqSection) -> str:
    """Why no day can be exported as [hq] stands ('' when one can): the sentence to show
    before anyone tries."""
    try:
        _hasher(hq)
    except ValidationError as exc:
        return str(exc)
    return ""


Snapshot = tuple[list[DayClose], Window, dict[str, list[dict[str, Any]]], int, dict[str, object] | None]


def _snapshot(day: date, tz: ZoneInfo, hasher: Callable[[str], str] | None) -> Snapshot:
    with database.atomic():
        return _read_day(day, tz, hasher)


def _read_day(day: date, tz: ZoneInfo, hasher: Callable[[str], str] | None) -> Snapshot:
    closes = _closes(day)
    window = day_window(day, closes, tz)
    previous = exported_days().get(day)
    first = int(str(previous["sequence"])) == 1 if previous else get_meta(_SEQUENCE, "0") == "0"
    records = day_records(day, window, hasher, first=first)
    net = Sale.select(fn.COALESCE(fn.SUM(Sale.total), 0)).where(
        (Sale.business_date == day) & (Sale.status == "completed")
    )
    return closes, window, records, int(net.scalar()), previous


def export_day(day: date, out_dir: Path, *, key: SigningKey, hq: HqSection, tz: ZoneInfo) -> DayExport:
    """Write the day's signed file into ``out_dir`` (crash-safely) and record it."""
    hasher = _hasher(hq)
    snapshot = read(lambda: _snapshot(day, tz, hasher))  # one transaction: one state of the day
    closes, window, records, net_total, previous = snapshot
    sequence = int(str(previous["sequence"])) if previous else int(get_meta(_SEQUENCE, "0")) + 1
    manifest = {
        "store": key.store_code,
        "kind": KIND,
        "schema_version": SCHEMA_VERSION,
        "store_schema": migrations.LATEST,
        "business_date": day.isoformat(),
        "sequence": sequence,
        "terminals": [row.terminal_id for row in closes],
        "z_numbers": {row.terminal_id: int(row.z_no) for row in closes},
        "audit_head": {"seq": window.head_seq, "hash": window.head},
        "counts": {name: len(rows) for name, rows in records.items()},
        "net_sales_fen": net_total,
        "phones": PHONES_FULL if hasher is None else PHONES_HASHED,
    }
    parts = {f"{name}.jsonl": jsonl(rows) for name, rows in records.items()}
    path = write_signed(out_dir / file_name(key.store_code, day), manifest, parts, key)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def _record() -> None:
        if previous is None:
            set_meta(_SEQUENCE, str(sequence))
        set_meta(
            _EXPORTED + day.isoformat(),
            json.dumps({"sequence": sequence, "file": path.name, "sha256": digest}, sort_keys=True),
        )

    write(_record)
    counts = {name: len(rows) for name, rows in records.items()}
    return DayExport(day, path, sequence, digest, counts, previous is not None)


def export_pending(out_dir: Path, *, key: SigningKey, hq: HqSection, tz: ZoneInfo) -> list[DayExport]:
    """Every closed day not exported yet, oldest first."""
    return [export_day(day, out_dir, key=key, hq=hq, tz=tz) for day in days_not_exported()]
