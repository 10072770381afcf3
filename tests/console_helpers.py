"""Building the console against a test database, and typing into it like a scanner."""

from __future__ import annotations

import contextlib
import functools
import threading
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from store.config.loader import Config
from store.context import StoreContext
from store.db.ids import IdConnection
from store.kernel import Clock, SystemClock
from store.models import Staff
from tui.app import ZhangguiApp
from tui.screens.sale import SaleScreen


def make_app(
    db: SqliteDatabase, tmp_path: Path, staff: Staff | None = None, clock: Clock | None = None
) -> ZhangguiApp:
    """The console on ``clock`` (by default the suite's fixed clock, see conftest.clock)."""
    cfg = Config()
    cfg.paths.receipts = str(tmp_path / "receipts")
    cfg.ui.idle_lock_minutes = 0
    ctx = StoreContext(config=cfg, db_path=tmp_path / "store.db", db=db, clock=clock or SystemClock(cfg.tz))
    return ZhangguiApp(ctx, staff=staff)


@contextlib.asynccontextmanager
async def selling(
    db: SqliteDatabase, tmp_path: Path, staff: Staff, clock: Clock | None = None
) -> AsyncIterator[tuple[ZhangguiApp, Pilot[None], SaleScreen]]:
    """The console at 80x24 with ``staff`` logged in, on the sale screen: (app, pilot, screen)."""
    app = make_app(db, tmp_path, staff=staff, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaleScreen)
        yield app, pilot, screen


async def crash_on(
    app: ZhangguiApp,
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    key: str,
    scan: str = "",
    bug: str = "a bug",
) -> None:
    """Run the console until ``key`` (after scanning ``scan``) meets a bug nobody foresaw in the
    sale screen's ``action``: the console stops, and app.crash_message says what it says."""

    def broken(_self: SaleScreen) -> None:
        raise RuntimeError(bug)

    monkeypatch.setattr(SaleScreen, action, broken)
    with pytest.raises(RuntimeError, match=bug):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if scan:
                await scanner_burst(pilot, scan)
            await pilot.press(key)
            await pilot.pause()


async def type_text(pilot: Pilot[None], text: str, enter: bool = True) -> None:
    keys = list(text) + (["enter"] if enter else [])
    await pilot.press(*keys)


async def scanner_burst(pilot: Pilot[None], code: str, gap: float = 0.005) -> None:
    """A keyboard-wedge scanner: characters a few ms apart, then Enter, no pause after."""
    for ch in code:
        await pilot.press(ch)
        await pilot.pause(gap)
    await pilot.press("enter")


async def wait_for_commit(pilot: Pilot[None]) -> None:
    """The pay screen commits in a worker thread: wait for it to end, then for the screens it
    changes (the receipt after a sale, the message after a refusal). Keys posted without a
    wait (a flood, queued Enters) may not have reached the pay screen yet: the screens handle
    what is queued until the commit has started, rather than trusting an idle-looking moment."""
    app = pilot.app
    commits = [w for w in app.workers if w.group == "pay-commit"]
    for _ in range(20):
        if commits:
            break
        await pilot.pause(0)
        commits = [w for w in app.workers if w.group == "pay-commit"]
    for worker in commits:
        # A commit that ended just before may still be listed, and a new one (exclusive) cancels
        # it: that one is over, and waiting on it must not cut the wait for the new one short.
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()


async def scanner_flood(pilot: Pilot[None], codes: list[str]) -> None:
    """Codes each followed by Enter, all sent before the console handles any of them (as a
    scanner emptying its buffer over a busy till); then wait until they are all handled."""
    from textual import events

    app = pilot.app
    driver = app._driver
    assert driver is not None
    for code in codes:
        for key in [*code, "enter"]:
            event = events.Key(key, key if key != "enter" else "\r")
            event.set_sender(app)
            driver.send_message(event)
    for _ in range(3):
        await pilot.pause()


def record_threads(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[bool]:
    """Wrap the store function ``owner.name`` so every call notes whether it ran on the main
    thread, where the event loop runs (True: it would freeze the till while the database is
    busy). The wrapper keeps the function's signature: a screen's ``load`` gives ``now`` to
    functions that take one."""
    real: Callable[..., Any] = getattr(owner, name)
    on_loop: list[bool] = []

    @functools.wraps(real)
    def recorded(*args: Any, **kwargs: Any) -> Any:
        on_loop.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return on_loop


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the screen's workers, and for the loads their answers start (a write's answer
    reads the screen again in a new worker), then for what those answers change."""
    for _ in range(3):
        # A worker whose answer closed its own screen (a receipt acknowledged) is cancelled with
        # the screen as it hands the answer over: its work is done, there is nothing to wait for.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot[None], done: Callable[[], bool], rounds: int = 200) -> bool:
    """Settle until ``done()`` (bounded, a few seconds on an idle machine): a screen that comes
    from a worker's answer (the receipt after a commit, a table loaded by its screen) may take
    more than one settle on a loaded machine. Returns ``done()``: the test asserts on it."""
    for _ in range(rounds):
        await settle(pilot)
        if done():
            return True
        await pilot.pause(0.02)
    return done()


def key_flood(pilot: Pilot[None], keys: list[str]) -> None:
    """Keys all sent before the console handles any of them (keys typed faster than the store
    answers): the screen's store calls for them are still running when the next key arrives."""
    from textual import events

    app = pilot.app
    driver = app._driver
    assert driver is not None
    characters = {"enter": "\r", "escape": "\x1b", "space": " "}
    for key in keys:
        event = events.Key(key, characters.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        driver.send_message(event)


class SqlThreads:
    """Every SQL statement the store runs while ``watching``, with the thread it ran on: the
    console's guard that no store call is made on the event loop (a busy database would
    freeze the till there). See ``sql_threads``."""

    def __init__(self) -> None:
        self.loop_thread = threading.current_thread()  # the test's thread runs the app's event loop
        self.watching = False
        self.on_loop: list[str] = []  # statements on the event loop's thread while watching, and where
        self.off_loop = 0  # statements run on other threads while watching

    def __call__(self, sql: str) -> None:
        if not self.watching:
            return
        if threading.current_thread() is self.loop_thread:
            # Where the console made it (its innermost frames in tui/), to say what to move.
            frames = [f for f in traceback.extract_stack() if "/tui/" in f.filename][-3:]
            where = " < ".join(
                f"{f.filename.split('/tui/')[-1]}:{f.lineno} {f.name}" for f in reversed(frames)
            )
            self.on_loop.append(f"{sql[:80]}  [{where}]")
        else:
            self.off_loop += 1

    @contextlib.contextmanager
    def aside(self) -> Iterator[None]:
        """The test's own reads (setting up, checking what was saved) are not the console's."""
        was, self.watching = self.watching, False
        try:
            yield
        finally:
            self.watching = was


@contextlib.contextmanager
def sql_threads(db: SqliteDatabase) -> Iterator[SqlThreads]:
    """Record the thread of every statement on ``db``'s connections: those open now (this
    thread's) and every one opened meanwhile (a worker thread's own). Set ``watching`` once the
    app is up and logged in; assert ``on_loop == []``. Screens are added to the guard in
    tests/console/test_store_off_the_loop.py."""
    threads = SqlThreads()
    real_init = IdConnection.__init__

    def traced_init(conn: IdConnection, *args: Any, **kwargs: Any) -> None:
        real_init(conn, *args, **kwargs)
        conn.set_trace_callback(threads)

    IdConnection.__init__ = traced_init  # type: ignore[method-assign]
    opened = db.connection()
    opened.set_trace_callback(threads)
    try:
        yield threads
    finally:
        IdConnection.__init__ = real_init  # type: ignore[method-assign]
        if not db.is_closed():
            db.connection().set_trace_callback(None)
