"""My tasks today (F1 menu): the follow-up rules run first (in a worker), then the open
tasks of whoever is logged in that are due today or overdue. Enter opens the customer,
F2 marks the task done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.crm import followup, shown
from store.kernel.i18n import N_, _, ngettext
from tui.cells import cut_middle, ljust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class TasksScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="tasks.back"),
        Binding("f2", "done", N_("Done"), id="tasks.done"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.due: list[shown.TaskLine] = []
        self._first = True

    def compose(self) -> ComposeResult:
        yield Static(Text(_("My tasks today"), style="bold"), classes="screen-title")
        yield OptionList(id="tasks-list")
        yield MessageBar(id="message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#tasks-list", OptionList).focus()

    def reload(self, run_rules: bool = False) -> None:
        config, now, today = self.config, self.now(), self.today()
        member = self.zapp.staff
        assert member is not None

        def due() -> tuple[list[shown.TaskLine], int]:
            made = 0
            if run_rules:
                made = followup.run_rules(config.customers, config.tz, fallback_owner=member.id, now=now)
            return shown.my_tasks(member.id, today, member.actor, config.customers), made

        self.load(due, then=lambda found: self.show(*found))

    def show(self, due: list[shown.TaskLine], made: int) -> None:
        self.due = due
        options = self.query_one("#tasks-list", OptionList)
        options.clear_options()
        for item in due:
            row = Text(no_wrap=True, overflow="ellipsis")
            row.append(f"{item.due}  {ljust(item.phone, 12)} ")
            # Names in cells, not characters: a Chinese name is twice as wide as its length.
            row.append(ljust(cut_middle(item.name or _("(no name)"), 10), 10))
            row.append("  " + item.title, style="bold")
            options.add_option(Option(row, id=item.task_id))
        if due:
            options.highlighted = 0
        message = ngettext(
            "{n} task due. Enter opens the customer, F2 marks done.",
            "{n} tasks due. Enter opens the customer, F2 marks done.",
            len(due),
        ).format(n=len(due))
        if not due:
            message = _("Nothing due today.")
        if made:
            message += " " + _("{n} new from the follow-up rules.").format(n=made)
        self.say(message)

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
        """Shown first (the follow-up rules make today's tasks then) or back from a customer."""
        self.reload(run_rules=self._first)
        self._first = False

    def action_done(self) -> None:
        item = self.selected()
        member = self.zapp.staff
        if item is None or member is None:
            return
        self.run_write(followup.finish_task, item.task_id, by=member.id, then=lambda _task: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
