"""Customers (F1 menu): find a customer as you type and open the profile; F2 adds one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleScreen
from tui.widgets.customer_lookup import CustomerLookup
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class CustomersScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="customers.back"),
        Binding("f2", "new", N_("New"), id="customers.new"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Customers"), style="bold"), classes="screen-title")
        yield CustomerLookup(self.actor, self.config.customers, id="customers-lookup")
        yield MessageBar(id="message")
        yield KeyBar()

    def open_profile(self, customer_id: str) -> None:
        from tui.screens.customer_profile import CustomerProfileScreen

        self.app.push_screen(CustomerProfileScreen(customer_id))

    def on_customer_lookup_picked(self, event: CustomerLookup.Picked) -> None:
        self.open_profile(event.customer_id)

    def on_customer_lookup_submitted(self, event: CustomerLookup.Submitted) -> None:
        if event.pick is not None:
            self.open_profile(event.pick)
        elif event.text.strip():
            self.fail(_("No customer matches. F2 adds a new one."))

    def on_screen_resume(self) -> None:
        self.query_one(CustomerLookup).focus_input()

    def action_new(self) -> None:
        from tui.screens.customer_form import CustomerFormScreen

        def saved(customer_id: str | None) -> None:
            if customer_id is not None:
                self.open_profile(customer_id)

        self.app.push_screen(CustomerFormScreen(None), saved)

    def action_back(self) -> None:
        self.app.pop_screen()
