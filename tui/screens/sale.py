"""The sale screen: a scan field that keeps focus, the cart, totals and the F-keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from store.kernel.auth import Approval
from store.kernel.errors import DatabaseBusy, NotFound, ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen
from store.people import directory
from store.selling import holds
from store.selling.cart import Cart
from store.selling.cart_lines import CartLine
from store.stock import catalog, imei
from store.stock import ledger as stock
from store.stock.catalog import ScanResult
from tui.messages import Quitting, ReadyToQuit, SaleNotKept, StockChanged, Unlocked
from tui.screens.sale_editing import CART, cart_key
from tui.screens.sale_holding import CartHoldingScreen
from tui.shapes import SaleShown
from tui.widgets.cart_table import CartTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar
from tui.widgets.reorder_panel import ReorderPanel
from tui.widgets.scan_input import ScanInput
from tui.widgets.totals import Totals


def scan_into(cart: Cart, text: str, qty: int) -> CartLine | list[Any]:
    """In a worker: the scanned code (barcode, SKU, IMEI) added to ``cart``, or a name's
    matches for the cashier to pick from (a single non-IMEI match is added at once)."""
    result = catalog.lookup_code(text)
    if result is not None:
        return cart.add_scan(result, qty)
    cleaned = imei.normalise(text)
    if cleaned.isdigit() and len(cleaned) >= 12:
        if imei.looks_like_imei(cleaned):
            number = imei.validate(cleaned)
            raise NotFound(_("IMEI {imei} is not in this store's stock.").format(imei=number))
        raise NotFound(_("Unknown code: {code}").format(code=cleaned))
    matches = catalog.search_products(text)
    if not matches:
        raise NotFound(_("Unknown code: {code}").format(code=text[:40]))
    if len(matches) == 1 and not matches[0].serialized:
        return cart.add_scan(ScanResult(matches[0]), qty)
    return matches


class SaleScreen(CartHoldingScreen):
    BINDINGS = [
        Binding("f2", "pay", N_("Pay"), id="sale.pay"),
        Binding("f3", "quantity", N_("Qty"), id="sale.quantity"),
        Binding("f4", "line_discount", N_("Disc"), id="sale.line_discount"),
        Binding("f5", "sale_discount", N_("Sale disc"), id="sale.sale_discount"),
        Binding("f6", "remove_line", N_("Remove"), id="sale.remove_line"),
        Binding("f7", "hold", N_("Hold"), id="sale.hold"),
        Binding("f8", "resume", N_("Resume"), id="sale.resume"),
        Binding("f9", "customer", N_("Customer"), id="sale.customer"),
        Binding("f10", "promoter", N_("Promoter"), id="sale.promoter"),
        Binding("f11", "returns", N_("Return"), id="sale.returns"),
        Binding("f12", "lock", N_("Lock"), id="sale.lock"),
        Binding("ctrl+r", "referrer", N_("Referrer"), id="sale.referrer", show=False),
        Binding("ctrl+o", "override_price", N_("Change price"), id="sale.override_price", show=False),
        Binding("ctrl+n", "cancel_sale", N_("Cancel sale"), id="sale.cancel", show=False),
        Binding("up", "cursor(-1)", N_("Previous line"), id="sale.up", show=False),
        Binding("down", "cursor(1)", N_("Next line"), id="sale.down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cart: Cart = self.new_cart()

    def new_cart(self) -> Cart:
        from tui.app import ZhangguiApp

        app = self.app if isinstance(self.app, ZhangguiApp) else None
        assert app is not None and app.staff is not None
        member = app.staff
        return Cart(
            staff_id=member.id,
            staff_role=member.role,
            discount_limit_percent=directory.discount_limit(member, app.config.discounts),
        )

    def compose(self) -> ComposeResult:
        yield Static(id="sale-header")
        yield ScanInput(placeholder=_("Scan or type barcode, SKU, IMEI or name (3*code for 3)"), id="scan")
        yield CartTable(id="cart")
        yield ReorderPanel(self.zapp.config, id="reorder-panel")
        yield Totals(id="totals")
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(CartTable)
        table.can_focus = False
        self.refresh_cart()
        self.query_one("#scan", Input).focus()

    # ---- what the app tells the sale screen (tui/messages.py) ----------------
    def on_stock_changed(self, message: StockChanged) -> None:
        """Stock moved elsewhere: the reorder line looks again."""
        message.stop()  # handed on by the app: it goes no further
        self.query_one(ReorderPanel).refresh_all()

    def on_unlocked(self, message: Unlocked) -> None:
        """The one who locked goes on with their sale; anyone else starts a new sale of their
        own, the sale in progress suspended under the name of who locked."""
        member = self.zapp.staff
        if member is None or member.id == message.locker.id:
            self.refresh_cart()
            return

        def kept(suspended: bool) -> None:
            self.cart = self.new_cart()
            self.refresh_cart()
            if suspended:
                self.say(_("{name}'s sale was suspended; F8 resumes it.").format(name=message.locker.name))
            self.query_one("#scan", Input).focus()

        def not_kept(exc: ZhangguiError) -> None:  # the cart stays on screen for nobody: the app locks again
            self.app.post_message(SaleNotKept(str(exc), message.locker))

        self._keep_for(message.locker.name, kept, not_kept, handover=message.handover)

    def on_quitting(self, message: Quitting) -> None:
        """Keep the sale in progress among the suspended sales (as F7 does) so F8 finds it at
        the next start; one that cannot be kept (the disk is full) keeps the console open."""
        self._keep_for(
            message.name,
            lambda _kept: self.app.post_message(ReadyToQuit()),
            lambda exc: self.app.post_message(SaleNotKept(str(exc))),
            quitting=True,
        )

    # ---- scanning ----------------------------------------------------------
    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        """Codes come in the order they were scanned, each whole (the field has already been
        emptied for the next one: it is never cleared here, or the next code would lose digits)."""
        if event.scan_input.id != "scan":
            return
        text = event.code.strip()
        if text:
            self.scan(text)

    def scan(self, text: str) -> None:
        """Look the code up and add it in a worker, after every scan (and cart key) typed before."""
        self.in_turn(CART, lambda: self._scan_step(text))

    def _scan_step(self, text: str) -> None:
        scanned = text
        qty = 1
        try:
            if "*" in text:
                left, text = text.split("*", 1)
                qty = stock.parse_qty(left)
                text = text.strip()
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        cart = self.cart
        self.load(
            scan_into,
            cart,
            text,
            qty,
            then=lambda found: self._scanned(cart, found, qty),
            failed=lambda error: self.scan_refused(scanned, error),
            key=CART,
        )

    def scan_refused(self, text: str, error: ZhangguiError) -> None:
        """A scan the store refused is said; one a busy database kept out goes back into the
        empty scan field, so Enter tries it again (it is not lost)."""
        if not isinstance(error, DatabaseBusy):
            self.fail(str(error))
            return
        field = self.query_one("#scan", Input)
        if not field.value:
            field.value = text
            field.cursor_position = len(text)
            self.fail(
                str(error) + " " + _("{code} is back in the field: Enter tries it again.").format(code=text)
            )
        else:  # the next code is already being typed: it is not overwritten
            self.fail(str(error) + " " + _("{code} was not added: scan it again.").format(code=text))

    def _scanned(self, cart: Cart, found: CartLine | list[Any], qty: int) -> None:
        if cart is not self.cart:
            return
        if isinstance(found, CartLine):
            self._added(found)
            return
        from tui.screens.picker import PickerScreen

        by_id = {p.id: p for p in found}

        def picked(product_id: str | None) -> None:
            if product_id in by_id:
                self.pick_unit_or_add(ScanResult(by_id[product_id]), qty)

        self.app.push_screen(PickerScreen(found), picked)

    def pick_unit_or_add(self, chosen: ScanResult, qty: int) -> None:
        product = chosen.product
        if not product.serialized:
            self.add(chosen, qty)
            return
        from tui.screens.unit_picker import UnitPickerScreen

        def got_units(units: list[Any]) -> None:
            if not units:
                self.fail(_("No {name} in stock.").format(name=product.display_name))
                return

            def picked(unit_id: str | None) -> None:
                unit = next((u for u in units if u.id == unit_id), None)
                if unit is not None:
                    self.add(ScanResult(product, unit), 1)

            self.app.push_screen(UnitPickerScreen(product, units), picked)

        self.in_turn(CART, lambda: self.load(stock.units_in_stock, product.id, then=got_units, key=CART))

    def add(self, result: ScanResult, qty: int) -> None:
        """Add a picked product (its stock is read in a worker), in turn after the scans."""
        self.change_cart(
            lambda cart: cart.add_scan(result, qty),
            lambda line: _("Added {name}").format(name=line.name),
            select_last=True,
        )

    def _added(self, line: CartLine) -> None:
        self.refresh_cart(select_last=True)
        self.say(_("Added {name}").format(name=line.name))

    @cart_key
    def action_cancel_sale(self) -> None:
        """Throw the sale in progress away, once the cashier has said so (nothing was saved)."""
        from tui.screens.confirm import ask_yes_no

        if not self.cart.lines:
            return
        cart = self.cart

        def cancel() -> None:
            if self.cart is not cart:  # resumed or paid meanwhile: not the sale that was asked about
                return
            self.cart = self.new_cart()
            self.refresh_cart()
            self.say(_("Sale cancelled; nothing was saved."))

        question = _("Cancel this sale ({total})?").format(total=format_fen(cart.total))
        ask_yes_no(self.app, question, _("Yes, cancel the sale"), cancel, no=_("No, keep selling"))

    # ---- sale actions ------------------------------------------------------
    @cart_key
    def action_pay(self) -> None:
        """Pay for the cart as the scans typed before F2 left it."""
        if not self._need_lines():
            return
        if self.cart.has_returns and not self.cart.return_approved_by:
            self.fail(_("A return needs a manager's PIN."))
            return
        from tui.screens.pay import PayScreen

        def paid(sale: SaleShown | None) -> None:
            if sale is None:
                self.refresh_cart()
                return
            self.query_one(ReorderPanel).after_sale(sale.id)  # in a worker: the receipt never waits
            self.show_receipt(sale)

        self.app.push_screen(PayScreen(self.cart, self.zapp.ctx.till), paid)

    def show_receipt(self, sale: SaleShown) -> None:
        from tui.screens.receipt import ReceiptScreen

        def done(_result: None) -> None:
            self.cart = self.new_cart()
            self.refresh_cart()
            self.say(_("Receipt {no} done. Next sale.").format(no=sale.receipt_no))
            self.query_one("#scan", Input).focus()

        self.app.push_screen(ReceiptScreen(sale.id), done)

    @cart_key
    def action_returns(self) -> None:
        from tui.screens.returns import Choice, ReturnsScreen

        if self.cart.tenders:
            self.fail(_("Payment has started: clear the payments to change the sale."))
            return

        def chosen(choice: Choice | None) -> None:
            if not choice:
                return

            def add_lines(ok: Approval | None) -> None:  # in a worker: it reads what was refunded
                cart = self.cart
                if cart.original_sale_id and cart.original_sale_id != choice[0][0].line.sale_id:
                    raise ValidationError(_("Return lines of one receipt at a time."))
                before = cart.return_approved_by
                cart.approve_return(ok)  # first: asking for a PIN must not add the lines twice
                try:
                    for entry, qty in choice:
                        cart.add_return_line(entry.line, qty, entry.line.qty - entry.returnable)
                    cart.set_return_reason(choice.reason)
                except ZhangguiError:
                    cart.return_approved_by = before
                    raise

            self.with_approval(add_lines)

        self.app.push_screen(ReturnsScreen(self.zapp.ctx.till, self.zapp.actor), chosen)

    def action_lock(self) -> None:
        self.zapp.lock()

    def _keep_for(
        self,
        name: str,
        then: Callable[[bool], object],
        failed: Callable[[ZhangguiError], object],
        quitting: bool = False,
        handover: bool = False,
    ) -> None:
        """Suspend the sale in progress (in a worker, after the scans typed before) under the
        name of who locked the terminal, who handed the drawer over, or who was selling when the
        console quit (payments not yet committed are cleared, as leaving the payment screen does);
        then ``then(kept)`` (False: nothing to keep)."""

        def write() -> None:
            cart = self.cart
            if not cart.lines:
                then(False)
                return
            cart.clear_tenders()
            label = (
                _("Quit: {name}") if quitting else _("Handover: {name}") if handover else _("Locked: {name}")
            )
            self.run_write(
                holds.hold,
                cart,
                label.format(name=name),
                self.now(),
                then=lambda _r: then(True),
                failed=failed,
                key=CART,
            )

        self.in_turn(CART, write)

    def unsaved_sale(self) -> tuple[str, int] | None:
        """(cart id, total) of the sale on screen, None when it has no lines: what a crash report
        looks up (tui/app.py), read at once because the app is going down."""
        return (self.cart.id, self.cart.total) if self.cart.lines else None
