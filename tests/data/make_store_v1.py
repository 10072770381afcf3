"""How tests/data/store-v1.db was made: a store database exactly as the first release
(schema version 1) left it, with a little data, so the tests can prove that opening it with
today's code upgrades it to the latest schema and keeps everything.

It uses only the frozen SQL of ``store.db.migrations.V1`` and the ``sqlite3`` module, never the
current models, so the file stays a version-1 database whatever the models become. Re-run it
only if the fixture is lost (everything, even the PIN salt, is fixed, so it comes out the same):

    python tests/data/make_store_v1.py

The store: code S001, manager M1 (王店长, PIN 1234); one accessory (CASE, ¥39.00) received 5,
and one sale of 2 (receipt S001-T1-20260101-0001, ¥78.00 paid ¥100.00 cash, ¥22.00 change),
so 3 are on hand.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.db.migrations import V1  # noqa: E402  (the frozen version-1 schema)

TARGET = Path(__file__).with_name("store-v1.db")

STAFF = "01940000-0000-7000-8000-000000000001"
PRODUCT = "01940000-0000-7000-8000-000000000002"
SALE = "01940000-0000-7000-8000-000000000003"
LINE = "01940000-0000-7000-8000-000000000004"
TENDER = "01940000-0000-7000-8000-000000000005"
RECEIVED = "01940000-0000-7000-8000-000000000006"
SOLD = "01940000-0000-7000-8000-000000000007"


def pin_hash(pin: str) -> str:
    """The version-1 PIN format: scrypt$n$r$p$salt$digest (base64)."""
    n, r, p = 2**14, 8, 1
    salt = hashlib.sha256(b"store-v1 fixture").digest()[:16]
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{TARGET}{suffix}").unlink(missing_ok=True)
    con = sqlite3.connect(TARGET, isolation_level=None)
    con.execute("PRAGMA journal_mode = wal")  # as the first release opened every database
    con.execute("BEGIN")
    for statement in V1:
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    rows: list[tuple[str, tuple[object, ...]]] = [
        ("INSERT INTO meta VALUES (?, ?)", ("store_code", "S001")),
        ("INSERT INTO meta VALUES (?, ?)", ("store_name", "老店")),
        ("INSERT INTO meta VALUES (?, ?)", ("demo", "0")),
        (
            "INSERT INTO staff VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (STAFF, "M1", "王店长", "admin", pin_hash("1234"), 0, 0, 1, "2026-01-01 01:00:00"),
        ),
        (
            "INSERT INTO product VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                PRODUCT,
                "CASE",
                "6900000000011",
                "Generic",
                "Phone Case",
                "",
                "",
                "accessory",
                3900,
                800,
                0,
                "generic phone case case",
                1,
                "2026-01-01 01:00:00",
            ),
        ),
        (
            "INSERT INTO stock_movement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (RECEIVED, PRODUCT, None, "receive", 5, STAFF, "2026-01-01 01:05:00", "DN-1", ""),
        ),
        (
            "INSERT INTO sale VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                SALE,
                "S001-T1-20260101-0001",
                "S001",
                "T1",
                "2026-01-01",
                "2026-01-01 02:00:00",
                "sale",
                "completed",
                STAFF,
                None,
                None,
                7800,
                0,
                7800,
                "",
                "2026-01-01 02:00:01",
                None,
            ),
        ),
        (
            "INSERT INTO sale_line VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (LINE, SALE, 1, PRODUCT, None, 2, 3900, 3900, 0, 7800, STAFF, None, ""),
        ),
        ("INSERT INTO tender VALUES (?, ?, ?, ?, ?, ?, ?)", (TENDER, SALE, "cash", 7800, 10000, 2200, "")),
        (
            "INSERT INTO stock_movement VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (SOLD, PRODUCT, None, "sale", -2, STAFF, "2026-01-01 02:00:00", SALE, ""),
        ),
        ("INSERT INTO receipt_counter VALUES (?, ?)", ("T1|2026-01-01", 1)),
    ]
    for sql, params in rows:
        con.execute(sql, params)
    con.execute("COMMIT")
    con.execute("VACUUM")
    con.close()  # the last connection checkpoints and removes the -wal and -shm files
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, schema version 1)")


if __name__ == "__main__":
    main()
