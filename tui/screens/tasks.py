"""My tasks today (F1 menu): the follow-up rules run first (in a worker), then the open
tasks of whoever is logged in that are due today or overdue. Enter opens the customer,
F2 marks the task done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.crm import followup, shown
from store.crm.search import release_thread_connection
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui.i18n_bindings import translate_bindings
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from tui.app import ZhangguiApp


class TasksScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="tasks.back"),
        Binding("f2", "done", N_("Done"), id="tasks.done"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.due: list[shown.TaskLine] = []

    @property
    def zapp(self) -> ZhangguiApp:
        from tui.app import ZhangguiApp

        assert isinstance(self.app, ZhangguiApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Static(Text(_("My tasks today"), style="bold"), classes="screen-title")
        yield OptionList(id="tasks-list")
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#tasks-list", OptionList).focus()
        self.load(run_rules=True)

    @work(thread=True, exclusive=True, group="tasks")
    def load(self, run_rules: bool = False) -> None:
        config = self.zapp.config
        member = self.zapp.staff
        assert member is not None
        try:
            made = 0
            if run_rules:
                made = followup.run_rules(
                    config.customers, config.tz, fallback_owner=member.id, now=self.zapp.ctx.clock()
                )
            due = shown.my_tasks(member.id, self.zapp.ctx.clock.today(), member.actor, config.customers)
        except ZhangguiError as exc:
            self.app.call_from_thread(self.query_one(MessageBar).error, str(exc))
            return
        finally:
            release_thread_connection()
        self.app.call_from_thread(self.show, due, made)

    def show(self, due: list[shown.TaskLine], made: int) -> None:
        self.due = due
        options = self.query_one("#tasks-list", OptionList)
        options.clear_options()
        for item in due:
            row = Text(no_wrap=True, overflow="ellipsis")
            row.append(f"{item.due}  {item.phone:<12} ")
            row.append(item.name or _("(no name)"))
            row.append("  " + item.title, style="bold")
            options.add_option(Option(row, id=item.task_id))
        if due:
            options.highlighted = 0
        message = _("{n} tasks due. Enter opens the customer, F2 marks done.").format(n=len(due))
        if not due:
            message = _("Nothing due today.")
        if made:
            message += " " + _("{n} new from the follow-up rules.").format(n=made)
        self.query_one(MessageBar).info(message)

    def selected(self) -> shown.TaskLine | None:
        options = self.query_one("#tasks-list", OptionList)
        index = options.highlighted
        return self.due[index] if index is not None and 0 <= index < len(self.due) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from tui.screens.customer_profile import CustomerProfileScreen

        event.stop()
        item = self.selected()
        if item is not None:
            self.app.push_screen(CustomerProfileScreen(item.customer_id))

    def on_screen_resume(self) -> None:
        self.load()

    def action_done(self) -> None:
        item = self.selected()
        member = self.zapp.staff
        if item is None or member is None:
            return
        try:
            followup.finish_task(item.task_id, by=member.id)
        except ZhangguiError as exc:
            self.query_one(MessageBar).error(str(exc))
            return
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
