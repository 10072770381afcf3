"""Ids: text in Python, 16 bytes in the file, and in the order they were made."""

from __future__ import annotations

import sqlite3
import uuid

from peewee import SqliteDatabase

from store.kernel.ids import from_db, new_id, to_db
from store.models import Meta, Staff


def test_new_ids_are_uuid7_and_sort_in_the_order_they_were_made() -> None:
    ids = [new_id() for _ in range(20_000)]  # many in each millisecond
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == ids
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122 for i in ids[:100])
    assert [to_db(i) for i in ids] == sorted(to_db(i) for i in ids)  # the bytes sort the same way


def test_an_id_is_kept_as_its_16_bytes_and_read_back_as_the_same_text() -> None:
    made = new_id()
    assert to_db(made) == uuid.UUID(made).bytes
    assert from_db(to_db(made)) == made
    # Anything that is not an id in canonical form is kept as it is, so it reads back the same.
    for other in ("", "OPENING", made.upper(), made.replace("-", ""), "{" + made + "}", None, 7):
        assert to_db(other) == other
        assert from_db(to_db(other)) == other


def test_plain_sql_passes_and_gets_text_ids_while_the_file_holds_bytes(db: SqliteDatabase) -> None:
    made = new_id()
    db.execute_sql("INSERT INTO meta (key, value) VALUES (?, ?)", ("k", made))
    assert db.execute_sql("SELECT value FROM meta WHERE value = ?", (made,)).fetchone() == (made,)
    assert Meta.get(Meta.key == "k").value == made
    assert db.execute_sql("SELECT typeof(value), length(value) FROM meta").fetchone() == ("blob", 16)
    db.connection().executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("j", made)])
    assert db.execute_sql("SELECT COUNT(*) FROM meta WHERE value = ?", (made,)).fetchone() == (2,)
    # A model's id column holds the bytes too, and a plain sqlite3 connection sees them.
    staff = Staff.create(code="X1", name="x", role="cashier", pin_hash="-")
    raw = sqlite3.connect(db.database)
    try:
        assert raw.execute("SELECT id FROM staff WHERE code = 'X1'").fetchone() == (to_db(staff.id),)
    finally:
        raw.close()
