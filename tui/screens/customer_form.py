"""A new customer, or the changes to one: compact fields that fit 80x24. Enter moves to
the next field, F2 saves; a duplicate phone offers the existing customer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select

from store.crm import records
from store.crm.customer_fields import CONSENT_WAYS, GENDERS
from store.crm.form_values import CustomerFields, customer_fields
from store.crm.records import DuplicateCustomer
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen

TEXT_FIELDS = ("phone", "name", "birthday", "tags", "notes")


class CustomerFormScreen(ConsoleModalScreen[str | None]):
    """Dismisses with the customer's id (new, changed, or the existing one offered)."""

    BINDINGS = [
        Binding("f2", "save", N_("Save"), id="customer_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="customer_form.cancel"),
    ]

    def __init__(self, customer_id: str | None) -> None:
        """``customer_id``: the customer to edit; None adds one."""
        super().__init__()
        self.customer_id = customer_id
        self.customer: CustomerFields | None = None
        self.offered: str | None = None

    def compose(self) -> ComposeResult:
        if self.customer_id is not None:  # the phone as this person may see it
            self.customer = customer_fields(self.customer_id, self.zapp.actor, self.zapp.config.customers)
        c = self.customer
        values = {
            "phone": c.phone if c is not None else "",
            "name": c.name if c is not None else "",
            "birthday": c.birthday if c is not None else "",
            "tags": c.tags if c is not None else "",
            "notes": c.notes if c is not None else "",
        }
        labels = {
            "phone": _("Mobile"),
            "name": _("Name"),
            "birthday": _("Birthday"),
            "tags": _("Tags"),
            "notes": _("Notes"),
        }
        with Vertical(classes="dialog wide"):
            yield Label(_("Edit customer") if c is not None else _("New customer"), classes="dialog-title")
            with Grid(id="customer-form"):
                for key in TEXT_FIELDS:
                    yield Label(labels[key])
                    hint = _("1990-05-01 or 05-01") if key == "birthday" else ""
                    yield Input(value=values[key], placeholder=hint, id=f"form-{key}", compact=True)
                yield Label(_("Gender"))
                yield Select(
                    [(_(GENDERS[g]), g) for g in GENDERS],
                    value=c.gender if c is not None else "",
                    allow_blank=False,
                    id="form-gender",
                    compact=True,
                )
                yield Label(_("Consent"))
                yield Select(
                    [(_("no marketing consent"), ""), *[(_(CONSENT_WAYS[w]), w) for w in CONSENT_WAYS]],
                    value=c.consent_how if c is not None else "",
                    allow_blank=False,
                    id="form-consent",
                    compact=True,
                )
            yield Label(_("Enter: next field   F2: save   Esc: cancel"), classes="hint")
            yield Label("", id="form-message", classes="error")

    def on_mount(self) -> None:
        self.query_one("#form-phone", Input).focus()

    def value(self, key: str) -> str:
        return self.query_one(f"#form-{key}", Input).value

    def choice(self, key: str) -> str:
        selected = self.query_one(f"#form-{key}", Select).value
        return selected if isinstance(selected, str) else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def fail(self, message: str) -> None:
        self.query_one("#form-message", Label).update(Text(message))
        self.app.bell()

    def action_save(self) -> None:
        member = self.zapp.staff
        assert member is not None
        if self.writing():  # F2 again while the first one saves
            return
        phone, name, birthday = self.value("phone"), self.value("name"), self.value("birthday")
        fields = {
            "birthday": birthday,
            "tags": self.value("tags"),
            "notes": self.value("notes"),
            "gender": self.choice("gender"),
            "consent_how": self.choice("consent"),
            "by": member.id,
        }
        if self.customer is None:
            self.run_write(
                records.create_customer,
                phone,
                name,
                owner_id=member.id,
                store_code=self.ctx.till.store_code,
                then=lambda customer: self.dismiss(customer.id),
                failed=self.refused,
                **fields,
            )
        else:
            self.run_write(
                records.update_customer,
                self.customer.id,
                phone=self.customer.phone_change(phone),
                name=name,
                then=lambda customer: self.dismiss(customer.id),
                failed=self.refused,
                **fields,
            )

    def refused(self, error: ZhangguiError) -> None:
        if isinstance(error, DuplicateCustomer):
            if self.offered == error.existing.id:  # F2 again: take the existing customer
                self.dismiss(error.existing.id)
                return
            self.offered = error.existing.id
            self.fail(str(error) + " " + _("F2 again opens that customer."))
            return
        self.fail(str(error))

    def action_cancel(self) -> None:
        self.dismiss(None)
