"""Every example in every command's and group's --help runs on a fresh demo store as printed
(issue 13).

The format: a help text ends with a paragraph that is the line ``Examples:``, then a ``\\b``
paragraph (click prints it unwrapped) of lines that each start with ``zhanggui ``. Each
example runs in a folder holding ``shop.db`` (a copy of one small demo store built once per
worker) and ``examples/`` (the files the project ships), in-process, with the PIN of every
staff code it names typed at the prompts, and must exit with 0.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from store import demo
from store.db.connection import open_database
from store.kernel import FixedClock, set_process_clock
from store.kernel.errors import PermissionDenied
from store.kernel.i18n import set_language
from store.models import Staff
from store.people import staff
from tests.conftest import TEST_NOW, TILL
from tests.store_helpers import cheap_pins
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADING = "Examples:"
PINS = {m.code: m.pin for m in demo.DEMO_STAFF}
WHO = ("--staff", "--manager", "--incoming")  # the options that name the person whose PIN is asked


def commands(
    command: click.Command = main, path: tuple[str, ...] = ("zhanggui",)
) -> Iterator[tuple[str, click.Command]]:
    """Every command and group under ``main`` (main itself included), by its command line."""
    yield " ".join(path), command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from commands(sub, (*path, name))


def examples_of(command: click.Command) -> list[str]:
    lines = inspect.cleandoc(command.help or "").splitlines()
    if HEADING not in lines:
        return []
    return [
        line.strip() for line in lines[lines.index(HEADING) + 1 :] if line.strip().startswith("zhanggui ")
    ]


COMMANDS = dict(commands())
# Each distinct example once (a group may repeat one of its commands' examples).
EXAMPLES = list(
    {line: (name, line) for name, command in COMMANDS.items() for line in examples_of(command)}.values()
)


def test_every_command_and_group_shows_an_example_as_printed() -> None:
    missing = [name for name, command in COMMANDS.items() if not examples_of(command)]
    assert missing == []
    runner = CliRunner()
    for name, command in COMMANDS.items():
        result = runner.invoke(main, [*name.split()[1:], "--help"], terminal_width=80)
        assert result.exit_code == 0, name
        # One spelling per option: --output and --staff (the old --out and --manager work, unshown).
        assert not re.search(r"--out\b|--manager\b", result.output), name
        shown = {line.strip() for line in result.output.splitlines()}
        for example in examples_of(command):
            assert example.startswith(name + " ") or name == "zhanggui", (name, example)
            assert example in shown, (name, example)  # printed whole, on one line


def test_examples_name_files_that_ship() -> None:
    for _name, line in EXAMPLES:
        for word in shlex.split(line):
            if word.startswith("examples/"):
                assert (ROOT / word).is_file(), line


@dataclass(frozen=True)
class DemoTemplate:
    folder: Path  # shop.db and the files beside it
    config: Path  # the XDG config folder it was made under (the audit keys)
    clock_after: datetime


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """One small demo store a worker, made on the suite's clock; each example gets a copy."""
    root = tmp_path_factory.mktemp("help-demo")
    folder, config = root / "store", root / "config"
    folder.mkdir()
    fixed = FixedClock(TEST_NOW, TILL.tz, tick=timedelta(milliseconds=1))
    set_process_clock(fixed)
    set_language("en")
    with pytest.MonkeyPatch.context() as mp:
        cheap_pins(mp)
        mp.setenv("XDG_CONFIG_HOME", str(config))
        database = open_database(folder / "shop.db")
        demo.build_demo("small", seed=1, now=TEST_NOW)
        database.close()
    set_process_clock(None)
    return DemoTemplate(folder, config, fixed.now())


def _vouchers_expired_by_a_wrong_clock() -> None:
    """The situation `referrals unexpire` is for: a clock a year ahead, settled anyway."""
    set_process_clock(FixedClock(datetime(2027, 12, 7, 2, 0), TILL.tz, tick=timedelta(milliseconds=1)))
    args = ["referrals", "settle", "--confirm-date", "2027-12-07", "--staff", "M1", "--pin", "1234"]
    result = CliRunner().invoke(main, [*args, "--db", "shop.db"])
    assert result.exit_code == 0 and "expired" in result.output, result.output


def _a_locked_account() -> None:
    """The situation `staff unlock` is for: five wrong PINs."""
    database = open_database(Path("shop.db"))
    try:
        for _attempt in range(5):
            with contextlib.suppress(PermissionDenied):
                staff.login("P1", "0000")
        assert Staff.get(Staff.code == "P1").locked
    finally:
        database.close()


def _a_usb_stick() -> None:
    """The situation `backup --to` is for: a USB stick's folder."""
    Path("usb").mkdir()


def _a_backup_on_the_stick() -> None:
    """The situation `restore` is for: a backup of this store, named as in the example."""
    _a_usb_stick()
    result = CliRunner().invoke(main, ["backup", "--db", "shop.db", "--to", "usb"])
    assert result.exit_code == 0, result.output
    (made,) = Path("usb").iterdir()
    made.rename("usb/zhanggui-DEMO-20261207-213000.db")


def _a_new_computer_and_the_stick() -> None:
    """The situation `restore --new` is for: the shop's computer was replaced; the stick holds
    a backup, and this computer has neither the database nor an audit anchor of the store."""
    from store.audit.keys import anchors_path
    from store.config.loader import default_config_path

    _a_backup_on_the_stick()
    for name in ("shop.db", "shop.db-wal", "shop.db-shm"):
        Path(name).unlink(missing_ok=True)
    anchors_path("DEMO").unlink(missing_ok=True)
    # The new computer was set up for this store: with no database, its config names the store.
    config = default_config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[store]\ncode = "DEMO"\n', encoding="utf-8")


def _the_day_closed_last_night() -> None:
    """The situation `day open` is for: the demo's drawer runs today; the manager closed the
    day, so the next business day starts with a closed drawer."""
    args = ["day", "close", "--not-counted", "--reason", "演示", "--staff", "M1", "--db", "shop.db"]
    result = CliRunner().invoke(main, args, input="1234\n")
    assert result.exit_code == 0, result.output


def _a_signing_key() -> None:
    """The situation `keys show` is for: `keys init` made the store's key at set-up."""
    result = CliRunner().invoke(main, ["keys", "init", "--db", "shop.db"])
    assert result.exit_code == 0, result.output


def _a_closed_day_to_export() -> None:
    """The situation `export` is for: the key made at set-up, the chain's phone secret in the
    config, and the day closed with its Z report."""
    from store.config.loader import default_config_path
    from store.kernel.clock import business_date, utcnow

    _a_signing_key()
    config = default_config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[hq]\nphone_secret = "demo-chain-secret-0123"\n', encoding="utf-8")
    today = business_date(utcnow(), TILL.tz).isoformat()
    args = ["day", "close", "--date", today, "--staff", "M1", "--pin", "1234", "--not-counted"]
    args += ["--reason", "x"]
    result = CliRunner().invoke(main, [*args, "--db", "shop.db"])
    assert result.exit_code == 0, result.output


def _a_store_day_file_at_head_office() -> None:
    """The situation `hq import` is for: the store's closed day exported to a stick, named as
    in the example, and the store registered at head office with its public key."""
    from store.exchange.keys import load_signing_key

    _a_closed_day_to_export()
    result = CliRunner().invoke(main, ["export", "--db", "shop.db", "--output", "usb"])
    assert result.exit_code == 0, result.output
    (made,) = Path("usb").iterdir()
    made.rename("usb/DEMO-2026-12-07.day.zip")
    key = load_signing_key("DEMO").public.text
    result = CliRunner().invoke(main, ["hq", "store", "add", "DEMO", "--key", key, "--db", "hq.db"])
    assert result.exit_code == 0, result.output


def _a_head_office_with_a_day() -> None:
    """The situation `hq report` is for: head office holds a store's day."""
    _a_store_day_file_at_head_office()
    result = CliRunner().invoke(main, ["hq", "import", "--db", "hq.db", "usb/DEMO-2026-12-07.day.zip"])
    assert result.exit_code == 0, result.output


RESTORE_NEW = "zhanggui restore --db shop.db usb/zhanggui-DEMO-20261207-213000.db --new --yes"

# What happened before an example that is for a particular situation (by command, or by line).
SITUATIONS = {
    "zhanggui backup": _a_usb_stick,
    "zhanggui restore": _a_backup_on_the_stick,
    RESTORE_NEW: _a_new_computer_and_the_stick,
    "zhanggui day open": _the_day_closed_last_night,
    "zhanggui export": _a_closed_day_to_export,
    "zhanggui hq import": _a_store_day_file_at_head_office,
    "zhanggui hq report": _a_head_office_with_a_day,
    "zhanggui hq map": _a_head_office_with_a_day,
    "zhanggui hq map store": _a_head_office_with_a_day,
    "zhanggui hq map product": _a_head_office_with_a_day,
    "zhanggui hq map list": _a_head_office_with_a_day,
    "zhanggui hq sellout": _a_head_office_with_a_day,
    "zhanggui keys show": _a_signing_key,
    "zhanggui referrals unexpire": _vouchers_expired_by_a_wrong_clock,
    "zhanggui staff unlock": _a_locked_account,
}


def test_every_situation_belongs_to_a_command() -> None:
    assert set(SITUATIONS) <= set(COMMANDS) | {line for _name, line in EXAMPLES}


def typed_pins(args: list[str]) -> str:
    """What a person types at the prompts: the PIN of each staff code the example names."""
    codes = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in WHO]
    pins = [PINS[code] for code in codes if code in PINS] or [PINS["M1"]]
    return "".join(f"{pin}\n" for pin in pins * 3)


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[line for _n, line in EXAMPLES])
def test_the_example_runs_on_the_demo(
    name: str, line: str, demo_template: DemoTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    shutil.copytree(demo_template.folder, work)
    shutil.copytree(demo_template.config, tmp_path / "xdg-config", dirs_exist_ok=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    (work / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(work)
    set_process_clock(FixedClock(demo_template.clock_after, TILL.tz, tick=timedelta(milliseconds=1)))
    situation = SITUATIONS.get(line) or SITUATIONS.get(name)  # one example's own, or its command's
    if situation is not None:
        situation()
    args = shlex.split(line)[1:]
    result = CliRunner().invoke(main, args, input=typed_pins(args))
    assert result.exit_code == 0, (line, result.output, result.exception)
    assert "Traceback" not in result.output
