"""Leave (everyone): F2 asks for days off of a kind (事假 personal, 病假 sick, 年假 annual, 调休
time off in lieu, chosen with the arrow keys and Enter). A promoter sees their own requests; a
manager sees everyone's, the pending ones first, and approves (F3) or refuses (F4) the highlighted
one. Approved leave shows on the roster and is flagged if someone is rostered on those days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from store.people import desk as promoter_desk
from store.people import leave_list, leave_requests
from store.people import profiles as people
from store.people.directory import Member, member_of
from store.people.leave_list import LeaveLine
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


class LeaveScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "request", N_("Ask for leave"), id="leave.request"),
        Binding("f3", "decide(True)", N_("Approve"), id="leave.approve"),
        Binding("f4", "decide(False)", N_("Refuse"), id="leave.refuse"),
        Binding("f5", "withdraw", N_("Withdraw"), id="leave.withdraw"),
        Binding("f6", "record", N_("Record leave"), id="leave.record"),
        Binding("escape", "back", N_("Back"), id="leave.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[LeaveLine] = []

    @property
    def me(self) -> Member:
        member = self.zapp.staff
        assert member is not None
        return member

    @property
    def manager(self) -> bool:
        return self.zapp.staff is not None and self.zapp.staff.is_manager

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A promoter's footer has no approve or refuse, and the keys do nothing.
        if action in ("decide", "record"):
            return self.manager
        return True

    def compose(self) -> ComposeResult:
        yield Static(id="leave-header", classes="screen-title")
        yield DataTable(id="leave-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="leave-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Name")), key="name", width=8)
        table.add_column(Text(_("Kind")), key="kind", width=8)
        table.add_column(Text(_("From")), key="first", width=10)
        table.add_column(Text(_("To")), key="last", width=10)
        table.add_column(Text(_("Days"), justify="right"), key="days", width=4)
        table.add_column(Text(_("Status")), key="status", width=8)
        table.add_column(Text(_("Reason")), key="reason", width=16)
        table.focus()
        self.reload()
        if self.manager:
            self.say(_("F3 approves, F4 refuses the highlighted request; F6 records someone's leave."))
        else:
            self.say(_("F2 asks for leave; a manager approves it. F5 withdraws a request still waiting."))

    def reload(self) -> None:
        today = promoter_desk.today_of(self.config, now=self.now())
        who = None if self.manager else self.me.id
        self.load(leave_list.leave_lines, who, today, then=self.show)

    def show(self, requests: list[LeaveLine]) -> None:
        self.requests = requests
        header = Text(_("Leave"), style="bold")
        pending = sum(1 for r in self.requests if r.status == "requested")
        if self.manager:
            header.append("  " + _("{n} waiting for a decision").format(n=pending))
        else:
            header.append("  " + _("your requests, {name}").format(name=self.me.name))
        self.query_one("#leave-header", Static).update(header)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for request in self.requests:
            style = "bold" if request.status == "requested" else "dim"
            table.add_row(
                Text(request.name, no_wrap=True, overflow="ellipsis"),
                Text(leave_requests.leave_kind_short(request.kind), no_wrap=True, overflow="ellipsis"),
                Text(str(request.first_day)),
                Text(str(request.last_day)),
                Text(str(request.days), justify="right"),
                Text(promoter_desk.leave_status_name(request.status), style=style),
                Text(request.reason, no_wrap=True, overflow="ellipsis"),
                key=request.id,
            )
        if self.requests:
            table.move_cursor(row=min(keep, len(self.requests) - 1))

    def ask_kind(self, title: str, then: Callable[[str], object]) -> None:
        """Which kind of leave (arrow keys and Enter; personal leave is offered first); Esc stops."""
        from tui.screens.choice import ChoiceScreen

        rows = [(kind, Text(leave_requests.leave_kind_label(kind))) for kind in leave_requests.LEAVE_KINDS]

        def chosen(kind: str | None) -> None:
            if kind is None:
                return
            try:
                then(kind)
            except ZhangguiError as exc:
                self.fail(str(exc))

        hint = _("Which kind of leave? Arrow keys, then Enter.")
        self.app.push_screen(ChoiceScreen(title, rows, hint=hint, highlighted="personal"), chosen)

    def action_request(self) -> None:
        tomorrow = promoter_desk.today_of(self.config, now=self.now()) + timedelta(days=1)
        title = _("Ask for leave")

        def got_kind(kind: str) -> None:
            def got_first(first_text: str) -> None:
                first = promoter_desk.parse_day(first_text)

                def got_last(last_text: str) -> None:
                    last = promoter_desk.parse_day(last_text)

                    def got_reason(reason: str) -> None:
                        self.run_write(
                            leave_requests.request_leave,
                            self.me.id,
                            first,
                            last,
                            reason,
                            by=self.me.id,
                            kind=kind,
                            said=_("{kind} from {first} to {last} asked for; a manager decides.").format(
                                kind=leave_requests.leave_kind_label(kind), first=first, last=last
                            ),
                        )

                    self.ask(title, _("Reason (shown to the manager)"), got_reason)

                self.ask(title, _("Last day off (YYYY-MM-DD)"), got_last, first.isoformat())

            self.ask(title, _("First day off (YYYY-MM-DD)"), got_first, tomorrow.isoformat())

        self.ask_kind(title, got_kind)

    def action_decide(self, approve: bool) -> None:
        table = self.query_one(DataTable)
        if not self.requests or not 0 <= table.cursor_row < len(self.requests):
            self.fail(_("No leave request to decide."))
            return
        request = self.requests[table.cursor_row]
        done = _("Leave for {name} approved.") if approve else _("Leave for {name} refused.")
        self.run_write(
            leave_requests.decide_leave,
            request.id,
            approve,
            actor=self.actor,
            said=done.format(name=request.name),  # the list's name: no store read on the event loop
        )

    def action_record(self) -> None:
        """A manager records someone's leave, approved at once (sick leave phoned in)."""
        if not self.manager:
            return
        today = promoter_desk.today_of(self.config, now=self.now())
        title = _("Record leave")

        def got_code(code: str) -> None:
            wanted = code.strip().upper()
            self.load(lambda: member_of(people.by_code(wanted)), then=got_member, key="member")

        def got_member(member: Member) -> None:
            def got_kind(kind: str) -> None:
                def got_first(first_text: str) -> None:
                    first = promoter_desk.parse_day(first_text)

                    def got_last(last_text: str) -> None:
                        last = promoter_desk.parse_day(last_text)

                        def got_reason(reason: str) -> None:
                            self.run_write(
                                leave_requests.record_leave,
                                member.id,
                                first,
                                last,
                                reason,
                                actor=self.actor,
                                kind=kind,
                                said=_("{kind} for {name} approved.").format(
                                    kind=leave_requests.leave_kind_label(kind), name=member.name
                                ),
                            )

                        self.ask(title, _("Reason"), got_reason)

                    self.ask(title, _("Last day off (YYYY-MM-DD)"), got_last, first.isoformat())

                self.ask(title, _("First day off (YYYY-MM-DD)"), got_first, today.isoformat())

            self.ask_kind(title, got_kind)

        self.ask(title, _("Staff code of the person on leave"), got_code)

    def action_withdraw(self) -> None:
        """Take back one's own request that nobody has decided yet."""
        table = self.query_one(DataTable)
        if not self.requests or not 0 <= table.cursor_row < len(self.requests):
            self.fail(_("No leave request to withdraw."))
            return
        request = self.requests[table.cursor_row]
        self.run_write(
            leave_requests.withdraw_leave,
            request.id,
            by=self.me.id,
            said=_("Your leave from {first} to {last} was withdrawn.").format(
                first=request.first_day, last=request.last_day
            ),
        )

    def action_back(self) -> None:
        self.app.pop_screen()
