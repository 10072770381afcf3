"""The bench's measuring code runs on a tiny store, and its raw-SQL floor for a sale writes
exactly what store.selling.checkout.commit_sale writes. No timing thresholds: figures belong to the bench."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from bench import burst, commit, lookup, report, startup
from store.audit import integrity
from store.db.connection import open_database
from tests.conftest import Shop
from tests.store_helpers import second_accessory


def test_lookups_measure_both_paths_on_the_same_rows(shop: Shop, db: SqliteDatabase, db_path: Path) -> None:
    results = lookup.measure_lookups(db_path, n=12)  # raises if the floor finds another row
    assert set(results) == {"barcode", "imei"}
    for result in results.values():
        assert len(result.ours) == len(result.floor) == 12
        assert all(seconds > 0 for seconds in result.ours + result.floor)


def test_commit_floor_writes_what_the_store_writes(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    second_accessory(shop)
    # 7 sales need 7 handsets: the Shop has 5, so the bench's restocking is exercised too.
    result = commit.measure_commit(db_path, tmp_path / "work", n=6, batch=2, warmup=1)
    assert len(result.ours) == len(result.floor) == 6
    assert all(seconds > 0 for seconds in result.ours + result.floor)
    assert result.floor_rows == result.ours_rows
    expected = {
        "sale": 7,
        "sale_line": 21,
        "tender": 7,
        "stock_movement": 21,
        "stock_movement.qty": -21,
        "imei_unit.sold": 7,
        "receipt_counter.last": 7,
        "audit_log": 7,
        "audit_head": 7,
    }
    assert {key: result.ours_rows[key] for key in expected} == expected
    for copy in (result.store_copy, result.raw_copy):  # the floor's audit rows chain like the real ones
        database = open_database(copy)
        try:
            assert integrity.verify() == []
        finally:
            database.close()


def test_scanner_burst_sees_every_line(shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path) -> None:
    latencies = burst.measure_burst(db_path, n=3, workdir=tmp_path)
    assert len(latencies) == 3
    assert all(seconds > 0 for seconds in latencies)


def test_startup_child_reaches_the_sale_screen(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    child = startup.spawn(["-m", "bench.startup_child", "ours", str(db_path)], startup.child_env(tmp_path))
    assert child.seconds > 0 and child.max_rss_kb > 0


def test_figures_judge_ratio_and_absolute_targets() -> None:
    ratio = report.Figure("commit", "ms", ours=6.0, floor=2.0, target=3.0, kind="ratio")
    absolute = report.Figure("lookup", "ms", ours=1.5, floor=0.01, target=1.0, kind="absolute")
    info = report.Figure("max", "ms", ours=40.0, floor=None, target=None, kind="info")
    assert (ratio.ratio, ratio.passed) == (3.0, True)
    assert absolute.passed is False and info.passed is None
    text = report.table([ratio, absolute, info])
    assert "PASS" in text and "FAIL" in text and "3.00×" in text


def test_the_pty_start_up_draws_login_then_the_sale_screen(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    from bench import startup_pty

    run = startup_pty.run_ours(db_path, startup_pty.pty_env(tmp_path), login="P1\r1111\r", settle_s=0.3)
    assert run.drawn_s > 0 and run.rss_kb > 10_000  # a real process's RSS, read after the PIN
    assert run.settled_kb > 10_000  # and again once the console has settled


def test_the_pty_burst_times_scans_drawn_by_the_console_and_a_bare_app(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    from bench import burst_pty
    from tests.store_helpers import second_accessory

    second_accessory(shop)  # the burst scans distinct accessories: at least two
    result = burst_pty.measure(db_path, 2, tmp_path / "burst", login=("P1", "1111"))
    assert len(result.ours) == len(result.bare) == 2
    assert all(s > 0 for s in result.ours + result.bare)
    names = [f.name for f in burst_pty.figures(result)]
    assert names[0] == "scan Enter → subtotal drawn, pty (median)"


def test_the_cli_figure_times_a_real_command_and_the_interpreter_floor(
    shop: Shop, db: SqliteDatabase, db_path: Path, tmp_path: Path
) -> None:
    from bench import cli_commands
    from store.crm.records import create_customer

    create_customer("13800138000", "张伟", by=shop.manager.id)  # what `customers find 8000` finds
    find = cli_commands.COMMANDS[0]
    found = cli_commands.measure(db_path, 1, tmp_path, commands=[find])
    assert len(found[find.label]["ours"]) == len(found[find.label]["floor"]) == 1
    (figure,) = cli_commands.figures(found)
    assert figure.kind == "absolute" and figure.target == cli_commands.FIND_TARGET_S
    assert figure.ours > 0 and figure.floor is not None and figure.floor > 0


def test_a_cli_command_that_fails_is_an_error_not_a_time(tmp_path: Path) -> None:
    from bench import cli_commands

    with pytest.raises(RuntimeError, match="exited"):
        cli_commands.measure(tmp_path / "missing.db", 1, tmp_path, commands=[cli_commands.COMMANDS[0]])
