"""Backups (issue 14): made with VACUUM INTO from a live WAL store, checked before they count,
kept in a rotation, refused when damaged, foreign or of an unknown version, and put back whole
with the replaced database kept beside it."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from store.audit import integrity
from store.backup import create, rotate
from store.backup.create import BackupFailed, make_backup
from store.backup.restore import restore_backup
from store.backup.service import backup_after_close
from store.backup.verify import BadBackup, verify_backup
from store.config.loader import Config
from store.context import StoreContext
from store.db import migrations
from store.db.connection import open_database
from store.kernel import FixedClock
from store.kernel.errors import DatabaseUnavailable
from store.models import Sale, database
from tests.conftest import Shop
from tests.store_helpers import sell

M1 = {"staff_code": "M1", "pin": "1234"}  # the Shop's manager: a restore is a manager's act


def _backup(db_path: Path, folder: Path, clock: FixedClock, **keep: int) -> create.BackupResult:
    return make_backup(
        db_path,
        folder,
        store_code="S001",
        taken=clock.local_now(),
        daily=keep.get("daily", 14),
        weekly=keep.get("weekly", 8),
        create_folder=True,
    )


def _sales_in(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM sale").fetchone()[0])


def _edited_copy(source: Path, target: Path, *statements: str) -> Path:
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    return target


def test_a_backup_is_whole_checked_and_holds_the_sales_still_in_the_wal(
    shop: Shop, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    sell(shop, shop.imeis[0])
    assert db_path.with_name("store.db-wal").stat().st_size > 0  # the sale is in the WAL only
    folder = tmp_path / "backups"
    taken = clock.local_now()
    result = _backup(db_path, folder, clock)  # a millisecond later: the same second
    assert result.path.name == f"zhanggui-S001-{taken:%Y%m%d-%H%M%S}.db"
    assert sorted(p.name for p in folder.iterdir()) == [result.path.name]  # no partial, no -wal
    assert _sales_in(result.path) == 1
    info = verify_backup(result.path, "S001")
    assert info.schema == migrations.LATEST and info.audit_rows == result.info.audit_rows > 0


def test_the_rotation_keeps_the_newest_of_each_recent_day_and_week(tmp_path: Path) -> None:
    start = datetime(2026, 10, 1, 21, 30)
    made = []
    for day in range(60):
        for hour in (12, 21):
            taken = start.replace(hour=hour) + timedelta(days=day)
            path = tmp_path / rotate.backup_name("S001", taken)
            path.write_bytes(b"")
            made.append(path)
    other = tmp_path / rotate.backup_name("S002", start)
    stranger = tmp_path / "notes.txt"
    other.write_bytes(b"")
    stranger.write_bytes(b"")
    removed = rotate.rotate(tmp_path, "S001", daily=14, weekly=8)
    kept = rotate.backups(tmp_path, "S001")
    days = {b.taken.date() for b in kept}
    assert all(b.taken.hour == 21 for b in kept)  # the newest of its day
    last = start.date() + timedelta(days=59)
    assert {last - timedelta(days=n) for n in range(14)} <= days
    assert len({b.taken.isocalendar()[:2] for b in kept}) == 8  # this week and the 7 before
    assert len(kept) + len(removed) == len(made) and other.exists() and stranger.exists()


def test_a_missing_unwritable_or_full_folder_is_said_and_leaves_nothing(
    shop: Shop, db_path: Path, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "usb"
    with pytest.raises(BackupFailed, match=r"is missing\. Plug in the USB stick"):
        make_backup(db_path, stick, store_code="S001", taken=clock.local_now(), daily=1, weekly=0)
    assert not stick.exists()  # a stick not plugged in: its mount point is not made on the disk

    stick.mkdir()
    earlier = _backup(db_path, stick, clock)
    clock.advance(days=1)
    with monkeypatch.context() as mp:
        mp.setattr(create.os, "access", lambda *_a, **_k: False)
        with pytest.raises(BackupFailed, match="cannot be written to"):
            _backup(db_path, stick, clock)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as mp:
        mp.setattr(create.os, "fsync", full)
        with pytest.raises(BackupFailed, match="is full, so no backup was made"):
            _backup(db_path, stick, clock)
    assert list(stick.iterdir()) == [earlier.path]  # no partial file, the last backup kept


def test_damaged_cut_foreign_unknown_or_tampered_files_are_refused(
    shop: Shop, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    good = _backup(db_path, tmp_path / "bk", clock).path
    cut = tmp_path / "cut.db"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    damaged = tmp_path / "damaged.db"
    raw = bytearray(good.read_bytes())
    page = 4096
    raw[page * 3 : page * 3 + 200] = b"\xff" * 200
    damaged.write_bytes(bytes(raw))
    text = tmp_path / "prices.csv"
    text.write_text("sku,price\n")
    foreign = _edited_copy(
        good, tmp_path / "s002.db", "UPDATE meta SET value = 'S002' WHERE key = 'store_code'"
    )
    newer = _edited_copy(good, tmp_path / "newer.db", f"PRAGMA user_version = {migrations.LATEST + 1}")
    tampered = _edited_copy(
        good, tmp_path / "tampered.db", "UPDATE audit_log SET entity_id = 'X' WHERE seq = 1"
    )
    cases = {
        cut: "damaged or cut short",
        damaged: "damaged",
        text: "not a database file",
        foreign: "backup of store S002, not of this store S001",
        newer: f"schema version {migrations.LATEST + 1}",
        tampered: "audit log does not verify",
        tmp_path / "none.db": "There is no file",
    }
    for path, reason in cases.items():
        with pytest.raises(BadBackup, match=reason):
            verify_backup(path, "S001", exact_schema=False)
    beside = [Path(f"{path}{side}") for path in cases for side in ("-wal", "-shm", "-journal")]
    assert not [p for p in beside if p.exists()]  # reading a file leaves nothing next to it


def test_restore_puts_a_backup_back_and_keeps_the_replaced_database(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock).path
    sell(shop, shop.imeis[0])  # after the backup, and still in the WAL
    with pytest.raises(DatabaseUnavailable, match="is in use"):
        restore_backup(backup, db_path, store_code="S001", now=clock.local_now(), **M1)
    assert Sale.select().count() == 1  # refused: nothing changed
    db.close()
    foreign = _edited_copy(
        backup, tmp_path / "s002.db", "UPDATE meta SET value = 'S002' WHERE key = 'store_code'"
    )
    with pytest.raises(BadBackup, match="backup of store S002"):
        restore_backup(foreign, db_path, store_code="S001", now=clock.local_now(), **M1)

    now = clock.local_now()
    result = restore_backup(backup, db_path, store_code="S001", now=now, **M1)
    assert result.kept == tmp_path / f"store.before-restore-{now:%Y%m%d-%H%M%S}.db"
    assert _sales_in(db_path) == 0 and _sales_in(result.kept) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or p.name.endswith(("-wal", "-shm"))]
    reopened = open_database(db_path)
    try:
        assert Sale.select().count() == 0
    finally:
        reopened.close()


def test_restore_over_a_damaged_store_moves_its_wal_aside(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock).path
    db.close()
    db_path.write_bytes(b"\x00" * 8192)  # beyond use, with a -wal that must not meet the restored file
    wal = db_path.with_name("store.db-wal")
    wal.write_bytes(b"left over")
    result = restore_backup(backup, db_path, store_code="S001", now=clock.local_now(), **M1)
    assert result.kept is not None and Path(f"{result.kept}-wal").read_bytes() == b"left over"
    assert not wal.exists()
    verify_backup(db_path, "S001")
    reopened = open_database(db_path)  # the manager was checked in the backup; the log says so
    try:
        report = integrity.check()
    finally:
        reopened.close()
    assert report.problems == []
    assert any(
        "王店长 (M1) put back the backup" in n.problem and "could not be read" in n.problem
        for n in report.notes
    )


def test_verifying_does_not_touch_the_store_other_threads_use(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock).path
    sell(shop, shop.imeis[0])
    verify_backup(backup, "S001")
    assert Sale.select().count() == 1  # this thread reads the store again, not the backup
    assert os.path.exists(db_path)


def test_the_day_close_backup_says_what_happened_and_never_raises(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    config = Config()
    ctx = StoreContext(config=config, db_path=db_path, db=db, clock=clock)
    note = backup_after_close(ctx)  # the default folder, made in the user data dir
    assert note.ok and note.result is not None and note.result.path.parent == config.backup_dir()
    config.backup.folder = str(tmp_path / "usb")  # a stick that is not plugged in
    note = backup_after_close(ctx)
    assert not note.ok and note.result is None and "is missing" in note.message


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(
    shop: Shop,
    db: SqliteDatabase,
    db_path: Path,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock).path
    sell(shop, shop.imeis[0])
    db.close()

    def disk_full(_source: Path, target: Path) -> None:
        target.write_bytes(b"SQLite format 3\x00 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("store.backup.restore._copy_in", disk_full)
    with pytest.raises(DatabaseUnavailable, match="is as it was"):
        restore_backup(backup, db_path, store_code="S001", now=clock.local_now(), **M1)
    assert _sales_in(db_path) == 1
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("store", "."))) == ["store.db"]


def test_a_backup_is_checked_in_a_process_with_no_store_open(
    shop: Shop, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    backup = _backup(db_path, tmp_path / "bk", clock).path
    opened = database.obj
    database.initialize(None)  # as `zhanggui restore` is, over a store too damaged to open
    try:
        assert verify_backup(backup, "S001").audit_rows > 0
        assert database.obj is None
    finally:
        database.initialize(opened)


def test_the_copy_is_flushed_while_it_is_written_not_in_one_fsync_at_the_end(
    shop: Shop, db_path: Path, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sale committing while a big copy was fsynced at once waited 385-456 ms: the copy is
    flushed every TRICKLE_SECONDS as it is written, on the copy's own descriptor."""
    flushed: list[int] = []
    real = os.fdatasync
    monkeypatch.setattr(create, "TRICKLE_SECONDS", 0.001)
    monkeypatch.setattr(create.os, "fdatasync", lambda fd: (flushed.append(fd), real(fd))[1])
    path = tmp_path / "copy"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with create._trickled(fd):
            os.write(fd, b"x" * 4096)
            for _ in range(2000):
                if flushed:
                    break
                time.sleep(0.001)
        after = len(flushed)
        time.sleep(0.01)
        assert flushed and set(flushed) == {fd} and len(flushed) == after  # and none once done
    finally:
        os.close(fd)
    entered: list[bool] = []
    real_trickled = create._trickled

    @contextlib.contextmanager
    def watched(fd: int) -> Iterator[None]:
        with real_trickled(fd):
            entered.append(True)
            yield

    monkeypatch.setattr(create, "_trickled", watched)
    _backup(db_path, tmp_path / "backups", clock)
    assert entered == [True]
