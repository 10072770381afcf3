"""The base of every console screen: the session (store context, who is logged in, the
context's clock), the status line, translated key bindings, and store calls run off the
event loop.

- ``say`` / ``fail`` put one sentence on the screen's MessageBar; each replaces the one before,
  and the text is never read as markup (a customer called "[b]" stays "[b]").
- ``load(fn, *args, then=...)`` and ``run_write(fn, *args, then=...)`` call a store function in
  a thread worker. A result that arrives after the screen asked again (a newer ``load`` of the
  same ``key``) or after it was closed is dropped. A store error (store.kernel.errors, already
  translated) becomes ``fail(message)`` unless ``failed`` takes it; never a traceback.
- ``in_turn(key, step)`` runs steps that build on each other (scans into a count) one after
  another, in the order typed: each waits until the store call of the one before is answered.
- A store function that takes ``now`` is called with the context clock's time (never the wall
  clock's) unless the caller passed one.
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.binding import BindingType
from textual.screen import ModalScreen, Screen, ScreenResultType

from store.kernel.errors import ZhangguiError
from tui.i18n_bindings import translate_bindings
from tui.widgets.message_bar import MessageBar

if TYPE_CHECKING:
    from store.config.loader import Config
    from store.context import StoreContext
    from store.kernel.auth import Actor
    from tui.app import ZhangguiApp

T = TypeVar("T")


def at_now(fn: Callable[..., object], args: tuple[Any, ...], kwargs: dict[str, Any], now: datetime) -> None:
    """Give ``fn`` ``now`` (in ``kwargs``) when it takes a ``now`` the caller did not pass. (Not
    cached: a screen's own closures are new objects every time and would pile up in a cache.)"""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    if "now" not in signature.parameters:
        return
    try:
        given = signature.bind_partial(*args, **kwargs).arguments
    except TypeError:
        return  # the call itself is wrong: let it say so
    if "now" not in given:
        kwargs["now"] = now


class ConsoleScreen(Screen[ScreenResultType]):
    BINDINGS: ClassVar[list[BindingType]] = []  # each screen declares its own (Screen's still apply)

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self._newest: dict[str, int] = {}  # per key: the newest request; older answers are dropped
        self._writing: dict[str, int] = {}  # per key: writes not yet answered
        self._turns: dict[str, deque[Callable[[], object]]] = {}  # per key: steps waiting (in_turn)
        self._turn_busy: set[str] = set()  # keys whose step's call is not answered yet
        self._in_turn: str | None = None  # the key whose step is running now

    # ---- the session -------------------------------------------------------
    @property
    def zapp(self) -> ZhangguiApp:
        from tui.app import ZhangguiApp

        assert isinstance(self.app, ZhangguiApp)
        return self.app

    @property
    def ctx(self) -> StoreContext:
        return self.zapp.ctx

    @property
    def config(self) -> Config:
        return self.zapp.config

    @property
    def actor(self) -> Actor | None:
        """Who is logged in, as the store's functions take it."""
        return self.zapp.actor

    @property
    def staff_id(self) -> str:
        member = self.zapp.staff
        assert member is not None
        return str(member.id)

    def now(self) -> datetime:
        """The context clock's time (naive UTC), for every write (known before the store is
        open: the login's calls are given it on the event loop)."""
        return self.zapp.clock()

    def today(self) -> date:
        """The store's business date on the context's clock."""
        return self.zapp.clock.today()

    def reload(self) -> None:
        """Show the screen's figures again (after a write); a screen that shows any overrides it."""

    def changed(self, message: str) -> None:
        """A write went through: show the screen again, and say what was done."""
        self.reload()
        self.say(message)

    # ---- the status line ---------------------------------------------------
    def say(self, message: str) -> None:
        bar = self.query(MessageBar)
        if bar:
            bar.first().info(message)
        elif message:
            self.notify(Text(message).markup)  # a dialog without a message line

    def fail(self, message: str) -> None:
        bar = self.query(MessageBar)
        if bar:
            bar.first().error(message)
        else:
            self.notify(Text(message).markup, severity="error")

    def ask(
        self,
        title: str,
        label: str,
        then: Callable[[str], object],
        value: str = "",
        *,
        password: bool = False,
    ) -> None:
        """A prompt whose answer (not Esc) goes to ``then``; a store error it raises is ``fail``ed."""
        from tui.screens.prompt import PromptScreen

        def done(answer: str | None) -> None:
            if answer is None:
                return
            try:
                then(answer)
            except ZhangguiError as exc:
                self.fail(str(exc))

        self.app.push_screen(PromptScreen(title, label, value, password=password), done)

    # ---- store calls in a worker thread ------------------------------------
    def load(
        self,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], object],
        failed: Callable[[ZhangguiError], object] | None = None,
        key: str = "load",
        **kwargs: Any,
    ) -> None:
        """Read ``fn(*args, **kwargs)`` off the event loop; ``then(result)`` on it, unless a newer
        load of ``key`` was asked for meanwhile."""
        self._call(fn, args, kwargs, then, failed, key, write=False)

    def run_write(
        self,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], object] | None = None,
        said: str | None = None,
        failed: Callable[[ZhangguiError], object] | None = None,
        key: str = "write",
        **kwargs: Any,
    ) -> None:
        """Write with ``fn(*args, **kwargs)`` off the event loop; once it is done ``then(result)``,
        or with ``said``, ``changed(said)``. The write itself is never dropped, only an answer the
        screen no longer waits for."""
        if said is not None:
            message = said
            then = lambda _result: self.changed(message)  # noqa: E731
        self._call(fn, args, kwargs, then, failed, key, write=True)

    def in_turn(self, key: str, step: Callable[[], object]) -> None:
        """``step()`` once every step of ``key`` asked for before it has been answered: calls that
        build on each other (scans into a count, cells of the roster, a login) are made one after
        another, in the order they were typed, and none is lost. A step makes at most one
        ``load``/``run_write`` (its answer lets the next step go) or none (the next goes at once);
        it reads the screen as the steps before it left it."""
        self._turns.setdefault(key, deque()).append(step)
        self._take_turns(key)

    def waiting_turns(self, key: str) -> bool:
        """A step of ``key`` is under way or waiting for its turn."""
        return key in self._turn_busy or bool(self._turns.get(key))

    def _take_turns(self, key: str) -> None:
        queue = self._turns.get(key)
        while queue and key not in self._turn_busy and self.is_attached:
            step = queue.popleft()
            outer, self._in_turn = self._in_turn, key  # a step of another key may be under way
            try:
                step()
            finally:
                self._in_turn = outer  # None when that step has made its call already

    def writing(self, key: str = "write") -> bool:
        """A write of ``key`` is under way (a dialog that closes with its result waits for it
        rather than writing twice)."""
        return self._writing.get(key, 0) > 0

    def is_newest(self, key: str, ticket: int) -> bool:
        return self._newest.get(key) == ticket and self.is_attached

    def _call(
        self,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        then: Callable[[T], object] | None,
        failed: Callable[[ZhangguiError], object] | None,
        key: str,
        write: bool,
    ) -> None:
        ticket = self._newest[key] = self._newest.get(key, 0) + 1
        if write:
            self._writing[key] = self._writing.get(key, 0) + 1
        turn, self._in_turn = self._in_turn, None  # a step's one call: its answer lets the next go
        if turn is not None:
            self._turn_busy.add(turn)
        at_now(fn, args, kwargs, self.now())

        def answered() -> None:
            if write:
                self._writing[key] -= 1

        def next_turn() -> None:
            if turn is not None:
                self._turn_busy.discard(turn)
                self._take_turns(turn)

        def arrived(result: T) -> None:
            answered()
            try:
                if self.is_newest(key, ticket) and then is not None:
                    then(result)
            finally:
                next_turn()

        def refused(error: ZhangguiError) -> None:
            answered()
            try:
                if not self.is_newest(key, ticket):
                    return
                if failed is not None:
                    failed(error)
                else:
                    self.fail(str(error))
            finally:
                next_turn()

        app = self.app  # read here: a screen closed meanwhile no longer knows its app
        # The job is handed over once, so the worker's closure lets go of the call and its
        # answers when it is done. (That the pool thread forgets the Worker is the app's
        # fresh-context pool's job: tui/textual_fixes.py.)
        opening = getattr(app, "opening", None)

        def call_store() -> T:
            from store.context import off_thread

            if opening is not None:
                opening.wait()  # the login's calls, made before the store is open, wait for it here
            return off_thread(fn, *args, **kwargs)

        job: list[Any] = [call_store, arrived, refused]

        def work() -> None:
            call, answer, refuse = job
            job.clear()
            try:
                result = call()
            except ZhangguiError as exc:
                app.call_from_thread(refuse, exc)
                return
            app.call_from_thread(answer, result)

        # A step's call is never cancelled by a newer load of its key: the steps after it wait for it.
        group = key if turn is None else f"{key} (in turn)"
        self.run_worker(work, name=key, group=group, thread=True, exclusive=not write and turn is None)


class ConsoleModalScreen(ModalScreen[ScreenResultType], ConsoleScreen[ScreenResultType]):
    """A console screen over another (a dialog): it dims what is underneath, and its keys
    come before the app's. ModalScreen comes first: Textual takes a class's default CSS from
    its first base only."""
