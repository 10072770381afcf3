"""At a manager's login: damage the audit chain found and repaired since a manager last looked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar


class AuditAlertsScreen(ConsoleModalScreen[bool]):
    """Dismisses with True when the manager has read them (Enter), False to see them again
    at the next login (Esc)."""

    BINDINGS = [
        Binding("enter", "seen", N_("Seen"), id="audit_alerts.seen"),
        Binding("escape", "later", N_("Later"), id="audit_alerts.later"),
    ]

    def __init__(self, messages: list[str]) -> None:
        super().__init__()
        self.messages = messages

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("The audit log needs a manager's attention"), classes="dialog-title error")
            yield Static(Text("\n".join(f"• {message}" for message in self.messages)), id="audit-alerts")
            yield Static(
                _(
                    "Sales went on and nothing was lost. If nobody here changed the database, ask "
                    "support; 'zhanggui audit verify' lists this too. Enter: seen."
                )
            )
        yield KeyBar()

    def action_seen(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)
