"""Staff (managers): everyone with their role, discount limit and whether wrong PINs locked
them out. F2 adds someone, F3 gives a new PIN, F4 unlocks, F5 changes role and discount
limit, F6 deactivates a leaver (their customers go to whoever takes over), F7 shows leavers
too. The store decides who may do each and audits it; this screen only asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.config.loader import ROLES
from store.crm.handover import Reassigned
from store.kernel import auth
from store.kernel.auth import Actor
from store.kernel.errors import PermissionDenied, ZhangguiError
from store.kernel.i18n import N_, _
from store.people import staff, staff_admin
from store.people.staff_admin import StaffLine
from tui.screens.base import ConsoleScreen
from tui.screens.choice import ChoiceScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar

T = TypeVar("T")


class StaffAdminScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "add", N_("Add"), id="staff.add"),
        Binding("f3", "new_pin", N_("New PIN"), id="staff.new_pin"),
        Binding("f4", "unlock", N_("Unlock"), id="staff.unlock"),
        Binding("f5", "role", N_("Role"), id="staff.role"),
        Binding("f6", "deactivate", N_("Deactivate"), id="staff.deactivate"),
        Binding("f7", "everyone", N_("Leavers"), id="staff.everyone"),
        Binding("escape", "back", N_("Back"), id="staff.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[StaffLine] = []
        self.everyone = False

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Staff"), style="bold"), classes="screen-title")
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield MessageBar(id="staff-message")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(Text(_("Code")), key="code", width=6)
        table.add_column(Text(_("Name")), key="name", width=12)
        table.add_column(Text(_("Role")), key="role", width=10)
        table.add_column(Text(_("Discount"), justify="right"), key="discount", width=8)
        table.add_column(Text(_("State")), key="state", width=24)
        table.focus()
        self.reload()
        self.say(_("F2 add, F3 new PIN, F4 unlock, F5 role and discount, F6 deactivate a leaver."))

    # ---- display -------------------------------------------------------------------------
    def reload(self) -> None:
        self.load(
            staff_admin.staff_lines,
            self.config.discounts,
            include_inactive=self.everyone,
            then=self.show_lines,
        )

    def show_lines(self, lines: list[StaffLine]) -> None:
        config = self.config
        self.lines = lines
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for line in self.lines:
            state = staff_admin.state_text(line, config.tz)
            table.add_row(
                Text(line.code, no_wrap=True, overflow="ellipsis"),
                Text(line.name, no_wrap=True, overflow="ellipsis"),
                Text(staff.role_name(line.role), no_wrap=True, overflow="ellipsis"),
                Text(f"{line.discount_limit}%" + ("*" if line.own_limit else ""), justify="right"),
                Text(state, style="bold red" if line.locked else "", no_wrap=True, overflow="ellipsis"),
                key=line.id,
            )
        if self.lines:
            table.move_cursor(row=min(keep, len(self.lines) - 1))

    def highlighted(self) -> StaffLine | None:
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if self.lines and 0 <= row < len(self.lines) else None

    # ---- doing ---------------------------------------------------------------------------
    def me(self) -> Actor:
        if self.zapp.staff is None:
            raise PermissionDenied(_("Only a manager may do this; ask a manager to approve it."))
        return auth.actor_for_login(self.zapp.staff)

    def run(self, fn: Callable[..., T], *args: Any, done: Callable[[T], str], **kwargs: Any) -> None:
        """``fn(*args, actor=<who is logged in>, **kwargs)``; say what happened or why not."""
        try:
            me = self.me()
        except ZhangguiError as exc:
            self.fail(str(exc))
            return
        self.run_write(fn, *args, actor=me, then=lambda result: self.changed(done(result)), **kwargs)

    def pick_role(self, title: str, current: str, then: Callable[[str], None]) -> None:
        rows = [(role, Text(staff.role_name(role))) for role in ROLES]

        def chosen(role: str | None) -> None:
            if role is not None:
                then(role)

        self.app.push_screen(ChoiceScreen(title, rows, highlighted=current), chosen)

    def ask_pin_twice(self, who: str, then: Callable[[str], None]) -> None:
        def first(pin: str) -> None:
            def second(again: str) -> None:
                if again != pin:
                    self.fail(_("The two PINs differ; nothing was changed."))
                    return
                then(pin)

            self.ask(_("New PIN for {name}").format(name=who), _("The new PIN again"), second, password=True)

        self.ask(_("New PIN for {name}").format(name=who), _("4 to 8 digits"), first, password=True)

    def action_add(self) -> None:
        def got_code(code: str) -> None:
            def got_name(name: str) -> None:
                def got_role(role: str) -> None:
                    def got_pin(pin: str) -> None:
                        self.run(
                            staff_admin.add_staff,
                            code,
                            name,
                            role,
                            pin,
                            done=lambda added: _("Added {name} ({code}).").format(
                                name=added.name, code=code.strip()
                            ),
                        )

                    self.ask_pin_twice(name.strip(), got_pin)

                self.pick_role(_("Role of {name}").format(name=name.strip()), "promoter", got_role)

            self.ask(_("Add staff"), _("Name"), got_name)

        self.ask(_("Add staff"), _("Staff code (letters and digits)"), got_code)

    def action_new_pin(self) -> None:
        line = self.highlighted()
        if line is None:
            return

        def got_pin(pin: str) -> None:
            self.run(
                staff_admin.set_pin,
                line.code,
                pin,
                done=lambda member: _("{name} has a new PIN.").format(name=member.name),
            )

        self.ask_pin_twice(line.name, got_pin)

    def action_unlock(self) -> None:
        line = self.highlighted()
        if line is not None:
            self.run(
                staff_admin.unlock,
                line.code,
                done=lambda member: _("{name} can log in again.").format(name=member.name),
            )

    def action_role(self) -> None:
        line = self.highlighted()
        if line is None:
            return
        config = self.config

        def got_role(role: str) -> None:
            def got_limit(text: str) -> None:
                try:
                    discount = int(text.strip()) if text.strip() else None
                except ValueError:
                    self.fail(_("A discount limit is 0 to 100 percent."))
                    return

                def done(member: Any) -> str:  # a Staff row
                    return _("{name} is now {role}, discount limit {pct}%.").format(
                        name=member.name,
                        role=staff.role_name(member.role),
                        pct=staff.discount_limit(member, config.discounts),
                    )

                self.run(
                    staff_admin.set_role, line.code, role, config.discounts, discount=discount, done=done
                )

            default = getattr(config.discounts, role, 0)
            self.ask(
                _("Discount limit of {name}").format(name=line.name),
                _("Percent they may give without a manager (empty: the role's {pct}%)").format(pct=default),
                got_limit,
                value=str(line.discount_limit) if line.own_limit else "",
            )

        self.pick_role(_("Role of {name}").format(name=line.name), line.role, got_role)

    def action_deactivate(self) -> None:
        line = self.highlighted()
        if line is None or not line.active:
            return

        def deactivate(successor: str) -> None:
            def done(moved: Reassigned) -> str:
                return _("{code} is deactivated; {customers} customers and {tasks} open tasks moved.").format(
                    code=line.code, customers=moved.customers, tasks=moved.tasks
                )

            self.run(staff_admin.deactivate, line.code, successor=successor, done=done)

        self.load(
            staff_admin.owned_by,
            line.id,
            then=lambda owned: self.ask_deactivate(line, owned, deactivate),
            key="owned",  # not "load": the list being read again is not what this waits for
        )

    def ask_deactivate(self, line: StaffLine, owned: Reassigned, deactivate: Callable[[str], None]) -> None:
        """Ask who takes over what ``line`` owns (``owned``: customers and open tasks), or confirm."""
        if owned.customers or owned.tasks:
            self.ask(
                _("Deactivate {name}").format(name=line.name),
                _("Who takes over {customers} customers and {tasks} open tasks? (staff code)").format(
                    customers=owned.customers, tasks=owned.tasks
                ),
                deactivate,
            )
            return
        rows = [
            ("yes", Text(_("Deactivate {name}: they can no longer log in").format(name=line.name))),
            ("no", Text(_("Cancel"))),
        ]

        def confirmed(answer: str | None) -> None:
            if answer == "yes":
                deactivate("")

        self.app.push_screen(ChoiceScreen(_("Deactivate {name}").format(name=line.name), rows), confirmed)

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.reload()
        self.say(_("Showing everyone, leavers too.") if self.everyone else _("Showing active staff."))

    def action_back(self) -> None:
        self.app.pop_screen()
