"""Workarounds for bugs in Textual 8.2.8 that made a till keep memory for every sale. Each one
checks that the bug is still there, so a Textual that fixes it makes the workaround a no-op;
``apply()`` is called once, when the console starts. (One more, the Footer's watcher list,
is worked around in tui/widgets/key_bar.py, the key bar of the sale, pay and receipt
screens.)
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from types import CodeType
from typing import Any

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
    _inner_outer_without_instances()
    _threads_forget_their_last_worker()


def _inner_outer_without_instances() -> None:
    """Textual 8.2.8 (Textualize/textual#6665): ``StylesCache.get_inner_outer`` is an
    instance method under ``@lru_cache(1024)``, so the cache's keys hold up to 1,024
    ``StylesCache`` objects of widgets long gone, each with its rendered lines. Every sale
    removes dozens of widgets (the pay and receipt screens, key bars), so a till kept
    thousands of rendered lines of screens nobody sees. The result depends only on the two
    colours: the same function, cached on them alone."""
    from textual._styles_cache import StylesCache

    cached: Any = StylesCache.__dict__.get("get_inner_outer")
    original = getattr(cached, "__wrapped__", None)
    if original is None or not hasattr(cached, "cache_clear"):
        return  # not the 8.2.8 shape: nothing to work around

    @lru_cache(1024)
    def by_colours(base_background: Any, background: Any) -> Any:
        return original(None, base_background, background)

    def get_inner_outer(self: object, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    cached.cache_clear()
    setattr(StylesCache, "get_inner_outer", get_inner_outer)  # noqa: B010 (mypy: assigning a method)


class FreshContextExecutor(ThreadPoolExecutor):
    """A thread pool that runs every job in a new, empty context, as a new thread would: what
    a job sets in its context variables ends with the job instead of staying with the thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(contextvars.Context().run, fn, *args, **kwargs)


_fresh_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def fresh_context_executor(loop: asyncio.AbstractEventLoop) -> None:
    """Make ``loop``'s default executor (the thread workers' pool) a FreshContextExecutor."""
    if loop in _fresh_loops:
        return
    _fresh_loops.add(loop)
    old = getattr(loop, "_default_executor", None)
    loop.set_default_executor(FreshContextExecutor(thread_name_prefix="zhanggui-worker"))
    if isinstance(old, ThreadPoolExecutor):
        old.shutdown(wait=False)  # its threads end once their jobs have


def _threads_forget_their_last_worker() -> None:
    """Textual 8.2.8: a thread worker (``@work(thread=True)``) runs in the event loop's default
    executor, and ``Worker._run_threaded`` sets ``active_worker`` to the worker in the pool
    thread's own context and never resets it. Each pool thread then keeps the last Worker it
    ran, and with it the worker's node and its work's arguments: the pay screen's commit worker
    kept a dismissed ``PayScreen`` (its widgets, render caches, the cart and the Sale) alive
    until that thread happened to run another job — up to one dead screen a pool thread. Every
    job now runs in a context of its own (FreshContextExecutor), which the pool thread drops
    when the job ends. Every thread worker goes through ``_run_threaded`` (the app's and a
    widget's ``@work(thread=True)``, a screen's ``run_worker(..., thread=True)``), so this is
    the one place the console deals with it: a worker needs no reset of its own
    (tests/unit/test_worker_context.py, tests/console/test_console_soak.py)."""
    from textual.worker import Worker

    original: Any = Worker.__dict__.get("_run_threaded")
    # The names its code uses, not its source: reading and tokenizing worker.py
    # (inspect.getsource) was ~3 ms of every start, before the login is drawn.
    if not {"active_worker", "run_in_executor"} <= _names_used(getattr(original, "__code__", None)):
        return  # not the 8.2.8 shape: nothing to work around

    async def _run_threaded(self: Any) -> Any:
        fresh_context_executor(asyncio.get_running_loop())
        return await original(self)

    setattr(Worker, "_run_threaded", _run_threaded)  # noqa: B010 (mypy: assigning a method)


def _names_used(code: CodeType | None) -> set[str]:
    """The global and attribute names a function's code and its nested functions use."""
    if code is None:
        return set()
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_used(const)
    return names
