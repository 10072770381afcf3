"""F9 on the sale screen: find the customer as you type and pick them, or type a mobile
number and a name to add a new one. Dismisses with the customer's id, or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from store.crm import customer_fields, records
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.phone import normalise_mobile
from tui.screens.base import ConsoleModalScreen
from tui.widgets.customer_lookup import CustomerLookup
from tui.widgets.key_bar import KeyBar


class CustomerPickScreen(ConsoleModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="customer_pick.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.added = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide lookup-dialog"):
            yield Label(_("Customer"), classes="dialog-title")
            yield Label(
                _("Type to find; or a mobile number and a name to add a new customer"), classes="hint"
            )
            yield CustomerLookup(self.actor, self.config.customers, id="pick-lookup")
            yield Label("", id="pick-message", classes="error")
        yield KeyBar()  # Esc, and any other key, in sight

    def fail(self, message: str) -> None:
        self.query_one("#pick-message", Label).update(Text(message))
        self.app.bell()

    def on_customer_lookup_picked(self, event: CustomerLookup.Picked) -> None:
        self.dismiss(event.customer_id)

    def on_customer_lookup_submitted(self, event: CustomerLookup.Submitted) -> None:
        text = event.text.strip()
        if not text:
            return
        phone, _name = customer_fields.split_phone_and_name(text)
        member = self.zapp.staff
        assert member is not None
        if phone and len([c for c in phone if c.isdigit()]) >= 11:
            if not self.writing():  # Enter again while the first one is added: once
                self.run_write(
                    records.find_or_add,
                    text,
                    store_code=self.ctx.till.store_code,
                    owner_id=member.id,
                    by=member.id,
                    then=lambda found: self.added_customer(found[0].id, found[1]),
                )
            return
        if event.pick is not None:
            self.dismiss(event.pick)
            return
        if phone:  # digits that are neither a match nor a whole number: say what is wrong
            try:
                normalise_mobile(phone)
            except ZhangguiError as exc:
                self.fail(str(exc))
                return
        hint = _("No customer matches {text}. Type a mobile number and a name to add one.")
        self.fail(hint.format(text=text[:40]))

    def added_customer(self, customer_id: str, added: bool) -> None:
        self.added = added
        self.dismiss(customer_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
