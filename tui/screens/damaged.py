"""The background integrity check failed: stop selling into a damaged file."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar


class DamagedDatabaseScreen(ConsoleModalScreen[None]):
    """Covers every other screen; the only way on is to quit and restore a backup."""

    BINDINGS = [Binding("ctrl+q", "app.quit", N_("Quit"), id="damaged.quit")]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Selling is stopped"), classes="dialog-title error")
            yield Label(Text(self.problem), id="damaged-problem")
            yield Label(_("Sales already saved are kept. Call support before going on."))
        yield KeyBar()
