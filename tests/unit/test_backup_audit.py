"""A restore is a manager's act the audit log remembers: after backup, sell, restore, the log
verifies clean with a note saying who put which backup back, while an older copy of the
database put back by hand (no restore) is still reported; the anchors file stays readable in
its old form, and the replaced database kept beside is left as it was."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.audit import anchoring, integrity
from store.audit import keys as audit_files
from store.backup.create import make_backup
from store.backup.restore import restore_backup
from store.backup.restore_audit import RESTORED
from store.db.connection import open_database
from store.kernel import FixedClock
from store.kernel.errors import PermissionDenied
from store.models import AuditLog
from tests.conftest import Shop
from tests.store_helpers import sell

M1 = {"staff_code": "M1", "pin": "1234"}


def _backup(db_path: Path, folder: Path, clock: FixedClock) -> Path:
    made = make_backup(
        db_path, folder, store_code="S001", taken=clock.local_now(), daily=14, weekly=8, create_folder=True
    )
    return made.path


def _restore(backup: Path, db_path: Path, clock: FixedClock, new: bool = False, **who: str) -> Path | None:
    result = restore_backup(backup, db_path, store_code="S001", now=clock.local_now(), new=new, **who)
    assert result is not None and result.note is None
    return result.kept


def _findings(db_path: Path) -> integrity.AuditReport:
    opened = open_database(db_path)
    try:
        return integrity.check()
    finally:
        opened.close()


def _put_back_by_hand(source: Path, db_path: Path) -> None:
    shutil.copyfile(source, db_path)
    for side in ("-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)


def _audit_tail(path: Path) -> tuple[int, str, list[str]]:
    with contextlib.closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
        found = conn.execute("SELECT action, hash FROM audit_log ORDER BY seq").fetchall()
    return len(found), str(found[-1][1]), [str(action) for action, _hash in found]


def test_backup_sell_restore_verifies_clean_and_says_who_put_which_backup_back(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock)
    brought = anchoring.head()
    sell(shop, shop.imeis[0])
    assert anchoring.keep_head("exit") is None  # the anchor a clean exit keeps after the sale
    replaced = anchoring.head()
    db.close()

    kept = _restore(backup, db_path, clock, **M1)
    assert kept is not None
    report = _findings(db_path)
    assert report.problems == [] and report.rows == brought.count + 1
    assert [n.problem for n in report.notes if "put back" in n.problem] == [
        f"On {clock.now():%Y-%m-%d %H:%M} UTC 王店长 (M1) put back the backup {backup.name}: the log went "
        f"from {replaced.count} rows back to {brought.count}; the anchors kept before then are the "
        "replaced database's."
    ]

    opened = open_database(db_path)
    try:
        row = AuditLog.select().order_by(AuditLog.seq.desc()).get()
    finally:
        opened.close()
    assert row.action == RESTORED and row.staff_id == shop.manager.id and row.entity_id == backup.name
    assert json.loads(row.before) == {"rows": replaced.count, "head": replaced.head}
    after = json.loads(row.after)
    assert after["sha256"] == hashlib.sha256(backup.read_bytes()).hexdigest()
    assert (after["rows"], after["head"], after["by"]) == (brought.count, brought.head, "王店长 (M1)")

    (marker,) = audit_files.read_anchors("S001").restores
    assert (marker.anchor.count, marker.anchor.head) == (report.rows, row.hash)
    assert (marker.from_count, marker.from_head, marker.file) == (replaced.count, replaced.head, backup.name)

    # The replaced database kept beside is as it was: its log still ends at the replaced head.
    count, last, actions = _audit_tail(kept)
    assert (count, last) == (replaced.count, replaced.head) and RESTORED not in actions


def test_an_older_copy_put_back_by_hand_is_still_reported_after_a_restore(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock)
    sell(shop, shop.imeis[0])
    db.close()
    kept = _restore(backup, db_path, clock, **M1)
    assert kept is not None and _findings(db_path).problems == []
    restored = tmp_path / "restored.db"
    shutil.copyfile(db_path, restored)

    _put_back_by_hand(backup, db_path)  # the backup again, behind the program's back
    found = [p.problem for p in _findings(db_path).problems]
    assert len(found) == 1 and "an older copy of the database was put back" in found[0], found

    _put_back_by_hand(kept, db_path)  # the replaced database, by hand: not the restored log
    found = [p.problem for p in _findings(db_path).problems]
    assert len(found) == 1 and "the log up to it was rewritten" in found[0], found

    _put_back_by_hand(restored, db_path)  # what the restore left: clean again
    assert _findings(db_path).problems == []


def test_a_restore_needs_a_manager_and_a_refusal_changes_nothing(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock)
    sell(shop, shop.imeis[0])
    db.close()
    refusals: list[tuple[str, dict[str, str]]] = [
        ("Only a manager may put a backup back", {}),
        ("Only a manager may put a backup back", {"staff_code": "P1", "pin": "1111"}),  # a promoter
        ("Wrong staff code or PIN", {"staff_code": "M1", "pin": "9999"}),
    ]
    for sentence, who in refusals:
        with pytest.raises(PermissionDenied, match=sentence):
            restore_backup(backup, db_path, store_code="S001", now=clock.local_now(), **who)
    assert not list(tmp_path.glob("store.before-restore-*")) and not audit_files.read_anchors("S001").restores
    _count, _last, actions = _audit_tail(db_path)
    assert actions[-1] == "staff.pin_failed"  # the wrong PIN counts, in the database as it is


def test_a_new_computer_restores_without_a_manager_and_only_once(
    shop: Shop,
    db: SqliteDatabase,
    db_path: Path,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock)
    db.close()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "new-computer-config"))  # no keys, no anchors
    target = tmp_path / "new" / "store.db"
    target.parent.mkdir()
    result = restore_backup(backup, target, store_code="S001", now=clock.local_now(), new=True)
    assert result is not None and result.kept is None and result.note is None
    report = _findings(target)
    assert report.problems == []
    assert any(
        f"the backup {backup.name} was put back on a computer with no store database" in n.problem
        for n in report.notes
    )
    # Now this computer keeps anchors of S001: another --new restore here needs a manager.
    again = tmp_path / "again" / "store.db"
    again.parent.mkdir()
    with pytest.raises(PermissionDenied, match="Only a manager"):
        restore_backup(backup, again, store_code="S001", now=clock.local_now(), new=True)
    _restore(backup, again, clock, new=True, **M1)  # checked in the backup: there is no database here


def test_the_anchors_file_in_its_old_form_is_still_read(shop: Shop, db: SqliteDatabase) -> None:
    head = anchoring.head()
    path = audit_files.anchors_path("S001")
    old_anchor = {"store": "S001", "count": head.count, "head": head.head, "key": head.key_id}
    path.write_text(
        json.dumps({"kind": "key", "store": "S001", "key": head.key_id, "from": 1, "at": ""})
        + "\n"
        + json.dumps({**old_anchor, "at": "2026-11-27T04:00:00", "reason": "exit"})
        + "\n"
        + json.dumps(old_anchor)  # no time, no reason
        + "\n",
        encoding="utf-8",
    )
    kept = audit_files.read_anchors("S001")
    assert [(a.count, a.head) for a in kept.anchors] == [(head.count, head.head)] * 2
    assert [k.key_id for k in kept.keys] == [head.key_id] and kept.restores == [] and kept.damaged == 0
    report = integrity.check()
    assert report.problems == [] and report.anchors_checked == 2
    # A marker is an anchor too, for a program that reads the file as it was.
    audit_files.append_restore(head, file="b.db", sha256="0" * 64, by="x", replaced=None, backup_count=1)
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    assert (line["count"], line["head"], line["kind"]) == (head.count, head.head, "restore")
