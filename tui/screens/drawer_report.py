"""The X report of the open shift (changes nothing), 80 columns in a scrollable view; F2 prints
it on the receipt printer when one is set up ([printer]), as the receipts and `day report
--print` do."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.dayclose import render
from store.dayclose.report import DrawerReport
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


def print_report(made: DrawerReport, kind: str, target: str, width: int) -> None:
    """Send the report to the receipt printer (in a worker: a printer may take its time)."""
    from store.selling import printer  # python-escpos: only when there is a printer

    printer.print_receipt(render.escpos(made, width), kind, target)


class DrawerReportScreen(ConsoleScreen[None]):
    DEFAULT_CSS = """
    DrawerReportScreen #report-scroll { height: 1fr; }
    """

    BINDINGS = [
        Binding("f2", "print", N_("Print"), id="xreport.print"),
        Binding("escape", "back", N_("Back"), id="xreport.back"),
    ]

    def __init__(self, made: DrawerReport) -> None:
        super().__init__()
        self._made = made

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-scroll"):
            yield Static(Text(render.render(self._made, 78)), id="report-text")
        yield MessageBar(id="report-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#report-scroll", VerticalScroll))  # the arrows scroll

    def action_print(self) -> None:
        config = self.config
        if config.printer.kind == "none":
            self.fail(_("No printer is set up ([printer] in config.toml)."))
            return
        self.run_write(
            print_report,
            self._made,
            config.printer.kind,
            config.printer.target,
            config.receipt.width,
            said=_("Printed."),
            key="print",
        )

    def action_back(self) -> None:
        self.app.pop_screen()
