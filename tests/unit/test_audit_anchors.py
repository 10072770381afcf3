"""The audit chain against someone with the database file: keyed hashes, anchors outside the
file, stores from before keyed hashing, a database moved to another computer, and damage
(a garbage head, a dropped table) that must never stop a sale."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from peewee import SqliteDatabase

from store.audit import anchoring, attention, chain, hashing, integrity
from store.audit import keys as audit_files
from store.db.connection import open_database
from store.kernel.auth import _actor
from store.kernel.errors import PermissionDenied, ValidationError
from store.models import AuditLog, Meta, Sale
from tests.conftest import Shop
from tests.store_helpers import sell

DAY = datetime(2026, 11, 27, 4, 0)


def rows() -> list[AuditLog]:
    return list(AuditLog.select().order_by(AuditLog.seq))


def meta(key: str) -> str | None:
    row = Meta.get_or_none(Meta.key == key)
    return row.value if row is not None else None


def rechain_plain(db: SqliteDatabase, start: int = 0) -> None:
    """What someone with only the database file can do: recompute every hash from row
    ``start`` on with plain SHA-256 (the old chain), and the head to match."""
    prev = hashing.GENESIS
    all_rows = rows()
    for index, row in enumerate(all_rows):
        if index >= start:
            row.prev_hash = prev
            row.hash = hashing.digest(prev, hashing.row_fields(row))
            db.execute_sql(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, row.hash, row.seq)
            )
        prev = row.hash
    db.execute_sql("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{len(all_rows)}:{prev}",))


def problems() -> list[str]:
    return [p.problem for p in integrity.verify()]


# ---- item 4: keyed hashes and anchors --------------------------------------------------------


def test_the_secret_is_made_at_set_up_outside_the_database_with_mode_0600(shop: Shop, db_path: Path) -> None:
    segments = json.loads(meta("audit_keys") or "")
    assert len(segments) == 1 and segments[0][0] == rows()[0].seq
    key_file = audit_files.key_path(segments[0][1])
    assert key_file.parent == db_path.parent / "xdg-config" / "zhanggui" / "audit"  # XDG_CONFIG_HOME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    secret = audit_files.load_key(segments[0][1]).secret
    assert len(secret) == 32 and secret.hex() not in db_path.read_bytes().hex()
    first = rows()[0]
    assert first.hash == hashing.digest(first.prev_hash, hashing.row_fields(first), secret)
    assert first.hash != hashing.digest(first.prev_hash, hashing.row_fields(first))


def test_a_row_edited_and_the_plain_sha256_chain_recomputed_is_detected(
    shop: Shop, db: SqliteDatabase
) -> None:
    sell(shop, shop.imeis[0])
    target = AuditLog.get(AuditLog.action == "sale.sale")
    db.execute_sql("UPDATE audit_log SET after = ? WHERE seq = ?", ('{"total": 1}', target.seq))
    rechain_plain(db)
    found = integrity.verify()
    last = rows()[-1].seq
    assert [(p.seq, p.until, p.problem) for p in found] == [
        (rows()[0].seq, last, "row was changed after it was written")
    ]


def test_emptied_log_and_head_are_detected_against_an_anchor(shop: Shop, db: SqliteDatabase) -> None:
    sell(shop, shop.imeis[0])
    anchor = anchoring.head(at=DAY)
    assert anchor.count == len(rows()) and anchor.head == rows()[-1].hash
    db.execute_sql("DELETE FROM audit_log")
    db.execute_sql("DELETE FROM meta WHERE key = 'audit_head'")
    report = integrity.check(audit_files.parse_anchor(anchor.token), saved_anchors=False)
    assert f"The anchor {anchor.token} says the log had {anchor.count} rows; now it has 0" in " ".join(
        p.problem for p in report.problems
    )
    # Even with no anchor at hand, a set-up store with no audit rows says so.
    assert "The audit log is empty although the store was set up: its rows were removed." in problems()


def test_an_anchor_kept_on_this_computer_finds_an_older_copy_put_back(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db_path, tmp_path / "yesterday.db")
    sell(shop, shop.imeis[0])
    assert anchoring.keep_head("exit", at=DAY) is None
    kept = audit_files.read_anchors("S001").anchors
    assert kept[-1].count == len(rows()) and kept[-1].at == DAY
    db.close()
    shutil.copy(tmp_path / "yesterday.db", db_path)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    older = open_database(db_path)
    try:
        found = problems()
    finally:
        older.close()
    assert any(text.startswith("On 2026-11-27 04:00 UTC the log had") for text in found), found
    assert any("an older copy of the database was put back" in text for text in found)


def test_a_rewrite_with_the_key_itself_still_misses_the_anchor(shop: Shop, db: SqliteDatabase) -> None:
    """Someone with the file and the secret can rebuild a valid chain; an anchor taken before
    (printed on a Z report) still shows it."""
    sell(shop, shop.imeis[0])
    anchor = anchoring.head(at=DAY)
    key = audit_files.load_key(json.loads(meta("audit_keys") or "")[-1][1])
    prev = hashing.GENESIS
    for row in rows():
        if row.action == "sale.sale":
            row.after = '{"total": 1}'
        row.prev_hash = prev
        row.hash = hashing.digest(prev, hashing.row_fields(row), key.secret)
        db.execute_sql(
            "UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (row.after, prev, row.hash, row.seq),
        )
        prev = row.hash
    db.execute_sql("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{len(rows())}:{prev}",))
    assert integrity.check(saved_anchors=False).problems == []
    found = [p.problem for p in integrity.check(anchor, saved_anchors=False).problems]
    assert found == [
        f"Row {anchor.count} is not the one in the anchor {anchor.token}: the log up to it was rewritten."
    ]


def test_anchor_tokens_round_trip_and_nonsense_is_one_sentence(shop: Shop) -> None:
    anchor = anchoring.head(at=DAY)
    parsed = audit_files.parse_anchor(f"  {anchor.token.upper()} ")
    assert parsed.count == anchor.count and anchor.head.startswith(parsed.head) and len(parsed.head) == 16
    assert integrity.check(parsed, saved_anchors=False).problems == []
    with pytest.raises(ValidationError, match="is not an audit anchor"):
        audit_files.parse_anchor("12-abc")


def test_kept_anchors_are_0600_and_not_repeated(shop: Shop) -> None:
    assert anchoring.keep_head("exit", at=DAY) is None
    assert anchoring.keep_head("exit", at=DAY + timedelta(hours=1)) is None
    path = audit_files.anchors_path("S001")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line.get("kind") for line in lines] == ["key", None]
    path.write_text(path.read_text(encoding="utf-8") + "not json\n", encoding="utf-8")
    report = integrity.check()
    assert report.problems == [] and report.anchors_checked == 1
    assert [n.problem for n in report.notes] == [f"1 line of the anchors file {path} could not be read."]


def test_a_store_from_before_keyed_hashing_keeps_its_plain_rows_and_is_keyed_after(
    shop: Shop, db: SqliteDatabase
) -> None:
    # As an older zhanggui left it: plain SHA-256 rows, no key record, no key file.
    rechain_plain(db)
    db.execute_sql("DELETE FROM meta WHERE key = 'audit_keys'")
    shutil.rmtree(audit_files.audit_dir())
    legacy = [(r.seq, r.hash) for r in rows()]
    report = integrity.check()
    assert report.problems == [] and report.complete
    assert report.notes[0].seq == legacy[0][0] and report.notes[0].until == legacy[-1][0]
    assert "plain SHA-256" in report.notes[0].problem

    sell(shop, shop.imeis[0])
    assert [(r.seq, r.hash) for r in rows()][: len(legacy)] == legacy  # history is never re-chained
    marker = rows()[len(legacy)]
    assert marker.action == "audit.key" and json.loads(marker.after)["reason"] == "upgrade"
    segments = json.loads(meta("audit_keys") or "")
    assert segments[0] == [0, ""] and segments[1][0] == marker.seq
    assert audit_files.load_key(segments[1][1]).from_seq == marker.seq
    report = integrity.check()
    assert report.problems == [] and report.complete
    assert "Keyed hashing starts here" in " ".join(n.problem for n in report.notes)
    assert attention.alerts() == []  # an upgrade is not damage

    # Moving the switch point later, to pass keyed rows off as plain ones, is seen.
    db.execute_sql(
        "UPDATE meta SET value = ? WHERE key = 'audit_keys'",
        (json.dumps([[0, ""], [marker.seq + 1, segments[1][1]]]),),
    )
    assert any("starts was changed" in text for text in problems())


def test_removing_the_key_record_to_pass_rows_off_as_plain_is_detected(
    shop: Shop, db: SqliteDatabase
) -> None:
    rechain_plain(db)
    db.execute_sql("DELETE FROM meta WHERE key = 'audit_keys'")
    found = problems()
    assert len(found) == 1 and "the database does not name it" in found[0]


def test_another_database_of_the_same_store_code_here_is_no_false_alarm(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    sell(shop, shop.imeis[0])
    db.close()
    second = open_database(tmp_path / "reinstalled.db")
    try:
        Shop()
        assert len(audit_files.read_anchors("S001").keys) == 2
        assert integrity.verify() == []
    finally:
        second.close()


def test_a_database_moved_to_a_computer_without_the_secret(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_key = json.loads(meta("audit_keys") or "")[0][1]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "other-pc"))
    report = integrity.check()
    assert report.problems == [] and not report.complete
    (unchecked,) = report.unchecked
    assert unchecked.seq == rows()[0].seq and unchecked.until == rows()[-1].seq
    assert f"its audit key {first_key} is not on this computer" in unchecked.problem

    sale = sell(shop, shop.imeis[0])  # selling goes on, under a key of this computer
    assert Sale.get_by_id(sale.id).total == sale.total
    segments = json.loads(meta("audit_keys") or "")
    assert segments[0][1] == first_key and len(segments) == 2
    marker = AuditLog.get(AuditLog.action == "audit.key")
    assert json.loads(marker.after)["reason"] == "key unavailable"
    (alert,) = attention.alerts()
    assert alert.endswith(
        "the audit key of the rows before was not on this computer; a new key signs from here."
    )
    report = integrity.check()
    assert report.problems == [] and len(report.unchecked) == 1
    assert report.unchecked[0].until == marker.seq - 1

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # back home: the old key is here
    report = integrity.check()
    assert report.problems == []
    assert report.unchecked[0].seq == marker.seq  # and the new one is not


def test_a_damaged_key_file_is_a_sentence(shop: Shop) -> None:
    key_id = json.loads(meta("audit_keys") or "")[0][1]
    audit_files._KEYS.clear()
    audit_files.key_path(key_id).write_text("{broken", encoding="ascii")
    report = integrity.check()
    assert report.problems == []
    assert "is damaged" in report.unchecked[0].problem


# ---- item 5: damage never stops a sale --------------------------------------------------------


def test_a_garbage_head_does_not_stop_a_sale_and_the_damage_is_recorded(
    shop: Shop, db: SqliteDatabase
) -> None:
    before = rows()
    db.execute_sql("UPDATE meta SET value = 'garbage' WHERE key = 'audit_head'")
    assert problems() == [
        "the audit head is damaged ('garbage'); the next write restarts it from the last row"
    ]

    sale = sell(shop, shop.imeis[0])

    assert Sale.get_by_id(sale.id).receipt_no == sale.receipt_no
    repair = rows()[len(before)]
    assert repair.action == "audit.head_damaged"
    assert json.loads(repair.before) == {"head": "garbage"}
    assert repair.prev_hash == before[-1].hash
    assert rows()[-1].action == "sale.sale"
    report = integrity.check()
    assert report.problems == []
    assert [n.seq for n in report.notes] == [repair.seq]
    assert "the audit head was found damaged or missing" in report.notes[0].problem
    (alert,) = attention.alerts()
    assert "audit head was found damaged" in alert


def test_the_manager_sees_the_damage_at_login_and_only_a_manager_clears_it(
    shop: Shop, db: SqliteDatabase
) -> None:
    db.execute_sql("UPDATE meta SET value = 'garbage' WHERE key = 'audit_head'")
    chain.repair(at=DAY)  # at login, before any sale
    (alert,) = attention.alerts(ZoneInfo("Asia/Shanghai"))
    assert alert.startswith("On 2026-11-27 12:00 the audit head was found damaged or missing")
    chain.repair(at=DAY)  # nothing more to mend
    assert AuditLog.select().where(AuditLog.action == "audit.head_damaged").count() == 1
    promoter = _actor(shop.promoter.id, shop.promoter.name, "promoter")
    with pytest.raises(PermissionDenied):
        attention.acknowledge_alerts(promoter)
    manager = _actor(shop.manager.id, shop.manager.name, "admin")
    attention.acknowledge_alerts(manager, at=DAY)
    assert attention.alerts() == []
    seen = rows()[-1]
    assert seen.action == "audit.alerts_seen" and seen.staff_id == shop.manager.id
    assert "audit head was found damaged" in " ".join(n.problem for n in integrity.check().notes)


def test_a_dropped_table_is_a_sentence_and_selling_goes_on(shop: Shop, db: SqliteDatabase) -> None:
    lost = len(rows())
    db.execute_sql("DROP TABLE audit_log")
    assert problems() == ["The audit log table is missing from the database: every audit row was removed."]
    assert anchoring.head().count == 0

    sale = sell(shop, shop.imeis[0])

    assert Sale.get_by_id(sale.id).total == sale.total
    restart = rows()[0]
    assert restart.action == "audit.restart" and restart.prev_hash == hashing.GENESIS
    assert json.loads(restart.before)["head"].startswith(f"{lost}:")
    assert rows()[-1].action == "sale.sale"
    found = problems()
    assert found == [
        "On "
        + restart.at.strftime("%Y-%m-%d %H:%M")
        + " UTC the audit log table was found missing: every row written before was lost, "
        "and the chain starts again here."
    ]
    assert "table was found missing" in attention.alerts()[0]


def test_an_emptied_log_without_its_head_is_recorded_at_the_next_sale(shop: Shop, db: SqliteDatabase) -> None:
    db.execute_sql("DELETE FROM audit_log")
    db.execute_sql("DELETE FROM meta WHERE key = 'audit_head'")
    sell(shop, shop.imeis[0])
    assert rows()[0].action == "audit.restart"
    assert any("found empty although it had been written" in text for text in problems())


def test_a_damaged_key_record_does_not_stop_a_sale(shop: Shop, db: SqliteDatabase) -> None:
    db.execute_sql("UPDATE meta SET value = '[[1' WHERE key = 'audit_keys'")
    assert "The record of the audit keys is damaged" in problems()[0]
    sale = sell(shop, shop.imeis[0])
    assert Sale.get_by_id(sale.id).total == sale.total
    assert AuditLog.get(AuditLog.action == "audit.key").before == '{"keys": "[[1"}'
    assert any("no record of the audit keys covers it" in text for text in problems())


def test_a_key_that_cannot_be_written_is_a_sentence_and_nothing_is_written(
    db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the config folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocked))
    with pytest.raises(hashing.AuditKeyNotSaved, match="The audit key cannot be saved"):
        Shop()
    assert AuditLog.select().count() == 0 and meta("store_code") is None


def test_repair_at_login_takes_no_write_lock_when_all_is_well(
    shop: Shop, db: SqliteDatabase, db_path: Path
) -> None:
    other = sqlite3.connect(str(db_path), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # another terminal is committing a sale
        before = len(rows())
        chain.repair(at=DAY)  # returns at once instead of waiting for the lock
        assert len(rows()) == before
    finally:
        other.rollback()
        other.close()


def test_repair_at_login_recreates_a_dropped_table(shop: Shop, db: SqliteDatabase) -> None:
    db.execute_sql("DROP TABLE audit_log")
    chain.repair(at=DAY)
    assert [r.action for r in rows()] == ["audit.restart"]
    assert "table was found missing" in attention.alerts()[0]


def test_check_takes_several_anchors_and_never_raises(shop: Shop, db: SqliteDatabase) -> None:
    first = anchoring.head(at=DAY)
    sell(shop, shop.imeis[0])
    second = anchoring.head(at=DAY + timedelta(hours=8))
    assert integrity.check(first, second, saved_anchors=False).anchors_checked == 2
    forged = audit_files.Anchor(first.count, "0" * 16)
    found = [p.problem for p in integrity.check(first, forged, second, saved_anchors=False).problems]
    assert found == [
        f"Row {first.count} is not the one in the anchor {forged.token}: the log up to it was rewritten."
    ]
    db.execute_sql("DROP TABLE meta")
    (problem,) = integrity.check().problems
    assert problem.problem.startswith("The audit log cannot be read:")


@pytest.mark.parametrize(
    ("plain_rows", "sentence"),
    [
        (1, "Keyed hashing starts here; the 1 row before it uses plain SHA-256."),
        (3, "Keyed hashing starts here; the 3 rows before it use plain SHA-256."),
        (None, "Keyed hashing starts here; the rows before it use plain SHA-256."),
    ],
)
def test_the_keyed_hashing_sentence_counts_in_the_singular_and_plural(
    plain_rows: int | None, sentence: str
) -> None:
    after = {"reason": "upgrade"} | ({} if plain_rows is None else {"plain_rows": plain_rows})
    row = AuditLog(action=hashing.KEY_STARTED, after=json.dumps(after), at=datetime(2026, 11, 2, 3, 0))
    assert attention.event_sentence(row) == sentence
