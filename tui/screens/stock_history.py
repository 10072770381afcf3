"""Stock history: scan or type an IMEI, a barcode or a SKU and see that handset's or that
product's whole life in the ledger (received from whom, sold to whom, returned, counted)."""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from store.kernel.i18n import N_, _, ngettext
from store.stock import history
from store.stock import ledger as stock
from tui.cells import cut_middle
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class StockHistoryScreen(ConsoleScreen[None]):
    BINDINGS = [Binding("escape", "back", N_("Back"), id="history.back")]

    def __init__(self, code: str = "") -> None:
        super().__init__()
        self._code = code

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Stock history"), style="bold"), id="history-header")
        yield Input(placeholder=_("Scan or type an IMEI, a barcode or a SKU"), id="history-scan")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="history-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column(Text(_("When")), key="when", width=11)
        table.add_column(Text(_("What")), key="what", width=8)
        table.add_column(Text(_("Qty"), justify="right"), key="qty", width=4)
        table.add_column(Text(_("Document")), key="document", width=20)
        table.add_column(Text(_("From / to")), key="party", width=15)
        table.add_column(Text(_("Staff")), key="staff", width=6)
        self.query_one("#history-scan", Input).focus()
        if self._code:
            self.show(self._code)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        code = event.value.strip()
        event.input.value = ""
        if code:
            self.show(code)

    def show(self, code: str) -> None:
        self.load(_look_up, code, then=lambda found: self.shown(*found))

    def shown(self, found: history.Found, on_hand: int | None) -> None:
        from tui.app import ZhangguiApp

        tz = self.app.config.tz if isinstance(self.app, ZhangguiApp) else UTC
        table = self.query_one(DataTable)
        table.clear()
        for event in found.events:
            local = event.at.replace(tzinfo=UTC).astimezone(tz)
            document = event.document + (f" {event.imei}" if event.imei and found.unit is None else "")
            cell = Text(cut_middle(document, 20), no_wrap=True)
            reason = event.reason if event.kind == "return" else ""
            if reason:  # why it came back, on a line of its own under the receipt
                cell.append("\n" + cut_middle(reason, 20), style="italic")
            table.add_row(
                Text(f"{local:%m-%d %H:%M}"),
                Text(history.kind_name(event.kind), no_wrap=True, overflow="ellipsis"),
                Text(f"{event.qty:+d}", justify="right"),
                cell,
                Text(cut_middle(event.party, 15), no_wrap=True),
                Text(event.staff, no_wrap=True, overflow="ellipsis"),
                height=2 if reason else 1,
            )
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)
        header = Text(_("Stock history") + "  ", style="bold")
        header.append(found.product.display_name)
        if found.unit is not None:
            header.append(f"  {_('IMEI')} {found.unit.imei}  ({stock.status_name(found.unit.status)})")
        else:
            header.append("  " + _("on hand {n}").format(n=on_hand))
        self.query_one("#history-header", Static).update(header)
        self.say(
            ngettext(
                "{n} movement.",
                "{n} movements.",
                len(found.events),
            ).format(n=len(found.events))
        )

    def action_back(self) -> None:
        self.app.pop_screen()


def _look_up(code: str) -> tuple[history.Found, int | None]:
    """The life of ``code`` and, for a product without an IMEI, its stock on hand (one trip
    to the worker thread for both)."""
    found = history.history_of(code)
    return found, (stock.on_hand(found.product.id) if found.unit is None else None)
