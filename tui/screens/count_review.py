"""Variance review of a closed count (managers): every product whose count differs from the
book, in quantity and value, with the missing and unexpected handsets by IMEI. F2 approves
with a manager's PIN and turns the variances into stock movements; F3 reopens the count."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.auth import Approval
from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen
from store.stock import count_approval, count_review, count_sessions
from store.stock.count_review import Review
from tui.cells import cut_middle
from tui.messages import StockChanged
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

UNIT_KINDS = {
    count_sessions.MISSING: N_("missing"),
    count_sessions.UNEXPECTED: N_("not in stock in the books"),
    count_sessions.NEW: N_("unknown IMEI"),
}


class CountReviewScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "approve", N_("Approve"), id="count_review.approve"),
        Binding("f3", "reopen", N_("Count more"), id="count_review.reopen"),
        Binding("escape", "back", N_("Back"), id="count_review.back"),
    ]

    def __init__(self, count_id: str) -> None:
        super().__init__()
        self.count_id = count_id
        self.review: Review | None = None
        self.note = ""  # said once the next load is shown (after an approval)

    def compose(self) -> ComposeResult:
        yield Static(id="review-header")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-totals")
        yield MessageBar(id="review-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Product")), key="item", width=38)
        table.add_column(Text(_("Book"), justify="right"), key="book", width=5)
        table.add_column(Text(_("Counted"), justify="right"), key="counted", width=7)
        table.add_column(Text(_("Diff"), justify="right"), key="diff", width=5)
        table.add_column(Text(_("Value"), justify="right"), key="value", width=12)
        table.focus()
        self.say(_("Working out the variances..."))
        self.reload()

    # ---- loading (a full count of a large store takes a moment: in a worker) -----
    def reload(self) -> None:
        self.load(count_review.review, self.count_id, then=self.show)

    def show(self, result: Review) -> None:
        self.review = result
        count = result.count
        header = Text()
        header.append(_("Variance review") + f" {count.number}", style="bold")
        header.append(f"  {count_sessions.scope_label(count)}  {count_sessions.status_name(count.status)}")
        self.query_one("#review-header", Static).update(header)
        table = self.query_one(DataTable)
        table.clear()
        units_by_product: dict[str, list[count_review.UnitVariance]] = {}
        for unit in result.units:
            units_by_product.setdefault(unit.product_id, []).append(unit)
        for line in result.differences:
            style = "red" if line.variance < 0 else ("green" if line.variance > 0 else "")
            table.add_row(
                Text(cut_middle(line.name, 38), no_wrap=True),
                Text(str(line.expected), justify="right"),
                Text(str(line.counted), justify="right"),
                Text(f"{line.variance:+d}", justify="right", style=style),
                Text(format_fen(line.value), justify="right", style=style),
                key=line.product_id,
            )
            for unit in units_by_product.get(line.product_id, []):
                label = Text(f"  {_('IMEI')} {unit.imei} ", style="dim")
                label.append(_(UNIT_KINDS.get(unit.kind, unit.kind)), style="dim")
                if not unit.applies:
                    label.append(" (" + _("changed since; not moved") + ")", style="dim")
                table.add_row(label, Text(""), Text(""), Text(""), Text(""))
        totals = Text()
        totals.append(
            _("Short {qty} ({value})").format(qty=result.short_qty, value=format_fen(result.short_value)),
            style="red",
        )
        totals.append("  ")
        totals.append(
            _("Over {qty} ({value})").format(qty=result.over_qty, value=format_fen(result.over_value)),
            style="green",
        )
        totals.append("  " + _("Net {value}").format(value=format_fen(result.net_value)), style="bold")
        self.query_one("#review-totals", Static).update(totals)
        if self.note:
            self.say(self.note)
            self.note = ""
        elif count.status == "approved":
            self.say(_("Count {number} is approved.").format(number=count.number))
        elif not result.differences:
            self.say(_("No differences: F2 approves the count."))
        else:
            self.say(
                ngettext(
                    "{n} product differs. F2 approves (manager PIN), F3 counts more.",
                    "{n} products differ. F2 approves (manager PIN), F3 counts more.",
                    len(result.differences),
                ).format(n=len(result.differences))
            )

    # ---- actions -----------------------------------------------------------
    def action_approve(self) -> None:
        from tui.screens.manager_pin import confirm_as_manager

        if self.review is None:
            self.fail(_("Wait for the variances to be worked out."))
            return
        number = self.review.count.number
        actor = self.actor

        def approved(approval: Approval | None) -> None:
            name = approval.manager_name if approval is not None else actor.name if actor else ""

            def done(result: Review) -> None:
                self.note = ngettext(
                    "Count {number} approved by {name}: {n} product adjusted.",
                    "Count {number} approved by {name}: {n} products adjusted.",
                    len(result.differences),
                ).format(number=number, name=name, n=len(result.differences))
                self.say(self.note)
                self.reload()
                self.app.post_message(StockChanged())

            self.run_write(count_approval.approve, self.count_id, actor=actor, approval=approval, then=done)

        reason = _("Approve count {number}: its variances become stock movements.").format(number=number)
        confirm_as_manager(self.app, actor, reason, _("Approve the count"), approved, self.fail)

    def action_reopen(self) -> None:
        from tui.screens.stock_count import StockCountScreen

        self.run_write(
            count_sessions.reopen,
            self.count_id,
            staff_id=self.staff_id,
            then=lambda _count: self.app.switch_screen(StockCountScreen()),
        )

    def action_back(self) -> None:
        self.app.pop_screen()
