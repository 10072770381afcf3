"""No store in the database yet: set up a real one, or open a demo store."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from store import setup
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar

FIELDS = (
    ("store_code", N_("Store code (letters and digits)")),
    ("store_name", N_("Store name")),
    ("manager_code", N_("Your staff code")),
    ("manager_name", N_("Your name")),
    ("pin", N_("Your PIN (4-8 digits)")),
    ("pin2", N_("PIN again")),
)


class FirstRunScreen(ConsoleScreen[bool]):
    """Dismisses with True once the database holds a store."""

    BINDINGS = [
        Binding("f2", "create", N_("Set up store"), id="first_run.create"),
        Binding("f3", "demo", N_("Open demo store"), id="first_run.demo"),
        Binding("ctrl+q", "app.quit", N_("Quit"), id="first_run.quit"),
    ]

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
        if self.writing("create"):
            return  # a second F2 while the first is being written
        if self.value("pin") != self.value("pin2"):
            self.fail(_("The two PINs differ."))
            return
        ctx = self.ctx

        def create(store_code: str, store_name: str, manager_code: str, manager_name: str, pin: str) -> None:
            setup.initialise_store(
                store_code=store_code,
                store_name=store_name,
                manager_code=manager_code,
                manager_name=manager_name,
                pin=pin,
            )
            ctx.identity(fresh=True)  # the name just written, read here rather than on the loop

        self.run_write(
            create,
            self.value("store_code"),
            self.value("store_name"),
            self.value("manager_code"),
            self.value("manager_name"),
            self.value("pin"),
            key="create",
            then=lambda _done: self.dismiss(True),
        )

    def action_demo(self) -> None:
        if self.writing("create"):
            return
        from store.demo import build_demo

        self.query_one("#setup-message", Label).update(_("Building the demo store…"))
        config = self.config
        ctx = self.ctx

        def build() -> None:
            build_demo("small", tz=config.tz, terminal_id=config.terminal.id)
            ctx.identity(fresh=True)

        self.run_write(build, key="create", then=lambda _built: self.dismiss(True))

    def fail(self, message: str) -> None:
        self.query_one("#setup-message", Label).update(Text(message))
