"""The database files the bench measures: plain sqlite3 connections, clean copies, sizes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bench.report import Figure
from store.db.connection import PRAGMAS

# Issue 16: what a sale line costs on disk, everything it brings with it (its sale, tender,
# movement and their indexes) counted: file bytes over sale lines. 1,234 with text ids.
BYTES_PER_LINE_TARGET = 600


def raw_connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with exactly the pragmas store.db.connection.open_database sets."""
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


def database_size(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = ("customer", "product", "imei_unit", "sale", "sale_line", "stock_movement")
        sizes = {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
    finally:
        conn.close()
    sizes["bytes"] = db_path.stat().st_size
    return sizes


def size_figure(sizes: dict[str, int]) -> Figure:
    """The file's bytes a sale line, against BYTES_PER_LINE_TARGET."""
    per_line = sizes["bytes"] / max(sizes["sale_line"], 1)
    return Figure("database bytes a sale line", "B", per_line, None, BYTES_PER_LINE_TARGET, "absolute", sizes)
