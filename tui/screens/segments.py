"""Customer segments (F1 menu, managers): everyone scored by RFM in a worker, then counts,
value and share of revenue per tier and state with a bar chart, the 80/20 line and the
A-class customers by value in a table whose rows open the customer (Enter)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from store.crm import shown, value
from store.kernel.i18n import N_, _, ngettext
from store.kernel.money import format_fen
from tui.cells import cut_middle, ljust, rjust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

BAR = 24


class SegmentsScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="segments.back"),
        Binding("f5", "refresh", N_("Refresh"), id="segments.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: value.Segments | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Customer segments"), style="bold"), classes="screen-title")
        with VerticalScroll(id="segments-body"):
            yield Static(Text(_("Scoring every customer…")), id="segments-text")
            yield DataTable(id="segments-top", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#segments-top", DataTable)
        table.add_column(Text(_("Phone")), key="phone", width=12)
        table.add_column(Text(_("Value"), justify="right"), key="value", width=12)
        table.add_column(Text(_("Last purchase")), key="last", width=13)
        table.add_column(Text("RFM"), key="rfm", width=4)
        table.add_column(Text(_("Name")), key="name", width=16)
        table.display = False
        self.query_one("#segments-body").focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.say(_("Scoring every customer…"))
        config, now, today, actor = self.config, self.now(), self.today(), self.actor

        def score() -> tuple[value.Segments, dict[str, shown.Person]]:
            scores = value.refresh(today, config.customers, now=now)
            result = value.segments(scores, value.customer_count())
            return result, shown.people(
                [s.customer_id for s in result.top_customers], actor, config.customers
            )

        self.load(score, then=lambda found: self.show(*found))

    def show(self, result: value.Segments, people: dict[str, shown.Person]) -> None:
        self.result = result
        t = Text()
        header = (
            ljust(_("Segment"), 12) + rjust(_("Customers"), 10) + rjust(_("Value"), 16) + rjust(_("Share"), 8)
        )
        t.append(header + "\n", style="bold")
        rows = [(_("Tier {tier}").format(tier=s.key), s) for s in result.tiers]
        rows += [(_(value.STATE_NAMES[s.key]), s) for s in result.states]
        for n, (label, s) in enumerate(rows):
            if n == len(result.tiers):
                t.append("\n")
            share = value.share_text(s.share_bp)
            t.append(ljust(label, 12) + f"{s.customers:>10,}{format_fen(s.value):>16}{share:>8}  ")
            t.append(value.share_bar(s.share_bp, BAR) + "\n", style="green" if s.key == "A" else "")
        t.append(ljust(_("no purchase yet"), 12) + f"{result.no_purchase:>10,}\n")
        t.append("\n")
        t.append(
            _("The top fifth of buyers make {share} of the revenue ({total}).").format(
                share=value.share_text(result.top20_share_bp), total=format_fen(result.total_value)
            )
            + "\n\n",
            style="bold",
        )
        table = self.query_one("#segments-top", DataTable)
        table.clear()
        if result.top_customers:
            t.append(_("A-class customers, by value (Enter opens one):"), style="bold underline")
            for top in result.top_customers:
                person = people.get(top.customer_id)
                table.add_row(
                    Text(person.phone if person else ""),
                    Text(format_fen(top.monetary), justify="right"),
                    Text(str(top.last_purchase)),
                    Text(f"{top.r}{top.f}{top.m}"),
                    Text(cut_middle(person.name if person else "", 16), no_wrap=True),
                    key=top.customer_id,
                )
        table.display = bool(result.top_customers)
        self.query_one("#segments-text", Static).update(t)
        self.say(
            ngettext(
                "Scored {n} customer with purchases.",
                "Scored {n} customers with purchases.",
                sum(s.customers for s in result.tiers),
            ).format(n=sum(s.customers for s in result.tiers))
        )
        if result.top_customers:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from tui.screens.customer_profile import CustomerProfileScreen

        event.stop()
        if event.row_key.value is not None:
            self.app.push_screen(CustomerProfileScreen(str(event.row_key.value)))

    def action_back(self) -> None:
        self.app.pop_screen()
