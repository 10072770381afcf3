"""Backups of a store in use (issue 14): a backup killed at any moment leaves only whole,
checked backups in the folder, and a backup taken while a till commits sales holds every
sale committed before it started."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import threading
import time
import traceback
from pathlib import Path
from typing import NoReturn

from peewee import SqliteDatabase

from store.backup import rotate
from store.backup.create import make_backup
from store.backup.verify import verify_backup
from store.db.transaction import release_thread_connection
from store.kernel import FixedClock
from store.stock import ledger as stock
from tests.conftest import Shop
from tests.store_helpers import sell

KILLS = 20
SEED = 20261207


def _back_up_until_killed(db_path: Path, folder: Path, clock: FixedClock, err: Path, done: int) -> NoReturn:
    code = 0
    try:
        while True:
            clock.advance(seconds=1)
            make_backup(db_path, folder, store_code="S001", taken=clock.local_now(), daily=3, weekly=0)
            os.write(done, b".")  # one more whole backup: the parent may now kill at any moment
    except BaseException:
        err.write_text(traceback.format_exc())
        code = 3
    finally:
        os._exit(code)


def test_killing_a_backup_anywhere_leaves_only_whole_checked_backups(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    sell(shop, shop.imeis[0])
    db.close()  # the children open their own connections
    folder, err = tmp_path / "usb", tmp_path / "child-error.txt"
    folder.mkdir()
    rng = random.Random(SEED)
    for round_no in range(KILLS):
        clock.advance(days=1)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _back_up_until_killed(db_path, folder, clock, err, write)
        os.close(write)
        # Every other round first waits for one whole backup, however slow the machine, so the
        # folder has finished backups to check; then each kill lands at a random moment of the
        # loop (opening, VACUUM INTO, fsync, the check, the rename, the rotation).
        if round_no % 2 == 0:
            ready, _, _ = select.select([read], [], [], 60)
            assert ready and os.read(read, 1) == b".", f"round {round_no}: no backup within 60 s"
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.close(read)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"round {round_no}: " + (
            err.read_text() if err.exists() else str(status)
        )

    made = rotate.backups(folder, "S001")
    assert made, "no backup finished between the kills: they proved little"
    for backup in made:
        verify_backup(backup.path, "S001")
    others = [p.name for p in folder.iterdir() if p not in {b.path for b in made}]
    # Besides them, only the hidden partial files (and their journals) of killed backups.
    assert all(name.startswith(".zhanggui-") and ".partial" in name for name in others), others

    clock.advance(days=1)
    make_backup(db_path, folder, store_code="S001", taken=clock.local_now(), daily=3, weekly=0)
    assert not [p for p in folder.iterdir() if ".partial" in p.name]  # the next one clears them


def test_a_backup_while_a_till_sells_holds_every_sale_committed_before_it(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path, clock: FixedClock
) -> None:
    stock.receive(shop.case, staff_id=shop.manager.id, qty=500)
    committed = 0
    some_sold, stop = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def till() -> None:
        nonlocal committed
        try:
            while not stop.is_set() and committed < 400:
                sell(shop, case_qty=1)
                committed += 1
                if committed == 5:
                    some_sold.set()
        except BaseException as exc:  # the test says what went wrong
            failure.append(exc)
        finally:
            some_sold.set()
            release_thread_connection()

    seller = threading.Thread(target=till)
    seller.start()
    try:
        some_sold.wait()
        before = committed
        result = make_backup(
            db_path,
            tmp_path / "bk",
            store_code="S001",
            taken=clock.local_now(),
            daily=1,
            weekly=0,
            create_folder=True,
        )
    finally:
        stop.set()
        seller.join()
    assert not failure, failure
    with sqlite3.connect(result.path) as conn:
        in_backup = conn.execute("SELECT count(*) FROM sale").fetchone()[0]
    assert before <= in_backup <= committed
