"""The sale screen: a scan field that keeps focus, the cart, totals and the F-keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from store.kernel.auth import Approval
from store.kernel.errors import NeedsApproval, NotFound, ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from store.models import Product, Sale, SaleLine
from store.people import staff
from store.selling import sales
from store.selling.cart import Cart
from store.stock import catalog, imei
from store.stock import ledger as stock
from store.stock.catalog import ScanResult
from tui.screens.base import ConsoleScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.cart_table import CartTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar
from tui.widgets.reorder_panel import ReorderPanel
from tui.widgets.scan_input import ScanInput
from tui.widgets.totals import Totals

if TYPE_CHECKING:
    pass


_PHONE_THEN_NAME = re.compile(r"^\s*([+\d][\d\s\-()]*)(.*)$")


def split_phone_and_name(text: str) -> tuple[str, str]:
    """'+86 138 0013 8000 张三' -> ('+86 138 0013 8000', '张三')."""
    match = _PHONE_THEN_NAME.match(text)
    if match is None:
        return text.strip(), ""
    return match.group(1).strip(), match.group(2).strip()


class SaleScreen(ConsoleScreen[None]):
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
            discount_limit_percent=staff.discount_limit(member, app.config.discounts),
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

    def stock_changed(self) -> None:
        """Stock moved elsewhere (tui.messages.StockChanged): the reorder line looks again."""
        self.query_one(ReorderPanel).refresh_all()

    # ---- display -----------------------------------------------------------
    def refresh_cart(self, select_last: bool = False) -> None:
        self.query_one(CartTable).show(self.cart, select_last=select_last)
        self.query_one(Totals).show(self.cart)
        app = self.zapp
        assert app.staff is not None
        promoter = app.staff_name(self.cart.promoter_id)
        header = Text()
        header.append(app.store_name, style="bold")
        header.append("  " + _("Staff") + f": {app.staff.name}")
        header.append("  " + _("Promoter") + f": {promoter}")
        if self.cart.customer_label:
            header.append("  " + _("Customer") + f": {self.cart.customer_label}")
        if self.cart.referrer_label:
            header.append("  " + _("Referred by") + f": {self.cart.referrer_label}")
        self.query_one("#sale-header", Static).update(header)

    def attempt(self, action: Callable[[], Any], done: Callable[[], str] | None = None) -> bool:
        """Run a change to the cart. Success replaces whatever the message bar said before (an
        earlier refusal must not stay up): with what ``done`` says, or what the action said itself,
        and always with what became of the sale discount if the change took it off."""
        bar = self.query_one(MessageBar)
        discount, said = self.cart.sale_discount, bar.said
        try:
            action()
        except ZhangguiError as exc:
            self.fail(str(exc))
            return False
        self.refresh_cart()
        if done is not None or bar.said == said:
            self.say(self.discount_note(done() if done is not None else "", discount))
        elif self.cart.sale_discount != discount:
            self.say(self.discount_note(str(bar.render()), discount))
        return True

    def discount_note(self, message: str, discount_before: int) -> str:
        """``message``, and what happened to the sale discount if it changed."""
        after = self.cart.sale_discount
        if after == discount_before:
            return message
        if after == 0:
            note = _("The sale discount of {amount} no longer applies and was taken off (F5 gives it again).")
        else:
            note = _("The sale discount went from {amount} to {now}.")
        note = note.format(amount=format_fen(discount_before), now=format_fen(after))
        return f"{message} {note}".strip()

    def with_approval(
        self, action: Callable[[Approval | None], Any], done: Callable[[], str] | None = None
    ) -> None:
        """Run ``action``; if it needs a manager, ask another person's PIN and run it again (a
        manager ringing the sale acts in their own role: the cart asks no PIN of them)."""
        discount = self.cart.sale_discount
        try:
            action(None)
        except NeedsApproval as exc:

            def approved(approval: Approval | None) -> None:
                if approval is None:
                    self.fail(_("Not approved."))
                    return
                by = _("Approved by {name}.").format(name=approval.manager_name)
                first = done() if done is not None else ""
                self.attempt(lambda: action(approval), lambda: f"{first} {by}".strip())

            self.app.push_screen(ManagerPinScreen(str(exc), requester=self.zapp.actor), approved)
            return
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.refresh_cart()
        self.say(self.discount_note(done() if done is not None else "", discount))

    @property
    def selected(self) -> int:
        return self.query_one(CartTable).cursor_row

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
        qty = 1
        try:
            if "*" in text:
                left, text = text.split("*", 1)
                qty = stock.parse_qty(left)
                text = text.strip()
            result = catalog.lookup_code(text)
            if result is None:
                self._not_an_exact_code(text, qty)
                return
            self.add(result, qty)
        except ZhangguiError as exc:
            self.fail(str(exc))

    def _not_an_exact_code(self, text: str, qty: int) -> None:
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
            self.add(ScanResult(matches[0]), qty)
            return
        from tui.screens.picker import PickerScreen

        by_id = {p.id: p for p in matches}

        def picked(product_id: str | None) -> None:
            if product_id in by_id:
                self.pick_unit_or_add(by_id[product_id], qty)

        self.app.push_screen(PickerScreen(matches), picked)

    def pick_unit_or_add(self, product: Product, qty: int) -> None:
        if not product.serialized:
            self.attempt(lambda: self.add(ScanResult(product), qty))
            return
        from tui.screens.unit_picker import UnitPickerScreen

        units = stock.units_in_stock(product.id)
        if not units:
            self.fail(_("No {name} in stock.").format(name=product.display_name))
            return

        def picked(unit_id: str | None) -> None:
            unit = next((u for u in units if u.id == unit_id), None)
            if unit is not None:
                self.attempt(lambda: self.add(ScanResult(product, unit), 1))

        self.app.push_screen(UnitPickerScreen(product, units), picked)

    def add(self, result: ScanResult, qty: int) -> None:
        line = self.cart.add_scan(result, qty)
        self.refresh_cart(select_last=True)
        self.say(_("Added {name}").format(name=line.name))

    # ---- line actions ------------------------------------------------------
    def _need_lines(self) -> bool:
        if not self.cart.lines:
            self.fail(_("The sale is empty."))
            return False
        return True

    def action_cursor(self, step: int) -> None:
        table = self.query_one(CartTable)
        if self.cart.lines:
            table.move_cursor(row=max(0, min(table.cursor_row + step, len(self.cart.lines) - 1)))

    def action_quantity(self) -> None:
        if not self._need_lines():
            return
        index = self.selected
        line = self.cart.line(index)

        def apply(answer: str) -> None:
            qty = stock.parse_qty(answer)
            self.attempt(
                lambda: self.cart.set_qty(index, qty),
                lambda: _("Quantity of {name}: {qty}.").format(name=line.name, qty=qty),
            )

        self.ask(_("Quantity"), line.name, apply, str(line.qty))

    def action_line_discount(self) -> None:
        if not self._need_lines():
            return
        index = self.selected
        line = self.cart.line(index)

        def apply(answer: str) -> None:
            fen = parse_money(answer)
            self.with_approval(
                lambda ok: self.cart.set_line_discount(index, fen, ok),
                lambda: _("Discount on {name}: {amount}.").format(name=line.name, amount=format_fen(fen)),
            )

        self.ask(_("Line discount (yuan)"), line.name, apply)

    def action_sale_discount(self) -> None:
        if not self._need_lines():
            return

        def apply(answer: str) -> None:
            fen = parse_money(answer)
            self.with_approval(
                lambda ok: self.cart.set_sale_discount(fen, ok),
                lambda: _("Sale discount: {amount}.").format(amount=format_fen(fen)),
            )

        self.ask(_("Sale discount (yuan)"), _("Discount on the whole sale"), apply)

    def action_override_price(self) -> None:
        if not self._need_lines():
            return
        index = self.selected
        line = self.cart.line(index)

        def got_price(answer: str) -> None:
            price = parse_money(answer)

            def got_reason(reason: str) -> None:
                self.with_approval(
                    lambda ok: self.cart.override_price(index, price, reason, ok),
                    lambda: _("New price of {name}: {price}.").format(
                        name=line.name, price=format_fen(price)
                    ),
                )

            self.ask(_("Reason for the new price"), line.name, got_reason)

        self.ask(_("New unit price (yuan)"), line.name, got_price)

    def action_remove_line(self) -> None:
        if self._need_lines():
            index = self.selected
            name = self.cart.line(index).name
            self.attempt(lambda: self.cart.remove_line(index), lambda: _("Removed {name}").format(name=name))

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
    def action_pay(self) -> None:
        if not self._need_lines():
            return
        if self.cart.has_returns and not self.cart.return_approved_by:
            self.fail(_("A return needs a manager's PIN."))
            return
        from tui.screens.pay import PayScreen

        def paid(sale: Sale | None) -> None:
            if sale is None:
                self.refresh_cart()
                return
            self.query_one(ReorderPanel).after_sale(sale.id)  # in a worker: the receipt never waits
            self.show_receipt(sale)

        self.app.push_screen(PayScreen(self.cart, self.zapp.ctx.till), paid)

    def show_receipt(self, sale: Sale, reprint: bool = False, then: Callable[[], None] | None = None) -> None:
        from tui.screens.receipt import ReceiptScreen

        def done(_result: None) -> None:
            if then is not None:
                then()
            if not reprint:
                self.cart = self.new_cart()
                self.refresh_cart()
                self.say(_("Receipt {no} done. Next sale.").format(no=sale.receipt_no))
            self.query_one("#scan", Input).focus()

        self.app.push_screen(ReceiptScreen(sale.id, reprint=reprint), done)

    def action_hold(self) -> None:
        if not self._need_lines():
            return

        def apply(label: str) -> None:
            sales.hold(self.cart, label, self.now())
            self.cart = self.new_cart()
            self.refresh_cart()
            self.say(_("Sale suspended. F8 resumes it."))

        self.ask(_("Suspend sale"), _("A note to find it again (optional)"), apply)

    def action_resume(self) -> None:
        from tui.screens.held import HeldSalesScreen

        if self.cart.lines:
            self.fail(_("Finish or suspend the current sale first."))
            return
        held = sales.held_carts()
        if not held:
            self.fail(_("No suspended sales."))
            return

        def picked(held_id: str | None) -> None:
            if held_id is None:
                return
            try:
                self.cart = sales.resume(held_id)
            except ZhangguiError as exc:
                self.fail(str(exc))
                return
            self.refresh_cart(select_last=True)
            gone = sales.gone_since_held(self.cart)
            if gone:
                self.fail(
                    _(
                        "Sale resumed, but IMEI {imeis} left stock while it was suspended: remove it (F6)."
                    ).format(imeis=", ".join(gone))
                )
                return
            self.say(_("Sale resumed."))

        self.app.push_screen(HeldSalesScreen(held, self.zapp.config.tz), picked)

    def action_customer(self) -> None:
        """Find the customer as you type (or add one by mobile number and name)."""
        from store.crm.records import get_customer
        from store.kernel.phone import mask
        from store.referrals.link import can_be_referred
        from tui.screens.customer_pick import CustomerPickScreen

        screen = CustomerPickScreen()

        def picked(customer_id: str | None) -> None:
            if customer_id is None:
                return
            customer = get_customer(customer_id)
            self.cart.attach_customer(customer.id, f"{customer.name} {mask(customer.phone)}".strip())
            self.refresh_cart()
            self.say(_("New customer added and attached.") if screen.added else _("Customer attached."))
            if self.zapp.config.referrals.enabled and can_be_referred(customer.id) and not self.cart.tenders:
                self.action_referrer()  # 老带新: a new buyer is the moment to ask who sent them

        self.app.push_screen(screen, picked)

    def action_referrer(self) -> None:
        """Who referred this new customer: their referral code (scanned from the QR on their
        receipt or phone) or mobile number; Esc for nobody."""
        from store.referrals.link import find_referrer

        if not self.cart.customer_id:
            self.fail(_("Attach the new customer (F9) before entering who referred them."))
            return

        def entered(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self.attempt(lambda: self.cart.set_referrer(None))
                return
            if self.attempt(lambda: self.cart.set_referrer(find_referrer(text))):
                self.say(_("Referred by {name}.").format(name=self.cart.referrer_label))

        self.app.push_screen(
            PromptScreen(
                _("New customer: who referred them?"),
                _("Scan the referral code or type the referrer's mobile number (Esc: nobody)."),
            ),
            entered,
        )

    def action_promoter(self) -> None:
        from tui.screens.promoter import PromoterScreen

        def picked(staff_id: str | None) -> None:
            if staff_id:
                self.attempt(lambda: self.cart.set_promoter(staff_id))

        self.app.push_screen(PromoterScreen(self.cart.promoter_id), picked)

    def action_returns(self) -> None:
        from tui.screens.returns import ReturnsScreen

        if self.cart.tenders:
            self.fail(_("Payment has started: clear the payments to change the sale."))
            return

        def chosen(choice: list[tuple[SaleLine, int, int]] | None) -> None:
            if not choice:
                return

            def add_lines(ok: Approval | None) -> None:
                if self.cart.original_sale_id and self.cart.original_sale_id != choice[0][0].sale_id:
                    raise ValidationError(_("Return lines of one receipt at a time."))
                before = self.cart.return_approved_by
                self.cart.approve_return(ok)  # first: asking for a PIN must not add the lines twice
                try:
                    for line, qty, already in choice:
                        self.cart.add_return_line(line, qty, already)
                except ZhangguiError:
                    self.cart.return_approved_by = before
                    raise

            self.with_approval(add_lines)

        self.app.push_screen(ReturnsScreen(self.zapp.ctx.till, self.zapp.actor), chosen)

    def action_lock(self) -> None:
        self.zapp.lock()

    def keep_for(self, name: str, quitting: bool = False) -> bool:
        """Suspend the sale in progress under the name of who locked the terminal, or who was
        selling when the console quit (payments not yet committed are cleared, as leaving the
        payment screen does). False: nothing to keep."""
        if not self.cart.lines:
            return False
        self.cart.clear_tenders()
        label = _("Quit: {name}") if quitting else _("Locked: {name}")
        sales.hold(self.cart, label.format(name=name), self.now())
        return True

    def start_new_sale(self, kept_for: str = "") -> None:
        """A new, empty sale for whoever is logged in now."""
        self.cart = self.new_cart()
        self.refresh_cart()
        if kept_for:
            self.say(_("{name}'s sale was suspended; F8 resumes it.").format(name=kept_for))
        self.query_one("#scan", Input).focus()
