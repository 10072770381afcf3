"""zhanggui audit verify / audit anchor from the command line: sentences and exit codes, never
a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store.audit import chain
from store.audit import keys as audit_files
from store.db.connection import open_database
from tests.store_helpers import shop_in_file
from tests.unit.test_audit_anchors import rechain_plain
from tui.cli import main


@pytest.fixture
def shop_file(db_path: Path) -> Path:
    shop_in_file(db_path)
    return db_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["audit", *args])


def sql(path: Path, *statements: str) -> None:
    database = open_database(path)
    try:
        for statement in statements:
            database.execute_sql(statement)
    finally:
        database.close()


def test_a_dropped_table_is_a_sentence_and_a_failing_exit_code(shop_file: Path) -> None:
    sql(shop_file, "DROP TABLE audit_log")
    result = run("verify", "--db", str(shop_file))
    assert result.exit_code == 1
    assert "The audit log table is missing from the database: every audit row was removed." in result.output
    assert "The audit log was tampered with or damaged." in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_anchor_prints_the_head_and_verify_checks_against_it(shop_file: Path) -> None:
    printed = run("anchor", "--db", str(shop_file))
    assert printed.exit_code == 0, printed.output
    token = printed.output.split("Audit chain head of store S001: ")[1].split()[0]
    assert f"zhanggui audit verify --anchor {token}" in printed.output
    kept = audit_files.read_anchors("S001").anchors
    assert kept[-1].token == token

    ok = run("verify", "--db", str(shop_file), "--anchor", token)
    assert ok.exit_code == 0, ok.output
    assert "Audit log intact" in ok.output and "2 anchors checked" in ok.output

    sql(shop_file, "DELETE FROM audit_log", "DELETE FROM meta WHERE key = 'audit_head'")
    bad = run("verify", "--db", str(shop_file), "--anchor", token)
    assert bad.exit_code == 1
    assert f"The anchor {token} says the log had" in bad.output
    assert "an older copy of the database was put back" in bad.output
    assert "Traceback" not in bad.output


def test_a_plain_sha256_rewrite_is_reported_as_one_run_of_rows(shop_file: Path) -> None:
    database = open_database(shop_file)
    try:
        database.execute_sql(
            "UPDATE audit_log SET after = '{\"demo\": true}' WHERE action = 'store.initialise'"
        )
        rechain_plain(database)
        last = database.execute_sql("SELECT MAX(seq) FROM audit_log").fetchone()[0]
    finally:
        database.close()
    result = run("verify", "--db", str(shop_file))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"rows 1–{last}: row was changed after it was written",
        "Error: The audit log was tampered with or damaged.",
    ]


def test_a_garbage_head_is_reported_then_repaired_by_the_next_write(shop_file: Path) -> None:
    sql(shop_file, "UPDATE meta SET value = 'garbage' WHERE key = 'audit_head'")
    result = run("verify", "--db", str(shop_file))
    assert result.exit_code == 1
    assert "the audit head is damaged ('garbage')" in result.output

    database = open_database(shop_file)
    try:
        chain.repair()
    finally:
        database.close()
    result = run("verify", "--db", str(shop_file))
    assert result.exit_code == 0, result.output
    assert "the audit head was found damaged or missing" in result.output
    assert "Audit log intact" in result.output


def test_on_a_computer_without_the_secret_verify_says_so_without_claiming_tampering(
    shop_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "other-pc"))
    result = run("verify", "--db", str(shop_file))
    assert result.exit_code == 2
    assert "is not on this computer" in result.output
    assert "could not be fully checked on this computer" in result.output
    assert "tampered" not in result.output and "Traceback" not in result.output


def test_a_bad_anchor_is_one_sentence(shop_file: Path) -> None:
    result = run("verify", "--db", str(shop_file), "--anchor", "yesterday")
    assert result.exit_code == 1
    assert "'yesterday' is not an audit anchor" in result.output
    assert "Traceback" not in result.output


def test_a_store_never_set_up_is_refused_not_anchored(db_path: Path) -> None:
    """Only the console's first start and demo make a store: anchoring an empty file would
    bless it, so the command refuses it with its path."""
    open_database(db_path).close()
    result = run("anchor", "--db", str(db_path))
    assert result.exit_code == 1
    assert str(db_path) in result.output and "Traceback" not in result.output
