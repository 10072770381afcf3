"""The command palette's own commands (Textual's theme, quit, keys, screenshot…) in the
user's language, like ours."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import SystemCommand

from store.kernel.i18n import N_, _

# Textual 8.2's own palette commands, listed so the catalogs translate them.
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def in_users_language(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's commands with their title and help translated (their wording is Textual's, so
    one a later Textual rewords shows in English until the catalog catches up)."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))
