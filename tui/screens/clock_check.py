"""At login, a computer clock that disagrees with the store's last recorded event: a manager
sees both times and confirms the date (F2) or leaves it for now (Esc); anyone else is told to
call the manager. Until the date is confirmed, referral rewards are not settled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from store.kernel import clock_guard
from store.kernel.auth import actor_for_login
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui.screens.base import ConsoleModalScreen
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from store.people.directory import Member
    from tui.app import ZhangguiApp


class ClockCheckScreen(ConsoleModalScreen[bool]):
    """Dismisses with True once the manager has confirmed the date, False for not now."""

    BINDINGS = [
        Binding("f2", "confirm", N_("The date is right"), id="clock_check.confirm"),
        Binding("escape", "later", N_("Not now"), id="clock_check.later"),
    ]

    def __init__(self, state: clock_guard.ClockState, tz: ZoneInfo) -> None:
        super().__init__()
        self.state = state
        self.tz = tz

    def compose(self) -> ComposeResult:
        state = self.state
        with Vertical(classes="dialog wide"):
            yield Label(_("Check the date and time"), classes="dialog-title error")
            yield Label(
                Text(
                    _("This computer's clock: {time}").format(time=clock_guard.local_text(state.now, self.tz))
                ),
                id="clock-check-now",
            )
            if state.last_seen is not None:
                yield Label(
                    Text(
                        _("The store's last recorded event: {time}").format(
                            time=clock_guard.local_text(state.last_seen, self.tz)
                        )
                    ),
                    id="clock-check-last",
                )
            if state.status == clock_guard.BEHIND:
                gap = _("The clock is {gap} earlier: was it set back?")
            else:
                gap = _("The clock is {gap} later: was it set ahead, or the shop closed that long?")
            yield Static(Text(gap.format(gap=clock_guard.gap_text(state.gap))), id="clock-check-gap")
            yield Static(
                _(
                    "Until the date is confirmed, referral rewards are not earned or expired, so a "
                    "wrong clock cannot expire vouchers. If the clock is wrong, set it right first."
                )
            )
            yield Static(
                Text(
                    _("F2: today is {day}, the clock is right.  Esc: not now.").format(
                        day=clock_guard.local_day(state.now, self.tz).isoformat()
                    )
                ),
                id="clock-check-keys",
            )
            yield Static("", id="clock-check-message", classes="error")
        yield KeyBar()

    def action_confirm(self) -> None:
        member = self.zapp.staff
        if member is None or self.writing():
            return

        def refused(exc: ZhangguiError) -> None:
            self.query_one("#clock-check-message", Static).update(Text(str(exc)))

        self.run_write(
            clock_guard.confirm_date,
            clock_guard.local_day(self.state.now, self.tz),
            self.state.now,
            self.tz,
            actor=actor_for_login(member),
            then=lambda _state: self.dismiss(True),
            failed=refused,
        )

    def action_later(self) -> None:
        self.dismiss(False)


def check_at_login(app: ZhangguiApp) -> None:
    """Called once someone has logged in and the sale screen is up: the store is read in a
    worker of the sale screen, and what it finds is shown on it."""
    member = app.staff
    screen = app.sale_screen()
    if member is None or screen is None:
        return
    screen.load(
        clock_guard.check,
        app.ctx.clock(),
        app.config.clock,
        then=lambda state: show_clock_state(app, member, state),
        failed=lambda _exc: None,  # a busy database: the check is a courtesy, settlement still checks itself
        key="clock-check",
    )


def show_clock_state(app: ZhangguiApp, member: Member, state: clock_guard.ClockState) -> None:
    if not state.suspicious:
        return
    config = app.config
    screen = app.sale_screen()
    if not member.is_manager:
        if screen is not None:
            screen.fail(
                _("Call the manager: the computer's clock is {gap} off from the store's records.").format(
                    gap=clock_guard.gap_text(state.gap)
                )
            )
        return

    def done(confirmed: bool | None) -> None:
        if screen is None:
            return
        if confirmed:
            screen.say(_("Date confirmed. Referral rewards will be settled as of today."))
        else:
            screen.fail(_("The date is not confirmed: referral rewards wait until a manager confirms it."))

    app.push_screen(ClockCheckScreen(state, config.tz), done)
