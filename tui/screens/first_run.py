"""No store in the database yet: set up a real one, or open a demo store."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label
from textual.worker import Worker, WorkerState

from store import setup
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from tui.i18n_bindings import translate_bindings
from tui.widgets.key_bar import KeyBar

FIELDS = (
    ("store_code", N_("Store code (letters and digits)")),
    ("store_name", N_("Store name")),
    ("manager_code", N_("Your staff code")),
    ("manager_name", N_("Your name")),
    ("pin", N_("Your PIN (4-8 digits)")),
    ("pin2", N_("PIN again")),
)


class FirstRunScreen(Screen[bool]):
    """Dismisses with True once the database holds a store."""

    BINDINGS = [
        Binding("f2", "create", N_("Set up store"), id="first_run.create"),
        Binding("f3", "demo", N_("Open demo store"), id="first_run.demo"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="first_run.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(_("Welcome to zhanggui. This database holds no store yet."), classes="dialog-title")
            yield Label(
                _("Fill in the fields and press F2 to set up your store, or press F3 to open a demo store.")
            )
            for key, label in FIELDS:
                yield Input(placeholder=_(label), id=f"setup-{key}", password=key.startswith("pin"))
            yield Label("", id="setup-message", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#setup-store_code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def value(self, key: str) -> str:
        return self.query_one(f"#setup-{key}", Input).value

    def action_create(self) -> None:
        message = self.query_one("#setup-message", Label)
        try:
            if self.value("pin") != self.value("pin2"):
                raise ValidationError(_("The two PINs differ."))
            setup.initialise_store(
                store_code=self.value("store_code"),
                store_name=self.value("store_name"),
                manager_code=self.value("manager_code"),
                manager_name=self.value("manager_name"),
                pin=self.value("pin"),
            )
        except ZhangguiError as exc:
            message.update(Text(str(exc)))
            return
        self.dismiss(True)

    def action_demo(self) -> None:
        self.query_one("#setup-message", Label).update(_("Building the demo store…"))
        self.build_demo()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "build_demo" and event.state == WorkerState.SUCCESS and event.worker.result:
            self.dismiss(True)

    @work(thread=True, exclusive=True)
    def build_demo(self) -> bool:
        from store.demo import build_demo

        config = self.app.config  # type: ignore[attr-defined]
        try:
            build_demo("small", tz=config.tz, terminal_id=config.terminal.id)
        except ZhangguiError as exc:
            self.app.call_from_thread(self.query_one("#setup-message", Label).update, Text(str(exc)))
            return False
        # The screen is dismissed once the worker has finished (on_worker_state_changed):
        # dismissing from inside it would cancel the running worker along with the screen.
        return True
