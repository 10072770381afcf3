"""The receipt after a sale: on screen, saved as text, printed when a printer is set up."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.selling import checkout
from tui.cells import cut_middle
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar


class ReceiptScreen(ConsoleModalScreen[None]):
    BINDINGS = [
        # a modal screen hears none of the app's keys: this one opens the keys overlay here too
        Binding("ctrl+g", "app.keys", N_("Keys"), id="receipt.keys", show=False),
        Binding("enter", "done", N_("Done, next sale"), id="receipt.done"),
        Binding("escape", "done", N_("Done"), id="receipt.close", show=False),
        Binding("p", "print", N_("Print again"), id="receipt.print"),
    ]

    def __init__(self, sale_id: str, reprint: bool = False) -> None:
        super().__init__()
        self.sale_id = sale_id
        self.reprint = reprint
        self._escpos = b""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog receipt"):
            yield Label(_("Receipt"), classes="dialog-title")
            with VerticalScroll(id="receipt-scroll"):
                yield Static(id="receipt-text")
            yield Label(id="receipt-status")
        yield KeyBar()

    def on_mount(self) -> None:
        from store.selling import receipt, receipt_render

        config, ctx = self.config, self.ctx
        status = self.query_one("#receipt-status", Label)
        try:
            data = receipt.build_receipt(
                self.sale_id,
                store_name=ctx.store_name,
                header=config.receipt.header,
                footer=config.receipt.footer,
                tz=config.tz,
                reprint=self.reprint,
                referrals=config.referrals.enabled,
                referral_note=config.referrals.receipt_note,
                returns=config.returns,
            )
            self.query_one("#receipt-text", Static).update(
                Text(receipt_render.render_text(data, width=config.receipt.width))
            )
            path = receipt_render.save_text(data, config.receipts_dir(), config.receipt.width)
            self._escpos = receipt_render.render_escpos(data, width=config.receipt.width)
        except ZhangguiError as exc:
            status.update(Text(str(exc)))
            return
        except OSError as exc:
            status.update(Text(_("Could not save the receipt file: {error}").format(error=exc)))
            return
        # The file's name (the receipt number) is at the end of the path: cut the middle.
        room = max(16, self.app.size.width - 2 - cell_len(_("Saved {path}").format(path="")))
        status.update(Text(_("Saved {path}").format(path=cut_middle(str(path), room)), no_wrap=True))
        if config.printer.kind != "none":
            self.action_print()

    def action_print(self) -> None:
        from store.selling import printer

        config = self.config
        status = self.query_one("#receipt-status", Label)
        if config.printer.kind == "none":
            status.update(Text(_("No printer is set up ([printer] in config.toml).")))
            return
        try:
            printer.print_receipt(self._escpos, config.printer.kind, config.printer.target)
        except ZhangguiError as exc:
            status.update(Text(str(exc)))
            return
        status.update(_("Printed."))

    def action_done(self) -> None:
        try:
            checkout.acknowledge(self.sale_id, now=self.now())
        except ZhangguiError as exc:
            self.query_one("#receipt-status", Label).update(Text(str(exc)))
            return
        self.dismiss(None)
