"""zhanggui backup / restore from the command line: sentences and exit codes, never a
traceback; the folder and the rotation from config."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from peewee import SqliteDatabase

from tests.conftest import Shop
from tui.cli import main


@pytest.fixture
def shop_file(shop: Shop, db: SqliteDatabase, db_path: Path) -> Path:
    db.close()  # the command opens the file itself
    return db_path


def run(*args: str, given: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=given)


def test_backup_to_a_folder_then_restore_it(shop_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    made = run("backup", "--db", str(shop_file), "--to", str(folder))
    assert made.exit_code == 0, made.output
    (backup,) = folder.iterdir()
    assert f"Backup {backup} made and checked" in made.output

    refused = run(
        "restore", "--db", str(shop_file), str(backup), "--staff", "M1", "--pin", "1234", given="n\n"
    )
    assert refused.exit_code == 1 and "Nothing was changed." in refused.output
    assert not list(tmp_path.glob("store.before-restore-*"))

    done = run("restore", "--db", str(shop_file), str(backup), "--yes", given="M1\n1234\n")
    assert done.exit_code == 0, done.output
    (kept,) = tmp_path.glob("store.before-restore-*.db")
    assert f"Restored {shop_file} from {backup}." in done.output and str(kept) in done.output
    verified = run("audit", "verify", "--db", str(shop_file))  # the restore is a note, not tampering
    assert verified.exit_code == 0, verified.output
    assert f"王店长 (M1) put back the backup {backup.name}" in verified.output

    elsewhere = tmp_path / "new-computer" / "store.db"  # no store there: refused unless --new
    missing = run("restore", "--db", str(elsewhere), str(backup), "--yes")
    assert missing.exit_code == 1 and f"No store database at {elsewhere}" in missing.output
    elsewhere.parent.mkdir()
    # This computer kept anchors of S001: not a new computer for it, so a manager is asked
    # (checked in the backup, there being no database to check in).
    fresh = run("restore", "--db", str(elsewhere), str(backup), "--yes", "--new", given="M1\n1234\n")
    assert fresh.exit_code == 0 and elsewhere.exists() and "kept as" not in fresh.output


def test_the_folder_and_rotation_come_from_config_and_problems_are_sentences(
    shop_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    config = tmp_path / "config.toml"
    config.write_text(f'[backup]\nfolder = "{folder}"\ndaily = 1\nweekly = 0\n', encoding="utf-8")
    missing = run("backup", "--db", str(shop_file), "--config", str(config))
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert f"The backup folder {folder} is missing" in missing.output and not folder.exists()

    folder.mkdir()
    assert run("backup", "--db", str(shop_file), "--config", str(config)).exit_code == 0
    again = run("backup", "--db", str(shop_file), "--config", str(config))
    assert again.exit_code == 0 and "1 older backup removed by the rotation." in again.output
    assert len(list(folder.iterdir())) == 1

    config.write_text("[backup]\ndaily = 0\n", encoding="utf-8")
    bad = run("backup", "--db", str(shop_file), "--config", str(config))
    assert bad.exit_code == 1 and "backup.daily" in bad.output


def test_restore_refuses_another_stores_backup_in_chinese(shop_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    assert run("backup", "--db", str(shop_file), "--to", str(folder)).exit_code == 0
    (backup,) = folder.iterdir()
    foreign = tmp_path / "s002.db"
    shutil.copyfile(backup, foreign)
    with sqlite3.connect(foreign) as conn:
        conn.execute("UPDATE meta SET value = 'S002' WHERE key = 'store_code'")
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "zh_CN"\n', encoding="utf-8")
    refused = run(
        "restore",
        "--db",
        str(shop_file),
        "--config",
        str(config),
        str(foreign),
        "--yes",
        "--staff",
        "M1",
        "--pin",
        "1234",
    )
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "S002" in refused.output and "备份" in refused.output
    assert not list(tmp_path.glob("store.before-restore-*"))
