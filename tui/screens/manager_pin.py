"""A manager approves with code and PIN; the screen returns an Approval or None."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from store.kernel.auth import Actor, Approval, manager_authority
from store.kernel.errors import DatabaseBusy, NeedsApproval, WrongApprover, ZhangguiError
from store.kernel.i18n import N_, _
from store.people import staff
from tui.screens.base import ConsoleModalScreen
from tui.screens.code_pin import enter_code_then_pin
from tui.widgets.key_bar import KeyBar

APPROVE = "approve"


class ManagerPinScreen(ConsoleModalScreen[Approval | None]):
    BINDINGS = [
        # A priority key, so code, Enter, PIN, Enter typed in one burst lose nothing (code_pin.py).
        Binding("enter", "enter", N_("Next / approve"), id="manager.next", priority=True, show=False),
        Binding("escape", "cancel", N_("Cancel"), id="manager.cancel"),
    ]

    def __init__(self, reason: str, requester: Actor | None = None) -> None:
        """``requester`` is who asks (the person logged in): their own PIN is refused at once."""
        super().__init__()
        self._reason = reason
        self._requester = requester

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Manager approval"), classes="dialog-title")
            yield Label(self._reason, id="manager-reason")
            yield Input(placeholder=_("Manager code"), id="manager-code")
            yield Input(placeholder=_("PIN"), password=True, id="manager-pin")
            yield Label("", id="manager-message", classes="error")
        yield KeyBar()  # Esc, and any other key, in sight

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#manager-code", Input))  # now: keys typed meanwhile go there

    def action_enter(self) -> None:
        code = self.query_one("#manager-code", Input)
        enter_code_then_pin(self, code, self.query_one("#manager-pin", Input), self.approve)

    def approve(self) -> None:
        if self.writing(APPROVE):
            return  # the PIN is being checked: a second Enter does not ask twice
        code = self.query_one("#manager-code", Input).value
        pin = self.query_one("#manager-pin", Input)

        def refused(exc: ZhangguiError) -> None:
            self.query_one("#manager-message", Label).update(Text(str(exc)))
            if isinstance(exc, DatabaseBusy):
                return  # nothing was checked: the code and PIN stay, Enter tries again
            pin.value = ""
            if isinstance(exc, WrongApprover):
                # Start again from the code: someone else has to approve this (a manager, not oneself).
                code_input = self.query_one("#manager-code", Input)
                code_input.value = ""
                code_input.focus()
            # else a wrong PIN: the same manager tries again, the code stays.

        # A wrong PIN is counted against the manager (a write): in a worker, never on the event loop.
        self.run_write(
            staff.approve,
            code,
            pin.value,
            requester=self._requester,
            then=self.dismiss,
            failed=refused,
            key=APPROVE,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


def own_authority(actor: Actor | None, fail: Callable[[str], None]) -> Actor | None:
    """``actor`` when the store lets them do a manager's work in their own role; else ``fail``
    gets the store's sentence and this is None. Screens ask before their prompts; every store
    function asks again, so this is a convenience, not the check."""
    try:
        manager_authority(actor)
    except ZhangguiError as exc:
        fail(str(exc))
        return None
    return actor


def confirm_as_manager(
    app: App[object],
    actor: Actor | None,
    question: str,
    yes: str,
    action: Callable[[Approval | None], object],
    fail: Callable[[str], None],
) -> None:
    """For a manager's action that cannot be undone: a manager logged in confirms it (``yes``
    or Cancel) and acts in their own role; anyone else gets the PIN dialog, where another
    manager's PIN both approves and confirms it. ``action(approval)`` calls the store, which
    decides again; its errors, and "Not approved." when a dialog is cancelled, go to ``fail``."""

    def run(approval: Approval | None) -> None:
        try:
            action(approval)
        except ZhangguiError as exc:
            fail(str(exc))

    try:
        manager_authority(actor)
    except NeedsApproval:
        app.push_screen(
            ManagerPinScreen(question, requester=actor),
            lambda ok: run(ok) if ok is not None else fail(_("Not approved.")),
        )
        return
    except ZhangguiError as exc:
        fail(str(exc))
        return
    from rich.text import Text

    from tui.screens.choice import ChoiceScreen

    rows = [("yes", Text(yes)), ("no", Text(_("Cancel")))]
    app.push_screen(
        ChoiceScreen(question, rows, highlighted="no"),
        lambda answer: run(None) if answer == "yes" else fail(_("Not approved.")),
    )


def with_manager(
    app: App[object],
    actor: Actor | None,
    reason: str,
    action: Callable[[Approval | None], object],
    fail: Callable[[str], None],
) -> None:
    """Run ``action(None)`` on the logged-in actor's own authority; when the store says it
    needs a manager, ask another person's PIN (``reason`` says for what) and run
    ``action(approval)``. The store decides either way; errors go to ``fail``."""
    try:
        action(None)
    except NeedsApproval:

        def approved(approval: Approval | None) -> None:
            if approval is None:
                return
            try:
                action(approval)
            except ZhangguiError as exc:
                fail(str(exc))

        app.push_screen(ManagerPinScreen(reason, requester=actor), approved)
    except ZhangguiError as exc:
        fail(str(exc))
