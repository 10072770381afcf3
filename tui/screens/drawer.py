"""The cash drawer of this terminal (F1 → Cash drawer): the open shift (who, since when, its
float and the cash expected so far, from the X figures), and its keys: open with a float
counted by denomination, paid in, paid out (a reason; above [drawer] paid_out_limit_yuan
another manager's PIN), drop to the safe, handover (交班: the incoming cashier's code and PIN,
checked by the store, and the console is theirs from then on) and the X report. Selling does not
wait for the drawer: a sale rung before the first shift counts in it (store.dayclose.figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from store.dayclose import drawer, report
from store.dayclose.figures import Cash
from store.kernel.auth import Actor, Approval
from store.kernel.errors import NeedsApproval, ZhangguiError
from store.kernel.i18n import N_, _
from store.kernel.money import format_fen, parse_money
from tui.cells import ljust
from tui.screens.base import ConsoleScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.message_bar import MessageBar


@dataclass(frozen=True)
class DrawerState:
    """The open shift as the screen shows it (None: the drawer is not open)."""

    day: date
    shift: report.Shift
    cash: Cash
    made: report.DrawerReport


def drawer_state(terminal_id: str, tz: ZoneInfo) -> DrawerState | None:
    """Read in a worker: the open shift and its X figures."""
    session = drawer.open_session_of(terminal_id)
    if session is None:
        return None
    made = report.x_report(terminal_id, session.business_date, tz, session.seq)
    return DrawerState(session.business_date, made.shifts[0], made.cash, made)


def open_drawer(
    terminal_id: str, tz: ZoneInfo, *, actor: Actor, counts: dict[int, int], now: datetime | None = None
) -> str:
    """Open the drawer (in a worker); what to say."""
    session = drawer.open_session(terminal_id, tz, actor=actor, counts=counts, now=now)
    return _("Drawer open, shift {n}, float {amount}.").format(
        n=session.seq, amount=format_fen(session.float)
    )


def handed_over_text(taken: drawer.TakenOver) -> str:
    """What the status line says after a handover: the count, and who is logged in now."""
    counted = drawer.handed_over(taken.ended, taken.begun)
    return counted + " " + _("{name} is logged in now.").format(name=taken.incoming.name)


class DrawerScreen(ConsoleScreen[None]):
    BINDINGS = [
        Binding("f2", "open", N_("Open"), id="drawer.open"),
        Binding("f3", "move('paid_in')", N_("Paid in"), id="drawer.paid_in"),
        Binding("f4", "move('paid_out')", N_("Paid out"), id="drawer.paid_out"),
        Binding("f5", "move('drop')", N_("Drop"), id="drawer.drop"),
        Binding("f6", "handover", N_("Handover"), id="drawer.handover"),
        Binding("f7", "x_report", N_("X report"), id="drawer.x_report"),
        Binding("escape", "back", N_("Back"), id="drawer.back"),
    ]

    state: DrawerState | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Cash drawer"), style="bold"), id="drawer-header")
        yield Static(id="drawer-shift")
        yield MessageBar(id="drawer-message")
        yield KeyBar()

    def on_mount(self) -> None:
        # A handover's sentence is long: the message takes the lines it needs, under the figures.
        self.query_one("#drawer-message", MessageBar).styles.height = "auto"
        self.reload()

    def reload(self) -> None:
        self.load(drawer_state, self.config.terminal.id, self.config.tz, then=self.show, key="state")

    def show(self, state: DrawerState | None) -> None:
        self.state = state
        if state is None:
            text = Text(_("The drawer is not open: F2 opens it with a float counted by note and coin."))
            text.append(
                "\n" + _("Selling does not wait for it: sales rung before it opens count in its first shift.")
            )
            self.query_one("#drawer-shift", Static).update(text)
            return
        shift, cash = state.shift, state.cash
        text = Text()
        text.append(
            _("Shift {n} of {day}, opened by {name} at {time}").format(
                n=shift.seq, day=state.day.isoformat(), name=shift.opened_by, time=f"{shift.opened_at:%H:%M}"
            )
            + "\n\n",
            style="bold",
        )
        for label, amount in (
            (_("Float"), cash.float),
            (_("Cash tendered"), cash.tendered),
            (_("Change given"), -cash.change),
            (_("Cash refunds"), -cash.refunds),
            (_("Paid in"), cash.paid_in),
            (_("Paid out"), -cash.paid_out),
            (_("Drops to the safe"), -cash.drops),
        ):
            text.append(f"  {ljust(label, 24)}{format_fen(amount):>14}\n")
        text.append(
            f"  {ljust(_('Expected in the drawer'), 24)}{format_fen(cash.expected):>14}", style="bold"
        )
        text.append("\n")
        self.query_one("#drawer-shift", Static).update(text)

    def acting(self) -> Actor | None:
        if self.actor is None:
            self.fail(_("Log in first."))
        return self.actor

    # ---- open --------------------------------------------------------------
    def action_open(self) -> None:
        from tui.screens.drawer_count import DrawerCountScreen

        actor = self.acting()
        if actor is None:
            return
        if self.state is not None:
            self.fail(_("The drawer is already open: hand it over (F6) or close the day."))
            return

        def counted(counts: dict[int, int] | None) -> None:
            if counts is None:
                return
            self.run_write(
                open_drawer,
                self.config.terminal.id,
                self.config.tz,
                actor=actor,
                counts=counts,
                then=self.changed,
            )

        title = _("Open the drawer: count the float")
        hint = _("Pieces of each note and coin; Up and Down move, Enter opens the drawer.")
        self.app.push_screen(DrawerCountScreen(title, hint), counted)

    # ---- paid in, paid out, drop --------------------------------------------
    def action_move(self, kind: str) -> None:
        actor = self.acting()
        if actor is None:
            return
        if self.state is None:
            self.fail(_("The drawer is not open: open it with a float first (F2)."))
            return
        title = {"paid_in": _("Paid in"), "paid_out": _("Paid out"), "drop": _("Drop to the safe")}[kind]

        def got_amount(text: str) -> None:
            amount = parse_money(text)
            if kind == "drop":
                self.record(actor, kind, amount, "", None)
            else:
                self.ask(title, _("Reason"), lambda reason: self.record(actor, kind, amount, reason, None))

        self.ask(title, _("Amount (yuan)"), got_amount)

    def record(self, actor: Actor, kind: str, amount: int, reason: str, approval: Approval | None) -> None:
        from tui.screens.manager_pin import ManagerPinScreen

        said = {
            "paid_in": _("Paid in {amount}: {reason}"),
            "paid_out": _("Paid out {amount}: {reason}"),
            "drop": _("Dropped {amount} to the safe."),
        }[kind].format(amount=format_fen(amount), reason=reason.strip())

        def refused(error: ZhangguiError) -> None:
            if isinstance(error, NeedsApproval) and approval is None:
                self.fail(str(error))

                def approved(given: Approval | None) -> None:
                    if given is None:
                        self.fail(_("Not approved."))
                    else:
                        self.record(actor, kind, amount, reason, given)

                self.app.push_screen(ManagerPinScreen(str(error), requester=actor), approved)
                return
            self.fail(str(error))

        self.run_write(
            drawer.move_cash,
            self.config.terminal.id,
            kind,
            amount,
            actor=actor,
            reason=reason,
            approval=approval,
            limit=self.config.drawer.paid_out_limit,
            said=said,
            failed=refused,
        )

    # ---- handover ------------------------------------------------------------
    def action_handover(self) -> None:
        from tui.screens.drawer_count import DrawerCountScreen

        outgoing = self.acting()
        state = self.state
        if outgoing is None:
            return
        if state is None:
            self.fail(_("The drawer is not open: open it with a float first (F2)."))
            return
        expected = state.cash.expected

        def counted(counts: dict[int, int] | None) -> None:
            if counts is None:
                return
            total = sum(fen * pieces for fen, pieces in counts.items())
            diff = total - expected
            if abs(diff) <= self.config.drawer.tolerance:
                self.confirm_incoming(outgoing, counts, "")
                return
            question = _("Counted {counted}, expected {expected}: {diff} {word}. Give a reason.").format(
                counted=format_fen(total),
                expected=format_fen(expected),
                diff=format_fen(abs(diff)),
                word=_("over") if diff > 0 else _("short"),
            )

            def reasoned(reason: str) -> None:
                if reason.strip():
                    self.confirm_incoming(outgoing, counts, reason)
                else:  # the count is kept: the reason is asked again, not the count
                    self.ask(_("Handover"), question, reasoned)

            self.ask(_("Handover"), question, reasoned)

        title = _("Handover: count the drawer")
        hint = _("Pieces of each note and coin; Enter, then the incoming cashier confirms.")
        self.app.push_screen(DrawerCountScreen(title, hint, expected), counted)

    def confirm_incoming(self, outgoing: Actor, counts: dict[int, int], reason: str) -> None:
        from tui.screens.incoming import IncomingScreen

        total = format_fen(sum(fen * pieces for fen, pieces in counts.items()))
        # The dialog hands the code and PIN to the store, which checks the PIN and hands over in
        # one call (drawer.take_over): a wrong PIN is said in the dialog and typed again.
        take = partial(
            drawer.take_over,
            self.config.terminal.id,
            outgoing=outgoing,
            counts=counts,
            reason=reason,
            tolerance=self.config.drawer.tolerance,
        )

        def taken(result: drawer.TakenOver | None) -> None:
            if result is None:
                self.fail(_("Not handed over: the incoming cashier did not confirm."))
                return
            self.zapp.hand_over_to(result.incoming)  # the console acts as them from now on
            self.changed(handed_over_text(result))

        question = _("Code and PIN of the cashier who takes {amount} on as their float.").format(amount=total)
        self.app.push_screen(IncomingScreen(question, take), taken)

    # ---- X report ------------------------------------------------------------
    def action_x_report(self) -> None:
        from tui.screens.drawer_report import DrawerReportScreen

        if self.state is None:
            self.fail(_("The drawer is not open: open it with a float first (F2)."))
            return

        def fresh(state: DrawerState | None) -> None:
            self.show(state)
            if state is not None:
                self.app.push_screen(DrawerReportScreen(state.made))

        self.load(drawer_state, self.config.terminal.id, self.config.tz, then=fresh, key="state")

    def action_back(self) -> None:
        self.app.pop_screen()
