"""Receiving a delivery (managers): choose the supplier, the purchase order it answers (or
none) and type the invoice number; then scan. A handset's barcode chooses the model and its
IMEIs follow (an unknown IMEI without a model: its TAC suggests one); an accessory's barcode
adds one ('12*code' twelve, F2 sets how many). Each line shows its unit cost, the product's
current cost until F3 sets what this delivery cost. F10 books the whole delivery in at once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from store.kernel.errors import NotFound, ValidationError, ZhangguiError
from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen, parse_money
from store.stock import catalog, imei, receiving, suppliers
from store.stock import ledger as stock
from store.stock.catalog import ScanResult
from store.stock.ledger import ReceivedUnit
from store.stock.receiving import DeliveryLine
from tui.messages import StockChanged
from tui.screens.base import ConsoleScreen
from tui.shapes import OrderShown, SupplierShown
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar
from tui.widgets.scan_input import ScanInput

NONE = "-"


class ReceivingScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "quantity", N_("Qty"), id="receive.quantity"),
        Binding("f3", "cost", N_("Cost"), id="receive.cost"),
        Binding("f6", "remove_line", N_("Remove"), id="receive.remove"),
        Binding("f10", "book_in", N_("Book in"), id="receive.book"),
        Binding("escape", "back", N_("Back"), id="receive.back"),
        Binding("up", "cursor(-1)", N_("Previous line"), id="receive.up", show=False),
        Binding("down", "cursor(1)", N_("Next line"), id="receive.down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.supplier: SupplierShown | None = None
        self.order: OrderShown | None = None
        self.invoice = ""
        self.lines: dict[str, DeliveryLine] = {}
        self.current: ScanResult | None = None  # the model being received

    def compose(self) -> ComposeResult:
        yield Static(id="receive-header")
        yield ScanInput(placeholder=_("Scan a barcode, then IMEIs (12*code for 12)"), id="receive-scan")
        yield Static(id="receive-current")
        yield DataTable(id="receive-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="receive-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column(Text(_("Product")), key="item", width=33)
        table.add_column(Text(_("Qty"), justify="right"), key="qty", width=5)
        table.add_column(Text(_("Unit cost"), justify="right"), key="cost", width=11)
        table.add_column(Text(_("Last IMEI")), key="imei", width=16)
        self.query_one("#receive-scan", Input).focus()
        self.ask_supplier()

    def leave(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    # ---- the delivery's papers ------------------------------------------------
    def ask_supplier(self) -> None:
        from tui.screens.choice import ChoiceScreen

        known = suppliers.suppliers()
        rows = [(s.id, Text(f"{s.name}  ({suppliers.channel_name(s.channel)}, {s.code})")) for s in known] + [
            (NONE, Text(_("(no supplier)")))
        ]

        def chosen(supplier_id: str | None) -> None:
            if supplier_id is None:
                self.leave()
                return
            self.supplier = next((s for s in known if s.id == supplier_id), None)
            self.ask_order()

        self.app.push_screen(ChoiceScreen(_("Delivery from which supplier? (Enter)"), rows), chosen)

    def ask_order(self) -> None:
        from tui.screens.choice import ChoiceScreen

        orders = receiving.open_orders(self.supplier.id) if self.supplier else []
        if not orders:
            self.ask_invoice()
            return
        rows = [(NONE, Text(_("(not against a purchase order)")))]
        for order in orders:
            left = sum(r.left for r in receiving.remaining(order.id))
            rows.append(
                (order.id, Text(_("{number}: {n} still to come").format(number=order.number, n=left)))
            )

        def chosen(order_id: str | None) -> None:
            if order_id is None:
                self.leave()
                return
            self.order = next((o for o in orders if o.id == order_id), None)
            self.ask_invoice()

        self.app.push_screen(ChoiceScreen(_("Against a purchase order? (Enter)"), rows), chosen)

    def ask_invoice(self, then_book: bool = False) -> None:
        from tui.screens.prompt import PromptScreen

        def done(answer: str | None) -> None:
            if answer is None:
                if not then_book:
                    self.leave()
                return
            self.invoice = answer.strip()
            self.show_header()
            if then_book:
                self.action_book_in()

        label = _("Invoice or delivery note number")
        self.app.push_screen(PromptScreen(_("Invoice number"), label, self.invoice), done)

    # ---- display -----------------------------------------------------------
    def show_header(self) -> None:
        text = Text(_("Receive") + " ", style="bold")
        text.append(self.supplier.name if self.supplier else _("(no supplier)"))
        if self.invoice:
            text.append("  " + _("invoice {number}").format(number=self.invoice))
        if self.order is not None:
            text.append("  " + _("order {number}").format(number=self.order.number))
        total = sum(ln.count for ln in self.lines.values())
        text.append(
            "  "
            + ngettext(
                "{n} item",
                "{n} items",
                total,
            ).format(n=total)
        )
        self.query_one("#receive-header", Static).update(text)

    def show_current(self) -> None:
        text = Text()
        if self.current is not None:
            text.append(_("Receiving") + ": ", style="bold")
            text.append(self.current.product.display_name)
            if self.current.product.serialized:
                text.append("  (" + _("scan its IMEIs") + ")", style="dim")
        self.query_one("#receive-current", Static).update(text)

    def show_line(self, line: DeliveryLine) -> None:
        table = self.query_one(DataTable)
        key = line.product.id
        cells = (
            Text(line.product.display_name, no_wrap=True, overflow="ellipsis"),
            Text(str(line.count), justify="right"),
            Text(format_fen(line.unit_cost), justify="right", style="" if line.cost is None else "bold"),
            Text(line.units[-1].imei if line.units else ""),
        )
        if key in table.rows:
            for column, cell in zip(("item", "qty", "cost", "imei"), cells, strict=True):
                table.update_cell(key, column, cell)
        else:
            table.add_row(*cells, key=key)
        table.move_cursor(row=table.get_row_index(key))
        self.show_header()

    def line_for(self, scanned: ScanResult) -> DeliveryLine:
        product = scanned.product
        if product.id not in self.lines:
            self.lines[product.id] = DeliveryLine(product)
        return self.lines[product.id]

    # ---- scanning ----------------------------------------------------------
    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        if event.scan_input.id != "receive-scan":
            return
        event.stop()
        text = event.code.strip()  # the field is already empty for the next scan
        if text and self.writing():  # the lines on screen are being booked in: nothing joins them
            self.fail(
                _("The delivery is being booked in: scan {code} again in a moment.").format(code=text[:40])
            )
        elif text:
            try:
                self.scan(text)
            except ZhangguiError as exc:
                self.fail(str(exc))

    def taken(self) -> set[str]:
        return {n for ln in self.lines.values() for u in ln.units for n in (u.imei, u.imei2) if n}

    def scan(self, text: str) -> None:
        qty = 1
        if "*" in text:
            left, text = text.split("*", 1)
            qty = stock.parse_qty(left)
            text = text.strip()
        if imei.looks_like_imei(text):
            number = receiving.check_new_imei(text, self.taken())
            if self.current is not None and self.current.product.serialized:
                self.add_unit(self.current, number)
            else:
                self.pick_model(number)
            return
        found = catalog.lookup_code(text)
        if found is None:
            raise NotFound(_("Unknown code: {code}").format(code=text[:40]))
        self.current = found
        self.show_current()
        if found.product.serialized:
            self.say(_("Now scan the IMEIs of {name}.").format(name=found.product.display_name))
            return
        line = self.line_for(found)
        line.qty += qty
        self.show_line(line)
        self.say(_("{name}: {n} in this delivery.").format(name=found.product.display_name, n=line.qty))

    def add_unit(self, scanned: ScanResult, number: str) -> None:
        product = scanned.product
        line = self.line_for(scanned)
        line.units.append(ReceivedUnit(number))
        self.show_line(line)
        suggested = receiving.suggest_model(number)
        if suggested and product.id not in {p.id for p in suggested}:
            self.say(
                _("IMEI {imei} added to {name}; its TAC says {other}.").format(
                    imei=number, name=product.display_name, other=suggested[0].display_name
                )
            )
        else:
            self.say(_("{name}: {n} in this delivery.").format(name=product.display_name, n=line.count))

    def pick_model(self, number: str) -> None:
        from tui.screens.choice import ChoiceScreen

        models = receiving.suggest_model(number)
        if not models:
            raise ValidationError(_("Scan the model's barcode first, then its IMEIs."))
        rows = [(p.id, Text(p.display_name)) for p in models]

        def chosen(product_id: str | None) -> None:
            product = next((p for p in models if p.id == product_id), None)
            if product is None:
                return
            self.current = ScanResult(product)
            self.show_current()
            try:
                self.add_unit(self.current, receiving.check_new_imei(number, self.taken()))
            except ZhangguiError as exc:
                self.fail(str(exc))

        title = _("IMEI {imei}: which model? The TAC suggests the first. (Enter)").format(imei=number)
        self.app.push_screen(ChoiceScreen(title, rows), chosen)

    # ---- actions -----------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def action_quantity(self) -> None:
        scanned = self.current
        if scanned is None or scanned.product.serialized:
            self.fail(_("Scan the accessory's barcode first, then F2 for how many."))
            return
        product = scanned.product

        def done(answer: str) -> None:
            qty = stock.parse_qty(answer)
            line = self.line_for(scanned)
            line.qty = qty
            self.show_line(line)
            self.say(_("{name}: {n} in this delivery.").format(name=product.display_name, n=qty))

        current = self.lines[product.id].qty if product.id in self.lines else 0
        self.ask(_("Quantity"), product.display_name, done, str(current or ""))

    def action_cost(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.fail(_("Scan what came first, then F3 for what one cost."))
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        line = self.lines[str(key.value)]

        def done(answer: str) -> None:
            line.cost = parse_money(answer)
            self.show_line(line)
            self.say(
                _("{name}: {cost} a unit in this delivery.").format(
                    name=line.product.display_name, cost=format_fen(line.cost)
                )
            )

        self.ask(
            _("Unit cost"),
            _("What one {name} cost in this delivery, in yuan").format(name=line.product.display_name),
            done,
            format_fen(line.unit_cost, symbol=False).replace(",", ""),
        )

    def action_remove_line(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.fail(_("The delivery is empty."))
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        line = self.lines.pop(str(key.value))
        table.remove_row(key)
        self.show_header()
        self.say(_("Removed {name}").format(name=line.product.display_name))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a delivery is being booked in, its lines stay as they are."""
        return not self.writing() or action not in ("quantity", "cost", "remove_line", "book_in", "back")

    def action_book_in(self) -> None:
        if self.supplier is not None and not self.invoice:
            self.ask_invoice(then_book=True)
            return
        assert self.zapp.staff is not None
        self.run_write(
            receiving.receive_delivery,
            lines=list(self.lines.values()),
            staff_id=self.zapp.staff.id,
            supplier_id=self.supplier.id if self.supplier else None,
            invoice_no=self.invoice,
            order_id=self.order.id if self.order else None,
            then=lambda receipt: self.booked(receipt.invoice_no),
        )

    def booked(self, invoice_no: str) -> None:
        self.app.post_message(StockChanged())
        total = sum(ln.count for ln in self.lines.values())
        self.lines.clear()
        self.current = None
        self.order = None
        self.invoice = ""
        self.query_one(DataTable).clear()
        self.show_current()
        self.show_header()
        self.say(
            ngettext(
                "Delivery {invoice} booked in: {n} item. Scan the next one or Esc.",
                "Delivery {invoice} booked in: {n} items. Scan the next one or Esc.",
                total,
            ).format(invoice=invoice_no or "-", n=total)
        )

    def action_back(self) -> None:
        from tui.screens.choice import ChoiceScreen

        if not self.lines:
            self.leave()
            return
        rows = [("no", Text(_("No, keep it"))), ("yes", Text(_("Yes, nothing is booked in")))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self.leave()

        self.app.push_screen(ChoiceScreen(_("Throw away this delivery?"), rows), chosen)
