"""Thread workers that let go of what they ran for.

Textual 8.2.8 sets ``textual.worker.active_worker`` in the pool thread's own context and never
resets it, so each pool thread keeps the last Worker it ran and, through it, that worker's
widget, its screen and every widget on it, until another worker happens to run on the same
thread (tests/console/test_key_bar.py counts the footer keys left behind). ConsoleScreen's store calls
reset it themselves (tui/screens/base.py); a widget's or the app's own ``@work(thread=True)``
method is wrapped in ``forgets_worker``, under ``@work``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from textual.worker import active_worker

P = ParamSpec("P")
R = TypeVar("R")


def forgets_worker(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        finally:
            active_worker.set(None)  # type: ignore[arg-type]  # what Textual leaves set

    return run
