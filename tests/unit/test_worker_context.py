"""A thread worker wrapped in forgets_worker leaves no Worker in its pool thread's context."""

from __future__ import annotations

import threading

from textual.worker import active_worker

from tui.worker_context import forgets_worker


def test_the_thread_forgets_the_worker_once_the_job_is_done() -> None:
    seen: list[object] = []

    @forgets_worker
    def job() -> int:
        active_worker.set(object())  # type: ignore[arg-type]  # as Textual sets it for a Worker
        return 5

    def in_thread() -> None:
        seen.append(job())
        seen.append(active_worker.get(None))

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen == [5, None]


def test_the_thread_forgets_the_worker_when_the_job_fails() -> None:
    seen: list[object] = []

    @forgets_worker
    def job() -> None:
        active_worker.set(object())  # type: ignore[arg-type]
        raise ValueError("store busy")

    def in_thread() -> None:
        try:
            job()
        except ValueError:
            seen.append(active_worker.get(None))

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen == [None]
