"""Find the original receipt (scan its QR or type its number), choose what comes back,
or void it. The chosen lines go back to the sale screen as return lines."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label

from store.kernel.auth import Actor, Approval
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.selling import sale_lookup, sale_voids
from store.selling.sale_lookup import ReturnableLine
from store.selling.till import Till
from store.stock import ledger as stock
from tui.cells import cut_middle
from tui.screens.base import ConsoleModalScreen
from tui.screens.manager_pin import confirm_as_manager
from tui.shapes import ReceiptShown
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class Choice(list[tuple[ReturnableLine, int]]):
    """Each chosen line with how many of it come back, and why (a [returns] reason code)."""

    def __init__(self, picked: list[tuple[ReturnableLine, int]], reason: str) -> None:
        super().__init__(picked)
        self.reason = reason


# Widths that fit 80 columns in both languages (the dialog's border and padding take 4, each
# column 2 more): the item's name gives way, never the quantity chosen.
ITEM_WIDTH = 30


class ReturnsScreen(ConsoleModalScreen[Choice | None]):
    BINDINGS = [
        # a modal screen hears none of the app's keys: this one opens the keys overlay here too
        Binding("ctrl+g", "app.keys", N_("Keys"), id="returns.keys", show=False),
        Binding("f2", "finish", N_("Return chosen"), id="returns.finish"),
        Binding("f8", "void", N_("Void receipt"), id="returns.void"),
        Binding("up", "cursor(-1)", N_("Up"), id="returns.up", show=False),
        Binding("down", "cursor(1)", N_("Down"), id="returns.down", show=False),
        Binding("escape", "cancel", N_("Cancel"), id="returns.cancel"),
    ]

    def __init__(self, till: Till, actor: Actor | None) -> None:
        super().__init__()
        self.till = till
        self.requester = actor  # who asks (their own PIN is refused as approval)
        self.sale: ReceiptShown | None = None
        self.lines: list[ReturnableLine] = []
        self.chosen: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog full"):
            yield Label(_("Return or void: scan the receipt's QR or type its number"), classes="dialog-title")
            yield Input(placeholder=_("Receipt number"), id="returns-receipt")
            yield DataTable(id="returns-lines", cursor_type="row")
            yield Label(_("Enter on a line: choose quantity. F2: return chosen lines."), id="returns-help")
            yield MessageBar(id="returns-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column(Text(_("#")), width=2)
        table.add_column(Text(_("Item")), width=ITEM_WIDTH)
        table.add_column(Text(_("Sold"), justify="right"), width=4)
        table.add_column(Text(_("Can return"), justify="right"), width=10)
        table.add_column(Text(_("Paid"), justify="right"), width=10)
        table.add_column(Text(_("Return"), justify="right"), width=6)
        self.query_one("#returns-receipt", Input).focus()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.lines:
            line = entry.line
            # Cut in the middle: the end (the model, the colour) tells two lines apart.
            name = Text(cut_middle(line.product.display_name, ITEM_WIDTH), no_wrap=True)
            if line.imei_unit is not None:  # the IMEI under the name, whole
                name.append(f"\n{line.imei_unit.imei}", style="dim")
            table.add_row(
                Text(str(line.line_no)),
                name,
                Text(str(line.qty), justify="right"),
                Text(str(entry.returnable), justify="right"),
                Text(format_fen(line.total), justify="right"),
                Text(str(self.chosen.get(line.id, "")), justify="right", style="bold"),
                height=2 if line.imei_unit is not None else 1,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._choose_current()
            return
        event.input.value = ""  # found or not, the next scan starts in an empty field
        self.load(_receipt, text, then=self._found, key="receipt")

    def _found(self, found: tuple[ReceiptShown, list[ReturnableLine]]) -> None:
        sale, lines = found
        self.sale, self.lines, self.chosen = sale, lines, {}
        self._show()
        self.say(
            _("Receipt {no}: {total}, {date}").format(
                no=sale.receipt_no, total=format_fen(sale.total), date=sale.business_date
            )
        )

    def _choose_current(self) -> None:
        if not self.lines:
            return
        entry = self.lines[self.query_one(DataTable).cursor_row]
        if entry.returnable <= 0:
            self.fail(_("This line was already returned."))
            return
        if entry.returnable == 1:
            self.chosen[entry.line.id] = 0 if self.chosen.get(entry.line.id) else 1
            self._show()
            return

        def got(answer: str) -> None:
            qty = stock.parse_qty(answer)
            if qty > entry.returnable:
                self.fail(_("Only {n} of this line can still be returned.").format(n=entry.returnable))
                return
            self.chosen[entry.line.id] = qty
            self._show()

        self.ask(_("Quantity to return"), entry.line.product.display_name, got, str(entry.returnable))

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self.lines:
            table.move_cursor(row=max(0, min(table.cursor_row + step, len(self.lines) - 1)))

    def action_finish(self) -> None:
        picked: list[tuple[ReturnableLine, int]] = [
            (e, self.chosen[e.line.id]) for e in self.lines if self.chosen.get(e.line.id)
        ]
        if not picked:
            self.fail(_("Choose at least one line to return."))
            return
        from tui.screens.choice import ChoiceScreen

        def reason(code: str | None) -> None:
            if code is None:
                self.fail(_("Choose a reason for the return."))
                return
            self.dismiss(Choice(picked, code))

        rows = [(r.code, Text(r.name)) for r in self.config.returns.reasons]
        self.app.push_screen(ChoiceScreen(_("Why does it come back?"), rows), reason)

    def action_void(self) -> None:
        sale = self.sale
        if sale is None:
            self.fail(_("Find the receipt first."))
            return

        def voided(_void: object) -> None:
            self.say(_("Receipt {no} voided.").format(no=sale.receipt_no))
            self.sale, self.lines = None, []
            self._show()

        def void(approval: Approval | None) -> None:
            self.run_write(
                sale_voids.void_sale,
                sale.id,
                actor=self.requester,
                approval=approval,
                till=self.till,
                reason="console",
                then=voided,
            )

        question = _("Void receipt {no}?").format(no=sale.receipt_no)
        confirm_as_manager(self.app, self.requester, question, _("Void the receipt"), void, self.fail)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _receipt(text: str) -> tuple[ReceiptShown, list[ReturnableLine]]:
    """The receipt typed or scanned, and what of it can still come back (one worker call)."""
    sale = sale_lookup.find_sale(text)
    return sale, sale_lookup.returnable_lines(sale)
