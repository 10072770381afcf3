"""The store behind the login screen: the console draws its login from the config alone and
opens the database (peewee, the models, migrations, back-fills, the store's identity) in a
thread of its own once that screen is up, while the code and PIN are typed. A store call made
before it is open waits for it in its worker, never on the event loop.

The opening thread keeps its connection open until the console closes, as the main thread's
did before: the write-ahead log stays in place while the console runs (another terminal sees
the file in use) and is checkpointed once, at exit, instead of after every worker's call."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.config.loader import Config
from store.kernel.clock import Clock, SystemClock
from store.kernel.errors import DatabaseUnavailable, ZhangguiError
from store.kernel.i18n import _

if TYPE_CHECKING:
    from store.context import StoreContext


class StoreOpening:
    """A store context that is open (``opened``) or being opened in a thread (``start``)."""

    def __init__(
        self,
        config: Config,
        db_path: Path | None = None,
        on_upgrade: Callable[[], None] | None = None,
        *,
        clock: Clock | None = None,
        opener: Callable[[], StoreContext] | None = None,
    ) -> None:
        """``opener`` opens the store (by default open_store on ``db_path``); ``clock`` is the
        context's clock, known before it is open (by default what open_store gives it)."""
        self.config = config
        self.db_path = db_path
        self.on_upgrade = on_upgrade
        self.clock: Clock = clock or SystemClock(config.tz)
        self._opener = opener
        self.initialised = False
        self._ctx: StoreContext | None = None
        self._error: ZhangguiError | None = None
        self._ready = threading.Event()
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def opened(cls, ctx: StoreContext) -> StoreOpening:
        """An open context (tests, benchmarks, the console's first start): read what the app
        needs from it now, before the event loop runs."""
        from store import setup

        opening = cls(ctx.config)
        opening.clock = ctx.clock
        ctx.identity()
        opening.initialised = setup.is_initialised()
        opening._ctx = ctx
        opening._ready.set()
        return opening

    @property
    def done(self) -> bool:
        return self._ready.is_set()

    def start(self) -> None:
        """Open the store in its own thread (once); ``wait`` for the outcome."""
        if self._thread is not None or self.done:
            return
        self._thread = threading.Thread(target=self._open, name="zhanggui-open", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        from store import setup
        from store.context import let_go_of_connection, open_store
        from store.kernel.memory import return_big_blocks

        # Before any PIN is checked (a login waits for the store): each check's 16 MiB goes back
        # to the system (see there). Here, not before the login: ctypes is time before its frame.
        return_big_blocks()

        try:
            if self._opener is not None:
                ctx = self._opener()
            else:
                ctx = open_store(
                    self.config, self.db_path, full_check=False, defer_check=True, on_upgrade=self.on_upgrade
                )
            ctx.identity()
            self.initialised = setup.is_initialised()
            self._ctx = ctx
        except ZhangguiError as exc:
            self._error = exc
            let_go_of_connection()
            return
        finally:
            self._ready.set()
        self._closing.wait()  # the connection that keeps the log in place, until the console closes
        let_go_of_connection()

    def wait(self) -> StoreContext:
        """The open context, once ``start`` has opened it (from a worker or before the event
        loop: this blocks until then); the ZhangguiError that kept it from opening is raised
        again. Waiting does not start the opening: the console starts it once the login is
        drawn, so a login worker's wait does not race the first frame for the interpreter."""
        while not self._ready.wait(0.05):  # a wait under way when the console closes ends
            if self._closing.is_set():
                raise DatabaseUnavailable(_("The console closed before the store was open."))
        if self._error is not None:
            raise self._error
        assert self._ctx is not None
        return self._ctx

    def closing(self) -> None:
        """The console is closing: waits end, and the opening thread lets its connection go."""
        self._closing.set()

    def close(self) -> None:
        """The console is done: the opening thread closes its connection, then the context."""
        self._closing.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._ctx is not None:
            self._ctx.close()
