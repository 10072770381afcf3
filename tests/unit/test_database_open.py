"""Opening the store database: safe settings, refusing every database that is unsafe to use
with a clear message (never a traceback), and upgrading a database made by an old release."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from peewee import DatabaseError, OperationalError, SqliteDatabase

import store.db.connection
import store.db.transaction
from store import setup
from store.audit import integrity
from store.db import migrations
from store.db.connection import (
    IntegrityCheck,
    integrity_problem,
    open_database,
    schema_version,
    unclean_shutdown,
)
from store.db.transaction import write
from store.kernel.errors import DatabaseBusy, DatabaseUnavailable, ZhangguiError
from store.kernel.i18n import _, set_language
from store.models import MODELS, Meta, Product, Sale, SaleLine, Staff, Tender, database
from store.people import staff
from store.selling import checkout, holds, sale_lookup
from store.selling.cart import Cart
from store.selling.till import Till
from store.stock import catalog
from store.stock import ledger as stock

V1_FIXTURE = Path(__file__).parent.parent / "data" / "store-v1.db"
NOBODY = 65534


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store(path: Path, rows: int = 0) -> None:
    """A real database, optionally with enough rows to fill many b-tree pages, closed cleanly."""
    db = open_database(path)
    if rows:
        write(
            lambda: Meta.insert_many(
                [{"key": f"k{i:05d}", "value": "v" * 120} for i in range(rows)]
            ).execute()
        )
    db.close()


def test_a_new_database_is_safe_for_power_loss(db_path: Path) -> None:
    db = open_database(db_path)
    try:

        def pragma(name: str) -> Any:
            return db.execute_sql(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == store.db.connection.PRAGMAS["busy_timeout"] >= 1000
        assert schema_version(db) == migrations.LATEST
        assert database.obj is db
    finally:
        db.close()
    assert not Path(f"{db_path}-wal").exists()  # a clean close leaves one self-contained file


def test_missing_database_is_not_created_when_asked_not_to(db_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="No store database"):
        open_database(db_path, create=False)
    assert not db_path.exists()


@pytest.mark.parametrize("fstype", ["nfs4", "cifs", "fuse.sshfs"])
def test_a_network_drive_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fstype: str) -> None:
    share = tmp_path / "share"
    share.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(
        f"/dev/vda / ext4 rw,relatime 0 0\nfileserver:/export {share} {fstype} rw,relatime 0 0\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(store.db.connection, "MOUNTS_FILE", mounts)
    assert store.db.connection.filesystem_type(share / "store.db") == fstype
    assert store.db.connection.filesystem_type(tmp_path / "local.db") == "ext4"
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(share / "store.db")
    message = str(caught.value)
    assert "network drive" in message and fstype in message and str(share / "store.db") in message
    assert not (share / "store.db").exists()  # refused before SQLite touched it
    open_database(tmp_path / "local.db").close()  # the same machine's own disk is fine


def test_an_unreadable_mount_table_does_not_stop_the_shop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.db.connection, "MOUNTS_FILE", tmp_path / "no-such-mounts")
    assert store.db.connection.filesystem_type(tmp_path) == ""
    open_database(tmp_path / "store.db").close()


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A directory another user can reach (pytest's tmp_path sits under a 0700 directory)."""
    path = Path(tempfile.mkdtemp(prefix="zhanggui-ro-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        path.chmod(0o755)
        shutil.rmtree(path)


def _open_as_another_user(path: Path, language: str) -> tuple[int, str]:
    """Open ``path`` in a forked child that is not root (root ignores file permissions);
    the child reports what the person at the till would see."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            set_language(language)
            try:
                open_database(path).close()
                os.write(write_end, b"opened")
            except ZhangguiError as exc:
                os.write(write_end, str(exc).encode())
                code = 2
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
            code = 3
        finally:
            os._exit(code)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_read_only_database_is_refused(world_readable_dir: Path, language: str) -> None:
    path = world_readable_dir / "store.db"
    _make_store(path)
    before = _sha256(path)
    path.chmod(0o444)
    world_readable_dir.chmod(0o555)  # no -wal or -shm could be created either
    code, output = _open_as_another_user(path, language)
    set_language(language)
    expected = _("The database {path} is read-only; sales could not be saved.").format(path=path)
    set_language("en")
    assert (code, output) == (2, expected)
    assert "Traceback" not in output
    assert _sha256(path) == before


def test_a_read_only_folder_is_refused_too(world_readable_dir: Path) -> None:
    path = world_readable_dir / "store.db"
    _make_store(path)
    path.chmod(0o666)
    world_readable_dir.chmod(0o555)  # the file is writable but its -wal cannot be created
    code, output = _open_as_another_user(path, "en")
    assert code == 2 and output == f"The database {path} is read-only; sales could not be saved."


def test_a_file_that_is_not_a_database_is_refused(db_path: Path) -> None:
    junk = random.Random(404).randbytes(16384)
    db_path.write_bytes(junk)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(db_path)
    assert str(caught.value) == f"The database {db_path} is damaged. Restore the last backup."
    assert isinstance(caught.value.__cause__, DatabaseError)  # translated, not passed through
    assert db_path.read_bytes() == junk  # left as it was for whoever recovers it


def test_a_corrupted_database_is_refused(db_path: Path) -> None:
    _make_store(db_path, rows=2000)
    raw = sqlite3.connect(db_path)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    page_count = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    data = bytearray(db_path.read_bytes())
    leaves = [n for n in range(2, page_count + 1) if data[(n - 1) * page_size] == 0x0D]  # table leaf pages
    assert len(leaves) > 10
    middle = (leaves[len(leaves) // 2] - 1) * page_size + page_size // 2
    data[middle - 512 : middle + 512] = b"\xde\xad\xbe\xef" * 256
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(db_path)
    assert str(caught.value) in (
        f"The database {db_path} failed its integrity check. Restore the last backup.",
        f"The database {db_path} is damaged. Restore the last backup.",
    )
    assert database.obj.is_closed()


def test_a_newer_database_is_refused_and_left_alone(db_path: Path) -> None:
    _make_store(db_path)
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    raw.close()
    before = _sha256(db_path)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(db_path)
    assert str(caught.value) == (
        f"This database was made by a newer zhanggui (schema {migrations.LATEST + 1}); please upgrade."
    )
    assert database.obj.is_closed()  # no connection left open on a database we refused
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST + 1
    raw.close()
    assert _sha256(db_path) == before


def _hold_lock(db_path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO meta VALUES ('other program', 'was here')")
    return holder


def test_a_locked_database_gives_a_busy_message_not_a_traceback(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real settings, nothing patched: a write on the console's event loop gives up after
    GIVE_UP_AFTER seconds with a sentence, never the 42 s it once froze the till for."""
    db = open_database(db_path)
    holder = _hold_lock(db_path)
    tries: list[float] = []
    real_clock = store.db.transaction.clock

    def counting_clock() -> float:
        tries.append(real_clock())
        return tries[-1]

    monkeypatch.setattr(store.db.transaction, "clock", counting_clock)
    try:
        with pytest.raises(DatabaseBusy) as caught:
            write(lambda: setup.set_meta("store_name", "never written"))
        assert tries[-1] - tries[0] < 2 * store.db.transaction.GIVE_UP_AFTER  # issue 11: not 42 s
        assert str(caught.value) == "The database is busy (another program holds it). Try again in a moment."
        assert not isinstance(caught.value, OperationalError)
        assert isinstance(caught.value.__cause__, OperationalError)
        assert len(tries) > 3  # it did try again before giving up
        assert not db.in_transaction()
        # The short wait was for that write only: reads keep the connection's busy timeout.
        assert (
            db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == store.db.connection.PRAGMAS["busy_timeout"]
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    write(lambda: setup.set_meta("store_name", "after the lock"))  # the connection is still usable
    assert setup.get_meta("store_name") == "after the lock"
    db.close()


def test_a_lock_released_while_retrying_lets_the_write_through(db_path: Path) -> None:
    db = open_database(db_path)
    holder = _hold_lock(db_path)

    def _release() -> None:
        holder.execute("COMMIT")
        holder.close()

    release = threading.Timer(0.08, _release)
    release.start()
    try:
        write(lambda: setup.set_meta("store_name", "written"))
    finally:
        release.join()
    assert setup.get_meta("store_name") == "written"
    assert setup.get_meta("other program") == "was here"
    db.close()


def test_a_version_1_database_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    fixture_hash = _sha256(V1_FIXTURE)
    path = tmp_path / "store.db"
    shutil.copyfile(V1_FIXTURE, path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'held_cart'").fetchone()[0] == 0
    raw.close()

    db = open_database(path)
    try:
        assert schema_version(db) == migrations.LATEST
        assert "held_cart" in db.get_tables()
        _assert_schema_matches_models(db)
        manager = staff.login("M1", "1234")  # the old PIN hash still works
        assert (manager.name, manager.role) == ("王店长", "admin")
        assert setup.get_meta("store_code") == "S001" and setup.get_meta("store_name") == "老店"
        case = Product.get(Product.sku == "CASE")
        assert (case.price, case.barcode) == (3900, "6900000000011")
        assert stock.on_hand(case.id) == 3
        old = sale_lookup.find_sale("S001-T1-20260101-0001")
        assert (old.total, old.status, str(old.business_date)) == (7800, "completed", "2026-01-01")
        assert [(ln.qty, ln.total) for ln in SaleLine.select().where(SaleLine.sale == old.id)] == [(2, 7800)]
        assert [(t.kind, t.amount, t.change) for t in Tender.select().where(Tender.sale == old.id)] == [
            ("cash", 7800, 2200)
        ]
        assert [r.returnable for r in sale_lookup.returnable_lines(old)] == [2]
        # The upgraded store keeps trading: a held cart (the version-2 table) and a new sale.
        till = Till(store_code="S001", terminal_id="T1", tz=ZoneInfo("Asia/Shanghai"))
        cart = Cart(staff_id=manager.id, staff_role="admin", discount_limit_percent=100)
        found = catalog.lookup_code("6900000000011")
        assert found is not None
        cart.add_scan(found, 1)
        holds.hold(cart, "later")
        assert [h.id for h in holds.held_carts()] == [cart.id]
        cart = holds.resume(cart.id)
        cart.add_tender("cash", 5000)
        assert checkout.commit_sale(cart, till).total == 3900
        assert stock.on_hand(case.id) == 2 and Sale.select().count() == 2
        assert Staff.select().count() == 1
        assert integrity.verify() == []
    finally:
        db.close()
    assert _sha256(V1_FIXTURE) == fixture_hash  # the committed fixture itself is never touched


_PARTIAL_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE '% WHERE %'"
)


def _assert_schema_matches_models(db: SqliteDatabase) -> None:
    """The migrations and the models describe the same tables: a model change without a
    migration fails here. Declared types count too (an id column is BLOB: it holds 16 bytes),
    and so does what a partial index covers."""
    assert set(db.get_tables()) == {model._meta.table_name for model in MODELS}
    made = SqliteDatabase(":memory:")  # the tables as the models alone would make them
    with made.bind_ctx(MODELS):
        made.create_tables(MODELS)
    for model in MODELS:
        table = model._meta.table_name
        info = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        columns = {row[1]: bool(row[3]) for row in info}  # name -> NOT NULL
        fields = {f.column_name: not f.null for f in model._meta.sorted_fields}
        assert columns == fields, table
        types = {row[1]: row[2] for row in info}
        wanted_types = {row[1]: row[2] for row in made.execute_sql(f'PRAGMA table_info("{table}")')}
        assert types == wanted_types, table
        partial, wanted_partial = (
            dict(d.execute_sql(_PARTIAL_INDEXES, (table,)).fetchall()) for d in (db, made)
        )
        assert partial == wanted_partial, table
        indexes: dict[tuple[str, ...], bool] = {}
        for _seq, name, unique, origin, *_rest in db.execute_sql(f'PRAGMA index_list("{table}")').fetchall():
            if origin == "c":  # made by CREATE INDEX, not by a PRIMARY KEY
                cols = tuple(r[2] for r in db.execute_sql(f'PRAGMA index_info("{name}")').fetchall())
                indexes[cols] = bool(unique)
        wanted = {
            (f.column_name,): bool(f.unique)
            for f in model._meta.sorted_fields
            if (f.unique or f.index) and not f.primary_key
        }
        for extra in model._meta.indexes:  # composite and partial indexes declared on the model
            wanted[tuple(e.column_name for e in extra._expressions)] = bool(extra._unique)
        assert indexes == wanted, table


def test_the_migrations_build_exactly_the_models_schema(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        _assert_schema_matches_models(db)
    finally:
        db.close()


def _corrupt_a_leaf_page(path: Path) -> None:
    raw = sqlite3.connect(path)
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    page_count = raw.execute("PRAGMA page_count").fetchone()[0]
    raw.close()
    data = bytearray(path.read_bytes())
    leaves = [n for n in range(2, page_count + 1) if data[(n - 1) * page_size] == 0x0D]
    middle = (leaves[len(leaves) // 2] - 1) * page_size + page_size // 2
    data[middle - 512 : middle + 512] = b"\xde\xad\xbe\xef" * 256
    path.write_bytes(bytes(data))


def test_the_console_defers_the_full_check_after_a_clean_shutdown(db_path: Path) -> None:
    _make_store(db_path, rows=2000)
    assert not unclean_shutdown(db_path)
    assert integrity_problem(db_path) is None
    _corrupt_a_leaf_page(db_path)
    db = open_database(db_path, full_check=False)  # opens: the damaged page was not read
    db.close()
    problem = integrity_problem(db_path)
    assert problem == f"The database {db_path} failed its integrity check. Restore the last backup."


def test_after_an_unclean_shutdown_the_check_runs_before_opening(db_path: Path) -> None:
    _make_store(db_path, rows=2000)
    _corrupt_a_leaf_page(db_path)
    db_path.with_name(db_path.name + "-wal").write_bytes(b"\x00" * 32)  # what a crash leaves
    assert unclean_shutdown(db_path)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(db_path, full_check=False)
    assert "Restore the last backup" in str(caught.value)


def test_a_cancelled_background_check_reports_nothing(db_path: Path) -> None:
    _make_store(db_path, rows=2000)
    _corrupt_a_leaf_page(db_path)
    check = IntegrityCheck(db_path)
    check.cancel()
    assert check.run() is None
    assert IntegrityCheck(db_path).run() is not None


def test_cancel_interrupts_a_running_check(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _make_store(db_path)
    check = IntegrityCheck(db_path)
    started = threading.Event()
    real_connect = sqlite3.connect

    class SlowConnection:
        """Holds quick_check until cancel() has been called, like a check of a huge file."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.inner = real_connect(*args, **kwargs)
            self.interrupted = threading.Event()

        def execute(self, sql: str) -> Any:
            started.set()
            assert self.interrupted.wait(5)
            raise sqlite3.OperationalError("interrupted")

        def interrupt(self) -> None:
            self.interrupted.set()

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(store.db.connection.sqlite3, "connect", SlowConnection)
    result: list[str | None] = []
    worker = threading.Thread(target=lambda: result.append(check.run()))
    worker.start()
    assert started.wait(5)
    check.cancel()
    worker.join(5)
    assert not worker.is_alive() and result == [None]


def test_the_tenders_version_adds_the_return_reason_and_the_refunds_original(db_path: Path) -> None:
    """Schema version V13 (tenders) on a store made by the version before it: sales and
    tenders keep every row, old returns read as having no reason ('') and old refunds as
    pointing at no original tender (null); the upgraded store then takes both."""
    version = migrations.MIGRATIONS.index(migrations.V13) + 1
    raw = sqlite3.connect(db_path)
    for statements in migrations.MIGRATIONS[: version - 1]:
        for statement in statements:
            if "id_bytes(" not in statement:  # the copy of version 10 has nothing to copy here
                raw.execute(statement)
    raw.execute(f"PRAGMA user_version = {version - 1}")
    columns = {t: [r[1] for r in raw.execute(f'PRAGMA table_info("{t}")')] for t in ("sale", "tender")}
    assert "return_reason" not in columns["sale"] and "original_id" not in columns["tender"]
    staff_id, sale_id, tender_id = (bytes([n]) * 16 for n in (1, 2, 3))
    raw.execute(
        "INSERT INTO staff (id, code, name, role, pin_hash, failed_pins, locked, active, created_at) "
        "VALUES (?, 'M1', 'm', 'admin', '', 0, 0, 1, '2026-01-01')",
        (staff_id,),
    )
    raw.execute(
        "INSERT INTO sale (id, receipt_no, store_code, terminal_id, business_date, created_at, kind, "
        "status, staff_id, subtotal, discount, total, note) VALUES (?, 'S001-T1-20260101-0001', 'S001', "
        "'T1', '2026-01-01', '2026-01-01 02:00:00', 'sale', 'completed', ?, 100, 0, 100, '')",
        (sale_id, staff_id),
    )
    raw.execute(
        'INSERT INTO tender (id, sale_id, kind, amount, tendered, "change", reference) '
        "VALUES (?, ?, 'wechat', 100, 100, 0, '4200')",
        (tender_id, sale_id),
    )
    raw.commit()
    raw.close()

    db = open_database(db_path)
    try:
        assert schema_version(db) == migrations.LATEST >= version
        _assert_schema_matches_models(db)
        sale = Sale.get(Sale.receipt_no == "S001-T1-20260101-0001")
        assert (sale.total, sale.return_reason) == (100, "")
        (tender,) = Tender.select().where(Tender.sale == sale.id)
        assert (tender.kind, tender.reference, tender.original_id) == ("wechat", "4200", None)
    finally:
        db.close()
