"""Suspending a sale (F7) and taking a suspended one back (F8), written in the cart's turn."""

from __future__ import annotations

from store.kernel.i18n import _
from store.selling import held_list, holds
from store.selling.cart import Cart
from store.selling.held_list import HeldLine
from tui.screens.sale_editing import CART, cart_key
from tui.screens.sale_people import CartPeopleScreen


def resume_checked(held_id: str) -> tuple[Cart, list[str]]:
    """In a worker: the suspended sale taken back, and its IMEIs that left stock meanwhile."""
    cart = holds.resume(held_id)
    return cart, holds.gone_since_held(cart)


class CartHoldingScreen(CartPeopleScreen):
    def new_cart(self) -> Cart:
        """An empty cart for the one logged in (the sale screen makes it)."""
        raise NotImplementedError

    @cart_key
    def action_hold(self) -> None:
        if not self._need_lines():
            return

        def apply(label: str) -> None:
            def write() -> None:
                cart = self.cart
                if not cart.lines:
                    self.fail(_("The sale is empty."))
                    return

                def held(_result: None) -> None:
                    if self.cart is cart:
                        self.cart = self.new_cart()
                        self.refresh_cart()
                    self.say(_("Sale suspended. F8 resumes it."))

                self.run_write(holds.hold, cart, label, self.now(), then=held, key=CART)

            self.in_turn(CART, write)

        self.ask(_("Suspend sale"), _("A note to find it again (optional)"), apply)

    @cart_key
    def action_resume(self) -> None:
        if self.cart.lines:
            self.fail(_("Finish or suspend the current sale first."))
            return
        self.load(held_list.held_lines, then=self._pick_held, key=CART)

    def _pick_held(self, held: list[HeldLine]) -> None:
        from tui.screens.held import HeldSalesScreen

        if not held:
            self.fail(_("No suspended sales."))
            return

        def resumed(answer: tuple[Cart, list[str]]) -> None:
            self.cart, gone = answer
            self.refresh_cart(select_last=True)
            if gone:
                self.fail(
                    _(
                        "Sale resumed, but IMEI {imeis} left stock while it was suspended: remove it (F6)."
                    ).format(imeis=", ".join(gone))
                )
                return
            self.say(_("Sale resumed."))

        def picked(held_id: str | None) -> None:
            if held_id is None:
                return

            def write() -> None:
                if self.cart.lines:  # scanned meanwhile: keep that sale
                    self.fail(_("Finish or suspend the current sale first."))
                    return
                self.run_write(resume_checked, held_id, then=resumed, key=CART)

            self.in_turn(CART, write)

        self.app.push_screen(HeldSalesScreen(held, self.zapp.config.tz), picked)
