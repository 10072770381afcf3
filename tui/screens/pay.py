"""Take payment in one or more tenders, show the change, then commit the sale.

The commit runs in a worker thread: the console stays responsive while the database is busy,
and from the moment it starts the screen takes no more input (keys pressed meanwhile reach a
screen that ignores them) and it is dismissed exactly once, when it is on top. While another
till holds the database the screen says so and the worker keeps trying; a sale still blocked at
the store's deadline stays here with its payments, and Enter tries again.

No store call runs on the event loop: at mount one worker settles the customer's rewards that
are due and reads what the screen needs (store.referrals.till.PayFacts: the voucher balance,
how the original receipt of a refund was paid, what goes back onto the voucher); every amount
shown or taken after that is worked out from those facts and the cart's tenders. Until they
have arrived the screen shows the total, and an Enter waits for them (a failed read is tried
again by the next Enter). The commit checks everything again. The change has a large line of
its own the moment cash covers the total."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, Label, Static

from store.kernel.auth import Approval
from store.kernel.clock import business_date
from store.kernel.errors import DatabaseBusy, DiskFull, NeedsApproval, ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from store.referrals import till as at_till
from store.referrals import vouchers
from store.referrals.till import PayFacts
from store.selling import checkout, refunds, tender_refs
from store.selling.cart import Cart
from store.selling.cart_lines import CartTender
from store.selling.till import Till
from tui.messages import SaleCommitEnded, SaleCommitting
from tui.screens.base import ConsoleModalScreen
from tui.shapes import SaleShown
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

TENDER_NAMES = {
    "cash": N_("Cash"),
    "wechat": N_("WeChat Pay"),
    "alipay": N_("Alipay"),
    "card": N_("Card"),
    "voucher": N_("Referral voucher"),
}


class PayScreen(ConsoleModalScreen[SaleShown | None]):
    BINDINGS = [
        # a modal screen hears none of the app's keys: this one opens the keys overlay here too
        Binding("ctrl+g", "app.keys", N_("Keys"), id="pay.keys", show=False),
        Binding("f1", "method('cash')", N_("Cash"), id="pay.cash"),
        Binding("f2", "method('wechat')", N_("WeChat"), id="pay.wechat"),
        Binding("f3", "method('alipay')", N_("Alipay"), id="pay.alipay"),
        Binding("f4", "method('card')", N_("Card"), id="pay.card"),
        Binding("f5", "clear", N_("Clear payments"), id="pay.clear"),
        Binding("f6", "method('voucher')", N_("Voucher"), id="pay.voucher"),
        Binding("escape", "back", N_("Back"), id="pay.back"),
    ]

    def __init__(self, cart: Cart, till: Till) -> None:
        super().__init__()
        self.cart = cart
        self.till = till
        self.method = "cash"  # a refund's first way back once the facts are read (facts_arrived)
        # What the screen needs from the database (the voucher balance, how the original was
        # paid), read once in a worker at mount: until then it shows the total and an Enter
        # waits for them. A sale without customer that gives nothing back needs none.
        self.facts: PayFacts | None = None if at_till.needs_facts(cart) else at_till.NO_FACTS
        self._waiting_enter: str | None = None  # an Enter's text typed before the facts arrived
        self._reading = False  # the facts are being read
        self.busy = False  # a commit has started: no more input until it ends (the app reads it too)
        self._sale: SaleShown | None = None
        self._dismissed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text(), classes="dialog-title", id="pay-title")
            yield Static(id="pay-summary")
            with Horizontal(id="pay-change"):  # the change, large, the moment cash covers the total
                yield Label(id="pay-change-label")
                yield Digits(id="pay-change-digits")
            yield Label(id="pay-method")
            yield Input(id="pay-amount")
            yield MessageBar(id="pay-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_summary()
        if self.facts is None:
            self.read_facts()

    def read_facts(self) -> None:
        """Settle the customer's rewards that are due (those whose holding period ended become
        spendable) and read what the screen shows, in a worker."""
        self._reading = True
        self.load(
            at_till.pay_facts,
            self.cart,
            self.till,
            self.config.clock,
            then=self.facts_arrived,
            failed=self.facts_failed,
            key="pay-facts",
        )

    def facts_arrived(self, facts: PayFacts) -> None:
        self._reading = False
        self.facts = facts
        if self.cart.due < 0:
            self.method = self.next_refund_method()
        self.refresh_summary()
        if facts.problem:
            self.fail(facts.problem)
        elif facts.held:
            self.say(_("Referral rewards wait until a manager confirms the date."))
        typed, self._waiting_enter = self._waiting_enter, None
        if typed is not None:
            self.take(typed)

    def facts_failed(self, error: ZhangguiError) -> None:
        self._reading = False
        self._waiting_enter = None
        self.fail(str(error))  # Enter reads them again

    def title_text(self) -> str:
        """Payment; a return (goods back, money back) or an exchange says so."""
        if not self.cart.has_returns:
            return _("Payment")
        return _("Exchange") if any(not ln.is_return for ln in self.cart.lines) else _("Return")

    def next_refund_method(self) -> str:
        """The way the next part of a refund goes back (store.selling.refunds): the voucher,
        then the original WeChat Pay, Alipay or card payments, cash last."""
        shares = self.refund_left()
        return shares[0].kind if shares else "cash"

    def refund_left(self) -> list[refunds.Share]:
        """What of the refund's plan is still to give back (nothing before the facts arrived)."""
        return at_till.refund_left(self.cart, self.facts) if self.facts is not None else []

    def today(self) -> date:
        """The business date in the till's zone."""
        return business_date(self.now(), self.till.tz)

    def voucher_room(self) -> int:
        """What the voucher can take now (see store.referrals.till; 0 before the facts)."""
        return at_till.room(self.cart, self.facts) if self.facts is not None else 0

    def default_amount(self) -> int:
        """What Enter takes with nothing typed (on a refund to WeChat Pay, Alipay or card, what
        the plan gives back to that payment; cash: all that is still due)."""
        facts = self.facts if self.facts is not None else at_till.NO_FACTS
        return at_till.offered(self.cart, self.method, facts)

    def refresh_summary(self) -> None:
        cart = self.cart
        text = Text()
        text.append(_("Total") + f": {format_fen(cart.total)}\n", style="bold")
        for tender in cart.tenders:
            text.append(f"  {_(TENDER_NAMES[tender.kind])}  {format_fen(tender.amount)}")
            if tender.change:
                text.append("  " + _("given") + f" {format_fen(tender.tendered)}")
            if tender.reference:
                text.append(f"  {_('Ref.')} {tender.reference}", style="dim")
            text.append("\n")
        due = cart.due
        if due < 0:
            shares = self.refund_left()
            if shares:
                text.append(_("Back as paid (Enter; F1 for cash instead: a manager's PIN)") + ":\n")
            for share in shares:
                text.append(f"  {share.label}  {format_fen(share.amount)}")
                if share.reference:
                    text.append(f"  {_('Ref.')} {share.reference}", style="dim")
                text.append("\n")
        if due >= 0:
            text.append(_("Due") + f": {format_fen(due)}", style="bold")
        else:
            text.append(_("Refund due") + f": {format_fen(-due)}", style="bold")
        self.show_change(cart.change)
        room = self.voucher_room()
        if room and due > 0:
            text.append("\n" + _("Voucher balance (F6)") + f": {format_fen(room)}")
        elif room and due < 0:
            text.append("\n" + _("Back onto the voucher first (F6)") + f": {format_fen(room)}")
        self.query_one("#pay-summary", Static).update(text)
        self.query_one("#pay-method", Label).update(
            _("Method: {method} (F1-F4, F6 to change), Enter takes the amount").format(
                method=_(TENDER_NAMES[self.method])
            )
        )
        amount = self.query_one("#pay-amount", Input)
        amount.value = ""
        amount.placeholder = _("Enter: {amount}, or type another amount").format(
            amount=format_fen(self.default_amount())
        )
        amount.focus()

    def show_change(self, change: int) -> None:
        """The change in big digits on a line of its own, hidden while there is none."""
        self.query_one("#pay-change-label", Label).update(_("Change") + ": ¥")
        self.query_one("#pay-change-digits", Digits).update(format_fen(change, symbol=False))
        self.query_one("#pay-change", Horizontal).display = change > 0

    def action_method(self, method: str) -> None:
        self.method = method
        self.refresh_summary()

    def action_clear(self) -> None:
        self.cart.clear_tenders()
        self.refresh_summary()

    def action_back(self) -> None:
        self.cart.clear_tenders()
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.busy

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:  # an Enter queued behind the one that started the commit
            return
        if self.facts is None:  # the amounts depend on them: this Enter waits until they arrive
            if self._waiting_enter is None:
                self.say(_("Reading the customer's vouchers and the original payments…"))
                if not self._reading:
                    self.read_facts()  # the first read failed: try again
            self._waiting_enter = event.value
            return
        self.take(event.value)

    def take(self, value: str) -> None:
        """Take the payment or refund Enter asked for: ``value`` typed, or what is offered."""
        facts = self.facts
        assert facts is not None
        try:
            if self.cart.due:
                typed = value.strip()
                amount = parse_money(typed) if typed else self.default_amount()
                if self.method == vouchers.KIND:
                    at_till.add_voucher(self.cart, amount, self.today(), facts)
                elif self.cart.due < 0:
                    self.refund(amount)
                    return
                else:
                    tender = self.cart.add_tender(self.method, amount)
                    if tender_refs.asked(tender.kind, self.till.tenders):
                        self.ask_reference(tender)
                        return
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.taken()

    def taken(self) -> None:
        """A payment or refund was taken: show what is left, commit when nothing is."""
        if self.cart.due < 0:
            self.method = self.next_refund_method()
        self.refresh_summary()
        self.say("")  # an earlier refusal ("the voucher holds only ¥50.00") is over
        if self.cart.due == 0:
            self.commit()

    def refund(self, amount: int, approval: Approval | None = None) -> None:
        """Give ``amount`` back by the chosen method; cash instead of the original payment asks
        a manager's PIN when the store says so (a manager at the till acts in their own role)."""
        try:
            refunds.add_refund(self.cart, self.method, amount, approval, self.refund_facts())
        except NeedsApproval as exc:
            if approval is not None:
                self.fail(str(exc))
                return
            from tui.screens.manager_pin import ManagerPinScreen

            def approved(ok: Approval | None) -> None:
                if ok is None:
                    self.fail(_("Not approved."))
                    return
                self.refund(amount, ok)

            self.app.push_screen(ManagerPinScreen(str(exc), requester=self.actor), approved)
            return
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.taken()

    def refund_facts(self) -> refunds.RefundFacts:
        assert self.facts is not None  # a refund is taken only once they arrived
        return self.facts.refund

    def ask_reference(self, tender: CartTender, problem: str = "") -> None:
        """The transaction number or card digits of the payment just taken; Esc takes the
        payment back. Where [tenders] says optional, Enter on nothing goes without one."""
        from tui.screens.prompt import PromptScreen

        label = tender_refs.prompt(tender.kind)
        if not tender_refs.required(tender.kind, self.till.tenders):
            label += "\n" + _("Enter on nothing: without it.")
        if problem:
            label = problem + "\n" + label

        def answered(text: str | None) -> None:
            if text is None:
                self.cart.remove_tender(tender)
                self.refresh_summary()
                self.say(_("Payment not taken."))
                return
            if not text.strip() and tender_refs.required(tender.kind, self.till.tenders):
                self.ask_reference(tender, _("This payment's reference is required."))
                return
            try:
                self.cart.set_reference(tender, text)
            except ZhangguiError as exc:
                self.ask_reference(tender, str(exc))
                return
            self.taken()

        title = f"{_(TENDER_NAMES[tender.kind])}  {format_fen(tender.amount)}"
        self.app.push_screen(PromptScreen(title, label), answered)

    def commit(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.app.post_message(SaleCommitting())
        self.query_one("#pay-amount", Input).disabled = True
        self.say(_("Saving the sale…"))
        self.refresh_bindings()
        self.run_write(
            checkout.commit_sale_off_thread,
            self.cart,
            self.till,
            on_wait=self.report_wait,
            then=self.committed,
            failed=self.commit_failed,
            key="pay-commit",
        )

    def report_wait(self, seconds_waited: float) -> None:
        """From the worker, while another till holds the database."""
        self.app.call_from_thread(self.still_waiting)

    def still_waiting(self) -> None:
        if self.busy:
            self.say(_("Another till is saving; trying again…"))

    def committed(self, sale: SaleShown) -> None:
        self.app.post_message(SaleCommitEnded(saved=True))
        self._sale = sale
        self.dismiss_once()

    def on_screen_resume(self) -> None:
        self.dismiss_once()  # the commit ended while another screen (the lock) was on top

    def dismiss_once(self) -> None:
        """Hand the sale to the sale screen once, and only while this screen is on top:
        dismissing pops whatever screen is on top."""
        if self._sale is None or self._dismissed or not self.is_active:
            return
        self._dismissed = True
        self.dismiss(self._sale)

    def commit_failed(self, error: ZhangguiError) -> None:
        self.busy = False
        self.app.post_message(SaleCommitEnded(saved=False))
        self.query_one("#pay-amount", Input).disabled = False
        if isinstance(error, DatabaseBusy):  # nothing was written: the same payment goes again
            self.refresh_summary()
            self.refresh_bindings()
            self.fail(
                _(
                    "Another till kept the database busy, so this sale is not saved yet. It is "
                    "still here with its payments: press Enter to try again."
                )
            )
            return
        self.cart.clear_tenders()
        self.refresh_summary()
        self.refresh_bindings()
        text = str(error)
        if isinstance(error, DiskFull):
            if error.held:
                text = _(
                    "The disk is full, so this sale was not saved. It is still here, and a copy is "
                    "among the suspended sales (F8). Free some disk space or call the manager, then "
                    "take the payment again."
                )
            else:
                text = _(
                    "The disk is full, so this sale was not saved. It is still here: free some disk "
                    "space or call the manager, then take the payment again."
                )
        self.fail(text)
