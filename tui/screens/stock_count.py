"""Counting stock (blind): scan handsets by IMEI, accessories by barcode ('24*code' or F2 for
a quantity). The counter sees what they counted, never what the book expects. A count can be
left (Esc) or paused and resumed later; closing it hands it to a manager for review."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from store.kernel.errors import DatabaseBusy, ZhangguiError
from store.kernel.i18n import N_, _
from store.stock import count_entry, count_sessions
from store.stock.count_view import CountShown, shown
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar
from tui.widgets.scan_input import ScanInput


# Each write runs in a worker and hands back the snapshot the screen keeps, read there too.
def _start(
    *, scope_kind: str, scope_value: str, staff_id: str, tz: ZoneInfo, now: datetime | None = None
) -> CountShown:
    return shown(
        count_sessions.start_count(
            scope_kind=scope_kind, scope_value=scope_value, staff_id=staff_id, tz=tz, now=now
        )
    )


def _resume(count_id: str, *, staff_id: str, now: datetime | None = None) -> CountShown:
    return shown(count_sessions.resume(count_id, staff_id=staff_id, now=now))


def _close(count_id: str, *, staff_id: str, now: datetime | None = None) -> CountShown:
    return shown(count_sessions.close(count_id, staff_id=staff_id, now=now))


def _unfinished() -> CountShown | None:
    """The newest count not finished yet (being counted, paused or waiting for approval)."""
    busy = count_sessions.unfinished()
    return shown(busy[0]) if busy else None


# Every store call that changes or shows the counted lines goes in this turn (ConsoleScreen.in_turn):
# scans typed quickly are written one after another, in order, each once.
SCANS = "scan"


class StockCountScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "quantity", N_("Qty"), id="count.quantity"),
        Binding("f3", "recount", N_("Recount"), id="count.recount"),
        Binding("f5", "pause", N_("Pause"), id="count.pause"),
        Binding("f6", "close_count", N_("Close"), id="count.close"),
        Binding("escape", "back", N_("Back"), id="count.back"),
        Binding("up", "cursor(-1)", N_("Previous line"), id="count.up", show=False),
        Binding("down", "cursor(1)", N_("Next line"), id="count.down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count: CountShown | None = None
        self.model_id: str | None = None  # the handset model whose IMEIs are being scanned
        self.last_product: str | None = None  # the accessory F2 adds a quantity of
        self.totals: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="count-header")
        yield ScanInput(placeholder=_("Scan an IMEI or a barcode (24*code for 24)"), id="count-scan")
        yield Static(id="count-model")
        yield DataTable(id="count-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="count-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.can_focus = False
        table.add_column(Text(_("Counted item")), key="item", width=64)
        table.add_column(Text(_("Counted"), justify="right"), key="qty", width=7)
        self.query_one("#count-scan", Input).focus()
        self.begin()

    # ---- which count -------------------------------------------------------
    def begin(self) -> None:
        """Go on with the unfinished count, or start one (everything, a brand, ...)."""
        self.load(_unfinished, then=self.go_on, key="unfinished")

    def go_on(self, count: CountShown | None) -> None:
        if count is not None:
            if count.status == "review":
                self.app.call_later(self.show_review, count)  # not while this screen mounts
                return
            self.run_write(
                _resume,
                count.id,
                staff_id=self.staff_id,
                then=lambda resumed: self.opened(resumed, _("Count {number} resumed.")),
            )
            return
        self.ask_scope()

    def ask_scope(self) -> None:
        from tui.screens.choice import ChoiceScreen

        rows = [(kind, Text(count_sessions.scope_name(kind))) for kind in count_sessions.SCOPES]

        def chosen(kind: str | None) -> None:
            if kind is None:
                self.dismiss_screen()
            elif kind == "all":
                self.start("all", "")
            else:
                self.ask_value(kind)

        self.app.push_screen(ChoiceScreen(_("Start a stock count: count what? (Enter)"), rows), chosen)

    def ask_value(self, kind: str) -> None:
        self.load(count_sessions.scope_choices, kind, then=lambda values: self.pick_value(kind, values))

    def pick_value(self, kind: str, values: list[str]) -> None:
        from tui.screens.choice import ChoiceScreen

        if not values:
            self.fail(_("There is no {scope} to count.").format(scope=count_sessions.scope_name(kind)))
            self.ask_scope()
            return

        def chosen(value: str | None) -> None:
            if value is None:
                self.ask_scope()
            else:
                self.start(kind, value)

        title = _("Which {scope}? (Enter)").format(scope=count_sessions.scope_name(kind))
        self.app.push_screen(ChoiceScreen(title, [(v, Text(v)) for v in values]), chosen)

    def start(self, kind: str, value: str) -> None:
        self.run_write(
            _start,
            scope_kind=kind,
            scope_value=value,
            staff_id=self.staff_id,
            tz=self.config.tz,
            then=lambda count: self.opened(count, _("Count {number} started. Scan what is on the shelves.")),
        )

    def opened(self, count: CountShown, message: str) -> None:
        self.count = count
        self.reload()
        self.say(message.format(number=count.number))

    def dismiss_screen(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    # ---- display -----------------------------------------------------------
    def reload(self) -> None:
        """Read the counted lines again, in turn with the scans (a scan is never shown undone)."""

        def read() -> None:
            if self.count is None:
                self.show_lines([])
            else:
                self.load(count_entry.counted_so_far, self.count.id, then=self.show_lines, key="lines")

        self.in_turn(SCANS, read)

    def show_lines(self, lines: list[count_entry.CountedLine]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.totals = {}
        for line in lines:
            self.totals[line.product_id] = line.counted
            table.add_row(*self.cells(line.name, line.counted), key=line.product_id)
        self.show_header()

    def cells(self, name: str, counted: int) -> tuple[Text, Text]:
        return Text(name, no_wrap=True, overflow="ellipsis"), Text(str(counted), justify="right")

    def show_header(self) -> None:
        header = Text()
        if self.count is None:
            header.append(_("Stock count"), style="bold")
        else:
            header.append(_("Stock count") + f" {self.count.number}", style="bold")
            header.append(f"  {self.count.scope}  ")
            header.append(
                _("{units} counted, {products} products").format(
                    units=sum(self.totals.values()), products=len(self.totals)
                )
            )
        self.query_one("#count-header", Static).update(header)

    def show_line(self, product_id: str, name: str, counted: int) -> None:
        """Update one row (or add it at the top) without rebuilding the table."""
        table = self.query_one(DataTable)
        item, qty = self.cells(name, counted)
        if product_id in self.totals:
            table.update_cell(product_id, "item", item)
            table.update_cell(product_id, "qty", qty)
        else:
            table.add_row(item, qty, key=product_id)
        self.totals[product_id] = counted
        table.move_cursor(row=table.get_row_index(product_id))
        self.show_header()

    def show_model(self, name: str) -> None:
        """The handset model chosen by its barcode, whose IMEIs are being scanned ('' none)."""
        text = Text()
        if name:
            text.append(_("Counting") + ": ", style="bold")
            text.append(name)
        self.query_one("#count-model", Static).update(text)

    # ---- scanning ----------------------------------------------------------
    def on_scan_input_scanned(self, event: ScanInput.Scanned) -> None:
        if event.scan_input.id != "count-scan":
            return
        event.stop()
        text = event.code.strip()  # the field is already empty for the next scan
        if text:
            self.scan(text)

    def scan(self, text: str) -> None:
        """Scans are written one after another in the order typed: the next builds on this one
        (a handset's IMEIs follow its model)."""

        def write() -> None:
            if self.count is None:
                self.fail(_("No count is open."))
                return
            self.run_write(
                count_entry.enter,
                self.count.id,
                text,
                staff_id=self.staff_id,
                model_id=self.model_id,
                then=self.entered,
                failed=lambda error: self.refused(text, error),
                key=SCANS,
            )

        self.in_turn(SCANS, write)

    def refused(self, text: str, error: ZhangguiError) -> None:
        """A scan the store refused is said; one a busy database kept out goes back into the
        empty scan field, so Enter tries it again (it is not lost)."""
        if not isinstance(error, DatabaseBusy):
            self.fail(str(error))
            return
        field = self.query_one("#count-scan", Input)
        if not field.value:
            field.value = text
            field.cursor_position = len(text)
            self.fail(
                str(error) + " " + _("{code} is back in the field: Enter tries it again.").format(code=text)
            )
        else:
            self.fail(str(error) + " " + _("{code} was not counted: scan it again.").format(code=text))

    def entered(self, entered: count_entry.Entered) -> None:
        if entered.model_only:  # a handset's barcode: its IMEIs follow, others are refused
            self.model_id = entered.product_id
            self.show_model(entered.name)
        elif not entered.serialized:
            self.last_product = entered.product_id
            if self.model_id is not None:
                self.model_id = None
                self.show_model("")
        if not entered.model_only or entered.product_id in self.totals:
            self.show_line(entered.product_id, entered.name, entered.counted)
        self.say(entered.message)

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + step, table.row_count - 1)))

    def selected_product(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    # ---- actions -----------------------------------------------------------
    def action_quantity(self) -> None:
        """Enter how many of the accessory scanned last (a shelf of 24 without 24 scans): asked
        once the scans typed before F2 are written (the last of them is the one it adds to)."""
        self.in_turn(SCANS, self.ask_quantity)

    def ask_quantity(self) -> None:
        if self.count is None or self.last_product is None:
            self.fail(_("Scan the accessory's barcode first, then F2 for how many."))
            return
        product_id = self.last_product
        count_id = self.count.id

        def done(answer: str) -> None:
            qty = count_entry.parse_counted(answer)

            def shown_qty(entered: count_entry.Entered) -> None:
                self.show_line(entered.product_id, entered.name, entered.counted)
                self.say(entered.message)

            self.in_turn(
                SCANS,
                lambda: self.run_write(
                    count_entry.record_qty,
                    count_id,
                    product_id,
                    qty,
                    staff_id=self.staff_id,
                    then=shown_qty,
                    key=SCANS,
                ),
            )

        self.ask(_("How many more?"), _("Counted quantity"), done)

    def action_recount(self) -> None:
        """Count the highlighted product again: asked once the scans typed before F3 are written."""
        self.in_turn(SCANS, self.ask_recount)

    def ask_recount(self) -> None:
        from tui.screens.choice import ChoiceScreen

        product_id = self.selected_product()
        if self.count is None or product_id is None:
            self.fail(_("Nothing counted yet."))
            return
        count_id = self.count.id
        rows = [("no", Text(_("No, keep it"))), ("yes", Text(_("Yes, count it again from 0")))]

        def chosen(answer: str | None) -> None:
            if answer != "yes":
                return
            self.in_turn(
                SCANS,
                lambda: self.run_write(
                    count_entry.recount,
                    count_id,
                    product_id,
                    staff_id=self.staff_id,
                    said=_("Cleared; count it again."),
                    key=SCANS,
                ),
            )

        self.app.push_screen(ChoiceScreen(_("Throw away what was counted of this product?"), rows), chosen)

    def action_pause(self) -> None:
        if self.count is None:
            self.dismiss_screen()
            return
        count_id = self.count.id
        self.in_turn(  # after the scans typed before it
            SCANS,
            lambda: self.run_write(
                count_sessions.pause,
                count_id,
                staff_id=self.staff_id,
                then=lambda _count: self.dismiss_screen(),
                key=SCANS,
            ),
        )

    def action_close_count(self) -> None:
        """Close the count once the counter has said so: a closed count takes no more scans."""
        from tui.screens.confirm import ask_yes_no

        if self.count is None:
            return
        question = _("Close count {number}? Nothing more can be scanned into it.").format(
            number=self.count.number
        )
        ask_yes_no(self.app, question, _("Yes, close the count"), self.close_count)

    def close_count(self) -> None:
        def close() -> None:
            if self.count is not None:
                self.run_write(_close, self.count.id, staff_id=self.staff_id, then=self.closed, key=SCANS)

        self.in_turn(SCANS, close)  # after the scans typed before it

    def closed(self, count: CountShown) -> None:
        self.count = count
        self.show_review(count)

    def show_review(self, count: CountShown) -> None:
        member = self.zapp.staff
        if member is None or not member.is_manager:
            self.fail(
                _("Count {number} is closed; a manager reviews and approves it.").format(number=count.number)
            )
            self.count = None
            return
        from tui.screens.count_review import CountReviewScreen

        self.app.switch_screen(CountReviewScreen(count.id))

    def action_back(self) -> None:
        self.in_turn(SCANS, self.dismiss_screen)  # once the scans typed before it are written
