"""The sale screen's cart editing: the message bar, changes to the cart with a manager's PIN
where one is needed, and the line actions (quantity, discounts, price, remove)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual.widgets import Static

from store.kernel.auth import Approval
from store.kernel.errors import NeedsApproval, ZhangguiError
from store.kernel.i18n import _
from store.kernel.money import format_fen, parse_money
from store.selling.cart import Cart
from store.selling.discounts import parse_discount
from store.stock import ledger as stock
from tui.screens.base import ConsoleScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.widgets.cart_table import CartTable
from tui.widgets.message_bar import MessageBar
from tui.widgets.totals import Totals

# Every change to the cart (a scan, a key acting on the cart) is a step of this turn
# (ConsoleScreen.in_turn): made in the order typed, each after the store call of the one before.
CART = "cart"

T = TypeVar("T")
Action = TypeVar("Action", bound=Callable[..., None])


def cart_key(method: Action) -> Action:
    """An F-key acting on the cart waits its turn behind the scans typed before it."""

    @functools.wraps(method)
    def in_turn(self: CartEditingScreen, *args: Any) -> None:
        self.in_turn(CART, lambda: method(self, *args))

    return in_turn  # type: ignore[return-value]


class CartEditingScreen(ConsoleScreen[None]):
    """What the sale screen does to its cart; ``SaleScreen`` adds scanning, paying and the rest."""

    # Its own bindings are none: SaleScreen declares every key (Textual merges each class's own).
    BINDINGS = []
    cart: Cart

    # ---- display -----------------------------------------------------------
    def refresh_cart(self, select_last: bool = False) -> None:
        self.query_one(CartTable).show(self.cart, select_last=select_last)
        self.query_one(Totals).show(self.cart)
        app = self.zapp
        assert app.staff is not None
        promoter = app.known_staff_name(self.cart.promoter_id)
        if promoter is None:  # read in a worker; the header is shown again with it
            self.load(
                app.read_staff_name, self.cart.promoter_id, then=lambda _name: self.refresh_cart(), key="name"
            )
            promoter = ""
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

    def change_cart(
        self, action: Callable[[Cart], T], said: Callable[[T], str], *, select_last: bool = False
    ) -> None:
        """Change the cart in a worker (the change reads the store: stock on hand, a referrer),
        in turn after the scans and keys before it; then show it, with what ``said`` says and what
        became of the sale discount."""

        def step() -> None:
            cart = self.cart
            discount = cart.sale_discount

            def done(result: T) -> None:
                if cart is not self.cart:  # paid, suspended or cancelled meanwhile
                    return
                self.refresh_cart(select_last=select_last)
                self.say(self.discount_note(said(result), discount))

            self.load(action, cart, then=done, key=CART)

        self.in_turn(CART, step)

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
        self,
        action: Callable[[Approval | None], Any],
        done: Callable[[], str] | None = None,
        *,
        sets_sale_discount: bool = False,
    ) -> None:
        """Run ``action`` (in a worker, in turn); if it needs a manager, ask another person's PIN
        and run it again (a manager ringing the sale acts in their own role: the cart asks no PIN
        of them).
        ``sets_sale_discount``: ``done`` already says the new sale discount."""

        def needs(exc: ZhangguiError) -> None:
            if not isinstance(exc, NeedsApproval):
                self.fail(str(exc))
                return

            def approved(approval: Approval | None) -> None:
                if approval is None:
                    self.fail(_("Not approved."))
                    return
                by = _("Approved by {name}.").format(name=approval.manager_name)
                first = done() if done is not None else ""
                self.change_cart(lambda _cart: action(approval), lambda _result: f"{first} {by}".strip())

            self.app.push_screen(ManagerPinScreen(str(exc), requester=self.actor), approved)

        def step() -> None:
            cart = self.cart
            discount = cart.sale_discount

            def ok(_result: object) -> None:
                if cart is not self.cart:
                    return
                self.refresh_cart()
                said = done() if done is not None else ""
                self.say(said if sets_sale_discount else self.discount_note(said, discount))

            self.load(action, None, then=ok, failed=needs, key=CART)  # returned lines read the store

        self.in_turn(CART, step)

    @property
    def selected(self) -> int:
        return self.query_one(CartTable).cursor_row

    # ---- line actions ------------------------------------------------------
    def _need_lines(self) -> bool:
        if not self.cart.lines:
            self.fail(_("The sale is empty."))
            return False
        return True

    @cart_key
    def action_cursor(self, step: int) -> None:
        table = self.query_one(CartTable)
        if self.cart.lines:
            table.move_cursor(row=max(0, min(table.cursor_row + step, len(self.cart.lines) - 1)))

    @cart_key
    def action_quantity(self) -> None:
        if not self._need_lines():
            return
        index = self.selected
        line = self.cart.line(index)

        def apply(answer: str) -> None:
            qty = stock.parse_qty(answer)
            self.change_cart(  # reads the stock on hand
                lambda cart: cart.set_qty(index, qty),
                lambda _result: _("Quantity of {name}: {qty}.").format(name=line.name, qty=qty),
            )

        self.ask(_("Quantity"), line.name, apply, str(line.qty))

    @cart_key
    def action_line_discount(self) -> None:
        if not self._need_lines():
            return
        index = self.selected
        line = self.cart.line(index)

        def apply(answer: str) -> None:
            fen = parse_discount(answer, line.gross)
            self.with_approval(
                lambda ok: self.cart.set_line_discount(index, fen, ok),
                lambda: _("Discount on {name}: {amount}.").format(name=line.name, amount=format_fen(fen)),
            )

        self.ask(_("Line discount: yuan, 10% or 9折"), line.name, apply)

    @cart_key
    def action_sale_discount(self) -> None:
        if not self._need_lines():
            return

        def apply(answer: str) -> None:
            fen = parse_discount(answer, self.cart.discount_base)
            self.with_approval(
                lambda ok: self.cart.set_sale_discount(fen, ok),
                lambda: _("Sale discount: {amount}.").format(amount=format_fen(fen)),
                sets_sale_discount=True,
            )

        self.ask(_("Sale discount: yuan, 10% or 9折"), _("Discount on the whole sale"), apply)

    @cart_key
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

    @cart_key
    def action_remove_line(self) -> None:
        if self._need_lines():
            index = self.selected
            name = self.cart.line(index).name
            self.attempt(lambda: self.cart.remove_line(index), lambda: _("Removed {name}").format(name=name))
