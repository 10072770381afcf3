"""Products and prices (managers): scan a barcode or type a SKU, an IMEI or words of the name
and Enter; the list shows price, stock on hand and whether the product is retired. F2 adds a
product, F3 changes the price, F4 the name, F5 retires it or brings it back, F6 makes its shelf
label (saved beside the receipts, printed when a printer is set up). The store decides who may
do each and audits it; this screen only asks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from store.stock import products, shelf_label
from store.stock.products import ProductLine
from store.stock.shelf_label import LabelDone
from tui.messages import StockChanged
from tui.screens.base import ConsoleScreen
from tui.screens.choice import ChoiceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar
from tui.widgets.scan_input import ScanInput


class ProductsScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "add", N_("New"), id="products.add"),
        Binding("f3", "price", N_("Price"), id="products.price"),
        Binding("f4", "rename", N_("Rename"), id="products.rename"),
        Binding("f5", "retire", N_("Retire/back"), id="products.retire"),
        Binding("f6", "label", N_("Label"), id="products.label"),
        Binding("escape", "back", N_("Back"), id="products.back"),
        Binding("up", "cursor(-1)", N_("Previous line"), id="products.up", show=False),
        Binding("down", "cursor(1)", N_("Next line"), id="products.down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[ProductLine] = []
        self.query_text = ""
        self.keep: str | None = None  # the product the cursor stays on after a reload

    def compose(self) -> ComposeResult:
        yield Static(id="products-header", classes="screen-title")
        yield ScanInput(placeholder=_("Scan a barcode, or type a SKU, an IMEI or a name"), id="products-scan")
        yield DataTable(id="products-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="products-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column(Text(_("SKU")), key="sku", width=16)
        table.add_column(Text(_("Product")), key="name", width=28)
        table.add_column(Text(_("Price"), justify="right"), key="price", width=11)
        table.add_column(Text(_("Stock"), justify="right"), key="stock", width=5)
        table.add_column(Text(_("State")), key="state", width=8)
        self.query_one("#products-scan", Input).focus()
        self.show_header()
        self.reload()
        self.say(_("Enter finds. F2 new, F3 price, F4 rename, F5 retire/back, F6 shelf label."))

    # ---- finding -------------------------------------------------------------------------
    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        if event.scan_input.id != "products-scan":
            return
        event.stop()
        self.query_text = event.code.strip()[:60]
        self.keep = None
        self.reload()

    def reload(self) -> None:
        self.load(products.find_products, self.query_text, then=self.show, key="find")

    def show(self, lines: list[ProductLine]) -> None:
        self.lines = lines
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            table.add_row(
                Text(line.sku, no_wrap=True, overflow="ellipsis"),
                Text(line.display_name, no_wrap=True, overflow="ellipsis"),
                Text(format_fen(line.price), justify="right"),
                Text(str(line.on_hand), justify="right"),
                Text(_("retired") if not line.active else "", style="bold" if not line.active else ""),
                key=line.id,
            )
        ids = [line.id for line in lines]
        if self.keep in ids:
            table.move_cursor(row=ids.index(self.keep))
        self.show_header()
        if self.query_text and not lines:
            self.fail(_("Nothing found for {text}.").format(text=self.query_text))

    def show_header(self) -> None:
        text = Text(_("Products") + " ", style="bold")
        if self.query_text:
            text.append(_("{n} found for {text}").format(n=len(self.lines), text=self.query_text))
        else:
            text.append(_("{n} shown").format(n=len(self.lines)))
        self.query_one("#products-header", Static).update(text)

    def highlighted(self) -> ProductLine | None:
        row = self.query_one(DataTable).cursor_row
        if self.lines and 0 <= row < len(self.lines):
            return self.lines[row]
        self.fail(_("Find a product first (scan or type, then Enter)."))
        return None

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    # ---- changing ------------------------------------------------------------------------
    def done(self, line: ProductLine, message: str) -> None:
        self.keep = line.id
        self.app.post_message(StockChanged())  # the sale screen's lookups see the change
        self.changed(message)

    def action_add(self) -> None:
        from tui.screens.product_form import ProductFormScreen

        def added(product_id: str | None) -> None:
            if product_id is None:
                return
            # Found by itself: among the first products by name a new one may not be shown.
            self.keep = product_id
            self.query_text = form.added_sku
            self.changed(_("Product added. F3 changes its price, F6 makes its shelf label."))

        form = ProductFormScreen(None)
        self.app.push_screen(form, added)

    def action_price(self) -> None:
        line = self.highlighted()
        if line is None:
            return

        def got(answer: str) -> None:
            price = parse_money(answer)
            self.run_write(
                products.set_price,
                line.id,
                price,
                actor=self.actor,
                then=lambda new: self.done(
                    new,
                    _("{name}: price {old} → {new}.").format(
                        name=new.display_name, old=format_fen(line.price), new=format_fen(new.price)
                    ),
                ),
            )

        self.ask(
            _("Price of {name}").format(name=line.display_name),
            _("New price in yuan (now {price})").format(price=format_fen(line.price)),
            got,
            value=format_fen(line.price, symbol=False).replace(",", ""),
        )

    def action_rename(self) -> None:
        from tui.screens.product_form import ProductFormScreen

        line = self.highlighted()
        if line is None:
            return

        def renamed(product_id: str | None) -> None:
            if product_id is not None:
                self.keep = product_id
                self.app.post_message(StockChanged())
                self.changed(_("The name is changed."))

        self.app.push_screen(ProductFormScreen(line), renamed)

    def action_retire(self) -> None:
        line = self.highlighted()
        if line is None:
            return
        if not line.active:
            self.run_write(
                products.set_active,
                line.id,
                True,
                actor=self.actor,
                then=lambda new: self.done(new, _("{name} is on sale again.").format(name=new.display_name)),
            )
            return
        rows = [
            ("yes", Text(_("Retire it: no longer sold or received; its history stays"))),
            ("no", Text(_("Cancel"))),
        ]
        hint = _("{n} still in stock.").format(n=line.on_hand) if line.on_hand else ""

        def confirmed(answer: str | None) -> None:
            if answer == "yes":
                self.run_write(
                    products.set_active,
                    line.id,
                    False,
                    actor=self.actor,
                    then=lambda new: self.done(new, _("{name} is retired.").format(name=new.display_name)),
                )

        title = _("Retire {name}?").format(name=line.display_name)
        self.app.push_screen(ChoiceScreen(title, rows, hint=hint), confirmed)

    def action_label(self) -> None:
        line = self.highlighted()
        if line is None:
            return
        config = self.config
        self.say(_("Making the shelf label of {name}…").format(name=line.display_name))
        self.load(
            shelf_label.make_label,
            line.id,
            directory=config.receipts_dir(),
            width=config.receipt.width,
            printer_kind=config.printer.kind,
            printer_target=config.printer.target,
            then=self.labelled,
            key="label",
        )

    def labelled(self, done: LabelDone) -> None:
        if done.problem:
            self.fail(
                _("Not printed ({why}); label saved as {path}").format(path=done.path, why=done.problem)
            )
        elif done.printed:
            self.say(_("Label printed; saved as {path}").format(path=done.path))
        else:
            self.say(_("No printer is set up; label saved as {path}").format(path=done.path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a change is being written, the next one waits."""
        return not self.writing() or action not in ("add", "price", "rename", "retire")

    def action_back(self) -> None:
        self.app.pop_screen()
