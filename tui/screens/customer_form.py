"""A new customer, or the changes to one: compact fields that fit 80x24. Enter moves to
the next field, F2 saves; a duplicate phone offers the existing customer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from store.crm import records
from store.crm.customer_fields import CONSENT_WAYS, GENDERS
from store.crm.form_values import CustomerFields, customer_fields
from store.crm.records import DuplicateCustomer
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui.i18n_bindings import translate_bindings

if TYPE_CHECKING:
    from tui.app import ZhangguiApp

TEXT_FIELDS = ("phone", "name", "birthday", "tags", "notes")


class CustomerFormScreen(ModalScreen[str | None]):
    """Dismisses with the customer's id (new, changed, or the existing one offered)."""

    BINDINGS = [
        Binding("f2", "save", N_("Save"), id="customer_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="customer_form.cancel"),
    ]

    def __init__(self, customer_id: str | None) -> None:
        """``customer_id``: the customer to edit; None adds one."""
        super().__init__()
        translate_bindings(self)
        self.customer_id = customer_id
        self.customer: CustomerFields | None = None
        self.offered: str | None = None

    @property
    def zapp(self) -> ZhangguiApp:
        from tui.app import ZhangguiApp

        assert isinstance(self.app, ZhangguiApp)
        return self.app

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
        phone, name, birthday = self.value("phone"), self.value("name"), self.value("birthday")
        tags, notes = self.value("tags"), self.value("notes")
        try:
            if self.customer is None:
                customer = records.create_customer(
                    phone,
                    name,
                    birthday=birthday,
                    tags=tags,
                    notes=notes,
                    gender=self.choice("gender"),
                    consent_how=self.choice("consent"),
                    owner_id=member.id,
                    store_code=self.zapp.ctx.till.store_code,
                    by=member.id,
                )
            else:
                customer = records.update_customer(
                    self.customer.id,
                    phone=self.customer.phone_change(phone),
                    name=name,
                    birthday=birthday,
                    tags=tags,
                    notes=notes,
                    gender=self.choice("gender"),
                    consent_how=self.choice("consent"),
                    by=member.id,
                )
        except DuplicateCustomer as exc:
            if self.offered == exc.existing.id:  # F2 again: take the existing customer
                self.dismiss(exc.existing.id)
                return
            self.offered = exc.existing.id
            self.fail(str(exc) + " " + _("F2 again opens that customer."))
            return
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.dismiss(customer.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
