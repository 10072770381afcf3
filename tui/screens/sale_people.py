"""The sale screen's people: the customer (F9), who referred a new customer (ctrl+r) and the
promoter credited (F10), each looked up in a worker and set in the cart's turn."""

from __future__ import annotations

from store.kernel.i18n import _
from tui.screens.prompt import PromptScreen
from tui.screens.sale_editing import CART, CartEditingScreen, cart_key


def customer_facts(customer_id: str, referrals: bool) -> tuple[str, bool]:
    """In a worker: how the sale names the customer, and whether to ask who referred them."""
    from store.crm.shown import cart_label
    from store.referrals.link import can_be_referred

    return cart_label(customer_id), referrals and can_be_referred(customer_id)


class CartPeopleScreen(CartEditingScreen):
    @cart_key
    def action_customer(self) -> None:
        """Find the customer as you type (or add one by mobile number and name)."""
        from tui.screens.customer_pick import CustomerPickScreen

        screen = CustomerPickScreen()

        def picked(customer_id: str | None) -> None:
            if customer_id is None:
                return

            def attach(facts: tuple[str, bool]) -> None:
                label, ask_referrer = facts
                self.cart.attach_customer(customer_id, label)
                self.refresh_cart()
                self.say(_("New customer added and attached.") if screen.added else _("Customer attached."))
                if ask_referrer and not self.cart.tenders:
                    self.action_referrer()  # 老带新: a new buyer is the moment to ask who sent them

            referrals = self.zapp.config.referrals.enabled
            self.in_turn(
                CART, lambda: self.load(customer_facts, customer_id, referrals, then=attach, key=CART)
            )

        self.app.push_screen(screen, picked)

    @cart_key
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
                self.in_turn(CART, lambda: self.attempt(lambda: self.cart.set_referrer(None)))
                return
            self.change_cart(  # the referrer is looked up, and checked, in a worker
                lambda cart: cart.set_referrer(find_referrer(text)),
                lambda _result: _("Referred by {name}.").format(name=self.cart.referrer_label),
            )

        self.app.push_screen(
            PromptScreen(
                _("New customer: who referred them?"),
                _("Scan the referral code or type the referrer's mobile number (Esc: nobody)."),
            ),
            entered,
        )

    @cart_key
    def action_promoter(self) -> None:
        from tui.screens.promoter import PromoterScreen

        def picked(staff_id: str | None) -> None:
            if staff_id:
                self.in_turn(CART, lambda: self.attempt(lambda: self.cart.set_promoter(staff_id)))

        self.app.push_screen(PromoterScreen(self.cart.promoter_id), picked)
