"""A manager approves with code and PIN; the screen returns an Approval or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from store import staff
from store.auth import Approval
from store.errors import ZhangguiError
from store.i18n import N_, _
from tui.i18n_bindings import translate_bindings


class ManagerPinScreen(ModalScreen[Approval | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="manager.cancel")]

    def __init__(self, reason: str) -> None:
        super().__init__()
        translate_bindings(self)
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Manager approval"), classes="dialog-title")
            yield Label(self._reason, id="manager-reason")
            yield Input(placeholder=_("Manager code"), id="manager-code")
            yield Input(placeholder=_("PIN"), password=True, id="manager-pin")
            yield Label("", id="manager-message", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "manager-code":
            self.query_one("#manager-pin", Input).focus()
            return
        code = self.query_one("#manager-code", Input).value
        try:
            approval = staff.approve(code, event.value)
        except ZhangguiError as exc:
            self.query_one("#manager-message", Label).update(str(exc))
            event.input.value = ""
            return
        self.dismiss(approval)

    def action_cancel(self) -> None:
        self.dismiss(None)
