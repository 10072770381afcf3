"""`zhanggui --help` lists the commands from tui.cli.short_help without loading them: the table
must say what each command's own help says, and the help must read as click would write it."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from tui.cli import SUBCOMMANDS, main
from tui.cli.short_help import SHORT_HELP


def _loaded(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None, name
    return command


def test_the_table_holds_each_commands_own_short_help() -> None:
    assert sorted(SHORT_HELP) == sorted(SUBCOMMANDS)
    for name in SUBCOMMANDS:
        own = _loaded(name).get_short_help_str(10**6)
        assert SHORT_HELP[name] == own, f"tui/cli/short_help.py should read:\n    {name!r}: {own!r},"


@pytest.mark.parametrize("limit", [20, 45, 61, 90])
def test_shortened_from_the_table_as_from_the_command(limit: int) -> None:
    for name in SUBCOMMANDS:
        stand_in = click.Command(name, help=SHORT_HELP[name])
        assert stand_in.get_short_help_str(limit) == _loaded(name).get_short_help_str(limit), name


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_help_reads_as_clicks_own_list_would(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main, "commands", {})  # none loaded yet (other tests load them)
    ours = CliRunner().invoke(main, ["--help"], terminal_width=width)
    assert not main.commands  # the list came from the table
    assert ours.exit_code == 0, ours.output
    ctx = click.Context(main, terminal_width=width)
    formatter = ctx.make_formatter()
    click.Group.format_commands(main, ctx, formatter)  # click's list: every command loaded
    clicks = formatter.getvalue()
    assert "Commands:" in clicks and clicks in ours.output


def test_the_help_loads_no_command_module() -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from tui.cli import SUBCOMMANDS, main\n"
        "out = CliRunner().invoke(main, ['--help']).output\n"
        "assert 'Commands:' in out and 'velocity' in out, out\n"
        "print(sorted({m.split(':')[0] for m in SUBCOMMANDS.values()} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
