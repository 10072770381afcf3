"""Count the drawer by denomination (¥100, 50, 20, 10, 5, 1, 0.5, 0.1): one field of pieces a
note or coin, the total as it is typed and, at a handover, the cash expected and how far the
count is over or short. Enter returns the count (pieces by denomination, in fen); Esc None.
The form only adds up: the store checks the count again (store.dayclose.drawer.count_total)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from store.dayclose.drawer import DENOMINATIONS, MAX_PIECES
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from tui.cells import ljust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

Counts = dict[int, int]


def denomination_text(fen: int) -> str:
    """¥100, ¥0.5: as the notes and coins are printed."""
    yuan, cents = divmod(fen, 100)
    return f"¥{yuan}" if not cents else f"¥{yuan}.{cents // 10}"


class DrawerCountScreen(ConsoleScreen[Counts | None]):
    """``expected`` (fen): the cash the drawer should hold, shown beside the count (a handover);
    None for a float (nothing is expected yet)."""

    DEFAULT_CSS = """
    DrawerCountScreen .count-row { height: 1; }
    DrawerCountScreen .count-name { width: 10; content-align: right middle; padding-right: 1; }
    DrawerCountScreen .count-row Input { width: 10; height: 1; border: none; padding: 0 1; }
    DrawerCountScreen .count-sum { width: 1fr; padding-left: 2; }
    DrawerCountScreen #count-total { margin-top: 1; }
    """

    BINDINGS = [
        # A priority key: Enter in any field takes the whole count, with the keys typed before it.
        Binding("enter", "done", N_("Done"), id="drawer_count.done", priority=True),
        Binding("down", "move(1)", N_("Next field"), id="drawer_count.next", show=False),
        Binding("up", "move(-1)", N_("Previous field"), id="drawer_count.previous", show=False),
        Binding("escape", "cancel", N_("Cancel"), id="drawer_count.cancel"),
    ]

    def __init__(self, title: str, hint: str, expected: int | None = None) -> None:
        super().__init__()
        self._title = title
        self._hint = hint
        self._expected = expected

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title, style="bold"), id="count-title")
        yield Label(Text(self._hint))
        for fen in DENOMINATIONS:
            with Horizontal(classes="count-row"):
                yield Label(denomination_text(fen) + " ×", classes="count-name")
                yield Input(
                    placeholder="0",
                    restrict=r"[0-9]*",
                    max_length=len(str(MAX_PIECES)),
                    id=f"count-{fen}",
                )
                yield Label("", id=f"count-sum-{fen}", classes="count-sum")
        yield Static(id="count-total")
        yield MessageBar(id="count-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.fields()[0])
        self.show_total()

    def fields(self) -> list[Input]:
        return [self.query_one(f"#count-{fen}", Input) for fen in DENOMINATIONS]

    def counts(self) -> Counts:
        """Pieces by denomination, as typed (empty fields left out)."""
        return {
            fen: int(field.value)
            for fen, field in zip(DENOMINATIONS, self.fields(), strict=True)
            if field.value
        }

    def total(self) -> int:
        return sum(fen * pieces for fen, pieces in self.counts().items())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_total()

    def show_total(self) -> None:
        counts = self.counts()
        for fen in DENOMINATIONS:
            pieces = counts.get(fen, 0)
            self.query_one(f"#count-sum-{fen}", Label).update(format_fen(fen * pieces) if pieces else "")
        total = sum(fen * pieces for fen, pieces in counts.items())
        label = _("Over (+) / short (-)")
        room = max(cell_len(label), cell_len(_("Counted")), cell_len(_("Expected"))) + 2
        text = Text(ljust(_("Counted"), room) + format_fen(total), style="bold")
        if self._expected is not None:
            text.append("\n" + ljust(_("Expected"), room) + format_fen(self._expected))
            diff = total - self._expected
            text.append("\n" + ljust(label, room) + format_fen(diff), style="bold red" if diff else "bold")
        self.query_one("#count-total", Static).update(text)

    def action_move(self, step: int) -> None:
        fields = self.fields()
        at = fields.index(self.focused) if self.focused in fields else 0
        self.set_focus(fields[(at + step) % len(fields)])

    def action_done(self) -> None:
        counts = self.counts()
        if not counts:  # nothing typed: an Enter too soon, not an empty drawer (that is a 0)
            self.fail(_("Type how many of each note and coin there are (0 if none)."))
            return
        self.dismiss(counts)

    def action_cancel(self) -> None:
        self.dismiss(None)
