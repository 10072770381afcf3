"""The console: login, then the sale screen; F-keys and the command palette for the rest."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from store.config.loader import Config
from store.context import StoreContext, at_current_version, off_thread, upgrade_notice
from store.kernel.clock import Clock
from store.kernel.errors import ZhangguiError
from store.kernel.i18n import N_, _
from tui import crash_report, textual_fixes
from tui.i18n_bindings import translate_bindings
from tui.keymap import check_keymap
from tui.menu import DESTINATIONS, Destination
from tui.messages import (
    Quitting,
    ReadyToQuit,
    SaleCommitEnded,
    SaleCommitting,
    SaleNotKept,
    StockChanged,
    Unlocked,
)
from tui.opening import StoreOpening
from tui.palette import in_users_language
from tui.screens.login import LoginScreen

# Imported where used: the login screen is drawn before the store is open, from the config
# alone (tui.opening); the database side and the sale screen load behind it.
if TYPE_CHECKING:
    from store.context import IntegrityCheck
    from store.kernel.auth import Actor
    from store.people.directory import Member
    from tui.screens.sale import SaleScreen
    from tui.shapes import SaleShown

IDLE_CHECK_SECONDS = 10
# The PC shutting down, a service manager stopping the till. Not SIGHUP: once the terminal is
# gone, Textual 8.2.8's shutdown waits forever on its dead writer thread's full queue (seen in
# tmux: a closed session left the console running, the store open), so a hang-up still ends
# the process on the spot, as a crash.
STOP_SIGNALS = (signal.SIGTERM,)
STOP_RETRY_SECONDS = 0.05  # a commit takes a few milliseconds; a stop signal waits for it
# The background quick_check reads the whole file (seconds, and its own page cache, on a large
# store): it starts once the console is up instead of competing with start-up for disk and CPU.
INTEGRITY_CHECK_DELAY_SECONDS = 2.0
# Day close's job until there is a day close: the promoter day summary of settled days is
# built in the background once the console has been up a while, so month reports read it.
SUMMARY_DELAY_SECONDS = 10.0


class ZhangguiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "掌柜 zhanggui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", show=False),
        Binding("ctrl+l", "lock", N_("Lock"), id="app.lock", show=False),
        Binding("f1", "menu", N_("Menu"), id="app.menu"),
        # Every F-key is taken on the sale screen, a focused Input types "?" and takes ctrl+k;
        # ctrl+g is bound by nothing in Textual, passes through terminals and tmux, and the
        # key bar keeps it in sight at the right (tui/widgets/key_bar.py), hence show=False.
        Binding("ctrl+g", "keys", N_("Keys"), id="app.keys", show=False),
    ]

    def __init__(self, ctx: StoreContext | StoreOpening, staff: object | None = None) -> None:
        """``ctx``: an open store, or one to open behind the login screen (run_console).
        ``staff`` (a Member, or the staff row a login returned) logs someone in straight away
        (benchmarks and tests of later screens)."""
        super().__init__()
        textual_fixes.apply()
        translate_bindings(self)
        # An open context's identity (the store's name for every header) and whether the
        # first-run set-up is needed are read here, before the event loop runs; a store being
        # opened reads them in its thread.
        self.opening = ctx if isinstance(ctx, StoreOpening) else StoreOpening.opened(ctx)
        self.config: Config = self.opening.config
        self.staff: Member | None = None
        if staff is not None:
            from store.people import directory

            self.staff = directory.member_of(staff)
        self.locked_by: Member | None = None  # who locked the terminal, until someone unlocks it
        self._names: dict[str, str] = {}
        self._last_input = time.monotonic()
        self.crash_message = ""
        self.selling: SaleScreen | None = None  # the sale screen, once someone has logged in
        self.committing = False  # a sale is being saved (SaleCommitting until SaleCommitEnded)
        self._integrity: IntegrityCheck | None = None
        self.open_error: ZhangguiError | None = None  # why the store could not be opened

    @property
    def ctx(self) -> StoreContext:
        """The open store. Before it is open (only the login screen is up) this waits for it:
        a worker's business, never the event loop's (the login's calls run in workers)."""
        return self.opening.wait()

    @property
    def clock(self) -> Clock:
        """The context's clock, known before the store is open."""
        return self.opening.clock

    @property
    def actor(self) -> Actor | None:
        """Who is logged in, as the store's functions take it (made at the login)."""
        return self.staff.actor if self.staff is not None else None

    @property
    def store_name(self) -> str:
        return self.ctx.store_name

    def known_staff_name(self, staff_id: str) -> str | None:
        """The name of a staff member without reading the store: who is logged in, who locked,
        or a name read before; None otherwise."""
        for member in (self.staff, self.locked_by):
            if member is not None and member.id == staff_id:
                return member.name
        return self._names.get(staff_id)

    def read_staff_name(self, staff_id: str) -> str:
        """Read the name of a staff member from the store (in a worker) and remember it."""
        from store.people import directory

        name = self._names[staff_id] = directory.staff_name(staff_id)
        return name

    def on_mount(self) -> None:
        self.quit_on_stop_signals()
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.ui.idle_lock_minutes:
            self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_timer(SUMMARY_DELAY_SECONDS, self.summarise_days)
        if not self.opening.done:  # the login first; the store opens once it is drawn
            self.ask_login()
            self.call_after_refresh(self.open_behind_login)
            return
        self.store_opened()
        if self.staff is not None:
            self.start_selling()
        elif not self.opening.initialised:
            self.first_run()
        else:
            self.ask_login()

    def quit_on_stop_signals(self) -> None:
        """SIGTERM (the PC shutting down, a service manager stopping the till) quits as Ctrl+Q
        does: a sale in progress is suspended and the database closed. Python's default ended
        the process on the spot, so the next start found the -wal and took it for a crash (the
        file check at once, before the login)."""
        loop = asyncio.get_running_loop()
        for stop in STOP_SIGNALS:
            try:
                loop.add_signal_handler(stop, self.call_later, self.quit_when_free)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # no such signals here (Windows), or not the main thread (some tests)

    def quit_when_free(self) -> None:
        """Quit once no sale is being committed: Ctrl+Q waits for that too (check_action), and
        suspending a cart whose commit is under way would keep a sale that was also made."""
        if getattr(self.screen, "busy", False):
            self.set_timer(STOP_RETRY_SECONDS, self.quit_when_free)
            return
        self.call_later(self.action_quit)

    def stop_signals_as_before(self) -> None:
        """The loop outlives the console in tests (Pilot): the signals are not ours after it."""
        loop = asyncio.get_running_loop()
        for stop in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(stop)

    def collect_all_again(self) -> None:
        """What tui.launch set aside from the cyclic collector for the start-up (gc.freeze)
        rejoins the oldest generation at the first login, and one full collection runs before
        the sale screen is made: the login screen's widgets and the opening's garbage are
        cycles, and the sale screen then reuses their memory instead of growing the heap
        (about 0.5 MiB on bench.startup_pty's RSS after the PIN). The pass walks ~60,000
        objects (35-49 ms on the large demo): the first full collection after the unfreeze
        walks them anyway, here at the login rather than under a scan."""
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()

    def first_run(self) -> None:
        from tui.screens.first_run import FirstRunScreen  # screens off the start-up path load late

        self.push_screen(FirstRunScreen(), lambda _ok: self.ask_login())

    @work(thread=True, exclusive=True, group="open")
    def open_behind_login(self) -> None:
        """Open the store (tui.opening) while the code and PIN are typed, then load the sale
        screen's modules so the first frame after the PIN does not wait for them."""
        self.opening.start()
        try:
            self.opening.wait()
        except ZhangguiError as exc:
            self.call_from_thread(self.store_failed, exc)
            return
        self.call_from_thread(self.store_opened, True)
        import tui.screens.sale  # noqa: F401  # (an import: no store call)

    def store_opened(self, behind_login: bool = False) -> None:
        """The store is open: its background check starts, and a store never set up gets the
        first-run set-up in place of the login."""
        self._integrity = self.ctx.integrity_check()
        if not self.ctx.integrity_checked:
            self.check_integrity()
        if behind_login and not self.opening.initialised and isinstance(self.screen, LoginScreen):
            self.pop_screen()
            self.first_run()

    def store_failed(self, error: ZhangguiError) -> None:
        """The store cannot be opened: the console closes and says why (run_console)."""
        self.open_error = error
        self.exit(return_code=1)

    def ask_login(self) -> None:
        self.push_screen(LoginScreen(), self.logged_in)

    def logged_in(self, member: Member | None) -> None:
        if member is None:
            return
        self.staff = member
        self.collect_all_again()
        self.start_selling()
        self.check_clock()
        from tui.screens.open_days import remind_at_login

        remind_at_login(self, member)  # days left open, on every login until closed
        if member.is_manager:
            self.audit_alerts(member)

    @work(thread=True, exclusive=True, group="audit")
    def audit_alerts(self, member: Member) -> None:
        """Mend a damaged audit head or table now (as the next sale would) and show the manager
        what the chain found since a manager last looked."""
        from store.audit import attention
        from store.audit import chain as audit

        try:
            audit.repair()
            messages = attention.alerts(self.config.tz)
        except ZhangguiError:
            return  # busy: the next manager login shows them
        if messages:
            self.call_from_thread(self.show_audit_alerts, member, messages)

    def show_audit_alerts(self, member: Member, messages: list[str]) -> None:
        from tui.screens.audit_alerts import AuditAlertsScreen

        def read(seen: bool | None) -> None:
            if seen:
                self.acknowledge_alerts(member)

        self.push_screen(AuditAlertsScreen(messages), read)

    @work(thread=True, group="audit-seen")
    def acknowledge_alerts(self, member: Member) -> None:
        """The manager has seen the alerts: noted in a worker (a busy database says so)."""
        from store.audit import attention

        try:
            off_thread(attention.acknowledge_alerts, member.actor)
        except ZhangguiError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")

    def start_selling(self) -> None:
        from tui.screens.sale import SaleScreen  # after the login: not on the way to the first screen

        self.selling = SaleScreen()
        self.push_screen(self.selling)
        self.refresh_bindings()
        self.offer_reprints()

    def check_clock(self) -> None:
        """A clock that disagrees with the store's last event is shown at login (clock_check)."""
        from tui.screens.clock_check import check_at_login

        self.call_after_refresh(check_at_login, self)  # once the sale screen is up

    @work(thread=True, exclusive=True, group="reprints")
    def offer_reprints(self) -> None:
        """Sales committed whose receipt was never shown (read in a worker): offer to reprint them."""
        from store.selling import checkout

        try:
            pending = off_thread(checkout.unacknowledged, self.config.terminal.id)
        except ZhangguiError as exc:  # busy: they are offered again at the next start
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        if pending:
            self.call_from_thread(self.show_reprints, pending)

    def show_reprints(self, pending: list[SaleShown]) -> None:
        from tui.screens.pending import PendingReceiptsScreen

        def chosen(sale_id: str | None) -> None:
            if sale_id is None:
                return
            from tui.screens.receipt import ReceiptScreen

            def again(_done: None) -> None:
                self.offer_reprints()  # the others, read again

            self.push_screen(ReceiptScreen(sale_id, reprint=True), again)

        self.push_screen(PendingReceiptsScreen(pending), chosen)

    def sale_screen(self) -> SaleScreen | None:
        """The sale screen the console opened at login (under every other screen), if any."""
        return self.selling

    # ---- what screens tell each other (tui/messages.py) ---------------------
    def on_stock_changed(self, _message: StockChanged) -> None:
        if self.selling is not None:
            self.selling.post_message(StockChanged())

    def on_sale_committing(self, _message: SaleCommitting) -> None:
        self.committing = True

    def on_sale_commit_ended(self, _message: SaleCommitEnded) -> None:
        self.committing = False

    @work(thread=True, exclusive=True, group="summary")
    def summarise_days(self) -> None:
        from store.people import promoter_figures

        try:
            promoter_figures.summarise_recent(self.config)
        except ZhangguiError:
            return  # busy or read-only: the reports read those days' lines instead, as before

    @work(thread=True, exclusive=True, group="integrity")
    def check_integrity(self) -> None:
        if self._integrity is None:  # (store_opened makes it on the event loop, before this)
            self._integrity = self.ctx.integrity_check()
        delay = 0.0 if self.ctx.unclean_start else INTEGRITY_CHECK_DELAY_SECONDS
        if not self._integrity.wait(delay):
            return  # the console closed first
        problem = self._integrity.run()
        from store.kernel.memory import give_back_free_pages

        give_back_free_pages()  # the check read the whole file through its own page cache
        if problem is not None:
            from tui.screens.damaged import DamagedDatabaseScreen

            self.call_from_thread(self.push_screen, DamagedDatabaseScreen(problem))

    def on_unmount(self) -> None:
        self.stop_signals_as_before()
        self.opening.closing()  # a login worker still waiting for the store stops waiting
        if self._integrity is not None:
            self._integrity.cancel()
        if not self.opening.done or self.open_error is not None:
            return  # closed before the store was open: nothing to anchor
        from store.audit import anchoring

        # A clean exit leaves an anchor of the audit chain outside the database.
        anchoring.keep_head("exit")

    # ---- locking -------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        limit = self.config.ui.idle_lock_minutes * 60
        if self.staff is None or isinstance(self.screen, LoginScreen):
            return
        if time.monotonic() - self._last_input >= limit:
            self.lock()

    def lock(self) -> None:
        """Nobody is logged in until a PIN is typed: the menu, the palette and the screens
        underneath are out of reach (check_action), only the PIN prompt and quit remain."""
        if self.staff is None or isinstance(self.screen, LoginScreen):
            return
        self.locked_by, self.staff = self.staff, None
        self.refresh_bindings()
        self.push_screen(LoginScreen(locked_by=self.locked_by.name), self.unlocked)

    def unlocked(self, member: Member | None) -> None:
        """The person who locked goes on where they were; anyone else is taken back to the sale
        screen, which suspends the sale in progress under the name of who locked and starts a
        new one for them (tui.messages.Unlocked)."""
        locker = self.locked_by
        if member is None or locker is None:
            return
        self.locked_by, self.staff = None, member
        if self.selling is not None:
            if member.id != locker.id:
                # At once, before the sale screen has the message: what they type next, a scan,
                # reaches the new sale, never the locker's payment screen.
                while self.screen is not self.selling:
                    self.pop_screen()
            self.selling.post_message(Unlocked(locker))
        self.refresh_bindings()
        self.check_clock()
        if member.id != locker.id:
            from tui.screens.open_days import remind_at_login

            remind_at_login(self, member)  # someone else logs in: told of the days left open too

    def hand_over_to(self, incoming: Member) -> None:
        """交班 at this terminal: who took the drawer over (their PIN checked by the store,
        store.dayclose.drawer.take_over) is logged in from now on, and every sale after is
        theirs. A sale in progress is suspended under the outgoing person's name and a new one
        starts, as when someone else unlocks (tui.messages.Unlocked)."""
        outgoing = self.staff
        if outgoing is None or outgoing.id == incoming.id:
            return
        self.staff = incoming
        if self.selling is not None:
            self.selling.post_message(Unlocked(outgoing, handover=True))
        self.refresh_bindings()

    def on_sale_not_kept(self, message: SaleNotKept) -> None:
        if message.locker is None:  # quitting: the console stays open
            kept = _("The sale in progress could not be suspended, so the console stays open: {reason}")
            self.notify(kept.format(reason=message.reason), severity="error")
            return
        # Unlocked by someone else: the locker's cart stays on screen for nobody, so lock again.
        self.locked_by, self.staff = message.locker, None
        self.refresh_bindings()
        self.push_screen(LoginScreen(locked_by=message.locker.name, message=message.reason), self.unlocked)

    def action_lock(self) -> None:
        self.lock()

    async def action_quit(self) -> None:
        """Quit, once the sale screen has kept a sale in progress among the suspended sales
        (tui.messages.Quitting) so F8 finds it at the next start. A sale that cannot be kept
        (the disk is full) keeps the console open (on_sale_not_kept). Asked twice, the sale is
        kept once: suspending a cart again replaces it."""
        if self.selling is None:
            self.exit()
            return
        member = self.staff or self.locked_by
        self.selling.post_message(Quitting(member.name if member is not None else ""))

    def on_ready_to_quit(self, _message: ReadyToQuit) -> None:
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if getattr(self.screen, "busy", False):  # a sale is being committed: no palette, lock or quit
            return False
        if self.staff is None:  # before login and while locked: the PIN prompt and quit, nothing else
            return action in ("quit", "help_quit")
        if action == "menu":
            return self.sale_screen() is not None
        return True

    def action_keys(self) -> None:
        """List every key of the screen in front (and of the console) in an overlay."""
        from tui.screens.keys import KeysScreen, keys_of

        self.push_screen(KeysScreen(*keys_of(self)))

    def allowed_destinations(self) -> list[Destination]:
        manager = self.staff is not None and self.staff.is_manager
        return [d for d in DESTINATIONS if manager or not d.manager_only]

    def action_menu(self) -> None:
        if self.staff is None or self.sale_screen() is None:
            return
        from tui.screens.choice import ChoiceScreen

        rows = [(d.id, Text(_(d.title))) for d in self.allowed_destinations()]
        self.push_screen(ChoiceScreen(_("Go to (Enter)"), rows), self.go_to)

    def go_to(self, destination_id: str | None) -> None:
        """Open a main screen over the sale screen (or go back to selling)."""
        if self.staff is None:  # a palette command or menu choice that outlived a lock
            return
        target = next((d for d in self.allowed_destinations() if d.id == destination_id), None)
        if target is None:
            return
        if self.selling is None:
            return
        while self.screen is not self.selling:
            self.pop_screen()
        if target.make is not None:
            self.push_screen(target.make())

    def _fatal_error(self) -> None:
        """A bug we did not foresee: the traceback goes to a log file for the developers,
        the cashier gets a few sentences. Sales already committed are safe (one transaction
        each); whether the sale in progress was saved is looked up, never assumed.

        Textual has no public hook for an unhandled exception: this overrides the private
        ``App._fatal_error`` and reads ``App._exception`` (tests/unit/test_textual_private_api.py
        fails when an upgrade renames either)."""
        path = crash_report.write_log(self.config.data_dir() / "crash.log", self._exception)
        self.bell()
        unsaved = self.selling.unsaved_sale() if self.selling is not None else None
        self.crash_message = crash_report.message(path, unsaved, self.committing)
        self.panic(Text(self.crash_message))  # shown once the terminal is back, instead of the traceback

    def action_command_palette(self) -> None:
        """Textual's palette, its search prompt in the user's language too."""
        from textual.command import CommandPalette

        if self.use_command_palette and not any(isinstance(s, CommandPalette) for s in self.screen_stack):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        if self.staff is None:
            return
        yield from in_users_language(super().get_system_commands(screen))
        yield SystemCommand(_("Lock the terminal"), _("Ask for a PIN before going on"), self.lock)
        if self.staff is not None and self.sale_screen() is not None:
            for destination in self.allowed_destinations():
                yield SystemCommand(
                    _(destination.title),
                    _("Open this screen"),
                    lambda d=destination.id: self.go_to(d),
                )


def run_console(config: Config, db_path: Path) -> None:
    """Run the console on the store at ``db_path`` (a ZhangguiError says why it cannot).

    A store that is there is opened behind the login screen (tui.opening); its integrity is
    checked in the background, at once after a crash (see check_integrity). A new one (the
    first start) and one that needs a schema upgrade are opened first, so the set-up screen
    knows there is no store and the upgrade notice is printed before Textual owns the screen."""
    check_keymap(config.keymap)  # a wrong binding id stops the start, before the store opens
    opening = StoreOpening(config, db_path)
    if not at_current_version(db_path):  # a new store, or one to upgrade
        opening.on_upgrade = lambda: print(upgrade_notice(), flush=True)
        opening.start()
        opening.wait()
    app = ZhangguiApp(opening)
    try:
        app.run()
    finally:
        opening.close()
    if app.open_error is not None:
        raise app.open_error
