"""Closing a business day (the Z report): the drawer's count by denomination ("100x12 50x3") or
as one amount, or not counted (F3) with a reason; over or short is shown as it is typed, a
reason is asked beyond the tolerance. F2 asks a manager's code and PIN and closes the day: the
store decides who may. Dismisses with what to say (the Z number), or None when left."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from store.dayclose import close, drawer
from store.dayclose.report import DrawerReport
from store.kernel.auth import Approval
from store.kernel.errors import ValidationError, ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from tui.screens.base import ConsoleModalScreen
from tui.screens.manager_pin import ManagerPinScreen
from tui.widgets.key_bar import KeyBar

CLOSE = "close"


def read_count(text: str) -> tuple[int, dict[int, int] | None]:
    """The cash counted in fen, and the pieces by denomination when typed so ('100x2 10x5');
    a plain amount ('1234.50') is the total. ValidationError with a sentence when neither."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Type the count (e.g. 100x12 50x3, or 1234.50), or F3: not counted."))
    if any(mark in text for mark in "xX×=*"):
        counts = drawer.parse_counts(text)
        return drawer.count_total(counts), counts
    return parse_money(text), None


class DayCloseScreen(ConsoleModalScreen[str | None]):
    BINDINGS = [
        Binding("f2", "close", N_("Close the day"), id="day_close.close"),
        Binding("f3", "not_counted", N_("Not counted"), id="day_close.not_counted"),
        Binding("escape", "cancel", N_("Cancel"), id="day_close.cancel"),
    ]

    def __init__(self, made: DrawerReport) -> None:
        super().__init__()
        self.made = made
        self.counted = True

    def compose(self) -> ComposeResult:
        made = self.made
        with Vertical(classes="dialog wide"):
            title = _("Close {day} (Z report)").format(day=made.business_date.isoformat())
            yield Label(Text(title), classes="dialog-title")
            expected = _("Cash expected in the drawer: {amount}").format(
                amount=format_fen(made.cash.expected)
            )
            yield Label(Text(expected), id="day-close-expected")
            yield Label(_("Count by denomination (100x12 50x3) or the amount:"), id="day-close-how")
            yield Input(id="day-close-count")
            yield Label("", id="day-close-diff")
            yield Label(_("Reason (needed when over or short beyond the tolerance):"))
            yield Input(id="day-close-reason")
            yield Label("", id="day-close-message", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#day-close-count", Input))

    def message(self, text: str) -> None:
        self.query_one("#day-close-message", Label).update(Text(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "day-close-count":
            self.show_difference()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "day-close-count":
            self.query_one("#day-close-reason", Input).focus()
        else:
            self.action_close()

    def show_difference(self) -> None:
        diff = self.query_one("#day-close-diff", Label)
        if not self.counted:
            diff.update(_("Not counted: the close records no count."))
            return
        try:
            counted, _counts = read_count(self.query_one("#day-close-count", Input).value)
        except ZhangguiError:
            diff.update("")
            return
        gap = counted - self.made.cash.expected
        if gap == 0:
            said = _("Counted {amount}: the drawer is right.").format(amount=format_fen(counted))
        elif gap > 0:
            said = _("Counted {amount}: over by {gap}.").format(
                amount=format_fen(counted), gap=format_fen(gap)
            )
        else:
            said = _("Counted {amount}: short by {gap}.").format(
                amount=format_fen(counted), gap=format_fen(-gap)
            )
        diff.update(Text(said))

    def action_not_counted(self) -> None:
        self.counted = not self.counted
        count = self.query_one("#day-close-count", Input)
        count.disabled = not self.counted
        if self.counted:
            count.focus()
        else:
            self.query_one("#day-close-reason", Input).focus()
        self.show_difference()

    def action_close(self) -> None:
        if self.writing(CLOSE):
            return
        reason = self.query_one("#day-close-reason", Input).value.strip()
        counted: int | None = None
        counts: dict[int, int] | None = None
        if self.counted:
            try:
                counted, counts = read_count(self.query_one("#day-close-count", Input).value)
            except ZhangguiError as exc:
                self.message(str(exc))
                return
            gap = abs(counted - self.made.cash.expected)
            if gap > self.config.drawer.tolerance and not reason:
                self.message(_("Over or short by {gap}: type a reason.").format(gap=format_fen(gap)))
                self.query_one("#day-close-reason", Input).focus()
                return
        elif not reason:
            self.message(_("Not counted: type a reason."))
            self.query_one("#day-close-reason", Input).focus()
            return
        self.message("")

        def approved(approval: Approval | None) -> None:
            if approval is None:
                self.message(_("Not approved."))
                return
            self.run_write(
                close.close_day,
                self.config.terminal.id,
                self.made.business_date,
                self.config.tz,
                counted=counted,
                counts=counts,
                reason=reason,
                tolerance=self.config.drawer.tolerance,
                approval=approval,
                then=lambda row: self.dismiss(_("Z report {z} made: the day is closed.").format(z=row.z_no)),
                failed=lambda exc: self.message(str(exc)),
                key=CLOSE,
            )

        question = _("Close {day}: a manager's code and PIN.").format(day=self.made.business_date.isoformat())
        self.app.push_screen(ManagerPinScreen(question), approved)

    def action_cancel(self) -> None:
        self.dismiss(None)
