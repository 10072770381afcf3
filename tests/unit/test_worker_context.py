"""Every thread worker runs in a context of its own (tui/textual_fixes.py): the pool thread that
ran it keeps neither the Worker nor, through it, the worker's node, whoever started it (the app's
or a widget's ``@work(thread=True)``, a screen's ``run_worker(..., thread=True)``) and with no
reset of ``active_worker`` of its own. Textual 8.2.8 leaves it set in the pool thread's context."""

from __future__ import annotations

import contextvars
import gc
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

from textual import work
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from tui import textual_fixes

LAST_JOB: contextvars.ContextVar[str] = contextvars.ContextVar("LAST_JOB", default="")


def two_jobs_on_one_thread(pool: ThreadPoolExecutor) -> str:
    """What the second job on the pool's one thread finds that the first one set."""
    with pool:
        pool.submit(LAST_JOB.set, "first job").result()
        return pool.submit(LAST_JOB.get).result()


def test_a_plain_pool_thread_keeps_what_its_last_job_set() -> None:
    # The bug the fresh pool is for: a pool thread's context outlives the job.
    assert two_jobs_on_one_thread(ThreadPoolExecutor(max_workers=1)) == "first job"


def test_a_fresh_context_pool_thread_keeps_nothing_of_its_last_job() -> None:
    assert two_jobs_on_one_thread(textual_fixes.FreshContextExecutor(max_workers=1)) == ""


class Panel(Static):
    @work(thread=True)
    def compute(self) -> str:
        return threading.current_thread().name


class Form(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Panel()


class Till(App[None]):
    def __init__(self) -> None:
        super().__init__()
        textual_fixes.apply()  # as ZhangguiApp does

    @work(thread=True)
    def summarise(self) -> str:
        return threading.current_thread().name

    def on_mount(self) -> None:
        self.push_screen(Form())


async def test_no_pool_thread_keeps_a_finished_worker_or_its_screen() -> None:
    app = Till()
    async with app.run_test() as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, Form)
        workers: list[Worker[str]] = [
            app.summarise(),
            form.query_one(Panel).compute(),
            form.run_worker(lambda: threading.current_thread().name, thread=True),
        ]
        await app.workers.wait_for_complete()
        assert all(w.result and w.result.startswith("zhanggui-worker") for w in workers)  # the fresh pool
        finished = [weakref.ref(w) for w in workers]
        screen = weakref.ref(form)
        del workers, form
        app.pop_screen()
        await pilot.pause()
        gc.collect()
        assert [ref() for ref in finished] == [None, None, None]
        assert screen() is None
