"""The whole-file integrity check runs where it protects something (issue 16): on
`zhanggui check`, before a file leaves the shop, after an unclean shutdown; not in front of
every command. Subcommands load only when used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.db.connection import open_database
from store.db.transaction import write
from store.models import Meta
from tests.conftest import Shop
from tests.unit.test_database_open import _corrupt_a_leaf_page
from tui.cli import SUBCOMMANDS, main


@pytest.fixture
def store_file(db_path: Path) -> Path:
    database = open_database(db_path)
    Shop()
    # Enough rows that the damaged page is one a staff listing never reads.
    write(lambda: Meta.insert_many([{"key": f"k{i:05d}", "value": "v" * 120} for i in range(2000)]).execute())
    database.close()
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_says_an_undamaged_store_is_intact(store_file: Path) -> None:
    code, out = run("check", "--db", str(store_file))
    assert code == 0, out
    assert out.strip() == f"The database {store_file} is intact."


def test_a_read_command_does_not_read_the_whole_file_but_check_and_verify_do(store_file: Path) -> None:
    _corrupt_a_leaf_page(store_file)
    code, out = run("staff", "list", "--db", str(store_file))
    assert code == 0, out  # the damaged page was not read: no quick_check in front of it
    assert "M1" in out
    damaged = f"The database {store_file} failed its integrity check. Restore the last backup."
    code, out = run("check", "--db", str(store_file))
    assert code == 1 and damaged in out
    code, out = run("audit", "verify", "--db", str(store_file))  # checks before it vouches for the log
    assert code == 1 and damaged in out


def test_after_an_unclean_shutdown_every_command_checks_first(store_file: Path) -> None:
    _corrupt_a_leaf_page(store_file)
    store_file.with_name(store_file.name + "-wal").write_bytes(b"\x00" * 32)  # what a crash leaves
    code, out = run("staff", "list", "--db", str(store_file))
    assert code == 1 and "failed its integrity check" in out


def test_every_subcommand_is_listed_and_loads() -> None:
    assert sorted(main.list_commands(None)) == sorted(SUBCOMMANDS)  # type: ignore[arg-type]
    for name in SUBCOMMANDS:
        command = main.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name


def test_a_command_loads_only_its_own_module() -> None:
    probe = (
        "import json, sys\n"
        "from tui.cli import main\n"
        "main(['check', '--help'], standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "tui.cli.check" in loaded
    early = {
        "tui.cli.demo",
        "store.demo.build",
        "tui.cli.customers",
        "tabulate",
        "openpyxl",
        "textual",
    } & loaded
    assert not early, early


def test_the_console_opens_a_crashed_store_at_once_and_checks_it_without_waiting(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.context import load, open_store
    from tui.app import INTEGRITY_CHECK_DELAY_SECONDS, ZhangguiApp

    _corrupt_a_leaf_page(store_file)
    store_file.with_name(store_file.name + "-wal").write_bytes(b"\x00" * 32)  # what a crash leaves
    ctx = open_store(load(None), store_file, full_check=False, defer_check=True)  # as run_console
    try:
        assert ctx.unclean_start and not ctx.integrity_checked
        waited: list[float] = []
        monkeypatch.setattr(
            "store.db.connection.IntegrityCheck.wait", lambda self, delay: waited.append(delay)
        )
        app = ZhangguiApp(ctx)
        app.check_integrity.__wrapped__(app)  # type: ignore[attr-defined]  # the worker's body, here
        assert waited == [0.0] and INTEGRITY_CHECK_DELAY_SECONDS > 0
    finally:
        ctx.close()
