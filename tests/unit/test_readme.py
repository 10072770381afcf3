"""The README tells the truth about the command line and the set-up (issue 13): every command
and subcommand that `zhanggui --help` lists (recursively) is named, there are exactly two
set-up commands, and every environment variable it names is read somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_help_examples import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LEAVES = [name for name, command in COMMANDS.items() if not hasattr(command, "list_commands")]


@pytest.mark.parametrize("command", LEAVES)
def test_every_command_is_named_in_the_readme(command: str) -> None:
    """Named as `zhanggui a b …`, or `a b …` in the row of its group (`staff add CODE`)."""
    words = command.removeprefix("zhanggui").strip()
    named = re.compile(r"`(zhanggui )?" + re.escape(words) + r"[`\s\[]")
    assert named.search(README), f"README does not name `{command}`"


def test_the_readme_walks_every_group() -> None:
    assert len(LEAVES) > 30  # the walk found the lazily loaded groups' commands too
    assert "zhanggui promoters leave" in LEAVES and "zhanggui staff set-pin" in LEAVES


def test_set_up_is_two_commands() -> None:
    set_up = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in set_up.splitlines() if line.startswith("    ")]
    assert len(commands) == 2, commands
    assert commands[0].endswith(".venv/bin/zhanggui")
    assert commands[1].endswith(".venv/bin/python -m pytest -q -n auto")
    assert all("-c constraints.txt" in c for c in commands)


def test_every_environment_variable_named_is_read() -> None:
    sources = [
        *ROOT.glob("store/**/*.py"),
        *ROOT.glob("tui/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("bench/**/*.py"),
        ROOT / ".ci" / "run",
    ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.is_file() and p != Path(__file__))
    for name in sorted(set(re.findall(r"ZHANGGUI_[A-Z_]+", README))):
        assert name in text, f"README names {name}, which nothing reads"


def test_the_readme_says_where_the_config_file_lives() -> None:
    assert "~/.config/zhanggui/config.toml" in README
    assert "platformdirs" in README
