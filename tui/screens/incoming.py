"""The incoming cashier of a handover (交班) confirms with their own code and PIN that they take
the counted cash on as their float. The dialog gives the code and PIN to ``take`` (in a worker:
store.dayclose.drawer.take_over checks the PIN, a wrong one counting towards their lock as at the
login, and hands over) and returns what it returned, or None (Esc). A refusal is said in the
dialog and the PIN typed again."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from store.dayclose.drawer import TakenOver
from store.kernel.errors import DatabaseBusy, ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen
from tui.screens.code_pin import enter_code_then_pin
from tui.widgets.key_bar import KeyBar

CHECK = "incoming"


class IncomingScreen(ConsoleModalScreen[TakenOver | None]):
    BINDINGS = [
        # A priority key, so code, Enter, PIN, Enter typed in one burst lose nothing (code_pin.py).
        Binding("enter", "enter", N_("Next / confirm"), id="incoming.next", priority=True, show=False),
        Binding("escape", "cancel", N_("Cancel"), id="incoming.cancel"),
    ]

    def __init__(self, question: str, take: Callable[[str, str], TakenOver]) -> None:
        super().__init__()
        self._question = question
        self._take = take

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Incoming cashier"), classes="dialog-title")
            yield Label(Text(self._question), id="incoming-question")
            yield Input(placeholder=_("Staff code"), id="incoming-code")
            yield Input(placeholder=_("PIN"), password=True, id="incoming-pin")
            yield Label("", id="incoming-message", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#incoming-code", Input))

    def action_enter(self) -> None:
        code = self.query_one("#incoming-code", Input)
        enter_code_then_pin(self, code, self.query_one("#incoming-pin", Input), self.confirm)

    def confirm(self) -> None:
        if self.writing(CHECK):
            return
        code = self.query_one("#incoming-code", Input).value
        pin = self.query_one("#incoming-pin", Input)

        def refused(exc: ZhangguiError) -> None:
            self.query_one("#incoming-message", Label).update(Text(str(exc)))
            if not isinstance(exc, DatabaseBusy):
                pin.value = ""

        self.run_write(self._take, code, pin.value, then=self.dismiss, failed=refused, key=CHECK)

    def action_cancel(self) -> None:
        self.dismiss(None)
