"""One start-up, run in a fresh process by bench.run (figure 2).

    python -m bench.startup_child bare        # Header, Input, DataTable, Footer; exits on mount
    python -m bench.startup_child ours DB     # ZhangguiApp on DB, logged in, exits once the
                                              # sale screen is mounted and has refreshed

The parent times the process from spawn to exit; the child prints its own peak RSS (VmHWM)
as its last line on stderr.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

TRACE_ENV = "BENCH_TRACE_SQL"  # set by bench.run's profile step: time each SQL statement
TRACE_PREFIX = "BENCH_SQL "
PEAK_RSS_PREFIX = "BENCH_PEAK_RSS_KB "


def peak_rss_kb() -> int | None:
    """This process's own peak RSS (VmHWM), or None where /proc does not say. Not ru_maxrss:
    Linux carries the pre-exec address space's high-water mark across exec, and a child that
    subprocess spawns (vfork) starts from its parent's, so every child of a 40 MiB bench run
    would show at least 40 MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])  # kB
    except OSError:
        return None
    return None


def trace_sql() -> None:
    """Time every statement peewee runs; print the list to stderr at exit (one JSON line)."""
    import atexit

    from peewee import SqliteDatabase

    timings: list[tuple[str, float]] = []
    original = SqliteDatabase.execute_sql

    def execute_sql(self: SqliteDatabase, sql: str, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, sql, *args, **kwargs)
        finally:
            timings.append((" ".join(sql.split())[:100], (time.perf_counter() - start) * 1000))

    SqliteDatabase.execute_sql = execute_sql  # type: ignore[method-assign, assignment]
    atexit.register(lambda: print(TRACE_PREFIX + json.dumps(timings), file=sys.stderr))


def run_bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            self.exit()

    BareApp().run(headless=True)


def run_ours(db_path: str) -> None:
    if os.environ.get(TRACE_ENV):
        trace_sql()
    from store.context import load, open_store
    from store.models import Staff
    from tui.app import ZhangguiApp
    from tui.screens import sale as sale_module
    from tui.screens.sale import SaleScreen

    class FirstRefreshSaleScreen(SaleScreen):
        # Like the bare app, which exits on mount: exit once the sale screen is mounted and
        # its own on_mount has filled the cart table (call_later runs after that handler).
        def on_mount(self) -> None:
            self.call_later(self.app.exit)

    # ZhangguiApp.start_selling imports the screen by this name when someone logs in; pointing
    # it at the subclass keeps the app's real start-up path (push, reprint check) untouched.
    sale_module.SaleScreen = FirstRefreshSaleScreen  # type: ignore[misc]

    config = load(None)  # as `zhanggui` does: the default config, if any
    ctx = open_store(config, db_path, full_check=False)  # as tui.app.run_console opens it
    try:
        member = Staff.select().where(Staff.active == True).order_by(Staff.code).first()  # noqa: E712
        if member is None:
            raise SystemExit("no active staff in the database")
        ZhangguiApp(ctx, staff=member).run(headless=True)
    finally:
        ctx.close()


def main(argv: list[str]) -> None:
    if argv[:1] == ["bare"]:
        run_bare()
    elif argv[:1] == ["ours"] and len(argv) == 2:
        run_ours(argv[1])
    else:
        raise SystemExit("usage: python -m bench.startup_child bare | ours DB")
    peak = peak_rss_kb()
    if peak is not None:  # the same last line from both children, read by bench.startup.spawn
        print(PEAK_RSS_PREFIX + str(peak), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
