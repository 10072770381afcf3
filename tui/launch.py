"""The `zhanggui` command's entry point. The bare command (``zhanggui``, ``zhanggui --db
shop.db``, ``--config``) opens the console without the command line's machinery: a shop starts
it every morning and after every crash, and click with the subcommands' options is time before
the login screen. Anything else (a subcommand, --help, an option spelled otherwise, an argument
that is not plain text) goes to the command line (tui.cli), which says what is wrong with it."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

CONSOLE_OPTIONS = ("--db", "--config")


def console_options(args: Sequence[str]) -> dict[str, str] | None:
    """The --db and --config values of a command line that only opens the console; None for
    any other command line (tui.cli reads it)."""
    found: dict[str, str] = {}
    i = 0
    while i < len(args):
        name, equals, value = args[i].partition("=")
        if name not in CONSOLE_OPTIONS:
            return None
        if not equals:
            if i + 1 >= len(args):
                return None
            i += 1
            value = args[i]
        if not value or value.startswith("-") or any("\ud800" <= ch <= "\udfff" for ch in value):
            return None  # empty, an option where a value belongs, or bytes that are not text
        found[name] = value  # given twice, the last one counts (as click does)
        i += 1
    return found


def open_console(db_path: str | None, config_path: str | None) -> None:
    """Load the config (its language first) and run the console on the store it names."""
    # The imports make some 40,000 objects that all live as long as the console; the cyclic
    # collector's ~100 passes before the login was drawn (15-17 ms) never freed one of them.
    # Off while importing; then those objects are set aside (gc.freeze) so that no pass walks
    # them again until the first login (ZhangguiApp.collect_all_again), and it runs as usual
    # for what the screens make: their garbage is freed young and its memory used again
    # (left off until the login was drawn, the garbage cost 0.7 MiB after the PIN). About
    # half of that collection time is saved.
    gc.disable()
    try:
        from store.context import load, resolve_db_path
        from tui.app import run_console  # Textual: only the console needs it

        cfg = load(config_path)
    finally:
        gc.freeze()
        gc.enable()
    run_console(cfg, resolve_db_path(cfg, db_path))


def main() -> None:
    options = console_options(sys.argv[1:])
    if options is None:
        from tui.cli import main as command_line

        command_line()
        return
    from store.kernel.errors import ZhangguiError

    try:
        open_console(
            options.get("--db"), options.get("--config") or os.environ.get("ZHANGGUI_CONFIG") or None
        )
    except ZhangguiError as exc:
        print(f"Error: {exc}", file=sys.stderr)  # as click says it (tui.cli)
        sys.exit(1)
