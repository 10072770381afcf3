"""A new product (SKU, barcode, name, category, price and cost in yuan), or a product's new
name: compact fields that fit 80x24. Enter moves to the next field, F2 saves, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import parse_money
from store.stock import products
from store.stock.catalog import CATEGORIES, category_name
from store.stock.products import ProductLine
from tui.screens.base import ConsoleModalScreen

NAME_FIELDS = ("brand", "model", "storage", "colour")
NEW_FIELDS = ("sku", "barcode", *NAME_FIELDS)
MONEY_FIELDS = ("price", "cost")


class ProductFormScreen(ConsoleModalScreen[str | None]):
    """Dismisses with the product's id once saved, or None."""

    BINDINGS = [
        Binding("f2", "save", N_("Save"), id="product_form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="product_form.cancel"),
    ]

    def __init__(self, product: ProductLine | None) -> None:
        """``product``: the product to rename; None adds one."""
        super().__init__()
        self.product = product
        self.added_sku = ""  # the SKU of the product added, once it is

    def compose(self) -> ComposeResult:
        p = self.product
        labels = {
            "sku": _("SKU"),
            "barcode": _("Barcode"),
            "brand": _("Brand"),
            "model": _("Model"),
            "storage": _("Storage"),
            "colour": _("Colour"),
            "price": _("Price ¥"),
            "cost": _("Cost ¥"),
        }
        hints = {"barcode": _("optional"), "storage": _("optional"), "colour": _("optional")}
        title = _("Name of {sku}").format(sku=p.sku) if p is not None else _("New product")
        with Vertical(classes="dialog wide"):
            yield Label(Text(title), classes="dialog-title")
            with Grid(id="product-form"):
                for key in NAME_FIELDS if p is not None else NEW_FIELDS:
                    yield Label(labels[key])
                    value = str(getattr(p, key)) if p is not None else ""
                    yield Input(value=value, placeholder=hints.get(key, ""), id=f"form-{key}", compact=True)
                if p is None:
                    yield Label(_("Category"))
                    yield Select(
                        [(category_name(c), c) for c in CATEGORIES],
                        value="accessory",
                        allow_blank=False,
                        id="form-category",
                        compact=True,
                    )
                    for key in MONEY_FIELDS:
                        yield Label(labels[key])
                        hint = _("e.g. 39 or 1299.00") if key == "price" else _("optional, e.g. 20")
                        yield Input(placeholder=hint, id=f"form-{key}", compact=True)
            yield Label(_("Enter: next field   F2: save   Esc: cancel"), classes="hint")
            yield Label("", id="form-message", classes="error")

    def on_mount(self) -> None:
        self.query_one("#form-sku" if self.product is None else "#form-brand", Input).focus()

    def value(self, key: str) -> str:
        return self.query_one(f"#form-{key}", Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def fail(self, message: str) -> None:
        self.query_one("#form-message", Label).update(Text(message))
        self.app.bell()

    def action_save(self) -> None:
        if self.writing():  # F2 again while the first one saves
            return
        names = {key: self.value(key) for key in NAME_FIELDS}
        if self.product is not None:
            self.run_write(
                products.rename,
                self.product.id,
                actor=self.actor,
                then=lambda line: self.dismiss(line.id),
                failed=lambda error: self.fail(str(error)),
                **names,
            )
            return
        try:
            price = parse_money(self.value("price"))
            cost = parse_money(self.value("cost")) if self.value("cost").strip() else 0
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        category = self.query_one("#form-category", Select).value
        self.run_write(
            products.add_product,
            sku=self.value("sku"),
            barcode=self.value("barcode"),
            category=category if isinstance(category, str) else "",
            price=price,
            cost=cost,
            actor=self.actor,
            then=self.added,
            failed=lambda error: self.fail(str(error)),
            **names,
        )

    def added(self, line: ProductLine) -> None:
        self.added_sku = line.sku
        self.dismiss(line.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
