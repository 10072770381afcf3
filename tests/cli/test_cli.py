from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from store.db.connection import open_database
from tests.store_helpers import shop_in_file
from tui.cli import main


def sub(group: click.Group, name: str) -> click.Command:
    command = group.get_command(click.Context(group), name)
    assert command is not None, name
    return command


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name in group.list_commands(click.Context(group)):  # the top level loads lazily
        command = sub(group, name)
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(all_commands(command, path))
    return found


def test_every_command_has_help_with_text() -> None:
    runner = CliRunner()
    commands = all_commands(main)
    assert ("audit", "verify") in commands
    for path in [(), *commands]:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = sub(command, name)
        assert command.help and command.help.strip(), f"{' '.join(path)} has no help"


def test_commands_touching_the_database_take_db_and_config() -> None:
    for path in all_commands(main):
        command: click.Command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = sub(command, name)
        if isinstance(command, click.Group):
            continue
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"--db", "--config"} <= options, path


def test_audit_verify_detects_an_edited_row(db_path: Path) -> None:
    shop_in_file(db_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify", "--db", str(db_path)])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output

    database = open_database(db_path)
    database.execute_sql("UPDATE audit_log SET after = '{\"qty\": 999}' WHERE seq = 3")
    database.close()
    bad = runner.invoke(main, ["audit", "verify", "--db", str(db_path)])
    assert bad.exit_code == 1
    assert "row 3" in bad.output and "tampered" in bad.output
    assert "Traceback" not in bad.output


def test_db_from_environment_and_bad_config_is_one_message(
    db_path: Path, tmp_path: Path, monkeypatch: object
) -> None:
    shop_in_file(db_path)
    runner = CliRunner()
    result = runner.invoke(main, ["audit", "verify"], env={"ZHANGGUI_DB": str(db_path)})
    assert result.exit_code == 0 and "intact" in result.output

    bad = tmp_path / "bad.toml"
    bad.write_text('[discounts]\npromoter = "ten"\n', encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--db", str(db_path), "--config", str(bad)])
    assert result.exit_code == 1
    assert "discounts.promoter" in result.output
    assert "Traceback" not in result.output


def test_a_database_that_is_not_sqlite_is_refused_with_a_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    result = CliRunner().invoke(main, ["audit", "verify", "--db", str(junk)])
    assert result.exit_code == 1
    assert "damaged" in result.output
    assert "Traceback" not in result.output


def test_bare_command_refuses_a_damaged_database_without_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    result = CliRunner().invoke(main, ["--db", str(junk)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output
