"""ConsoleScreen (tui/screens/base.py), the base of every console screen: store calls in a
worker thread whose late answers are dropped, store errors as one sentence on the message line
(never a traceback), writes at the context clock's time, user text never read as markup."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from store.kernel import FixedClock
from store.kernel.errors import NotFound
from tests.conftest import TILL, Shop
from tests.console_helpers import make_app
from tui.messages import StockChanged
from tui.screens.base import ConsoleModalScreen, ConsoleScreen
from tui.widgets.message_bar import MessageBar
from tui.widgets.reorder_panel import ReorderPanel


class Probe(ConsoleScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.reloads = 0

    def compose(self) -> ComposeResult:
        yield Static("probe")
        yield MessageBar()

    def reload(self) -> None:
        self.reloads += 1


async def running(pilot: Pilot[None], started: threading.Event) -> None:
    """Until the worker thread got that far (a worker cancelled before it starts never runs)."""
    for _ in range(500):
        if started.is_set():
            return
        await pilot.pause(0.01)
    raise AssertionError("the worker never started")


def bar_text(screen: ConsoleScreen[None]) -> str:
    return str(screen.query_one(MessageBar).render())


async def test_an_answer_that_arrives_after_a_newer_request_is_dropped(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "old"

    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.load(slow, then=probe.shown.append)
        await running(pilot, started)
        probe.load(lambda: "new", then=probe.shown.append)
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert probe.shown == ["new"]  # "old" came last, for a request nobody waits for


async def test_a_store_error_is_one_sentence_on_the_message_line(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    def missing() -> str:
        raise NotFound("No receipt 42.")

    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.run_write(missing, then=probe.shown.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        bar = probe.query_one(MessageBar)
        assert str(bar.render()) == "No receipt 42." and bar.has_class("error")
        assert probe.shown == [] and app.is_running and not probe.writing()


async def test_a_write_is_made_at_the_context_clock_and_said_after_showing_it_again(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    seen: list[datetime | None] = []

    def write(name: str, now: datetime | None = None) -> str:
        seen.append(now)
        return name

    moment = datetime(2031, 5, 4, 3, 2)
    clock = FixedClock(moment, TILL.tz)
    app = make_app(db, tmp_path, staff=shop.manager, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.run_write(write, "a", said="Saved a.")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen == [moment] and probe.reloads == 1 and bar_text(probe) == "Saved a."
        probe.run_write(write, "b", datetime(2030, 1, 1))  # a caller's own now is kept
        await app.workers.wait_for_complete()
        assert seen[-1] == datetime(2030, 1, 1)
        probe.in_turn("c", lambda: probe.run_write(write, "c", key="c"))  # in turn: the clock's now too
        await app.workers.wait_for_complete()
        assert seen[-1] == moment


async def test_steps_in_turn_run_one_after_another_in_order_each_seeing_the_one_before(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    """Steps asked for at once (a burst of scans) wait for the call before them to be answered:
    each is made once, in order, reads what the one before left, and an error does not stop
    the ones after it."""
    release = threading.Event()
    made: list[str] = []
    running_now: list[str] = []

    def write(code: str, before: str) -> str:
        running_now.append(code)
        assert len(running_now) == 1, running_now  # never two at once
        if code == "a":
            release.wait(10)
        made.append(code)
        running_now.pop()
        if code == "c":
            raise NotFound("No product c.")
        return f"{before}>{code}"

    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        last = [""]

        def step(code: str) -> Callable[[], None]:
            def go() -> None:  # reads ``last`` when its turn comes, not when it was asked for
                probe.run_write(write, code, last[0], then=lambda said: last.__setitem__(0, said), key="scan")

            return go

        for code in "abcd":
            probe.in_turn("scan", step(code))
        probe.in_turn("scan", lambda: probe.shown.append("after the scans"))  # a step with no store call
        await pilot.pause()
        assert made == [] and probe.waiting_turns("scan") and probe.shown == []
        release.set()
        for _ in range(200):
            if not probe.waiting_turns("scan"):
                break
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert made == ["a", "b", "c", "d"]
        assert last[0] == ">a>b>d"  # c was refused; d built on b
        assert bar_text(probe) == "No product c."
        assert probe.shown == ["after the scans"] and not probe.waiting_turns("scan")


async def test_an_answer_for_a_closed_screen_is_dropped(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release, answered = threading.Event(), threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "late"

    app = make_app(db, tmp_path, staff=shop.manager)
    hand_over = app.call_from_thread

    def handed_over(callback: Callable[..., object], *args: object) -> object:
        try:
            return hand_over(callback, *args)
        finally:
            answered.set()

    monkeypatch.setattr(app, "call_from_thread", handed_over)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.load(slow, then=probe.shown.append)
        await running(pilot, started)
        await app.pop_screen()
        await pilot.pause()
        release.set()
        await running(pilot, answered)  # the answer reached the event loop (the worker was cancelled)
        await pilot.pause()
        assert probe.shown == [] and app.is_running


async def test_user_text_is_never_read_as_markup(shop: Shop, db: SqliteDatabase, tmp_path: Path) -> None:
    notified: list[str] = []

    class Dialog(ConsoleModalScreen[None]):
        def compose(self) -> ComposeResult:
            yield Static("no message line here")

        def notify(self, message: str, **kwargs: object) -> None:
            notified.append(message)

    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.fail("Customer [b]Bold[/b] not found")
        assert bar_text(probe) == "Customer [b]Bold[/b] not found"
        dialog = Dialog()
        await app.push_screen(dialog)
        dialog.fail("Customer [b]Bold[/b] not found")
        await pilot.pause()
        assert notified == ["Customer \\[b]Bold\\[/b] not found"]  # escaped: shown as typed


async def test_stock_changed_reaches_the_sale_screens_reorder_line(
    shop: Shop, db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(ReorderPanel, "refresh_all", lambda self: calls.append(self.id or ""))
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        calls.clear()
        probe.app.post_message(StockChanged())
        await pilot.pause()
        assert calls == ["reorder-panel"]


async def test_a_closed_screen_is_not_kept_by_the_thread_that_ran_its_store_call(
    shop: Shop, db: SqliteDatabase, tmp_path: Path
) -> None:
    app = make_app(db, tmp_path, staff=shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe()
        await app.push_screen(probe)
        probe.load(lambda: "done", then=probe.shown.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert probe.shown == ["done"]
        await app.pop_screen()
        await pilot.pause()
        del probe
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, Probe)]
