"""Reorder (managers): every product at or under its reorder point with the suggested order,
by supplier. Enter or F2 changes a quantity (0 drops it); F3 places the orders: a purchase
order a supplier, written as CSV and XLSX to the exports folder, counted as stock on order
from then on. F4 shows every product (to order one that was not suggested)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen
from store.stock import reorder, reorder_export
from store.stock.ledger import parse_qty
from store.stock.reorder import Plan
from store.stock.velocity import class_name
from tui.cells import cut_middle
from tui.messages import StockChanged
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class ReorderScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "edit", N_("Edit qty"), id="reorder.edit"),
        Binding("f3", "place", N_("Place orders"), id="reorder.place"),
        Binding("f4", "toggle_all", N_("All"), id="reorder.all"),
        Binding("f5", "reload", N_("Refresh"), id="reorder.refresh"),
        Binding("escape", "back", N_("Back"), id="reorder.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plans: list[Plan] = []
        self.edited: dict[str, int] = {}
        self.show_all = False
        self.note = ""  # said when the next load is shown (after placing orders)

    def compose(self) -> ComposeResult:
        yield Static(id="reorder-header")
        yield DataTable(id="reorder-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="reorder-detail")
        yield MessageBar(id="reorder-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Supplier")), key="supplier", width=8)
        table.add_column(Text(_("Product")), key="product", width=22)
        table.add_column(Text(_("Class")), key="class", width=7)
        table.add_column(Text(_("Stock"), justify="right"), key="stock", width=5)
        table.add_column(Text(_("ROP"), justify="right"), key="rop", width=6)
        table.add_column(Text(_("Order"), justify="right"), key="order", width=5)
        table.add_column(Text(_("Value"), justify="right"), key="value", width=10)
        table.focus()
        self.action_reload()

    # ---- loading -----------------------------------------------------------
    def action_reload(self) -> None:
        self.say(_("Working out what to order..."))
        self.load(reorder.plans, self.config.stock, self.config.tz, then=self.loaded)

    def loaded(self, result: list[Plan]) -> None:
        self.plans = result
        self.show()
        self.say(self.note or _("Enter or F2 changes a quantity; F3 places the orders."))
        self.note = ""

    # ---- display -----------------------------------------------------------
    def current(self) -> list[Plan]:
        """The plans shown, with the manager's quantities."""
        shown = []
        for plan in self.plans:
            if plan.product_id in self.edited:
                plan = reorder.with_quantity(plan, self.edited[plan.product_id])
            if self.show_all or plan.suggested > 0 or plan.product_id in self.edited:
                shown.append(plan)
        return shown

    def show(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        plans = self.current()
        for plan in plans:
            edited = plan.product_id in self.edited
            table.add_row(
                Text(cut_middle(reorder_export.supplier_label(plan), 8), no_wrap=True),
                Text(cut_middle(plan.name, 22), no_wrap=True),
                Text(class_name(plan.velocity), no_wrap=True, overflow="ellipsis"),
                Text(str(plan.on_hand), justify="right"),
                Text(str(plan.reorder_at), justify="right"),
                Text(str(plan.suggested), justify="right", style="bold" if edited else ""),
                Text(format_fen(plan.value, symbol=False), justify="right"),
                key=plan.product_id,
            )
        if plans:
            table.move_cursor(row=min(keep, len(plans) - 1))
        wanted = [p for p in plans if p.suggested > 0]
        header = Text()
        header.append(_("Reorder"), style="bold")
        header.append(
            "  "
            + ngettext(
                "{n} product to order, {value} at cost", "{n} products to order, {value} at cost", len(wanted)
            ).format(n=len(wanted), value=format_fen(sum(p.value for p in wanted)))
        )
        if self.show_all:
            header.append("  (" + _("all products") + ")")
        self.query_one("#reorder-header", Static).update(header)
        self.show_detail()

    def selected(self) -> Plan | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self.current() if p.product_id == key), None)

    def show_detail(self) -> None:
        plan = self.selected()
        text = Text()
        if plan is not None:
            text.append(
                _(
                    "{per_day:.1f}/day (sigma {sigma:.1f}), lead {lead} d, pack {pack}, "
                    "on order {on_order}, up to {up_to}"
                ).format(
                    per_day=plan.demand.mean,
                    sigma=plan.demand.sigma,
                    lead=plan.lead_days,
                    pack=plan.pack_size,
                    on_order=plan.on_order,
                    up_to=plan.up_to,
                ),
                style="dim",
            )
        self.query_one("#reorder-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # ---- actions -----------------------------------------------------------
    def action_edit(self) -> None:

        plan = self.selected()
        if plan is None:
            self.fail(_("Nothing to change."))
            return

        def done(answer: str) -> None:
            qty = 0 if answer.strip() in ("0", "０") else parse_qty(answer)
            self.edited[plan.product_id] = qty
            self.show()
            self.say(_("{name}: order {n}.").format(name=plan.name, n=qty))

        label = _("{name} (pack of {pack}; 0 drops it)").format(name=plan.name, pack=plan.pack_size)
        self.ask(_("Order quantity"), label, done, str(plan.suggested))

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.show()

    def action_place(self) -> None:
        """Place the orders once the manager has seen how many and for how much: they go to the
        suppliers' files and stock on order at once, and cannot be taken back from here."""
        from tui.screens.confirm import ask_yes_no

        plans = [p for p in self.current() if p.suggested > 0]
        if not plans:
            self.place(plans)  # says there is nothing to order, as before
            return
        question = ngettext(
            "Place orders for {n} product, {amount} at cost?",
            "Place orders for {n} products, {amount} at cost?",
            len(plans),
        ).format(n=len(plans), amount=format_fen(sum(p.suggested * p.cost for p in plans)))
        ask_yes_no(self.app, question, _("Yes, place the orders"), lambda: self.place(plans))

    def place(self, plans: list[Plan]) -> None:
        self.run_write(
            reorder_export.place_orders,
            plans,
            actor=self.actor,
            folder=self.config.exports_dir(),
            then=self.placed,
        )

    def placed(self, placed: reorder_export.Placed) -> None:
        self.edited.clear()
        self.app.post_message(StockChanged())  # on order now: the sale screen's line changes too
        message = ngettext(
            "{n} purchase order placed, written to {folder}",
            "{n} purchase orders placed, written to {folder}",
            len(placed.orders),
        ).format(n=len(placed.orders), folder=self.config.exports_dir())
        if placed.unassigned:
            message += "; " + ngettext(
                "{n} product has no supplier (a file of its own)",
                "{n} products have no supplier (a file of their own)",
                len(placed.unassigned),
            ).format(n=len(placed.unassigned))
        self.action_reload()
        self.note = message
        self.say(message)

    def action_back(self) -> None:
        self.app.pop_screen()
