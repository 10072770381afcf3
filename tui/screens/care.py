"""Customer care (F1 menu, managers): birthdays and holidays today or this week, for the
customers who consented, with the message filled in; F2 saves it as CSV and SMS text in the
exports folder (the shop sends them: there is no SMS gateway)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.crm import care, shown
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _, ngettext
from tui.cells import ljust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

SHOWN = 300  # rows on screen; the export holds them all


class CareScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="care.back"),
        Binding("f2", "export", N_("Export"), id="care.export"),
        Binding("f3", "week", N_("Today/week"), id="care.week"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.days = 1
        self.items: list[care.CareItem] = []

    def compose(self) -> ComposeResult:
        yield Static(id="care-title", classes="screen-title")
        with VerticalScroll(id="care-body"):
            yield Static(id="care-text")
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#care-body").focus()
        self.reload()

    @property
    def first(self) -> date:
        return self.today()

    def reload(self) -> None:
        self.load(
            shown.care_list,
            self.first,
            self.config.customers,
            self.zapp.store_name,
            self.actor,
            days=self.days,
            then=self.show,
        )

    def show(self, items: list[care.CareItem]) -> None:
        self.items = items
        title = _("Customer care: today") if self.days == 1 else _("Customer care: the next 7 days")
        self.query_one("#care-title", Static).update(Text(f"{title}  {self.first}", style="bold"))
        t = Text()
        for item in items[:SHOWN]:
            phone = item.phone  # as this person may see it (store.crm.shown)
            t.append(f"{item.day}  {ljust(item.occasion_name, 10)} {ljust(phone, 12)} ")
            t.append((item.name or _("(no name)")) + "\n")
            t.append(f"    {item.message}\n", style="dim")
        if len(items) > SHOWN:
            t.append(_("… and {n} more in the export.").format(n=len(items) - SHOWN) + "\n")
        if not items:
            t.append(_("No greetings due (only customers who consented are listed)."))
        self.query_one("#care-text", Static).update(t)
        self.say(
            ngettext(
                "{n} greeting. F2 exports CSV and SMS text.",
                "{n} greetings. F2 exports CSV and SMS text.",
                len(items),
            ).format(n=len(items))
        )

    def action_week(self) -> None:
        self.days = 7 if self.days == 1 else 1
        self.reload()

    def action_export(self) -> None:
        if not self.items:
            self.fail(_("Nothing to export."))
            return
        try:
            csv_path, sms_path = care.export(self.items, self.config.exports_dir(), self.first, self.days)
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.say(_("Saved {csv} and {sms}.").format(csv=csv_path, sms=sms_path.name))

    def action_back(self) -> None:
        self.app.pop_screen()
