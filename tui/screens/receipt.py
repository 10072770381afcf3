"""The receipt after a sale: on screen, saved as text, printed when a printer is set up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Label, Static

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.selling import checkout
from tui.cells import cut_middle
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from store.config.loader import Config

ACKNOWLEDGE = "acknowledge"
# the receipt's text, the file it was saved to (or why it could not be), its ESC/POS bytes
# and the change to hand back (fen)
Built = tuple[str, Path | OSError, bytes, int]


def build_and_save(sale_id: str, config: Config, store_name: str, reprint: bool) -> Built:
    """In a worker: the receipt of a sale read from the store, rendered, and saved as text (a
    file that cannot be written comes back as the OSError, to be said)."""
    from store.selling import receipt, receipt_render

    data = receipt.build_receipt(
        sale_id,
        store_name=store_name,
        header=config.receipt.header,
        footer=config.receipt.footer,
        tz=config.tz,
        reprint=reprint,
        referrals=config.referrals.enabled,
        referral_note=config.referrals.receipt_note,
        returns=config.returns,
    )
    text = receipt_render.render_text(data, width=config.receipt.width)
    try:
        path = receipt_render.save_text(data, config.receipts_dir(), config.receipt.width)
    except OSError as exc:
        return text, exc, b"", data.change
    return text, path, receipt_render.render_escpos(data, width=config.receipt.width), data.change


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
            band = Horizontal(id="receipt-change")
            band.display = False  # until the receipt is read and has change to give
            with band:
                yield Label(id="receipt-change-label")
                yield Digits(id="receipt-change-digits")
            with VerticalScroll(id="receipt-scroll"):
                yield Static(id="receipt-text")
            yield Label(id="receipt-status")
        yield KeyBar()

    def on_mount(self) -> None:
        config, ctx = self.config, self.ctx
        self.load(
            build_and_save,
            self.sale_id,
            config,
            ctx.store_name,
            self.reprint,
            then=self.show,
            failed=lambda exc: self.query_one("#receipt-status", Label).update(Text(str(exc))),
            key="receipt",
        )

    def show(self, built: Built) -> None:
        config = self.config
        status = self.query_one("#receipt-status", Label)
        text, path, self._escpos, change = built
        # The pay dialog closes the moment the sale is saved: the change is said here, large,
        # above the receipt, where the cashier looks while counting it out.
        self.query_one("#receipt-change-label", Label).update(_("Change") + ": ¥")
        self.query_one("#receipt-change-digits", Digits).update(format_fen(change, symbol=False))
        self.query_one("#receipt-change", Horizontal).display = change > 0 and not self.reprint
        self.query_one("#receipt-text", Static).update(Text(text))
        if isinstance(path, OSError):
            status.update(Text(_("Could not save the receipt file: {error}").format(error=path)))
            return
        # The file's name (the receipt number) is at the end of the path: cut the middle.
        width = status.content_size.width or self.app.size.width - 4  # the dialog's, once laid out
        room = max(16, width - cell_len(_("Saved {path}").format(path="")))
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
        if self.writing(ACKNOWLEDGE):
            return  # Enter pressed again while the first one is being written

        def refused(exc: ZhangguiError) -> None:
            self.query_one("#receipt-status", Label).update(Text(str(exc)))

        self.run_write(
            checkout.acknowledge,
            self.sale_id,
            now=self.now(),
            then=lambda _done: self.dismiss(None),
            failed=refused,
            key=ACKNOWLEDGE,
        )
