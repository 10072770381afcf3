"""Staff code and PIN. In a demo store the demo staff are listed so anyone can try it. Keys
typed in one burst (code, Enter, PIN, Enter with no pause) are never lost: tui/screens/code_pin.py."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from store.kernel.errors import DatabaseBusy, ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleScreen
from tui.screens.code_pin import enter_code_then_pin
from tui.widgets.key_bar import KeyBar

# The login is drawn before the store is open (tui.opening): the store's modules load behind it.
if TYPE_CHECKING:
    from store.people.directory import Member


def is_demo() -> bool:
    from store import setup

    return setup.is_demo()


def log_in(code: str, pin: str, *, now: datetime | None = None) -> Member:
    from store.people import directory

    return directory.log_in(code, pin, now=now)


def demo_hint() -> Text:
    from store.demo.roster import DEMO_STAFF  # a leaf: the builder stays unloaded (store/demo/__init__.py)
    from store.people import staff

    text = Text(_("Demo store. Staff code / PIN:") + "\n", style="bold")
    for member in DEMO_STAFF:
        text.append(f"  {member.code} / {member.pin}  {member.name} ({staff.role_name(member.role)})\n")
    return text


LOGIN = "login"


class LoginScreen(ConsoleScreen["Member"]):
    """Dismisses with the staff member who logged in."""

    BINDINGS = [
        Binding("enter", "enter", N_("Next / log in"), id="login.next", priority=True),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="login.quit"),
    ]

    def __init__(self, locked_by: str = "", message: str = "") -> None:
        super().__init__()
        self.locked_by = locked_by
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("掌柜 zhanggui — log in"), classes="dialog-title")
            if self.locked_by:
                yield Label(
                    Text(_("Locked. {name} or another staff member may log in.").format(name=self.locked_by))
                )
            yield Input(placeholder=_("Staff code"), id="login-code")
            yield Input(placeholder=_("PIN"), password=True, id="login-pin")
            yield Label(Text(self._message), id="login-message", classes="error")
            yield Static(id="demo-hint")  # shown once the store says it is a demo (on_mount)
        yield KeyBar()

    def on_mount(self) -> None:
        # Focus now, not at the app's next turn (Widget.focus): keys the app takes meanwhile
        # would go to the screen, which has no use for them.
        self.set_focus(self.query_one("#login-code", Input))
        self.query_one("#demo-hint", Static).display = False
        self.load(is_demo, then=self.show_demo_hint, failed=lambda _exc: None, key="demo")

    def show_demo_hint(self, demo: bool) -> None:
        if demo:
            hint = self.query_one("#demo-hint", Static)
            hint.update(demo_hint())
            hint.display = True

    def action_enter(self) -> None:
        """Enter, as the app takes it off its queue (a priority key: tui/screens/code_pin.py)."""
        code = self.query_one("#login-code", Input)
        enter_code_then_pin(self, code, self.query_one("#login-pin", Input), self.log_in)

    def log_in(self) -> None:
        if self.writing(LOGIN):
            return  # the PIN is being checked: a second Enter does not log in twice
        code = self.query_one("#login-code", Input).value
        pin = self.query_one("#login-pin", Input)

        def refused(error: ZhangguiError) -> None:
            if not isinstance(error, DatabaseBusy):  # busy: the PIN stays, Enter tries again
                pin.value = ""
            self.fail(str(error))

        opening = getattr(self.app, "opening", None)
        if opening is not None:
            opening.start()  # (the console started it once this screen was drawn: at the latest now)
        # A wrong PIN is counted (a write): in a worker, so a busy database never freezes the till.
        self.run_write(log_in, code, pin.value, then=self.dismiss, failed=refused, key=LOGIN)

    def fail(self, message: str) -> None:
        self.query_one("#login-message", Label).update(Text(message))
